"""Route each request to the control plane or to a city, and speak the city's language."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone, translation

from ratusz.accounts.models import User
from ratusz.accounts.rules import is_administrator, is_city_staff
from ratusz.accounts.selectors import is_support_account
from ratusz.tenants.context import CityRef
from ratusz.tenants.db import connection
from ratusz.tenants.links import city_url
from ratusz.tenants.models import CityStatus
from ratusz.tenants.routing import resolve_host
from ratusz.tenants.services import redirect_target

Handler = Callable[[HttpRequest], HttpResponse]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _host_of(request: HttpRequest) -> str | None:
    try:
        return request.get_host()
    except DisallowedHost:
        return None


class CityRoutingMiddleware:
    """Selects the city's schema and URLs from the Host header, whatever the city's state.

    Whether the city's state lets this request through is decided later, by
    `CityLifecycleMiddleware`, once the session and the signed-in person are known: a
    suspended city's administrators still sign in and pay.

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
            return self._unknown(request, host)
        if route.kind == "control":
            request.city = None  # type: ignore[attr-defined]  # set on every request here
            request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]  # Django reads it
            return self.get_response(request)

        city = route.city
        assert city is not None
        # An archived portal is read-only: its banner says so, the lifecycle gate refuses changes.
        read_only = city.status == CityStatus.ARCHIVED
        request.city_read_only = read_only  # type: ignore[attr-defined]  # read by the banner
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
        target = redirect_target(host)
        if target is None:
            return None
        return HttpResponsePermanentRedirect(city_url(target, request.get_full_path()))

    def _unknown(self, request: HttpRequest, host: str | None) -> HttpResponse:
        # This answer comes before the session and authentication middleware, but the page's
        # context processors ask who is signed in: on a host we do not serve, nobody is.
        request.user = AnonymousUser()
        request.city = None  # type: ignore[attr-defined]  # no city answers on this host
        with translation.override(translation.get_language_from_request(request)):
            return render(request, "errors/unknown_host.html", {"host": host}, status=404)


# What works before a new portal opens to the public: its staff set it up and sign in.
OPEN_BEFORE_OPENING = (
    "/admin/",
    "/accounts/",
    "/welcome/",
    "/static/",
    "/media/",
    "/i18n/",
    "/invitation/",
)
# The operators' support entry (ratusz.platform.urls_city): open in every state, a support visit
# is meant to work in each (to help a portal before it opens, a suspended, archived or deleted
# one); entering is a post, which the read-only gate would otherwise refuse.
SUPPORT_ENTRY_PATH = "/support/"
# Open on a suspended portal: everyone's own account (signing in and out, their data), and
# choosing a language.
OPEN_WHEN_SUSPENDED = ("/accounts/", "/static/", "/i18n/")
# ...but nobody opens a new account on a portal that is not open to residents: not before it
# opens, not suspended, not archived (see `sign_up_open`).
SIGN_UP_PATH = "/accounts/signup/"
# Where a suspended city's administrators pay to reopen it (billing's pages, mounted by
# ratusz.urls_city; named by path so that this base layer does not import billing).
BILLING_PATH = "/admin/billing/"
# Open on a soft-deleted portal: only the operators' support entry (see `_closure`; the support
# visit's own account then passes).
OPEN_WHEN_DELETED = ("/static/",)
# Posts that stay open on an archived, read-only portal: those that change only the visitor's
# own browser (language, cookie notice), and those on a person's own account that let them in
# and out and take it with them or away: signing in (with a code, a second factor, a confirmed
# address, the policies to accept), signing out, recovering and securing their password and
# second factor, downloading their data, deleting their account. Nothing else: not signing up,
# not editing a profile or an address, no participation.
READ_ONLY_OPEN_POSTS = (
    "/i18n/setlang/",
    "/cookie-notice/dismiss/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/confirm-email/",
    "/accounts/password/",
    "/accounts/consent/",
    "/accounts/data/",
    "/accounts/delete/",
)


@dataclass(frozen=True)
class Closure:
    """Why a city's state turns a request away: the page to show and its status code."""

    template: str
    status: int


DELETED = Closure("errors/city_deleted.html", 410)
SUSPENDED = Closure("errors/city_suspended.html", 503)
COMING_SOON = Closure("errors/city_coming_soon.html", 503)
READ_ONLY = Closure("errors/city_read_only.html", 403)


def sign_up_open(city: CityRef) -> bool:
    """Whether residents may create an account: only on a portal open to them (opened, in
    trial or active, not deleted). The gate refuses sign-up everywhere else, and pages offer
    it only here (`city_sign_up_open` in templates, ratusz.tenants.context_processors)."""
    return (
        city.is_open
        and not city.is_deleted
        and city.status in (CityStatus.TRIAL, CityStatus.ACTIVE)
    )


def _on_support_visit(user: object) -> bool:
    return isinstance(user, User) and is_administrator(user) and is_support_account(user)


def _closure(city: CityRef, request: HttpRequest) -> Closure | None:
    """The one rule of what a city's lifecycle state lets through (None: the request goes on).

    An operator's support visit (a temporary account made by ratusz.tenants.support) passes
    every closed state, so that operators can help a suspended or deleted city; the entry that
    starts it is open in every state.
    """
    path = request.path
    if path.startswith(SUPPORT_ENTRY_PATH):
        return None
    user = request.user
    support_visit = _on_support_visit(user)
    if city.is_deleted:
        return None if support_visit or path.startswith(OPEN_WHEN_DELETED) else DELETED
    signing_up = path.startswith(SIGN_UP_PATH) and not sign_up_open(city)
    if city.status == CityStatus.SUSPENDED:
        if support_visit:
            return None
        if path.startswith(OPEN_WHEN_SUSPENDED) and not signing_up:
            return None
        if path.startswith(BILLING_PATH) and is_administrator(user):
            return None
        return SUSPENDED
    if not city.is_open and (signing_up or not path.startswith(OPEN_BEFORE_OPENING)):
        # Staff preview the portal before it opens; residents see "coming soon" (their staff
        # join by invitation, the administrator signs in).
        return None if is_city_staff(user) else COMING_SOON
    if city.status == CityStatus.ARCHIVED and (
        signing_up
        or (request.method not in SAFE_METHODS and not path.startswith(READ_ONLY_OPEN_POSTS))
    ):
        # An archived portal stays readable for everyone, its residents keep their accounts
        # (in, out, their data, leaving), and nobody can change anything else.
        return READ_ONLY
    return None


class CityLifecycleMiddleware:
    """Answers for the city's lifecycle state: deleted, suspended, not open yet, archived.

    Put it after the authentication middleware: who is asking matters (a suspended city's
    administrators reach billing, staff preview a portal before it opens).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        city: CityRef | None = getattr(request, "city", None)
        closure = None if city is None else _closure(city, request)
        if closure is None:
            return self.get_response(request)
        assert city is not None
        context = {
            "city": city,
            "is_administrator": is_administrator(request.user),
            "billing_path": BILLING_PATH,
            # This page is what residents meet: not the notice that tells those let in about it
            # (ratusz.tenants.announcements.city_notices).
            "city_closed": "",
        }
        # In the city's default language, whatever the visitor chose: the portal is shut,
        # and this is the city's own word to its residents.
        with translation.override(city.default_language):
            response = render(request, closure.template, context, status=closure.status)
        response["Content-Language"] = city.default_language
        if closure.status == 503:
            response["Retry-After"] = "3600"
        # Never kept by a browser or a proxy: the page must go as soon as the city reopens.
        response["Cache-Control"] = "no-store"
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
