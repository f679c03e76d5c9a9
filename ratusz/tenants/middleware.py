"""Route each request to the control plane or to a city, and speak the city's language."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone, translation

from ratusz.tenants.context import CityRef
from ratusz.tenants.db import connection
from ratusz.tenants.models import CityStatus
from ratusz.tenants.routing import resolve_host

Handler = Callable[[HttpRequest], HttpResponse]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _host_of(request: HttpRequest) -> str | None:
    try:
        return request.get_host()
    except DisallowedHost:
        return None


# What works before a new portal opens to the public: its staff set it up and sign in.
OPEN_BEFORE_OPENING = (
    "/admin/",
    "/accounts/",
    "/welcome/",
    "/support/",
    "/static/",
    "/media/",
    "/i18n/",
    "/invitation/",
)
# Posts that change only the visitor's own browser (language, cookie notice, signing out) and
# so stay open on an archived, read-only portal.
BROWSER_ONLY_POSTS = ("/i18n/setlang/", "/cookie-notice/dismiss/", "/accounts/logout/")


class CityRoutingMiddleware:
    """Selects the city's schema and URLs from the Host header.

    The search path is only *declared* here; the database backend sets it once, lazily, on the
    first query of the request. Whatever happens in the view, the connection is handed back
    pointing at the public schema.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        connection.set_schema_to_public()
        host = _host_of(request)
        route = resolve_host(host) if host else None
        if route is None or route.kind == "unknown":
            moved = self._renamed(request, host) if host else None
            if moved is not None:
                return moved
            with translation.override(translation.get_language_from_request(request)):
                return render(request, "errors/unknown_host.html", {"host": host}, status=404)
        if route.kind == "control":
            request.city = None  # type: ignore[attr-defined]  # set on every request here
            request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]  # Django reads it
            return self.get_response(request)

        city = route.city
        assert city is not None
        if city.status == CityStatus.SUSPENDED:
            return self._unavailable(request, city, "errors/city_suspended.html", 503)
        if not city.is_open and not request.path.startswith(OPEN_BEFORE_OPENING):
            return self._unavailable(request, city, "errors/city_coming_soon.html", 503)
        archived = city.status == CityStatus.ARCHIVED
        # An archived portal stays readable for everyone, and nobody can change anything.
        if (
            archived
            and request.method not in SAFE_METHODS
            and not request.path.startswith(BROWSER_ONLY_POSTS)
        ):
            return self._unavailable(request, city, "errors/city_read_only.html", 403)
        request.city_read_only = archived  # type: ignore[attr-defined]  # read by the banner
        request.city = city  # type: ignore[attr-defined]
        request.tenant = city  # type: ignore[attr-defined]  # what django-tenants' helpers read
        request.urlconf = settings.CITY_URLCONF  # type: ignore[attr-defined]  # as above
        connection.set_tenant(city)
        try:
            return self.get_response(request)
        finally:
            connection.set_schema_to_public()

    def _renamed(self, request: HttpRequest, host: str) -> HttpResponse | None:
        """A city's old subdomain (before a rename) sends visitors to the new one for good."""
        from ratusz.tenants.links import city_url
        from ratusz.tenants.services import redirect_target

        target = redirect_target(host)
        if target is None:
            return None
        return HttpResponsePermanentRedirect(city_url(target, request.get_full_path()))

    def _unavailable(
        self, request: HttpRequest, city: CityRef, template: str, status: int
    ) -> HttpResponse:
        with translation.override(city.default_language):
            response = render(request, template, {"city": city}, status=status)
            response["Content-Language"] = city.default_language
        if status == 503:
            response["Retry-After"] = "3600"
        return response


class CityLocaleMiddleware:
    """A city portal speaks the city's default language unless the visitor picked another of
    the city's languages, and shows times in the city's time zone; the control plane follows
    the browser (and the default time zone)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        city: CityRef | None = getattr(request, "city", None)
        if city is not None:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in city.languages else city.default_language
        else:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        if city is not None:
            timezone.activate(zoneinfo.ZoneInfo(city.time_zone))
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        response.setdefault("Content-Language", language)
        vary = response.get("Vary")
        response["Vary"] = (
            f"{vary}, Cookie" if vary and "Cookie" not in vary else (vary or "Cookie")
        )
        translation.deactivate()
        return response
