from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def maps(request: HttpRequest) -> dict[str, str]:
    return {"MAP_TILE_URL": settings.MAP_TILE_URL, "MAP_ATTRIBUTION": settings.MAP_ATTRIBUTION}
