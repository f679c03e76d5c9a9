"""In a real browser, the operators' door (issue 12, findings 1 and 3): the demo operator's first
sign-in sets up an authenticator app with a real code computed from the key the page shows and
lands in the console; the next sign-in asks for a code before the console opens. Screenshots of
each step at phone and desktop widths, in Polish and in English."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import translation
from django.utils.translation import gettext

from ratusz.accounts.models import User
from ratusz.demo.cities import DEMO_OPERATOR_EMAIL, DEMO_PASSWORD, seed_demo_operator
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.models import PartnerInvitation, PartnerMembership
from ratusz.tenants.db import connection
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.browser


def code_from(secret: str, *, not_this: str = "") -> str:
    """The code an authenticator app shows for `secret` now. allauth refuses a code used once
    already, so when `not_this` is given, wait for the app's next code."""
    while True:
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        if code != not_this:
            return code
        time.sleep(0.5)


def shots(page, name: str) -> None:
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        screenshot(page, f"{name}-{label}")
        # Nothing scrolls sideways on a phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name}: {width}px wide at {viewport['width']}px"
    page.set_viewport_size(DESKTOP)


def test_the_demo_operator_sets_up_two_factors_and_reaches_the_console(
    live_db, live_server_url, browser
):
    connection.set_schema_to_public()
    seed_demo_operator()
    control = live_server_url.format(host="localhost")

    polish = browser.new_context(locale="pl-PL")
    english = browser.new_context(locale="en-GB")
    try:
        page = polish.new_page()
        page.goto(control + "/console/")
        assert "/accounts/login/" in page.url
        shots(page, "operator-1-sign-in-pl")
        page.fill("input[name=login]", DEMO_OPERATOR_EMAIL)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")

        # The console sends an operator without an app to set one up; allauth asks for the
        # password once more before a change of two-factor settings.
        page.wait_for_url("**/accounts/reauthenticate/**")
        shots(page, "operator-2-reauthenticate-pl")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main form button[type=submit]")

        page.wait_for_url("**/accounts/2fa/totp/activate/")
        shots(page, "operator-3-set-up-app-pl")
        assert axe_violations(page) == []
        secret = page.input_value("#authenticator_secret")
        first_code = code_from(secret)
        page.fill("input[name=code]", first_code)
        page.click("main form button[type=submit]")
        page.wait_for_url("**/accounts/2fa/recovery-codes/**")
        shots(page, "operator-4-recovery-codes-pl")

        with translation.override("pl"):
            page.get_by_role("link", name=gettext("Go to the console")).click()
        page.wait_for_url(control + "/console/")
        assert page.get_by_role("heading", level=1).is_visible()
        shots(page, "operator-5-console-pl")
        connection.set_schema_to_public()
        operator = User.objects.get(email=DEMO_OPERATOR_EMAIL)
        assert Authenticator.objects.filter(user=operator, type="totp").exists()

        # The next sign-in (another browser, in English) asks for a code before the console.
        page = english.new_page()
        page.goto(control + "/console/")
        page.fill("input[name=login]", DEMO_OPERATOR_EMAIL)
        page.fill("input[name=password]", DEMO_PASSWORD)
        shots(page, "operator-6-sign-in-en")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/accounts/2fa/authenticate/")
        shots(page, "operator-7-enter-code-en")
        assert axe_violations(page) == []
        response = page.request.get(control + "/console/", max_redirects=0)
        assert response.status == 302  # not signed in without the code
        page.fill("input[name=code]", code_from(secret, not_this=first_code))
        page.click("main form button[type=submit]")
        page.wait_for_url(control + "/console/")
        assert page.get_by_role("heading", level=1).is_visible()
    finally:
        polish.close()
        english.close()


@pytest.mark.parametrize(("locale", "language"), [("pl-PL", "pl"), ("en-GB", "en")])
def test_the_partner_sign_in_refuses_after_wrong_passwords_and_says_why(
    live_db, live_server_url, browser, locale, language
):
    """The partners' door in a browser: allauth's sign-in in the partners' page, its limit on
    failed attempts said in the page, in the visitor's language; then a right password refused."""
    connection.set_schema_to_public()
    organisation = onboarding.create_partner_organisation(name=f"Konsultanci Drzwi {language}")
    issued = onboarding.invite_partner(
        organisation=organisation, email=f"drzwi-{language}@partner.example", invited_by=None
    )
    password = "Zielone-jablko-2024"
    partner = onboarding.accept_partner_invitation(
        token=issued.token, full_name="Kasia", password=password
    )
    control = live_server_url.format(host="localhost")
    context = browser.new_context(locale=locale)
    try:
        page = context.new_page()
        page.goto(control + "/partners/sign-in/")
        shots(page, f"partner-1-sign-in-{language}")
        for _ in range(5):
            page.fill("input[name=login]", partner.email)
            page.fill("input[name=password]", "not-the-password")
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
        page.fill("input[name=login]", partner.email)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.url.startswith(control + "/partners/sign-in/")
        with translation.override(language):
            expected = gettext("Too many failed login attempts. Try again later.")
        assert expected in page.locator("main").inner_text()
        shots(page, f"partner-2-too-many-attempts-{language}")
        assert axe_violations(page) == []
    finally:
        context.close()
        connection.set_schema_to_public()
        # live_db removes the accounts; the organisation is ours to remove.
        PartnerInvitation.objects.filter(organisation=organisation).delete()
        PartnerMembership.objects.filter(organisation=organisation).delete()
        organisation.delete()
