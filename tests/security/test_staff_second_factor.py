"""Staff powers need the city's staff rule to be met in this session, on every page.

With a city requiring two factors for its staff, a project manager, an administrator or a
partner consultant signed in without using the second factor must be, everywhere in the city,
exactly a resident: every URL of the city (walked from the URL configuration, filled by
tests/security/matrix_city.py, so a new page joins by itself) is asked with GET and with an
empty POST by such a session, and by the same account with its role set to resident; the
answers must agree (status, where a redirect goes, the forms and links of the page: no status
form, no moderation buttons, no results before the end), except that a staff page may send the
person to set up or enter the second factor. With the second factor used, the same account
answers as staff of a city without the rule: its powers are all there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from ratusz.accounts.models import AccountSettings, Role, User
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.services import purge_city
from tests.conftest import _delete_public_accounts, force_login_with_second_factor
from tests.security.matrix_city import MatrixCity, build_matrix_city
from tests.security.urlmap import Filler, walk

CITY_URLS = walk(settings.CITY_URLCONF)
STAFF_ROLES = ("manager", "administrator", "partner")
# Where a staff page sends a staff member whose session has not met the rule.
SECOND_FACTOR_STEPS = ("/accounts/2fa/totp/activate/", "/accounts/reauthenticate/")
# Links a page may offer such a person beyond a resident's: the way to the second factor (the
# back office's home sends them to it; their account page tells them the city's rule).
WAY_TO_THE_SECOND_FACTOR = frozenset({"/admin/", *SECOND_FACTOR_STEPS})
# What a page offers: where its forms post, its links and HTMX requests lead.
_TARGETS = re.compile(r'\s(?:action|formaction|href|hx-(?:get|post|put|patch|delete))="([^"]*)"')


@dataclass(frozen=True)
class Answer:
    code: int
    location: str
    targets: frozenset[str]

    def differs_from(self, other: Answer, *, may_add: frozenset[str] = frozenset()) -> str:
        if (self.code, self.location) != (other.code, other.location):
            return f"{self.code} {self.location!r} vs {other.code} {other.location!r}"
        extra, missing = self.targets - other.targets - may_add, other.targets - self.targets
        if extra or missing:
            return f"offers also {sorted(extra)[:8]}, lacks {sorted(missing)[:8]}"
        return ""


def _answer(response: HttpResponse) -> Answer:
    body = b"" if response.streaming else response.content
    html = body.decode(errors="replace") if b"<" in body[:2000] else ""
    return Answer(
        response.status_code, response.get("Location", ""), frozenset(_TARGETS.findall(html))
    )


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> Iterator[MatrixCity]:
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        operator = User.objects.create_user(
            "operator-dwa-skladniki@ratusz.example", "correct horse battery",
            role=Role.OPERATOR, is_staff=True,
        )  # fmt: skip
        made = build_matrix_city(operator)
        try:
            yield made
        finally:
            connection.set_schema_to_public()
            purge_city(city=made.model)
            _delete_public_accounts({operator.pk})


def _paths(matrix: MatrixCity) -> list[str]:
    filler = Filler(urlconf=settings.CITY_URLCONF, values=matrix.values, by_route=matrix.by_route)
    paths = [path for route in CITY_URLS if (path := filler.path(route)) is not None]
    assert len(paths) > 150  # the walker reached every include
    return paths


def _require_two_factors(matrix: MatrixCity, required: bool) -> None:
    with city_context(matrix.ref):
        AccountSettings.objects.update(staff_two_factor_required=required)
    connection.set_schema_to_public()


def _ask(
    matrix: MatrixCity, cookies: SimpleCookie, method: str, path: str, *, as_resident: int = 0
) -> Answer:
    """One request, rolled back (an empty post changes nothing for the next), with the
    session's own cookies; `as_resident`: the account whose role is resident for it."""
    client = Client(HTTP_HOST=matrix.host, raise_request_exception=False)
    client.cookies = SimpleCookie(cookies)
    with transaction.atomic():
        if as_resident:
            with city_context(matrix.ref):
                User.objects.filter(pk=as_resident).update(role=Role.RESIDENT, is_staff=False)
            connection.set_schema_to_public()
        response = client.get(path) if method == "GET" else client.post(path)
        transaction.set_rollback(True)
    connection.set_schema_to_public()
    return _answer(response)  # type: ignore[arg-type]  # the test client's response is one


def _session(matrix: MatrixCity, user: User, *, second_factor: bool) -> SimpleCookie:
    client = Client(HTTP_HOST=matrix.host)
    with city_context(matrix.ref):
        if second_factor:
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
            )
            force_login_with_second_factor(client, user)
        else:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    connection.set_schema_to_public()
    return SimpleCookie(client.cookies)


@pytest.fixture
def quiet_requests() -> Iterator[None]:
    # Thousands of refused requests would each log a warning; a 500 shows in the answers.
    log = logging.getLogger("django.request")
    level = log.level
    log.setLevel(logging.CRITICAL)
    yield
    log.setLevel(level)


def test_without_the_second_factor_staff_are_residents_on_every_page(matrix, quiet_requests):
    paths = _paths(matrix)
    _require_two_factors(matrix, True)
    failures: list[str] = []
    try:
        for role in STAFF_ROLES:
            user = matrix.values[f"_{role}"]
            cookies = _session(matrix, user, second_factor=False)
            for method in ("GET", "POST"):
                for path in paths:
                    withheld = _ask(matrix, cookies, method, path)
                    if withheld.code in (301, 302) and withheld.location.startswith(
                        SECOND_FACTOR_STEPS
                    ):
                        continue  # a staff page: set up or enter the second factor first
                    resident = _ask(matrix, cookies, method, path, as_resident=user.pk)
                    if 429 in (withheld.code, resident.code):
                        continue  # one-time links count the attempts of the whole walk
                    difference = withheld.differs_from(resident, may_add=WAY_TO_THE_SECOND_FACTOR)
                    if difference or withheld.code >= 500:
                        failures.append(f"[{role} | {method} {path}] {difference or 'a 500'}")
    finally:
        _require_two_factors(matrix, False)
    assert not failures, (
        f"{len(failures)} answers of staff without the second factor differ from a "
        f"resident's:\n" + "\n".join(failures[:60])
    )


def test_with_the_second_factor_staff_keep_every_power(matrix, quiet_requests):
    paths = _paths(matrix)
    failures: list[str] = []
    for role in STAFF_ROLES:
        user = matrix.values[f"_{role}"]
        cookies = _session(matrix, user, second_factor=True)
        # What the account sees in a city without the rule, then in one with it.
        before = {path: _ask(matrix, cookies, "GET", path) for path in paths}
        _require_two_factors(matrix, True)
        try:
            for path in paths:
                now = _ask(matrix, cookies, "GET", path)
                if 429 in (now.code, before[path].code):
                    continue
                difference = now.differs_from(before[path])
                if difference:
                    failures.append(f"[{role} | GET {path}] {difference}")
        finally:
            _require_two_factors(matrix, False)
    assert not failures, (
        f"{len(failures)} pages answer staff who used the second factor differently from a "
        f"city without the rule:\n" + "\n".join(failures[:60])
    )
