"""Staff pages: only city staff, and with two-factor authentication when the city requires it."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

from ratusz.accounts.services import set_staff_two_factor_required
from ratusz.tenants.context import city_context
from tests.accounts.conftest import force_login, sign_in

ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture
def staff_pages(settings) -> None:
    settings.CITY_URLCONF = "tests.accounts.staff_urls"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def require_two_factor(city, required: bool = True) -> None:
    with city_context(city.ref):
        set_staff_two_factor_required(required=required)


@pytest.mark.parametrize("page", ["/test-staff/", "/test-staff-class/"])
def test_visitors_sign_in_first_and_residents_are_refused(
    city, resident, city_admin, staff_pages, page
):
    response = city.client().get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={page}"

    client = city.client()
    force_login(city, client, resident)
    assert client.get(page).status_code == 403

    client = city.client()
    force_login(city, client, city_admin)
    assert client.get(page).status_code == 200


def test_when_required_staff_set_up_two_factor_before_any_staff_page(city, city_admin, staff_pages):
    require_two_factor(city)
    client = city.client()
    response = sign_in(client, "urzednik@gdansk.example", ADMIN_PASSWORD)
    client.post(  # staff accept the terms at their first sign-in like everyone
        "/accounts/consent/",
        {"accept_policies": "on", "terms_version": "1", "privacy_version": "1"},
    )
    response = client.get("/test-staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/test-staff-class/")["Location"] == "/accounts/2fa/totp/activate/"

    # allauth asks for the password again before a change of two-factor settings.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    page = client.get(response["Location"])
    assert "uwierzytelniania dwuskładnikowego" in page.content.decode()  # why, in Polish
    response = client.post(response["Location"], {"password": ADMIN_PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml;base64,', html)
    with city_context(city.ref):
        secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    with city_context(city.ref):
        types = set(Authenticator.objects.filter(user=city_admin).values_list("type", flat=True))
    assert types == {"totp", "recovery_codes"}
    assert client.get("/test-staff/").status_code == 200

    # The next sign-in asks for the code.
    client = city.client()
    response = sign_in(client, "urzednik@gdansk.example", ADMIN_PASSWORD)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/test-staff/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "Błędny kod" in response.content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/test-staff/").status_code == 200


def test_without_the_requirement_staff_pages_open_without_two_factor(city, city_admin, staff_pages):
    require_two_factor(city, required=False)
    client = city.client()
    force_login(city, client, city_admin)
    assert client.get("/test-staff/").status_code == 200


def test_the_requirement_is_per_city(city, other_city, city_admin, staff_pages):
    require_two_factor(other_city)
    client = city.client()
    force_login(city, client, city_admin)
    assert client.get("/test-staff/").status_code == 200


def test_residents_may_turn_on_two_factor_too(city, resident_with_consent):
    client = city.client()
    sign_in(client, "anna@example.com")
    assert client.get("/accounts/2fa/").status_code == 200
    client.post("/accounts/reauthenticate/", {"password": "Zielone-jablko-2024"})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
