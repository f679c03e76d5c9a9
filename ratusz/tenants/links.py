"""Absolute links to the control plane and to city portals."""

from __future__ import annotations

from django.conf import settings

from ratusz.origins import public_origin as _origin


def city_url(host: str, path: str = "/") -> str:
    return _origin(host) + path


def control_url(path: str = "/") -> str:
    return _origin(settings.BASE_DOMAIN) + path
