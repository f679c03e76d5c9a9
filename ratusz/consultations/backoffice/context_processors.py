from __future__ import annotations

from django.http import HttpRequest

from ratusz.consultations.backoffice.nav import nav_for


def backoffice(request: HttpRequest) -> dict[str, object]:
    """The navigation, only on back-office pages (cheap everywhere else)."""
    if not request.path.startswith("/admin/") or not request.user.is_authenticated:
        return {}
    return {"backoffice_nav": nav_for(request.user, request.path)}
