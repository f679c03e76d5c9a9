"""Absolute links to the control plane and to city portals."""

from __future__ import annotations

from django.conf import settings


def _origin(host: str) -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{host}{port}"


def city_url(host: str, path: str = "/") -> str:
    return _origin(host) + path


def control_url(path: str = "/") -> str:
    return _origin(settings.BASE_DOMAIN) + path
