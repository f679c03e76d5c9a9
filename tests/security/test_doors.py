"""The doors (ARCHITECTURE.md §10): every view through which a person becomes signed in.

1. The inventory: every view of both planes that can sign a person in (found by reading the
   code, tests/security/inventory.py) is declared in ratusz.accounts.doors, and every declared
   door is routed.
2. For every declared door, generated from that list: an account that has a second factor, or
   must have one (operators; staff of a city that requires it), is not let into the console or
   the back office through the door without the second factor.
3. For every declared door that can sign in: too many wrong attempts are refused, even when the
   next one is right; a door that could sign in only with a setting turned on has it off.

A door added to the list without a way in for these tests fails them: write its case below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils.module_loading import import_string

from ratusz.accounts.doors import DOORS, Door, Kind
from ratusz.accounts.models import Role, User
from ratusz.accounts.services import (
    accept_invitation,
    create_invitation,
    set_staff_two_factor_required,
)
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.models import LinkPurpose
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.models import SupportGrant
from ratusz.tenants.support import WRONG_CODES_PER_LINK, grant_support_access
from tests.security.door_accounts import (
    PASSWORD,
    enter_support,
    give_authenticator,
    signed_in_as,
    totp_code,
)
from tests.security.inventory import PLANES, can_sign_in, dotted, sign_in_views, url_views

pytestmark = pytest.mark.django_db

Case = Callable[[pytest.FixtureRequest], None]
SECOND_FACTOR_CASES: dict[str, list[Case]] = {}
THROTTLE_CASES: dict[str, list[Case]] = {}


def second_factor_case(key: str) -> Callable[[Case], Case]:
    def register(case: Case) -> Case:
        SECOND_FACTOR_CASES.setdefault(key, []).append(case)
        return case

    return register


def throttle_case(key: str) -> Callable[[Case], Case]:
    def register(case: Case) -> Case:
        THROTTLE_CASES.setdefault(key, []).append(case)
        return case

    return register


@pytest.fixture
def operator_with_totp(operator) -> User:
    connection.set_schema_to_public()
    give_authenticator(operator)
    return operator


@pytest.fixture
def two_factor_city(city):
    """`city`, requiring two factors of its staff."""
    with city_context(city.ref):
        set_staff_two_factor_required(required=True)
    return city


@pytest.fixture
def admin_with_totp(two_factor_city, city_admin) -> User:
    with city_context(two_factor_city.ref):
        give_authenticator(city_admin)
    return city_admin


@pytest.fixture
def partner_with_totp(db) -> User:
    connection.set_schema_to_public()
    user = User.objects.create_user("partner-2fa@example.com", PASSWORD, role=Role.PARTNER)
    give_authenticator(user)
    return user


# --- 1. The inventory -------------------------------------------------------------------------


def test_every_view_that_can_sign_in_is_a_declared_door():
    declared = {import_string(door.view) for door in DOORS}
    undeclared = {
        dotted(view): routes for view, routes in sign_in_views().items() if view not in declared
    }
    assert not undeclared, (
        "These views can sign a person in but are not doors in ratusz/accounts/doors.py: "
        "declare them (and make them use ratusz.accounts.signin.sign_in or allauth's login): "
        f"{undeclared}"
    )


def test_every_declared_door_is_routed_on_a_plane():
    routed = {
        getattr(callback, "view_class", callback)
        for urlconf in PLANES
        for _route, callback in url_views(urlconf)
    }
    stale = [door.key for door in DOORS if import_string(door.view) not in routed]
    assert not stale, f"Declared doors no URL leads to: {stale}"


def test_the_search_finds_a_new_view_that_signs_in():
    """The inventory's own check: a view written tomorrow that calls Django's login is found,
    and one that does not sign in is not."""
    from django.contrib.auth import login

    def tomorrows_view(request: Any) -> None:
        login(request, request.user)

    def harmless_view(request: Any) -> None:
        return None

    tomorrows_view.__module__ = harmless_view.__module__ = "ratusz.tomorrow"
    assert can_sign_in(tomorrows_view)
    assert not can_sign_in(harmless_view)


def test_every_door_has_its_cases_here():
    keys = {door.key for door in DOORS}
    assert keys <= set(SECOND_FACTOR_CASES), keys - set(SECOND_FACTOR_CASES)
    needs_throttle = {door.key for door in DOORS if door.kind != Kind.OFF}
    assert needs_throttle <= set(THROTTLE_CASES), needs_throttle - set(THROTTLE_CASES)


# --- 2. The second factor at every door -------------------------------------------------------


# The cities are provisioned before the test's transaction begins (a case asks for them later).
@pytest.mark.usefixtures("_session_cities")
@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.key)
def test_no_door_lets_in_without_the_second_factor(door: Door, request):
    cases = SECOND_FACTOR_CASES.get(door.key)
    assert cases, f"Door {door.key!r} has no second-factor case in this file"
    for case in cases:
        case(request)


@pytest.mark.usefixtures("_session_cities")
@pytest.mark.parametrize(
    "door", [d for d in DOORS if d.kind != Kind.OFF], ids=lambda door: door.key
)
def test_every_door_refuses_after_too_many_wrong_attempts(door: Door, request):
    cases = THROTTLE_CASES.get(door.key)
    assert cases, f"Door {door.key!r} has no throttling case in this file"
    for case in cases:
        case(request)
        for alias in ("default", "control"):
            caches[alias].clear()


@pytest.mark.parametrize("door", [d for d in DOORS if d.kind == Kind.OFF], ids=lambda d: d.key)
def test_doors_that_are_off_stay_off(door: Door):
    assert door.off_unless, f"{door.key}: say which allauth setting would open it"
    assert getattr(allauth_settings, door.off_unless) is False


# --- helpers ----------------------------------------------------------------------------------


def control_client() -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


def console_refuses(client: Client) -> None:
    connection.set_schema_to_public()
    response = client.get("/console/")
    assert response.status_code != 200, "the console opened without the second factor"


def back_office_refuses(city: Any, client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code != 200, "the back office opened without the second factor"


def password_sign_in(client: Client, email: str, path: str = "/accounts/login/") -> Any:
    return client.post(path, {"login": email, "password": PASSWORD})


def consent(client: Client) -> None:
    client.post(
        "/accounts/consent/",
        {"accept_policies": "on", "terms_version": "1", "privacy_version": "1"},
    )


# --- second-factor cases, per door ------------------------------------------------------------


@second_factor_case("login")
def _city_staff_with_an_authenticator(request: pytest.FixtureRequest) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    client = city.client()
    response = password_sign_in(client, admin.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client, city) is None
    back_office_refuses(city, client)
    # With the code, the back office opens (the check above is not a refusal of everyone).
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    consent(client)
    assert client.get("/admin/").status_code == 200


@second_factor_case("login")
def _operator_with_an_authenticator_at_the_console_sign_in(request) -> None:
    operator = request.getfixturevalue("operator_with_totp")
    client = control_client()
    response = password_sign_in(client, operator.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client) is None
    console_refuses(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200


def new_operator(email: str = "bez-aplikacji@ratusz.example") -> User:
    connection.set_schema_to_public()
    return User.objects.create_user(email, PASSWORD, role=Role.OPERATOR)


def new_staff(city: Any, email: str = "bez-aplikacji@gdansk.example") -> User:
    """Staff without an authenticator, made the way production makes them."""
    with city_context(city.ref):
        issued = create_invitation(email=email, role=Role.ADMINISTRATOR)
        return accept_invitation(token=issued.token, full_name="Bez Aplikacji", password=PASSWORD)


@second_factor_case("login")
def _operator_without_an_authenticator_must_set_one_up(request) -> None:
    request.getfixturevalue("db")
    operator = new_operator()
    client = control_client()
    password_sign_in(client, operator.email)
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@second_factor_case("login")
def _city_staff_without_an_authenticator_must_set_one_up(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = new_staff(city)
    client = city.client()
    password_sign_in(client, admin.email)
    consent(client)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


@second_factor_case("partner-sign-in")
def _operator_at_the_partner_sign_in(request) -> None:
    """The finding: the partners' page signed an operator in without the authenticator step."""
    operator = request.getfixturevalue("operator_with_totp")
    client = control_client()
    response = password_sign_in(client, operator.email, "/partners/sign-in/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client) is None
    console_refuses(client)
    city = request.getfixturevalue("city")
    response = client.get(f"/console/cities/{city.model.slug}/support/")
    assert response.status_code != 200


@second_factor_case("partner-sign-in")
def _partner_with_an_authenticator(request) -> None:
    partner = request.getfixturevalue("partner_with_totp")
    client = control_client()
    response = password_sign_in(client, partner.email, "/partners/sign-in/")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client) is None


@second_factor_case("mfa-authenticate")
def _a_wrong_code_lets_nobody_in(request) -> None:
    operator = request.getfixturevalue("operator_with_totp")
    client = control_client()
    password_sign_in(client, operator.email)
    wrong = "000000" if totp_code() != "000000" else "111111"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert signed_in_as(client) is None
    console_refuses(client)


@second_factor_case("signup")
def _signing_up_with_a_staff_address_does_not_sign_in_as_them(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    client = city.client()
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Intruz",
            "email": admin.email,
            "password1": "Zupelnie-inne-haslo-77",
            "accept_policies": "on",
            "terms_version": "1",
            "privacy_version": "1",
        },
    )
    assert signed_in_as(client, city) != admin.pk
    back_office_refuses(city, client)


def _reset_path(user: User) -> str:
    return (
        f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-"
        f"{default_token_generator.make_token(user)}/"
    )


@second_factor_case("password-reset")
def _a_password_reset_does_not_skip_the_second_factor(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    client = city.client()
    with city_context(city.ref):
        path = _reset_path(admin)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = "Nowe-haslo-do-ratusza-1"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    with city_context(city.ref):
        admin.refresh_from_db()
        assert admin.check_password(new)  # the reset worked ...
    back_office_refuses(city, client)  # ... and did not sign in without the code


@second_factor_case("password-reset")
def _an_operators_password_reset(request) -> None:
    operator = request.getfixturevalue("operator_with_totp")
    client = control_client()
    form = client.get(_reset_path(operator), follow=True)
    new = "Nowe-haslo-do-konsoli-1"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    connection.set_schema_to_public()
    operator.refresh_from_db()
    assert operator.check_password(new)
    console_refuses(client)


@second_factor_case("password-reset-request")
def _asking_for_a_reset_signs_nobody_in(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    client = city.client()
    client.post("/accounts/password/reset/", {"email": admin.email})
    assert signed_in_as(client, city) is None
    back_office_refuses(city, client)


@second_factor_case("confirm-email")
def _confirming_an_address_signs_nobody_in(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    with city_context(city.ref):
        address = EmailAddress.objects.create(user=admin, email="drugi@gdansk.example")
        confirmation = EmailConfirmation.create(address)
        confirmation.sent = confirmation.created
        confirmation.save()
    client = city.client()
    client.post(f"/accounts/confirm-email/{confirmation.key}/")
    with city_context(city.ref):
        assert EmailAddress.objects.get(pk=address.pk).verified
    assert signed_in_as(client, city) is None
    back_office_refuses(city, client)


def _confirmation_of_first_address(user: User) -> EmailConfirmation:
    """A confirmation link for `user`'s address, as if the account had just signed up."""
    EmailAddress.objects.filter(user=user).exclude(email=user.email).delete()
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": False, "primary": True}
    )
    confirmation = EmailConfirmation.create(address)
    confirmation.sent = confirmation.created
    confirmation.save()
    return confirmation


@second_factor_case("confirm-email")
def _a_first_confirmation_asks_for_the_code(request) -> None:
    """The link that signs a new account in still asks an authenticator's code of one that
    has it (staff whose address was never confirmed)."""
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    with city_context(city.ref):
        confirmation = _confirmation_of_first_address(admin)
    client = city.client()
    response = client.post(f"/accounts/confirm-email/{confirmation.key}/")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    with city_context(city.ref):
        assert EmailAddress.objects.get(user=admin, email=admin.email).verified
    assert signed_in_as(client, city) is None
    back_office_refuses(city, client)


@second_factor_case("login-by-code")
def _sign_in_by_code_is_off(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    request.getfixturevalue("admin_with_totp")
    client = city.client()
    client.post("/accounts/login/code/confirm/", {"code": "123456"})
    assert signed_in_as(client, city) is None
    back_office_refuses(city, client)


@second_factor_case("sign-in-link")
def _a_hand_off_link_asks_for_the_code(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    token = onboarding.issue_sign_in_link(
        city_id=city.model.pk, user_id=admin.pk, purpose=LinkPurpose.HANDOFF
    )
    client = city.client()
    response = client.get(f"/welcome/sign-in/{token}/")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client, city) is None
    back_office_refuses(city, client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@second_factor_case("sign-in-link")
def _an_emailed_link_for_staff_who_must_set_one_up(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = new_staff(city, "z-linku@gdansk.example")
    token = onboarding.issue_sign_in_link(
        city_id=city.model.pk, user_id=admin.pk, purpose=LinkPurpose.EMAIL
    )
    client = city.client()
    client.post(f"/welcome/sign-in/{token}/")
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    # The partner-access page is an administrators' back-office page too.
    assert client.get("/welcome/partner-access/")["Location"] == "/accounts/2fa/totp/activate/"


@second_factor_case("invitation")
def _an_invitation_to_an_account_with_an_authenticator(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    admin = request.getfixturevalue("admin_with_totp")
    with city_context(city.ref):
        issued = create_invitation(email=admin.email, role=Role.ADMINISTRATOR)
    client = city.client()
    response = client.post(
        f"/invitation/{issued.token}/",
        {"full_name": "Jan Kowalski", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client, city) is None
    back_office_refuses(city, client)


@second_factor_case("invitation")
def _new_staff_of_a_two_factor_city_set_one_up_first(request) -> None:
    city = request.getfixturevalue("two_factor_city")
    with city_context(city.ref):
        issued = create_invitation(email="nowa@gdansk.example", role=Role.PROJECT_MANAGER)
    client = city.client()
    client.post(
        f"/invitation/{issued.token}/",
        {"full_name": "Nowa", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


@second_factor_case("partner-invitation")
def _a_partner_invitation_never_signs_in_an_existing_account(request) -> None:
    operator = request.getfixturevalue("operator_with_totp")
    organisation = onboarding.create_partner_organisation(name="Konsultanci")
    issued = onboarding.invite_partner(
        organisation=organisation, email=operator.email, invited_by=None
    )
    client = control_client()
    client.post(f"/partners/invitation/{issued.token}/", {"full_name": "X", "password": PASSWORD})
    assert signed_in_as(client) is None
    console_refuses(client)


@second_factor_case("support-entry")
def _support_links_are_made_only_by_a_session_that_used_its_code(request) -> None:
    operator = request.getfixturevalue("operator_with_totp")
    city = request.getfixturevalue("two_factor_city")
    # Signed in by password only: stopped at the code, so no support link.
    client = control_client()
    password_sign_in(client, operator.email)
    client.post(
        f"/console/cities/{city.model.slug}/support/", {"reason": "ticket", "minutes": "60"}
    )
    # A session signed in before this rule (no record of the code): asked for it first.
    stale = control_client()
    stale.force_login(operator)
    response = stale.post(
        f"/console/cities/{city.model.slug}/support/", {"reason": "ticket", "minutes": "60"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    connection.set_schema_to_public()
    assert not SupportGrant.objects.exists()


def _support_grant(city: Any, operator: User) -> str:
    """A support link for `city` asked for by `operator`: its path on the city's host."""
    connection.set_schema_to_public()
    issued = grant_support_access(
        city=city.model, operator_id=operator.pk, operator_email=operator.email, reason="x"
    )
    return issued.url[issued.url.index("/support/enter/") :]


@second_factor_case("support-entry")
def _a_support_link_opens_only_with_its_operators_code(request) -> None:
    """The finding: the link alone, from a browser that never signed in, opened the back office
    with the second factor recorded. It needs the current code of the operator who asked."""
    operator = request.getfixturevalue("operator_with_totp")
    city = request.getfixturevalue("two_factor_city")
    path = _support_grant(city, operator)
    client = city.client()
    for attempt in ({}, {"code": ""}, {"code": "000000" if totp_code() != "000000" else "1"}):
        response = client.post(path, attempt)
        assert response.status_code == 400, attempt
        assert "Ten kod jest nieprawidłowy" in response.content.decode()  # the city speaks Polish
        assert signed_in_as(client, city) is None
        back_office_refuses(city, client)
    # Another operator's right code is a wrong code for this link.
    connection.set_schema_to_public()
    other = User.objects.create_user("drugi@ratusz.example", PASSWORD, role=Role.OPERATOR)
    other_secret = "KRSXG5CTMVRXEZLU"
    TOTP.activate(other, other_secret)
    assert totp_code(other_secret) != totp_code(), "two secrets showing one code: run again"
    assert client.post(path, {"code": totp_code(other_secret)}).status_code == 400
    assert signed_in_as(client, city) is None
    # The code of the operator who asked opens it: the check above is not a refusal of all.
    response = enter_support(client, path, operator)
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- throttling cases, per door ---------------------------------------------------------------


def wrong_passwords(client: Client, email: str, path: str, times: int) -> None:
    for _ in range(times):
        response = client.post(path, {"login": email, "password": "wrong-password-1"})
        assert response.status_code in (200, 429)


def assert_refused(response: Any) -> None:
    """Refused with 429, or with the form shown again saying why (no redirect onwards)."""
    assert response.status_code in (200, 429), response.get("Location")


@throttle_case("login")
def _city_sign_in_after_wrong_passwords(request) -> None:
    city = request.getfixturevalue("city")
    resident = request.getfixturevalue("resident")
    client = city.client()
    wrong_passwords(client, resident.email, "/accounts/login/", 15)
    assert_refused(password_sign_in(client, resident.email))
    assert signed_in_as(client, city) is None


@throttle_case("login")
def _console_sign_in_after_wrong_passwords(request) -> None:
    operator = request.getfixturevalue("operator")
    client = control_client()
    wrong_passwords(client, operator.email, "/accounts/login/", 15)
    assert_refused(password_sign_in(client, operator.email))
    assert signed_in_as(client) is None


@throttle_case("partner-sign-in")
def _partner_sign_in_after_wrong_passwords(request) -> None:
    """The finding: 15 wrong passwords answered 200 and the 16th, right one, signed in."""
    partner = request.getfixturevalue("partner_with_totp")
    connection.set_schema_to_public()
    partner.authenticator_set.all().delete()  # the password alone would sign this one in
    client = control_client()
    wrong_passwords(client, partner.email, "/partners/sign-in/", 15)
    response = password_sign_in(client, partner.email, "/partners/sign-in/")
    assert_refused(response)
    assert signed_in_as(client) is None
    # The same password is right: once the limit is over, it signs in.
    for alias in ("default", "control"):
        caches[alias].clear()
    response = password_sign_in(control_client(), partner.email, "/partners/sign-in/")
    assert response["Location"] == "/partners/"


@throttle_case("mfa-authenticate")
def _wrong_codes(request) -> None:
    operator = request.getfixturevalue("operator_with_totp")
    client = control_client()
    password_sign_in(client, operator.email)
    wrong = "000000" if totp_code() != "000000" else "111111"
    for _ in range(10):
        client.post("/accounts/2fa/authenticate/", {"code": wrong})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert signed_in_as(client) is None
    console_refuses(client)


@throttle_case("signup")
def _many_sign_ups_from_one_network(request) -> None:
    city = request.getfixturevalue("city")
    client = city.client()
    for number in range(20):
        client.post("/accounts/signup/", {"email": f"not-an-address-{number}"})
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Ola",
            "email": "ola@example.com",
            "password1": "Zielone-jablko-2024",
            "accept_policies": "on",
            "terms_version": "1",
            "privacy_version": "1",
        },
    )
    assert response.status_code == 429
    assert signed_in_as(client, city) is None


def _wrong_tokens(client: Client, path: str, times: int = 10) -> None:
    for _ in range(times):
        client.post(path)


@throttle_case("sign-in-link")
def _sign_in_links_after_wrong_tokens(request) -> None:
    city = request.getfixturevalue("city")
    admin = request.getfixturevalue("city_admin")
    client = city.client()
    _wrong_tokens(client, "/welcome/sign-in/wrong-token/")
    token = onboarding.issue_sign_in_link(
        city_id=city.model.pk, user_id=admin.pk, purpose=LinkPurpose.HANDOFF
    )
    assert client.get(f"/welcome/sign-in/{token}/").status_code == 429
    assert signed_in_as(client, city) is None


@throttle_case("confirm-email")
def _confirmation_links_after_wrong_keys(request) -> None:
    city = request.getfixturevalue("city")
    resident = request.getfixturevalue("resident")
    client = city.client()
    _wrong_tokens(client, "/accounts/confirm-email/wrong-key/")
    with city_context(city.ref):
        confirmation = _confirmation_of_first_address(resident)
    response = client.post(f"/accounts/confirm-email/{confirmation.key}/")
    assert response.status_code == 429
    assert signed_in_as(client, city) is None
    with city_context(city.ref):
        assert not EmailAddress.objects.get(user=resident, email=resident.email).verified


@throttle_case("invitation")
def _invitations_after_wrong_tokens(request) -> None:
    city = request.getfixturevalue("city")
    client = city.client()
    _wrong_tokens(client, "/invitation/wrong-token/")
    with city_context(city.ref):
        issued = create_invitation(email="nowy@gdansk.example", role=Role.PROJECT_MANAGER)
    response = client.post(
        f"/invitation/{issued.token}/",
        {"full_name": "Nowy", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 429
    assert signed_in_as(client, city) is None


@throttle_case("partner-invitation")
def _partner_invitations_after_wrong_tokens(request) -> None:
    client = control_client()
    _wrong_tokens(client, "/partners/invitation/wrong-token/")
    organisation = onboarding.create_partner_organisation(name="Konsultanci")
    issued = onboarding.invite_partner(
        organisation=organisation, email="nowy@partner.example", invited_by=None
    )
    response = client.post(
        f"/partners/invitation/{issued.token}/", {"full_name": "Nowy", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert signed_in_as(client) is None


@throttle_case("support-entry")
def _support_links_after_wrong_tokens(request) -> None:
    city = request.getfixturevalue("city")
    operator = request.getfixturevalue("operator_with_totp")
    client = city.client()
    _wrong_tokens(client, "/support/enter/wrong-token/")
    response = enter_support(client, _support_grant(city, operator), operator)
    assert response.status_code == 429
    assert signed_in_as(client, city) is None


@throttle_case("support-entry")
def _support_links_after_wrong_codes(request) -> None:
    """Wrong codes for one link, each from another network (so the networks' limit does not
    trip): the link stops working, even with the right code."""
    city = request.getfixturevalue("city")
    operator = request.getfixturevalue("operator_with_totp")
    path = _support_grant(city, operator)
    wrong = "000000" if totp_code() != "000000" else "111111"
    for number in range(WRONG_CODES_PER_LINK):
        response = city.client().post(path, {"code": wrong}, REMOTE_ADDR=f"203.0.113.{number}")
        assert response.status_code == 400
    client = Client(HTTP_HOST=city.host, REMOTE_ADDR="198.51.100.1")
    response = enter_support(client, path, operator)
    assert response.status_code == 403
    assert "zbyt wiele błędnych kodów" in response.content.decode()  # the city speaks Polish
    assert signed_in_as(client, city) is None


def test_an_operator_who_has_an_authenticator_enters_its_code_before_the_console(
    operator_with_totp,
):
    """Finding 3's second half, without a browser: password, then the code, then the console."""
    client = control_client()
    response = password_sign_in(client, operator_with_totp.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/console/").status_code == 302
    page = client.get("/accounts/2fa/authenticate/")
    assert page.status_code == 200
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert client.get("/console/").status_code == 200
    assert client.get("/console/audit/").status_code == 200


def test_the_account_pages_of_the_control_plane_open_for_an_operator(operator_with_totp):
    """Finding 3: /accounts/2fa/... and /accounts/reauthenticate/ answered 500 on the control
    plane (a city-only URL name in the shared layout). Every page of allauth's that takes no
    argument is tried, signed in."""
    from tests.conftest import force_login_with_second_factor

    client = control_client()
    force_login_with_second_factor(client, operator_with_totp)
    routes = [
        "/" + route
        for route, _callback in url_views("ratusz.urls_control")
        if route.startswith("accounts/") and "<" not in route and "(" not in route
    ]
    assert "/accounts/2fa/" in routes and "/accounts/reauthenticate/" in routes
    failures = {}
    for route in routes:
        if route.endswith("logout/"):
            continue
        response = client.get(route)
        if response.status_code >= 500:
            failures[route] = response.status_code
    assert not failures


def test_an_operator_sets_up_an_authenticator_at_first_sign_in():
    """Finding 3, without a browser (the browser test walks the same way): a new operator signs
    in, is sent to set up an app, confirms the password, enters a code and reaches the console."""
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    connection.set_schema_to_public()
    operator = new_operator("nowy-operator@ratusz.example")
    client = control_client()
    password_sign_in(client, operator.email)
    response = client.get("/console/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    response = client.get(response["Location"])
    if response.status_code == 302:  # allauth asks for the password again first
        assert response["Location"].startswith("/accounts/reauthenticate/")
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    connection.set_schema_to_public()
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200


def test_a_door_taken_by_a_browser_signed_in_as_someone_else_records_how_the_new_account_came(
    city, resident, city_admin
):
    """The record of how this session signed in (which door, whether a second factor) must
    belong to the account now signed in: Django's login empties the session of another
    account, which would drop it (the hand-off would then ask for the city's terms)."""
    client = city.client()
    with city_context(city.ref):
        client.force_login(resident, backend="django.contrib.auth.backends.ModelBackend")
    token = onboarding.issue_sign_in_link(
        city_id=city.model.pk, user_id=city_admin.pk, purpose=LinkPurpose.HANDOFF
    )
    response = client.get(f"/welcome/sign-in/{token}/")
    assert response["Location"] == "/admin/"
    assert signed_in_as(client, city) == city_admin.pk
