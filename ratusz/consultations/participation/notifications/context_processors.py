"""What every page of a city portal shows from the notifications (the header's unread count)."""

from __future__ import annotations

from django.http import HttpRequest

from ratusz.consultations.participation.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """The unread count shown in a city portal's header (one query, signed-in people only)."""
    if getattr(request, "city", None) is None:
        return {}
    return {"unread_notifications": unread_count(request.user)}
