"""State × role × URL: every URL of a city, for every kind of person, in every city state.

Every URL pattern of `ratusz.urls_city` (walked recursively, so a new URL joins by itself) is
requested with GET and with an empty POST by an anonymous visitor, a resident, a project
manager, an administrator, a partner consultant and an operator on a support visit, while
the city is not yet confirmed, in trial, with its trial ended, active, past due, suspended,
archived and soft-deleted. No answer may be a 500, and each must be what the state means for
that person and that kind of URL (see `expected`). The control plane's URLs are tried the same
way for its roles. Every request is rolled back, so empty posts change nothing for the next.

A URL whose path parameters cannot be filled fails `test_every_url_is_filled` until it is
filled (tests/security/matrix_city.py) or listed in UNFILLABLE with a reason.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import resolve

from ratusz.accounts.models import Role, User
from ratusz.onboarding import services as onboarding
from ratusz.tenants.db import connection
from ratusz.tenants.services import provision_city, purge_city
from tests.conftest import _delete_public_accounts
from tests.security.matrix_city import (
    PLACEHOLDERS,
    ROLES,
    STATES,
    MatrixCity,
    build_matrix_city,
    put_in_state,
)
from tests.security.urlmap import Filler, walk

CITY_URLS = walk(settings.CITY_URLCONF)
CONTROL_URLS = walk(settings.ROOT_URLCONF)

# City URLs the matrix cannot fill, and why ("name /pattern": reason). Empty on purpose: a
# new URL with a new kind of parameter fails test_every_url_is_filled until it is filled in
# tests/security/matrix_city.py or listed here.
UNFILLABLE: dict[str, str] = {}

# What a view may answer when the city's state lets the request through: anything but a
# server error, and not the state pages (their codes are the state's own).
VIEW = frozenset({200, 301, 302, 303, 400, 403, 404, 405, 409, 429})
STAFF = frozenset({"manager", "administrator", "partner", "support"})
# Paths that change only the visitor's browser: open on an archived (read-only) portal.
BROWSER_ONLY_POSTS = ("/i18n/setlang/", "/cookie-notice/dismiss/")
# Every URL of a person's account, by what it does (a new one fails
# test_every_account_url_is_classified until it is listed here):
# - "own": lets the person in or out, keeps their access safe, takes their data out or their
#   account away. An archived, read-only portal keeps it open: it answers as when active.
# - "sign-up": makes a new account. Only a portal open to residents has it (trial, active);
#   before opening, suspended or archived it is the state's page, and no page offers it.
# - "changes": changes what the portal holds (a profile, an address, the city's rules); refused
#   on a read-only portal like every other post.
# - "page": a page that takes no posts; its posts are refused there like any other.
ACCOUNT_URLS = {
    "account_login": "own",
    "account_confirm_login_code": "own",
    "mfa_authenticate": "own",
    "account_logout": "own",
    "account_reset_password": "own",
    "account_reset_password_done": "own",
    "account_reset_password_from_key": "own",
    "account_reset_password_from_key_done": "own",
    "account_change_password": "own",
    "account_set_password": "own",
    "account_confirm_email": "own",
    "account_email_verification_sent": "own",
    "account_reauthenticate": "own",
    "account_request_reauthentication_code": "own",
    "account_confirm_reauthentication_code": "own",
    "mfa_index": "own",
    "mfa_reauthenticate": "own",
    "mfa_activate_totp": "own",
    "mfa_deactivate_totp": "own",
    "mfa_view_recovery_codes": "own",
    "mfa_generate_recovery_codes": "own",
    "mfa_download_recovery_codes": "own",
    "accounts:consent": "own",
    "accounts:data": "own",
    "accounts:delete": "own",
    "account_signup": "sign-up",
    "account_email": "changes",
    "accounts:overview": "changes",
    "accounts:city-rules": "changes",
    "account_inactive": "page",
}
SIGN_UP_LINK = 'href="/accounts/signup/'
# Open before the portal opens to residents (its staff set it up, people sign in).
OPEN_BEFORE_OPENING = (
    "/admin/",
    "/accounts/",
    "/welcome/",
    "/i18n/",
    "/invitation/",
    "/media/",
)

SUSPENDED_TEXT = "Ten portal jest chwilowo niedostępny"
DELETED_TEXT = "Ten portal został zamknięty"
COMING_SOON_TEXT = "Ten portal wkrótce zostanie otwarty"
READ_ONLY_TEXT = "Ten portal jest archiwum tylko do odczytu"
READ_ONLY_BANNER = "Archiwum tylko do odczytu."


def url_class(path: str) -> str:
    if path.startswith("/admin/billing/"):
        return "billing"
    if path.startswith(("/admin/", "/welcome/partner-access/")):
        return "back office"
    if path.startswith("/support/"):
        return "support entry"
    if path.startswith(("/accounts/", "/i18n/")):
        return "account"
    if path.startswith(("/welcome/", "/invitation/")):
        return "token link"
    return "portal"


@functools.cache
def account_kind(path: str) -> str:
    """What an account URL does (ACCOUNT_URLS), "" for any other URL."""
    if not path.startswith("/accounts/"):
        return ""
    return ACCOUNT_URLS.get(resolve(path, urlconf=settings.CITY_URLCONF).view_name, "unlisted")


def expected(state: str, role: str, path: str, method: str) -> tuple[frozenset[int], str]:
    """The codes allowed for this cell, and a text the page must hold ("" for none)."""
    kind = url_class(path)
    signing_up = account_kind(path) == "sign-up"
    # A one-time link that is not (or no longer) valid is gone: its page says so with 410.
    view = VIEW | {410} if kind == "token link" else VIEW
    if kind == "support entry":
        # Open in every state, archived (a post) included: a support visit works in each.
        return view, ""
    if state == "deleted":
        if role == "support":
            return view, ""
        return frozenset({410}), DELETED_TEXT
    if state == "suspended":
        if role == "support":
            return view, ""
        if kind == "account" and not signing_up:
            return view, ""
        if kind == "billing" and role == "administrator":
            return view, ""
        return frozenset({503}), SUSPENDED_TEXT
    if state == "not confirmed":
        # Staff preview the portal (signed in, sign-up sends them on); residents cannot sign
        # up before it opens.
        if role in STAFF or (path.startswith(OPEN_BEFORE_OPENING) and not signing_up):
            return view, ""
        return frozenset({503}), COMING_SOON_TEXT
    if state == "archived" and signing_up:
        return frozenset({403}), READ_ONLY_TEXT
    if (
        state == "archived"
        and method == "POST"
        and not path.startswith(BROWSER_ONLY_POSTS)
        and account_kind(path) != "own"
    ):
        return frozenset({403}), READ_ONLY_TEXT
    if state == "trial ended" and kind == "back office" and path.startswith("/admin/"):
        return frozenset({302}), ""  # to billing, checked below
    return view, ""


# --- The city -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> Iterator[MatrixCity]:
    """One committed city for the whole module, purged afterwards."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        operator = User.objects.create_user(
            "operator-macierz@ratusz.example", "correct horse battery", role=Role.OPERATOR,
            is_staff=True,
        )  # fmt: skip
        made = build_matrix_city(operator)
        try:
            yield made
        finally:
            connection.set_schema_to_public()
            purge_city(city=made.model)
            _delete_public_accounts({operator.pk})


@pytest.fixture
def filler() -> Filler:
    return Filler(urlconf=settings.CITY_URLCONF)


def _filler(matrix: MatrixCity) -> Filler:
    return Filler(urlconf=settings.CITY_URLCONF, values=matrix.values, by_route=matrix.by_route)


def _request(client: Client, cookies: SimpleCookie, method: str, path: str) -> HttpResponse:
    """One request, rolled back afterwards (an empty post must change nothing for the next
    cell), with the role's own cookies (signing out must not sign the role out)."""
    client.cookies = SimpleCookie(cookies)
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path)
        transaction.set_rollback(True)
    connection.set_schema_to_public()
    return response  # type: ignore[return-value]  # the test client's response is one


def _describe(response: HttpResponse) -> str:
    info = getattr(response, "exc_info", None)
    if info:
        return f"{info[0].__name__}: {info[1]}"
    return response.content.decode(errors="replace")[:200].replace("\n", " ")


def test_every_url_is_filled(matrix):
    filler = _filler(matrix)
    unfillable = {
        str(route): filler.missing(route) for route in CITY_URLS if filler.path(route) is None
    }
    assert set(unfillable) == set(UNFILLABLE), (
        f"fill these URLs in tests/security/matrix_city.py or list them in UNFILLABLE with a "
        f"reason: {unfillable}"
    )
    # Every placeholder is named with its reason.
    used = {param for route in CITY_URLS for param in route.params}
    assert {name.split(" ")[0] for name in PLACEHOLDERS} <= used


def test_every_account_url_is_classified():
    """A new URL of a person's account must say whether a read-only portal keeps it open."""
    names = {route.name for route in CITY_URLS if route.pattern.startswith("accounts/")}
    assert names == set(ACCOUNT_URLS), (
        f"classify in ACCOUNT_URLS: {sorted(names - set(ACCOUNT_URLS))}; "
        f"gone: {sorted(set(ACCOUNT_URLS) - names)}"
    )


def test_the_walker_finds_every_kind_of_city_url():
    """New URLs join by themselves: the walker reaches into every include."""
    names = {route.name for route in CITY_URLS}
    for expected_name in (
        "home",
        "billing:overview",
        "backoffice:home",
        "onboarding_city:partner-access",
        "onboarding_city:sign-in",
        "support:enter",
        "account_login",
        "surveys:answer",
        "voting:submit",
        "events:detail",
    ):
        assert expected_name in names
    assert len(CITY_URLS) > 150


# The full product (every URL × every role × both methods in every state) is ~19,000
# requests: ~15 minutes on a busy two-core machine. By default the matrix runs a covering
# design instead: every URL with both methods in every state (one role per cell, rotated so
# that every role meets every URL and method across the states, and the archived portal is
# asked by the same role as the active one), plus every role × method × state on one URL of
# each kind (where the states' rules differ by role). RATUSZ_MATRIX=full runs the full product.
FULL = os.environ.get("RATUSZ_MATRIX") == "full"
METHODS = ("GET", "POST")
# The role asked first for each URL in each state (offset into ROLES); active and archived
# share theirs (an archived portal answers as it did when active), and together the offsets
# cover every role.
OFFSETS = {
    "not confirmed": 0,
    "trial": 1,
    "trial ended": 2,
    "active": 3,
    "past due": 4,
    "suspended": 5,
    "archived": 3,
    "deleted": 0,
}
assert set(OFFSETS) == set(STATES) and set(OFFSETS.values()) == set(range(len(ROLES)))
# One URL of each kind, asked by every role in every state.
REPRESENTATIVES = (
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/data/",
    "/admin/",
    "/admin/billing/",
    "/welcome/partner-access/",
    "/support/enter/nie-ma-takiego-klucza/",
    "/invitation/nie-ma-takiego-klucza/",
)


def _cells(matrix: MatrixCity, state: str) -> list[tuple[str, str, str]]:
    """(role, method, path) to ask in `state`."""
    filler = _filler(matrix)
    paths = [path for route in CITY_URLS if (path := filler.path(route)) is not None]
    if FULL:
        return [(role, method, path) for path in paths for role in ROLES for method in METHODS]
    cells = {
        (ROLES[(number + OFFSETS[state] + METHODS.index(method)) % len(ROLES)], method, path)
        for number, path in enumerate(paths)
        for method in METHODS
    }
    cells |= {
        (role, method, path) for path in REPRESENTATIVES for role in ROLES for method in METHODS
    }
    return sorted(cells, key=lambda cell: (cell[2], cell[0], cell[1]))


def test_the_covering_design_meets_every_role_on_every_url_and_method(matrix):
    """Across the states, the default matrix asks every URL with every method as every role."""
    met = {(role, method, path) for state in STATES for role, method, path in _cells(matrix, state)}
    filler = _filler(matrix)
    paths = {filler.path(route) for route in CITY_URLS} - {None}
    assert met == {(role, method, path) for path in paths for role in ROLES for method in METHODS}
    assert set(REPRESENTATIVES) <= paths


# Answers by (state, role, method, path), kept across the states of one run: an archived
# portal must answer as it did when active (the states run in STATES' order).
_answers: dict[tuple[str, str, str, str], int] = {}


@pytest.mark.parametrize("state", STATES)
def test_state_role_url_matrix(matrix, state, capsys):
    cells = _cells(matrix, state)
    cookies = {role: SimpleCookie(client.cookies) for role, client in matrix.clients.items()}
    failures: list[str] = []
    began = time.monotonic()
    put_in_state(matrix, state)
    # Refused requests are logged as warnings (4xx) and errors (503); thousands of them
    # would only slow the walk down. A 500 is reported below with its exception.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        for role, method, path in cells:
            response = _request(matrix.clients[role], cookies[role], method, path)
            failures.extend(_check(state, role, method, path, response))
    finally:
        request_log.setLevel(level)
    with capsys.disabled():  # the matrix's size and time, in the test run's output
        sys.stdout.write(
            f"\nstate matrix ({'full' if FULL else 'covering'}), {state}: {len(cells)} requests "
            f"in {time.monotonic() - began:.1f} s\n"
        )
    assert not failures, f"{len(failures)} cells answered wrongly:\n" + "\n".join(failures[:80])


def _check(state: str, role: str, method: str, path: str, response: HttpResponse) -> list[str]:
    code = response.status_code
    _answers[(state, role, method, path)] = code
    allowed, text = expected(state, role, path, method)
    where = f"[{state} | {role} | {method} {path}] {code}"
    if code not in allowed:
        detail = _describe(response) if code >= 500 else f"expected one of {sorted(allowed)}"
        return [f"{where}: {detail}"]
    if text and text not in response.content.decode():
        return [f"{where}: the page does not say {text!r}"]
    return _specific(state, role, method, path, response, _answers)


def _specific(
    state: str,
    role: str,
    method: str,
    path: str,
    response: HttpResponse,
    answers: dict[tuple[str, str, str, str], int],
) -> list[str]:
    """What each state promises beyond its codes, on the pages that show it."""
    where = f"[{state} | {role} | {method} {path}]"
    code = response.status_code
    found: list[str] = []
    own = account_kind(path) == "own" or url_class(path) == "support entry"
    if state == "archived" and (method == "GET" or own):
        # Read-only, and otherwise the same portal: each page, each post on a person's own
        # account, and the operators' support entry answer as when active...
        active = answers.get(("active", role, method, path))
        # (429: one-time links count the attempts of the whole walk, whatever the state.)
        signing_up = account_kind(path) == "sign-up"  # refused there, offered when active
        if active is not None and code != active and 429 not in (code, active) and not signing_up:
            found.append(f"{where} {code}, but {active} when the city was active")
    if method != "GET":
        return found
    page = response.content.decode() if code == 200 else ""
    if state in ("trial", "active") and role == "anonymous" and path == "/":
        if SIGN_UP_LINK not in page:
            found.append(f"{where}: a portal open to residents offers to create an account")
    elif state not in ("trial", "trial ended", "active", "past due") and SIGN_UP_LINK in page:
        found.append(f"{where}: offers to create an account, which the portal refuses")
    reaches_billing = state != "deleted" and role == "administrator"
    if path == "/admin/billing/" and reaches_billing and code != 200:
        found.append(f"{where} {code}: the administrator must reach billing")
    back_office = url_class(path) == "back office" and path.startswith("/admin/")
    if state == "trial ended" and back_office and response.get("Location") != "/admin/billing/":
        found.append(f"{where}: sent to {response.get('Location')}, not to billing")
    if state == "not confirmed" and path == "/" and role in STAFF and code != 200:
        found.append(f"{where} {code}: staff preview the portal before it opens")
    if state == "archived" and "<body" in page and READ_ONLY_BANNER not in page:
        # ...with the banner on its pages.
        found.append(f"{where}: no read-only banner")
    if state in ("trial", "active", "past due") and path.startswith("/admin/") and code != 405:
        # (405: a page that only takes posts says so before asking who is there.)
        to_sign_in = code == 302 and "/accounts/login/" in response.get("Location", "")
        if role == "anonymous" and not to_sign_in:
            found.append(f"{where} {code}: a visitor must be sent to sign in")
        if role == "resident" and code not in (403, 404):
            found.append(f"{where} {code}: a resident must be refused")
    return found


def test_every_city_url_on_an_unknown_or_removed_host_is_the_friendly_page(matrix):
    """No city answers there: every URL a city has, asked by anyone, gets the 404 page."""
    made = provision_city(
        name="Usunięte", slug="usuniete-macierz", admin_email="a@usuniete.example"
    )
    gone = made.ref.primary_domain
    purge_city(city=made.city)
    filler = _filler(matrix)
    paths = [path for route in CITY_URLS if (path := filler.path(route)) is not None]
    failures = []
    for host in (f"nikogo-tu-nie-ma.{settings.BASE_DOMAIN}", gone):
        client = Client(HTTP_HOST=host, raise_request_exception=False)
        for path in paths:
            for method in METHODS:
                response = _request(client, SimpleCookie(), method, path)
                page = response.content.decode(errors="replace")
                if response.status_code != 404 or "There is no consultation portal" not in page:
                    failures.append(f"[{host} {method} {path}] {response.status_code}")
    assert not failures, "\n".join(failures[:40])


# --- The control plane ---------------------------------------------------------------------------

CONTROL_ROLES = ("anonymous", "partner", "operator without 2FA", "operator with 2FA")


@pytest.fixture(scope="module")
def control(matrix, django_db_blocker) -> Iterator[dict[str, Any]]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        made: list[int] = []
        organisation = onboarding.create_partner_organisation(name="Macierz Konsultanci")
        issued = onboarding.invite_partner(
            organisation=organisation, email="partner@macierz.example", invited_by=None
        )
        partner = onboarding.accept_partner_invitation(
            token=issued.token, full_name="Partnerka", password="correct horse battery"
        )
        plain = User.objects.create_user(
            "op-bez@ratusz.example", "correct horse battery", role=Role.OPERATOR, is_staff=True
        )
        with_two = User.objects.create_user(
            "op-z@ratusz.example", "correct horse battery", role=Role.OPERATOR, is_staff=True
        )
        made += [partner.pk, plain.pk, with_two.pk]
        secret = generate_totp_secret()
        TOTP.activate(with_two, secret)
        clients = {
            role: Client(HTTP_HOST=settings.BASE_DOMAIN, raise_request_exception=False)
            for role in CONTROL_ROLES
        }
        clients["partner"].force_login(partner, backend="django.contrib.auth.backends.ModelBackend")
        clients["operator without 2FA"].force_login(
            plain, backend="django.contrib.auth.backends.ModelBackend"
        )
        # Through the sign-in form and the authenticator code, as an operator signs in.
        two = clients["operator with 2FA"]
        two.post("/accounts/login/", {"login": with_two.email, "password": "correct horse battery"})
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        two.post("/accounts/2fa/authenticate/", {"code": code})
        try:
            yield {
                "clients": clients,
                "values": {
                    "slug": matrix.model.slug,
                    "city_id": matrix.ref.id,
                    "pk": organisation.pk,
                    "domain_id": matrix.values["domain_id"],
                    "row_id": 2_147_483_000,
                    "code": "nie-ma-takiego-szablonu",
                    "action": "suspend",
                    "token": "nie-ma-takiego-klucza",
                    "key": "nie-ma-takiego-klucza",
                    "uidb36": "zz",
                },
            }
        finally:
            connection.set_schema_to_public()
            Authenticator.objects.filter(user_id__in=made).delete()
            _delete_public_accounts(set(made))
            organisation.delete()


def test_control_plane_url_matrix(control, matrix):
    put_in_state(matrix, "active")
    filler = Filler(urlconf=settings.ROOT_URLCONF, values=control["values"])
    unfillable = [str(route) for route in CONTROL_URLS if filler.path(route) is None]
    assert not unfillable
    failures = []
    for role in CONTROL_ROLES:
        client = control["clients"][role]
        cookies = SimpleCookie(client.cookies)
        for route in CONTROL_URLS:
            path = filler.path(route)
            assert path is not None
            for method in ("GET", "POST"):
                response = _request(client, cookies, method, path)
                code = response.status_code
                where = f"[{role} | {method} {path}] {code}"
                # A one-time link that is not (or no longer) valid is gone: 410.
                token_link = {"token", "key"} & set(route.params)
                if code not in (VIEW | {410} if token_link else VIEW):
                    failures.append(f"{where}: {_describe(response)}")
                elif path.startswith("/console/") and method == "GET":
                    if role == "anonymous" and code != 302:
                        failures.append(f"{where}: a visitor must be sent to sign in")
                    if role == "partner" and code not in (403, 404):
                        failures.append(f"{where}: a partner must be refused")
                    if role == "operator without 2FA" and code not in (302, 404):
                        failures.append(f"{where}: two factors must be set up first")
    console = control["clients"]["operator with 2FA"]
    console.cookies = SimpleCookie(console.cookies)
    assert console.get("/console/").status_code == 200
    assert not failures, "\n".join(failures[:80])
