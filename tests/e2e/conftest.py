"""Real-browser tests: Debian's chromium driven by Playwright, against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

# Fixtures of other folders the browser tests use: the Stripe and DNS stand-ins.
from tests.billing.conftest import fake_stripe, synced  # noqa: F401
from tests.tenants.fake_dns import fake_dns  # noqa: F401

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _static_files_then_the_app(wrapped):
    """Static files as `make run` serves them; uploaded files from the application's own
    route (ratusz.tenants.media), as `make run` serves them too, rather than from the media
    handler Django's live server puts in front (which would hide the headers residents get)."""
    return StaticFilesHandler(wrapped.application)


@pytest.fixture
def live_server_url(live_db) -> Iterator[str]:
    """A threaded WSGI server on a free port, serving committed data; `*.localhost` host names
    reach it from Chromium without touching /etc/hosts."""
    # Each request thread closes its database connection when the request ends, so none is
    # left open (kept alive by the browser) when the test database is dropped.
    db_settings = connections.settings["default"]
    max_age = db_settings["CONN_MAX_AGE"]
    db_settings["CONN_MAX_AGE"] = 0
    # The stubs ask for a handler class; Django only calls it with the wrapped application.
    thread = LiveServerThread("localhost", _static_files_then_the_app, port=0)  # type: ignore[arg-type]
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://{{host}}:{thread.port}"
    thread.terminate()
    db_settings["CONN_MAX_AGE"] = max_age


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="pl-PL")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (bundled with axe-playwright-python, no download) on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def readme_screenshot(page, name: str) -> None:
    """Screenshots shown in the README, refreshed by every run of the browser tests."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=label == "desktop")
    page.set_viewport_size(DESKTOP)
