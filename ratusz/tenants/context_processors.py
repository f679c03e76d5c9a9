from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ratusz.tenants.middleware import sign_up_open


def city(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "city", None)
    return {
        "city": current,
        # Whether pages offer "Create an account": the lifecycle gate's own rule.
        "city_sign_up_open": current is not None and sign_up_open(current),
        "BASE_DOMAIN": settings.BASE_DOMAIN,
    }
