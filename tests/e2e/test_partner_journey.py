"""A partner consultant's journey in a real browser (issue 6): signs in on the control plane,
sets up a municipality's portal through the partner wizard, watches the first-steps checklist
change as the city's first project is published in its back office, and loses access when the
city's administrator accepts the hand-over."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from ratusz.accounts.models import User
from ratusz.celery import app as celery_app
from ratusz.consultations.core.models import Project
from ratusz.onboarding import services as onboarding
from ratusz.onboarding.models import (
    PartnerAccess,
    PartnerCity,
    PartnerInvitation,
    PartnerMembership,
    PartnerOrganisation,
    SignInLink,
    Signup,
)
from ratusz.onboarding.selectors import city_ref
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Zielone-jablko-2024"
PARTNER_EMAIL = "konsultantka@partner.example"
ADMIN_EMAIL = "wojt@lesna.example"


def polish(text: str) -> str:
    """The browser speaks Polish; find texts by their Polish translation."""
    with translation.override("pl"):
        return gettext(text)


def first_project_item(page) -> str:
    """The checklist line of the first published project, in the city's dashboard row."""
    row = page.locator("tbody tr", has_text="Gmina Leśna")
    return row.locator("li", has_text=polish("First project published")).inner_text()


def test_partner_sets_up_a_city_follows_its_first_steps_and_hands_it_over(
    live_db, live_server_url, browser, settings, monkeypatch
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    port = live_server_url.rsplit(":", 1)[1]
    settings.PUBLIC_SCHEME = "http"  # links the app makes (hand-offs, e-mails) reach us
    settings.PUBLIC_PORT = port
    control = live_server_url.format(host="localhost")
    mail.outbox.clear()

    # The partner, made the way operators make one: an organisation and an invitation.
    organisation = onboarding.create_partner_organisation(name="Konsultanci Leśni")
    issued = onboarding.invite_partner(
        organisation=organisation, email=PARTNER_EMAIL, invited_by=None
    )
    onboarding.accept_partner_invitation(
        token=issued.token, full_name="Kasia Konsultantka", password=PASSWORD
    )

    partner = browser.new_context(locale="pl-PL")
    administrator = browser.new_context(locale="pl-PL")
    try:
        page = partner.new_page()
        # Signs in on the control plane.
        page.goto(control + "/partners/sign-in/")
        page.fill("input[name=login]", PARTNER_EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(control + "/partners/")

        # Sets up a portal for a municipality through the partner wizard.
        page.click("a[href='/partners/new-city/']")
        page.wait_for_url(re.compile(r"/partners/new-city/"))
        page.fill("input[name=name]", "Gmina Leśna")
        page.wait_for_function("document.querySelector('input[name=slug]').value === 'gmina-lesna'")
        page.fill("input[name=slug]", "lesna")
        page.locator("#slug-status p:not(.errors)").wait_for()
        page.fill("input[name=population]", "9000")
        page.fill("input[name=admin_name]", "Jan Wójt")
        page.fill("input[name=admin_email]", ADMIN_EMAIL)
        page.check("input[name=template][value=idea-box]")
        page.check("input[name=accept_terms]")
        page.click("main form button[type=submit]")
        page.wait_for_url(control + "/partners/", timeout=30_000)

        # The dashboard lists it, its first project not published yet.
        city = City.objects.get(slug="lesna")
        assert PartnerCity.objects.get(city_id=city.pk).organisation_id == organisation.pk
        item = first_project_item(page)
        assert polish("To do:") in item and polish("Done:") not in item
        violations = axe_violations(page)
        assert not violations, violations
        screenshot(page, "partner-dashboard")

        # A second tab keeps the dashboard as it is now, with its "open the back office" button.
        stale = partner.new_page()
        stale.goto(control + "/partners/")

        # Into the city's back office (a one-time hand-off), where the partner publishes the
        # project the template made.
        with city_context(city_ref(city)):
            project = Project.objects.get()
            assert project.status != "published"
        page.click(f"form[action='/partners/cities/{city.pk}/open/'] button")
        page.wait_for_url(re.compile(r"^http://lesna\.localhost:\d+/admin/"), timeout=30_000)
        city_host = f"http://lesna.localhost:{port}"
        page.goto(f"{city_host}/admin/projects/{project.slug}/")
        page.click(f"form[action='/admin/projects/{project.slug}/publish/'] button")
        page.wait_for_url(f"{city_host}/admin/projects/{project.slug}/")
        with city_context(city_ref(city)):
            assert Project.objects.get(pk=project.pk).status == "published"

        # The dashboard shows the step done.
        page.goto(control + "/partners/")
        item = first_project_item(page)
        assert polish("Done:") in item and polish("To do:") not in item

        # The city's administrator signs in with the e-mailed link and accepts the hand-over.
        message = next(m for m in mail.outbox if ADMIN_EMAIL in m.to)
        link = re.search(r"http://\S+/welcome/sign-in/[-\w]+/", str(message.body))
        assert link is not None, message.body
        admin_page = administrator.new_page()
        admin_page.goto(link.group(0))
        admin_page.click("main form button[type=submit]")
        admin_page.wait_for_url(re.compile(r"/admin/"))
        admin_page.goto(f"{city_host}/welcome/partner-access/")
        assert not admin_page.is_checked("input[name=keep_as_consultant]")
        admin_page.click("form:has(input[name=action][value=hand-over]) button[type=submit]")
        admin_page.wait_for_url(f"{city_host}/welcome/partner-access/")
        assert polish("Handed over") in admin_page.inner_text("main")
        assert PartnerCity.objects.get(city_id=city.pk).access == PartnerAccess.ENDED

        # The partner's access has ended: the back office no longer lets the partner in...
        response = page.goto(f"{city_host}/admin/")
        assert response is not None
        assert not re.match(rf"^{city_host}/admin/", page.url), page.url
        assert "/accounts/login/" in page.url
        # ...a new hand-off from the dashboard (the tab opened before) is refused...
        with stale.expect_navigation():
            stale.click(f"form[action='/partners/cities/{city.pk}/open/'] button")
        assert stale.url == control + f"/partners/cities/{city.pk}/open/"
        assert polish("The city has ended your organisation's access.") in stale.inner_text("main")
        # ...and the dashboard says the city was handed over, with no way in.
        page.goto(control + "/partners/")
        row = page.locator("tbody tr", has_text="Gmina Leśna")
        assert polish("Handed over") in row.inner_text()
        assert row.locator(f"form[action='/partners/cities/{city.pk}/open/']").count() == 0
        with city_context(city_ref(city)):
            assert not User.objects.get(email=PARTNER_EMAIL).is_active
    finally:
        partner.close()
        administrator.close()
        # Control-plane rows this test made (the city itself is purged by live_db).
        SignInLink.objects.all().delete()
        Signup.objects.all().delete()
        PartnerCity.objects.filter(organisation=organisation).delete()
        PartnerMembership.objects.filter(organisation=organisation).delete()
        PartnerInvitation.objects.filter(organisation=organisation).delete()
        PartnerOrganisation.objects.filter(pk=organisation.pk).delete()
