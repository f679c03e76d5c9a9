"""A suspended, an archived and a deleted city, seen in a browser by a resident and by an
administrator, on a phone and on a desktop, in Polish and in English (issue 12, #4).

Screenshots land in test-artifacts/city-state-*.png."""

from __future__ import annotations

import pytest

from ratusz.accounts.models import Role
from ratusz.accounts.selectors import account_settings
from ratusz.accounts.services import accept_invitation, create_invitation, record_consent
from ratusz.tenants.context import city_context
from ratusz.tenants.models import CityStatus
from ratusz.tenants.services import change_city_status, soft_delete_city
from tests.e2e.conftest import screenshot

PASSWORD = "correct horse battery"
WIDTHS = {"phone": 390, "desktop": 1280}
# What each state shows to residents, per language of the city.
TEXTS = {
    ("suspended", "pl"): "Ten portal jest chwilowo niedostępny",
    ("suspended", "en"): "This portal is temporarily unavailable",
    ("deleted", "pl"): "Ten portal został zamknięty",
    ("deleted", "en"): "This portal has been closed",
    ("archived", "pl"): "Archiwum tylko do odczytu.",
    ("archived", "en"): "Read-only archive.",
}


def _administrator(town) -> str:
    email = f"admin-{town.ref.slug}@example.com"
    with city_context(town.ref):
        issued = create_invitation(email=email, role=Role.ADMINISTRATOR, full_name="Ewa Admin")
        admin = accept_invitation(token=issued.token, full_name="Ewa Admin", password=PASSWORD)
        policies = account_settings()
        record_consent(
            user=admin,
            terms_version=policies.terms_version,
            privacy_version=policies.privacy_version,
        )
    return email


@pytest.mark.parametrize("language", ["pl", "en"])
def test_closed_and_archived_cities_in_a_browser(make_city, live_server_url, browser, language):
    town = make_city(default_language=language, languages=[language])
    admin_email = _administrator(town)
    base = live_server_url.format(host=town.host)
    for state in ("suspended", "archived", "deleted"):
        if state == "deleted":
            soft_delete_city(city=town.model)
        else:
            status = CityStatus.SUSPENDED if state == "suspended" else CityStatus.ARCHIVED
            change_city_status(city=town.model, status=status)
        for device, width in WIDTHS.items():
            context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
            page = context.new_page()
            response = page.goto(f"{base}/")
            assert response is not None
            assert response.status == {"suspended": 503, "archived": 200, "deleted": 410}[state]
            assert TEXTS[(state, language)] in page.content()
            # Nothing scrolls sideways on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"city-state-{state}-{language}-resident-{device}")

            # The administrator signs in through the form.
            page.goto(f"{base}/accounts/login/?next=/admin/billing/")
            if state == "deleted":
                assert TEXTS[("deleted", language)] in page.content()
                screenshot(page, f"city-state-{state}-{language}-admin-{device}")
                context.close()
                continue
            page.fill("input[name=login]", admin_email)
            page.fill("input[name=password]", PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            if state == "suspended":
                assert page.url.endswith("/admin/billing/")
                screenshot(page, f"city-state-{state}-{language}-admin-billing-{device}")
                response = page.goto(f"{base}/admin/projects/")
                assert response is not None and response.status == 503
                assert page.get_by_role(
                    "link", name={"pl": "Przejdź do rozliczeń", "en": "Go to billing"}[language]
                ).count() in (0, 1)
            else:
                assert TEXTS[(state, language)] in page.content()
            screenshot(page, f"city-state-{state}-{language}-admin-{device}")
            context.close()
