"""An administrator chooses a plan by card (a double click included) and connects the city's
own domain, in a real browser, in Polish and in English, on a phone and on a desktop: one
payment page is made at Stripe (the stand-in), the DNS records to add are this city's own, and
the domain serves once its TXT record is found (the tests' DNS server). Nothing scrolls
sideways and axe finds no serious problem."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings

from ratusz.accounts.models import Role, User
from ratusz.billing import services as billing
from ratusz.billing.models import BillingAccount, HistoryEntry, Invoice
from ratusz.tenants.context import city_context
from ratusz.tenants.domains import challenge
from ratusz.tenants.models import Domain
from ratusz.tenants.routing import resolve_host
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Haslo-Administratora-1"
HOST = "konsultacje.gdansk.pl"


@pytest.fixture
def admin_city(make_city) -> Any:
    city = make_city(name="Gdańsk", slug="gdansk-plan", languages=["pl", "en"])
    with city_context(city.ref):
        User.objects.create_user(
            "admin@gdansk.example",
            PASSWORD,
            full_name="Anna Admin",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    yield city
    # Billing rows outlive a purged city by design (accounting records); these are a test's.
    for model in (HistoryEntry, Invoice, BillingAccount):
        model.objects.filter(city_id=city.model.pk).delete()


def sign_in(page: Any, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "admin@gdansk.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:  # first sign-in: the city's terms
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def in_language(page: Any, base: str, language: str) -> None:
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )


def looks_right(page: Any, name: str) -> None:
    """At a phone's and a desktop's width: no sideways scrolling, no serious axe finding."""
    for label, viewport in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        screenshot(page, f"{name}-{label}")
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{name} scrolls sideways at {label} px"
    problems = axe_violations(page)
    assert not problems, f"{name}: {problems}"


def test_choosing_a_plan_by_card_with_a_double_click_makes_one_payment_page(
    admin_city, live_server_url, page, synced
):
    synced.checkout_base = "https://checkout.stripe.com"
    billing.save_legal_details(
        city=admin_city.model,
        legal_name="Gmina Miasta Gdańska",
        address_line1="ul. Nowe Ogrody 8/12",
        postal_code="80-803",
        address_city="Gdańsk",
        country="PL",
        tax_id="583-000-11-90",
        billing_email="faktury@gdansk.example",
    )
    base = live_server_url.format(host=admin_city.host)
    sign_in(page, base)
    for language in ("pl", "en"):
        in_language(page, base, language)
        page.goto(base + "/admin/billing/")
        looks_right(page, f"billing-choose-plan-{language}")

    page.select_option("#id_plan", "standard")
    page.select_option("#id_interval", "month")
    page.select_option("#id_currency", "PLN")
    page.check("input[name=method][value=card]")
    # The browser is sent to Stripe's page (the CSP lets the form's redirect go there; the
    # machine has no network, so only where it was sent is checked).
    with page.expect_response(chosen) as answer:
        page.dblclick("main form.stack button[type=submit]")
    sessions = list(synced.objects["checkout_sessions"].values())
    assert len(sessions) == 1
    assert answer.value.status == 302
    assert answer.value.headers["location"] == sessions[0]["url"]
    assert sessions[0]["url"].startswith("https://checkout.stripe.com/")
    # Back on the billing page (in another tab: this one is still failing to reach Stripe),
    # choosing the same again goes to the same payment page.
    page = page.context.new_page()
    page.goto(base + "/admin/billing/")
    page.select_option("#id_plan", "standard")
    page.select_option("#id_interval", "month")
    page.check("input[name=method][value=card]")
    with page.expect_response(chosen) as again:
        page.click("main form.stack button[type=submit]")
    assert again.value.headers["location"] == sessions[0]["url"]
    assert len(synced.objects["checkout_sessions"]) == 1
    assert len(synced.objects["customers"]) == 1


def chosen(response: Any) -> bool:
    return response.request.method == "POST" and response.url.endswith("/admin/billing/choose/")


def test_connecting_the_citys_own_domain(admin_city, live_server_url, page, fake_dns, settings):
    settings.INGRESS_ADDRESSES = ["203.0.113.10"]
    base = live_server_url.format(host=admin_city.host)
    sign_in(page, base)
    in_language(page, base, "en")
    page.goto(base + "/admin/site/domain/")
    page.fill("#id_domain", HOST)
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    domain = Domain.objects.get(domain=HOST, tenant_id=admin_city.model.pk)
    expected = challenge(domain)
    records = page.locator(".dns-records")
    assert expected.txt_name in records.inner_text()
    assert expected.txt_value in records.inner_text()
    assert f"{admin_city.host}." in records.inner_text()
    for language in ("en", "pl"):
        in_language(page, base, language)
        page.goto(base + "/admin/site/domain/")
        looks_right(page, f"custom-domain-records-{language}")

    # Checked before the record exists: what is missing, in the page.
    page.click(f"button:has-text('Sprawdź teraz'):has(span:text-is(' {HOST}'))")
    page.wait_for_load_state()
    missing = page.locator(".messages").inner_text()
    assert expected.txt_name in missing
    fake_dns.txt(expected.txt_name, expected.txt_value)
    fake_dns.a(HOST, "203.0.113.10")
    in_language(page, base, "en")
    page.goto(base + "/admin/site/domain/")
    page.click(f"button:has-text('Check now'):has(span:text-is(' {HOST}'))")
    page.wait_for_load_state()
    assert f"{HOST} is verified and serves your portal." in page.locator(".messages").inner_text()
    looks_right(page, "custom-domain-verified-en")
    route = resolve_host(HOST)
    assert route.kind == "city" and route.city is not None
    assert route.city.id == admin_city.model.pk
