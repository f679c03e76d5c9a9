"""A resident fills and submits a participatory-budget basket in a real browser (HTMX updates
the total and what is left), with axe-core finding no serious or critical problems."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from ratusz.accounts.models import User
from ratusz.consultations.methods.voting import selectors
from ratusz.tenants.context import city_context
from tests.consultations.methods.voting.conftest import make_vote
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, f"{where}: {problems}"


def test_a_resident_fills_and_submits_a_budget_basket(make_city, live_server_url, page):
    city = make_city(name="Gdańsk", slug="gdansk-budzet", languages=["pl", "en"])
    with city_context(city.ref):
        vote = make_vote(costs=(40_000, 30_000, 20_000, 10_000, 5_000), min_spend=50_000)
        resident = User.objects.create_user(
            "anna@example.com", "Bardzo-Dlugie-Haslo-2026", full_name="Anna Mieszkanka"
        )
        # A vote is for confirmed e-mail addresses unless the city chooses otherwise.
        EmailAddress.objects.create(
            user=resident, email=resident.email, verified=True, primary=True
        )
    base = live_server_url.format(host=city.host)

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "anna@example.com")
    page.fill("input[name=password]", "Bardzo-Dlugie-Haslo-2026")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:  # first sign-in: the city's terms
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    page.goto(base + "/projects/budzet/")
    panel = page.locator("#voting-panel")
    assert "60\u00a0000 zł" in panel.inner_text()
    accessible(page, "empty basket")

    # Add the 30 000 idea: HTMX swaps the panel, the amount left drops to 30 000.
    page.click("#voting-panel li:has-text('Pomysł 2') button.voting-add")
    page.wait_for_selector("#voting-panel .message.success")
    assert "30\u00a0000 zł" in page.locator("#voting-summary").inner_text()
    # The 40 000 idea no longer fits: no button, and the reason in words.
    first = page.locator("#voting-panel li:has-text('Pomysł 1')")
    assert first.locator("button").count() == 0
    assert first.locator(".voting-no-room").count() == 1

    # Below the minimum spend, submitting is refused with the reason.
    page.click("#voting-panel .voting-submit")
    page.wait_for_selector("#voting-panel .message.error")
    assert "50\u00a0000 zł" in page.locator("#voting-panel .message.error").inner_text()

    page.click("#voting-panel li:has-text('Pomysł 3') button.voting-add")
    page.wait_for_selector("#voting-panel li.voting-chosen:has-text('Pomysł 3')")
    assert "10\u00a0000 zł" in page.locator("#voting-summary").inner_text()
    accessible(page, "filled basket")
    screenshot(page, "budget-basket")

    page.click("#voting-panel .voting-submit")
    page.wait_for_selector("#voting-panel .voting-submitted")
    accessible(page, "submitted basket")
    with city_context(city.ref):
        basket = selectors.basket_of(resident, vote.phase)
        assert basket.submitted and basket.spent == 50_000

    # While the vote is open the resident can withdraw and change the basket again.
    page.click("#voting-panel button.voting-withdraw")
    page.wait_for_selector("#voting-panel .voting-submit")
    with city_context(city.ref):
        assert not selectors.basket_of(resident, vote.phase).submitted
