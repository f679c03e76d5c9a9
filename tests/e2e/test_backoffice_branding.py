"""An administrator changes the portal's colours and logo in the back office and sees them on
the residents' pages, in a real browser; axe finds no serious problem on the branding pages;
another city's portal never shows them."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ratusz.accounts.models import Role, User
from ratusz.tenants.context import city_context
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Haslo-Administratora-1"


def accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, f"{where}: {problems}"


def test_an_administrator_rebrands_the_portal(make_city, live_server_url, page, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city = make_city(name="Gdańsk", slug="gdansk-brand", languages=["pl", "en"])
    other = make_city(name="Sopot", slug="sopot-brand", languages=["pl"])
    with city_context(city.ref):
        User.objects.create_user(
            "admin@gdansk.example",
            PASSWORD,
            full_name="Anna Admin",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    logo = tmp_path / "herb.png"
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), (200, 30, 30)).save(buffer, format="PNG")
    logo.write_bytes(buffer.getvalue())
    base = live_server_url.format(host=city.host)

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "admin@gdansk.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:  # first sign-in: the city's terms
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    page.goto(base + "/admin/site/")
    accessible(page, "branding page")

    # An unreadable colour is refused with the ratio and a better shade; nothing is saved.
    page.fill("#id_primary_color", "#ffcc00")
    page.click("main form.stack button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert "#ffcc00" in page.locator(".error-summary").inner_text()
    accessible(page, "branding page with errors")
    screenshot(page, "branding-refused-colour")

    page.fill("#id_primary_color", "#0b5e3c")
    page.set_input_files("#id_logo", str(logo))
    page.fill("#id_logo_alt_pl", "Herb Gdańska")
    page.click("main form.stack button[type=submit]")
    assert page.locator(".messages").is_visible()

    page.goto(base + "/")
    brand = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert brand == "rgb(11, 94, 60)"
    logo_img = page.locator(".site-header img.brand-logo")
    assert logo_img.get_attribute("alt") == "Herb Gdańska"
    assert "/branding/" in (logo_img.get_attribute("src") or "")
    accessible(page, "home page with the new look")
    screenshot(page, "branding-home")

    for path in (
        "/admin/site/languages/",
        "/admin/site/pages/",
        "/admin/site/links/",
        "/admin/site/domain/",
    ):
        page.goto(base + path)
        accessible(page, path)

    # Sopot's portal keeps its own look.
    page.goto(live_server_url.format(host=other.host) + "/")
    other_brand = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert other_brand != "rgb(11, 94, 60)"
    assert page.locator("img.brand-logo").count() == 0
