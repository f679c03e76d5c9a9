from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def maps(request: HttpRequest) -> dict[str, str]:
    return {"MAP_TILE_URL": settings.MAP_TILE_URL, "MAP_ATTRIBUTION": settings.MAP_ATTRIBUTION}


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """The unread count shown in a city portal's header (one query, signed-in people only)."""
    if getattr(request, "city", None) is None:
        return {}
    from ratusz.consultations.participation.notifications.selectors import unread_count

    return {"unread_notifications": unread_count(request.user)}
