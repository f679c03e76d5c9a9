"""The main pages of both planes in Chromium under the Content-Security-Policy: the portal's
map, survey and event pages, the back office's dashboard with its charts, the authenticator
set-up (a QR code as a data: image), the console and the sign-up wizard with its HTMX check.
Any `securitypolicyviolation` event, console error or script error fails the test. The same
pages also work with JavaScript off, and are photographed on a phone and a desktop, in Polish
and English, for people to look at (test-artifacts/csp-*.png)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.events.models import Event
from ratusz.tenants.context import city_context
from tests.e2e.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser

TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f80f0000010100005a4d6e2e0000000049454e44ae426082"
)
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


class Watched:
    """A browser page that records every policy violation, console error and script error."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        # The map's tiles come from the configured tile server: answered here, after the
        # policy has let the request go (a refused one never reaches the route).
        tiles = settings.MAP_TILE_URL.split("{", 1)[0]
        page.context.route(
            f"{tiles}**", lambda route: route.fulfill(body=TILE, content_type="image/png")
        )

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def visit(self, url: str, *, expect_map: bool = False) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        if expect_map:
            self.page.wait_for_selector(".leaflet-tile-loaded", timeout=10_000)
        self.page.wait_for_load_state("networkidle")
        self.check()

    def check(self) -> None:
        violations = self.page.evaluate("window.__violations || []")
        self.problems += [f"{self.page.url}: {v}" for v in violations]
        assert self.problems == []


def _pages(content_city) -> dict[str, str]:
    """Paths of the city pages worth a look, found in the city's content."""
    now = timezone.now()
    with city_context(content_city.ref):
        ideation = Phase.objects.filter(
            method="ideation", starts_at__lte=now, ends_at__gte=now, project__status="published"
        ).first()
        survey = Phase.objects.filter(
            method="survey", starts_at__lte=now, ends_at__gte=now + timedelta(minutes=5)
        ).first()
        event = Event.objects.exclude(latitude=None).first()
        assert ideation and survey and event
        urlconf = settings.CITY_URLCONF
        return {
            "home": "/",
            "map": reverse("project", args=[ideation.project.slug], urlconf=urlconf) + "?view=map",
            "idea-form": reverse("idea-create", args=[ideation.project.slug], urlconf=urlconf),
            "survey": reverse("surveys:answer", args=[survey.pk], urlconf=urlconf),
            "event": reverse("events:detail", args=[event.pk], urlconf=urlconf),
            "dashboard": "/admin/dashboard/",
            "people": "/admin/people/",
            "authenticator": "/accounts/2fa/totp/activate/",
        }


def _sign_in(page: Any, content_city, base: str) -> None:
    """An administrator's session, as the city's sign-in would make it."""
    client = Client(HTTP_HOST=content_city.host)
    with city_context(content_city.ref):
        client.force_login(User.objects.get(email=content_city.admin_email))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


@pytest.mark.parametrize("language", ["pl", "en"])
def test_city_pages_run_under_the_policy(content_city, live_server_url, browser, language):
    base = live_server_url.format(host=content_city.host)
    paths = _pages(content_city)
    context = browser.new_context(locale=f"{language}-{language.upper()}", viewport=DESKTOP)
    try:
        page = context.new_page()
        watched = Watched(page)
        page.goto(base + "/")
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
        )
        _sign_in(page, content_city, base)
        for name, path in paths.items():
            watched.visit(base + path, expect_map=name in {"map", "idea-form", "event"})
            for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                if name in {"map", "dashboard", "survey", "home"}:
                    page.set_viewport_size(viewport)
                    screenshot(page, f"csp-{name}-{language}-{label}")
            page.set_viewport_size(DESKTOP)
        # The map's markers came through fetch (connect-src) and open their popups.
        watched.visit(base + paths["map"], expect_map=True)
        assert page.locator(".leaflet-marker-icon").count() > 0
        page.locator(".leaflet-marker-icon").first.click()
        assert page.locator(".leaflet-popup-content a").count() == 1
        # Picking a place on the idea form fills the coordinates.
        watched.visit(base + paths["idea-form"], expect_map=True)
        page.locator("#place-picker").click()
        assert page.locator("#id_latitude").input_value() != ""
        watched.check()
    finally:
        context.close()


def test_city_pages_work_without_javascript(content_city, live_server_url, browser):
    base = live_server_url.format(host=content_city.host)
    context = browser.new_context(locale="pl-PL", java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(base + "/")
        _sign_in(page, content_city, base)
        for name, path in _pages(content_city).items():
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            assert page.locator("h1").count() >= 1, path
            # Nothing scrolls sideways on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
            if name == "map":
                # Without the map the ideas stay in the list.
                assert page.locator(".idea-cards li").count() > 0
            if name == "idea-form":
                assert page.locator("#id_latitude").is_visible()
            if name in {"map", "dashboard"}:
                screenshot(page, f"csp-{name}-nojs-phone")
    finally:
        context.close()


def test_console_and_wizard_run_under_the_policy(live_db, live_server_url, browser):
    control = live_server_url.format(host=settings.BASE_DOMAIN)
    operator = User.objects.create_user(
        "csp-console@ratusz.example", "correct horse battery", role=Role.OPERATOR
    )
    secret = generate_totp_secret()
    TOTP.activate(operator, secret)
    context = browser.new_context(locale="pl-PL", viewport=DESKTOP)
    try:
        page = context.new_page()
        watched = Watched(page)
        # The wizard: the subdomain is suggested from the name (static script) and checked
        # through HTMX; nothing inline runs.
        for language in ("pl", "en"):
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": control}]
            )
            watched.visit(control + "/signup/")
            page.fill("#id_name", "Nowe Łąki")
            assert page.locator("#id_slug").input_value() == "nowe-laki"
            page.wait_for_selector("#slug-status :text-matches('.+')", timeout=10_000)
            for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                page.set_viewport_size(viewport)
                screenshot(page, f"csp-wizard-{language}-{label}")
            page.set_viewport_size(DESKTOP)
            watched.check()

        # The console, after the real sign-in with the second factor.
        watched.visit(control + "/accounts/login/")
        page.fill("input[name=login]", operator.email)
        page.fill("input[name=password]", "correct horse battery")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_selector("input[name=code]")
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        page.fill("input[name=code]", code)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
        watched.visit(control + "/console/")
        assert "/console/" in page.url
        screenshot(page, "csp-console-desktop")
    finally:
        context.close()
