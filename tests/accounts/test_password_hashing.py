"""Every password door costs exactly one password hash per attempt, whatever the outcome.

A hash is the expensive part of a sign-in (tens of milliseconds by design); a second one doubles
the cost, and a path that skips it (an unknown address, a taken address at sign-up) answers
faster and tells an attacker which addresses have accounts. The configured hasher is wrapped by
a subclass that counts what it computes; the doors are the real pages over Django's test client.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import (
    MD5PasswordHasher,
    check_password,
    get_hasher,
    identify_hasher,
)
from django.test import Client

from ratusz.accounts.hashers import Argon2idPasswordHasher
from ratusz.accounts.models import User
from ratusz.onboarding import services as onboarding_services
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from tests.accounts.conftest import PASSWORD, account, signup_data
from tests.onboarding.conftest import make_partner
from tests.security.door_accounts import signed_in_as

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """The test settings' hasher, counting its computations. Checking a password computes the
    hash through `encode` as well, so every hash passes here once."""

    computed: list[str] = []  # one shared record, reset by the fixture

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.computed.append(password)
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings) -> list[str]:
    assert django_settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.computed = []
    return CountingHasher.computed


def hashes_of(hashes: list[str], request: Callable[[], None]) -> int:
    """Hashes computed while `request()` ran."""
    before = len(hashes)
    request()
    return len(hashes) - before


def post_sign_in(client: Client, path: str, email: str, password: str) -> None:
    response = client.post(path, {"login": email, "password": password})
    assert response.status_code in (200, 302), response.status_code


def sign_in_hashes(hashes: list[str], client: Client, path: str, email: str, password: str) -> int:
    return hashes_of(hashes, lambda: post_sign_in(client, path, email, password))


@pytest.fixture
def city_resident(city) -> User:
    with city_context(city.ref):
        return User.objects.create_user("ola@example.com", PASSWORD, full_name="Ola")


@pytest.fixture
def console_operator(db) -> User:
    connection.set_schema_to_public()
    return User.objects.create_user("op@ratusz.example", PASSWORD, role="operator", is_staff=True)


@pytest.fixture
def partner_account(db) -> User:
    connection.set_schema_to_public()
    organisation = onboarding_services.create_partner_organisation(name="Konsultanci")
    return make_partner(organisation, "konsultant@partner.example")


ATTEMPTS = pytest.mark.parametrize(
    ("password", "email"),
    [(PASSWORD, None), ("wrong-password-1", None), (PASSWORD, "nobody@example.com")],
    ids=["right-password", "wrong-password", "unknown-account"],
)


@ATTEMPTS
def test_a_city_sign_in_costs_one_hash(city, city_resident, hashes, password, email):
    login = email or city_resident.email
    assert sign_in_hashes(hashes, city.client(), "/accounts/login/", login, password) == 1


@ATTEMPTS
def test_the_console_sign_in_costs_one_hash(
    control_client, console_operator, hashes, password, email
):
    login = email or console_operator.email
    assert sign_in_hashes(hashes, control_client, "/accounts/login/", login, password) == 1


@ATTEMPTS
def test_the_partner_sign_in_costs_one_hash(
    control_client, partner_account, hashes, password, email
):
    login = email or partner_account.email
    assert sign_in_hashes(hashes, control_client, "/partners/sign-in/", login, password) == 1


def test_a_right_password_signs_in_and_a_wrong_one_does_not(city, city_resident, hashes):
    """The single check still decides: the counts above are not bought by skipping it."""
    right, wrong = city.client(), city.client()
    assert (
        right.post(
            "/accounts/login/", {"login": city_resident.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    assert (
        wrong.post(
            "/accounts/login/", {"login": city_resident.email, "password": "nope-nope-1"}
        ).status_code
        == 200
    )
    assert signed_in_as(right, city) == city_resident.pk
    assert signed_in_as(wrong, city) is None


def test_an_inactive_account_still_gets_allauths_inactive_page(city, city_resident, hashes):
    with city_context(city.ref):
        User.objects.filter(pk=city_resident.pk).update(is_active=False)
    client = city.client()
    count = hashes_of(
        hashes,
        lambda: post_sign_in(client, "/accounts/login/", city_resident.email, PASSWORD),
    )
    assert count == 1
    response = client.post("/accounts/login/", {"login": city_resident.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/inactive/"


@pytest.mark.parametrize("taken", [False, True], ids=["new-address", "taken-address"])
def test_a_sign_up_costs_one_hash(city, city_resident, hashes, committed, taken):
    client = city.client()
    email = city_resident.email if taken else "nowa@example.com"

    def sign_up() -> None:
        with committed():
            response = client.post("/accounts/signup/", signup_data(email=email))
        assert response.status_code == 302, response.content.decode()[:500]
        assert response["Location"] == "/accounts/confirm-email/"

    assert hashes_of(hashes, sign_up) == 1
    assert account(city, email) is not None


def test_production_hashes_with_argon2id_at_owasps_parameters(settings):
    settings.PASSWORD_HASHERS = [
        "ratusz.accounts.hashers.Argon2idPasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    encoded = get_hasher("default").encode("zielone jablko", "c2FsdHNhbHRzYWx0")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert isinstance(identify_hasher(encoded), Argon2idPasswordHasher)
    # Accounts hashed before keep signing in, and their hash moves to Argon2id when they do.
    old = get_hasher("pbkdf2_sha256").encode("zielone jablko", "c2FsdHNhbHRzYWx0")
    rehashed: list[str] = []
    assert check_password("zielone jablko", old, setter=lambda raw: rehashed.append(raw))
    assert rehashed == ["zielone jablko"]
    assert not check_password("zielone jablka", old)
