"""Uploads in a real browser, in Polish and English, on a phone and a desktop: a resident posts
an idea with a phone's photo (it shows; its location does not travel with it) and sees a
too-large image refused with a message while what they typed stays; an administrator sets a
logo sent as `poly.html` (a PNG with HTML appended: it is stored and served as a plain PNG) and
sees a pixel bomb refused while the logo already saved stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core import services
from ratusz.tenants.context import city_context
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, screenshot
from tests.tenants.upload_samples import HOSTILE_CONTENTS, jpeg_with_location

pytestmark = pytest.mark.browser

PASSWORD = "Bardzo-Dlugie-Haslo-2026"
MESSAGES = {
    "pl": {"submit_idea": "Zgłoś pomysł"},
    "en": {"submit_idea": "Submit an idea"},
}
TOO_MANY_PIXELS = "40"  # the limit is in the message, whatever the language


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:  # first sign-in: the city's terms
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def fetched(page, src: str) -> dict[str, str]:
    """The stored file as the browser gets it: its headers and its bytes (as Latin-1 text)."""
    return page.evaluate(
        """async (src) => {
            const answer = await fetch(src);
            const bytes = new Uint8Array(await answer.arrayBuffer());
            return {
                type: answer.headers.get("content-type"),
                nosniff: answer.headers.get("x-content-type-options"),
                body: Array.from(bytes, (b) => String.fromCharCode(b)).join(""),
            };
        }""",
        src,
    )


def both_sizes(page, name: str) -> None:
    """Screenshots on a phone and a desktop; nothing may be wider than the phone's screen."""
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= viewport["width"], f"{name}: {scroll_width}px wide at {label} size"
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_photos_and_logos_in_the_browser(
    make_city, live_server_url, browser, tmp_path, settings, language
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city = make_city(name="Gdańsk", slug=f"gdansk-uploads-{language}", languages=["pl", "en"])
    with city_context(city.ref):
        project = services.create_project(
            slug="park", title={"pl": "Park nad Motławą", "en": "Motława park"}
        )
        now = timezone.now()
        services.add_phase(
            project=project,
            method="ideation",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=30),
            title={"pl": "Pomysły", "en": "Ideas"},
        )
        services.publish_project(project=project)
        User.objects.create_user("anna@example.com", PASSWORD, full_name="Anna Mieszkanka")
        User.objects.create_user(
            "admin@gdansk.example",
            PASSWORD,
            full_name="Jan Administrator",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    base = live_server_url.format(host=city.host)
    context = browser.new_context(locale="pl-PL" if language == "pl" else "en-GB")
    context.add_cookies(
        [
            {
                "name": "ratusz_language",
                "value": language,
                "url": base.split("//")[0] + "//" + city.host,
            }
        ]
    )
    page = context.new_page()
    page.set_viewport_size(DESKTOP)

    # A resident's idea with a phone's photo.
    sign_in(page, base, "anna@example.com")
    page.goto(base + "/projects/park/ideas/new/")
    page.fill("input[name=title]", "Ławki w cieniu nad wodą")
    page.fill("textarea[name=body]", "Kilka ławek pod drzewami nad Motławą.")
    page.set_input_files(
        "input[name=images]",
        files=[{"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": jpeg_with_location()}],
    )
    page.fill("input[name=image_description]", "Ławka pod drzewem")
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ławki w cieniu nad wodą"
    photo = page.locator(".gallery img")
    src = photo.get_attribute("src") or ""
    assert src.endswith(".jpg") and "IMG_0001" not in src
    served = fetched(page, src)
    assert served["type"] == "image/jpeg" and served["nosniff"] == "nosniff"
    assert "PhoneMaker" not in served["body"] and "my home" not in served["body"]
    assert page.evaluate("document.querySelector('.gallery img').naturalWidth") == 64
    both_sizes(page, f"upload-idea-photo-{language}")

    # Too many pixels: refused with a message, what was typed stays.
    page.goto(base + "/projects/park/ideas/new/")
    page.fill("input[name=title]", "Drugi pomysł z dużym zdjęciem")
    page.fill("textarea[name=body]", "Ten tekst nie może zginąć.")
    page.set_input_files(
        "input[name=images]",
        files=[
            {
                "name": "panorama.png",
                "mimeType": "image/png",
                "buffer": HOSTILE_CONTENTS["30000x30000 png"],
            }
        ],
    )
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator("[role=alert]", has_text="panorama.png")
    assert errors.is_visible() and TOO_MANY_PIXELS in errors.inner_text()
    assert page.locator("textarea[name=body]").input_value() == "Ten tekst nie może zginąć."
    assert not axe_violations(page)
    both_sizes(page, f"upload-idea-refused-{language}")
    context.clear_cookies()
    context.add_cookies(
        [
            {
                "name": "ratusz_language",
                "value": language,
                "url": base.split("//")[0] + "//" + city.host,
            }
        ]
    )

    # An administrator's logo sent as poly.html, then a pixel bomb.
    sign_in(page, base, "admin@gdansk.example")
    page.goto(base + "/admin/site/")
    page.set_input_files(
        "#id_logo",
        files=[
            {"name": "poly.html", "mimeType": "text/html", "buffer": HOSTILE_CONTENTS["png+html"]}
        ],
    )
    page.fill("#id_logo_alt_pl", "Herb Gdańska")
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".messages").is_visible()
    logo = page.locator(".site-header img.brand-logo")
    logo_src = logo.get_attribute("src") or ""
    assert logo_src.endswith(".png") and "poly" not in logo_src
    served = fetched(page, logo_src)
    assert served["type"] == "image/png" and served["nosniff"] == "nosniff"
    assert "<script" not in served["body"]

    page.set_input_files(
        "#id_logo",
        files=[
            {
                "name": "herb-duzy.png",
                "mimeType": "image/png",
                "buffer": HOSTILE_CONTENTS["30000x30000 png"],
            }
        ],
    )
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator("[role=alert]", has_text="herb-duzy.png").first
    assert errors.is_visible() and TOO_MANY_PIXELS in errors.inner_text()
    assert page.locator(".site-header img.brand-logo").get_attribute("src") == logo_src
    both_sizes(page, f"upload-logo-refused-{language}")
    context.close()
