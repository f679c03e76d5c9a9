from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ratusz.consultations.branding.selectors import site_branding

COOKIE_NOTICE_COOKIE = "ratusz_cookie_notice"


def branding(request: HttpRequest) -> dict[str, object]:
    """`branding`: the current city's look (cached per city), on every page of a city."""
    city = getattr(request, "city", None)
    if city is None:
        return {}
    default_language = str(city.default_language)
    return {
        "branding": SimpleLazyObject(lambda: site_branding(default_language=default_language)),
        "cookie_notice_dismissed": COOKIE_NOTICE_COOKIE in request.COOKIES,
    }
