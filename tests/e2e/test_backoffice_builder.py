"""The project builder in a real browser, with axe-core on every builder page: an administrator
creates a project, gives it an information phase and then an ideation phase, sets who may post,
previews and publishes it; residents then find it on the portal's home page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.models import Project, PublicationStatus
from ratusz.tenants.context import city_context
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Haslo-Administratora-1"


def accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, f"{where}: {problems}"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_administrator_builds_and_publishes_a_project(make_city, live_server_url, page):
    city = make_city(name="Gdańsk", slug="gdansk-builder", languages=["pl", "en"])
    with city_context(city.ref):
        User.objects.create_user(
            "admin-builder@gdansk.example",
            PASSWORD,
            full_name="Ewa Administratorka",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    base = live_server_url.format(host=city.host)

    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "admin-builder@gdansk.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:  # first sign-in: the city's terms
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    # The project list, then a new project.
    page.goto(base + "/admin/projects/")
    accessible(page, "project list")
    page.click("main a[href='/admin/projects/new/']")
    page.wait_for_load_state()
    accessible(page, "new project")
    page.fill("input[name=slug]", "zielony-rynek")
    page.fill("input[name=title_pl]", "Zielony Rynek")
    page.fill("input[name=title_en]", "A green market square")
    page.fill("textarea[name=description_pl]", "Jak zazielenić Rynek? Czekamy na pomysły.")
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/admin/projects/zielony-rynek/timeline/")

    # Bad input explains itself: a phase that ends before it starts.
    now = timezone.now().replace(second=0, microsecond=0)
    page.fill("input[name=title_pl]", "Informacja")
    page.select_option("select[name=method]", "information")
    page.fill("input[name=starts_at]", local(now - timedelta(days=2)))
    page.fill("input[name=ends_at]", local(now - timedelta(days=3)))
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    accessible(page, "timeline with errors")

    # Two phases: information, then ideation.
    page.fill("input[name=ends_at]", local(now + timedelta(days=1)))
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    page.fill("input[name=title_pl]", "Zbieranie pomysłów")
    page.select_option("select[name=method]", "ideation")
    page.fill("input[name=starts_at]", local(now + timedelta(days=1)))
    page.fill("input[name=ends_at]", local(now + timedelta(days=30)))
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".bo-phase").count() == 2
    accessible(page, "timeline")
    screenshot(page, "builder-timeline")

    # Who may post in the ideation phase, and the idea form.
    page.locator(".bo-phase").nth(1).locator("a[href$='/settings/']").click()
    page.wait_for_load_state()
    accessible(page, "phase settings")
    page.check("input[name=who_post][value=confirmed]")
    page.check("input[name=reaction_mode][value=likes_dislikes]")
    page.select_option("select[name=field_location]", "required")
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state()
    screenshot(page, "builder-phase-settings")

    # The details page, a preview, then publishing.
    page.goto(base + "/admin/projects/zielony-rynek/")
    accessible(page, "project details")
    assert page.locator("main a[href='/projects/zielony-rynek/']").count() == 1  # the preview
    page.click(".bo-actions form[action$='/publish/'] button")
    page.wait_for_load_state()
    accessible(page, "project published")
    with city_context(city.ref):
        project = Project.objects.get(slug="zielony-rynek")
        assert project.status == PublicationStatus.PUBLISHED
        ideation = project.phases.get(method="ideation")
        assert ideation.permissions["post"]["who"] == "confirmed"
        assert ideation.options["fields"]["location"] == "required"

    # A resident (not signed in) finds it on the home page.
    resident_context = page.context.browser.new_context(locale="pl-PL")
    resident = resident_context.new_page()
    resident.goto(base + "/")
    assert "Zielony Rynek" in resident.content()
    resident_context.close()
