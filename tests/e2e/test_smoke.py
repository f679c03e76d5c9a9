"""Smoke test in a real browser: the control plane and a city portal, with its language."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser


def test_control_plane_and_city_portals_in_a_real_browser(make_city, live_server_url, page):
    gdansk = make_city(name="Gdańsk", slug="gdansk-e2e", languages=["pl", "en"])
    springfield = make_city(
        name="Springfield",
        slug="springfield-e2e",
        default_language="en",
        languages=["en"],
        country="US",
    )

    page.goto(live_server_url.format(host=settings.BASE_DOMAIN) + "/")
    assert page.title() == "Ratusz: konsultacje społeczne dla Twojego miasta"
    assert page.locator("html").get_attribute("lang") == "pl"
    screenshot(page, "control-plane")

    page.goto(live_server_url.format(host=gdansk.host) + "/")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("header .brand").inner_text() == "Gdańsk"
    assert page.locator("h1").inner_text() == "Konsultacje społeczne: Gdańsk"
    screenshot(page, "city-gdansk")

    # The visitor switches the portal to English; the choice sticks to this city only.
    page.select_option("#language-select", "en")
    page.click(".language-switch button")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Public consultations: Gdańsk"

    page.goto(live_server_url.format(host=springfield.host) + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Public consultations: Springfield"

    response = page.goto(live_server_url.format(host=f"nowhere.{settings.BASE_DOMAIN}") + "/")
    assert response.status == 404
    assert "Pod tym adresem nie ma portalu konsultacji" in page.locator("h1").inner_text()


def test_keyboard_users_can_skip_to_the_content(make_city, live_server_url, page):
    city = make_city(name="Sopot", slug="sopot-e2e")
    page.goto(live_server_url.format(host=city.host) + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
