"""A city signs itself up in a real browser: from the landing page through the wizard to its
new portal's back office, signed in; then the administrator's e-mailed one-time link confirms
the address, and works only once."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from ratusz.celery import app as celery_app
from ratusz.onboarding.models import SignInLink, Signup
from ratusz.tenants.models import City
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def test_sign_up_from_the_landing_page_to_the_back_office(
    live_db, live_server_url, page, settings, monkeypatch
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    port = live_server_url.rsplit(":", 1)[1]
    # Links the app makes (the hand-off, the e-mail) point at the live server.
    settings.PUBLIC_SCHEME = "http"
    settings.PUBLIC_PORT = port
    control = live_server_url.format(host="localhost")
    mail.outbox.clear()
    try:
        page.goto(control + "/")
        assert not axe_violations(page), axe_violations(page)
        page.get_by_role("link", name=re.compile("portal", re.I)).first.click()
        page.wait_for_url(re.compile(r"/signup/"))
        assert not axe_violations(page), axe_violations(page)

        page.fill("input[name=name]", "Gmina Przeglądarkowa")
        # The subdomain is suggested from the name and checked as one types (HTMX).
        page.wait_for_function(
            "document.querySelector('input[name=slug]').value === 'gmina-przegladarkowa'"
        )
        page.fill("input[name=slug]", "admin")
        # The browser speaks Polish: look for the refusal by its role, not its words.
        page.locator("#slug-status .errors").wait_for()
        assert "admin" in page.inner_text("#slug-status")
        page.fill("input[name=slug]", "przegladarkowa")
        page.locator("#slug-status p:not(.errors)").wait_for()
        page.fill("input[name=population]", "8000")
        page.check("input[name=languages][value=en]")
        page.fill("input[name=admin_name]", "Ola Sołtys")
        page.fill("input[name=admin_email]", "ola@przegladarkowa.example")
        page.check("input[name=template][value=participatory-budget]")
        page.check("input[name=accept_terms]")
        screenshot(page, "signup-wizard")
        page.click("form button[type=submit]")

        # Signed in to the new portal's back office, on the city's own host.
        page.wait_for_url(
            re.compile(r"^http://przegladarkowa\.localhost:\d+/admin/"), timeout=30_000
        )
        assert page.locator("main").is_visible()
        screenshot(page, "signup-back-office")
        city = City.objects.get(slug="przegladarkowa")
        assert Signup.objects.get(city_id=city.pk).confirmed_at is None

        # The e-mailed link: one click confirms the address and signs in.
        message = next(m for m in mail.outbox if "ola@przegladarkowa.example" in m.to)
        link = re.search(r"http://\S+/welcome/sign-in/[-\w]+/", str(message.body))
        assert link is not None, message.body
        page.context.clear_cookies()
        page.goto(link.group(0))
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/"))
        assert Signup.objects.get(city_id=city.pk).confirmed_at is not None

        # A second use of the same link gets a clear page.
        again = page.goto(link.group(0))
        assert again is not None and again.status == 410
    finally:
        SignInLink.objects.all().delete()
        Signup.objects.all().delete()
