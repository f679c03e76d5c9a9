"""The whole resident journey in a real browser, with axe-core on every page:
sign up, confirm the e-mail, post an idea with a photo, comment, react; a project manager
answers and changes the status; the resident sees the notification and the answer."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from ratusz.accounts.models import Role, User
from ratusz.celery import app as celery_app
from ratusz.consultations.core import services
from ratusz.tenants.context import city_context
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def accessible(page, where: str) -> None:
    problems = axe_violations(page)
    assert not problems, f"{where}: {problems}"


def test_the_whole_resident_journey(
    make_city, live_server_url, page, tmp_path, settings, monkeypatch
):
    # E-mails are sent by tasks; run them in-process so the test backend captures them.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city = make_city(name="Gdańsk", slug="gdansk-journey", languages=["pl", "en"])
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
            title={"pl": "Pomysły"},
            permissions={"post": {"who": "confirmed"}},
        )
        services.publish_project(project=project)
        manager = User.objects.create_user(
            "pm@gdansk.example",
            "Haslo-Koordynatora-1",
            full_name="Piotr Koordynator",
            role=Role.PROJECT_MANAGER,
            is_staff=True,
        )
        project.managers.add(manager)
    base = live_server_url.format(host=city.host)
    mail.outbox.clear()

    # Sign up.
    page.goto(base + "/accounts/signup/")
    accessible(page, "sign-up")
    page.fill("input[name=full_name]", "Anna Mieszkanka")
    page.fill("input[name=email]", "anna@example.com")
    page.fill("input[name=password1]", "Bardzo-Dlugie-Haslo-2026")
    page.check("input[name=accept_policies]")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    # Not signed in yet: the same "check your e-mail" page a taken address gets.
    assert page.url == base + "/accounts/confirm-email/"
    accessible(page, "check your e-mail")
    assert page.locator("form[action='/accounts/logout/']").count() == 0

    # Confirm the e-mail from the message the test backend captured: the link is this city's.
    confirmation = next(m for m in mail.outbox if "anna@example.com" in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", str(confirmation.body))
    assert link is not None, confirmation.body
    assert city.host in link.group(0)
    page.goto(
        link.group(0)
        .replace("https://", "http://")
        .replace(city.host + "/", f"{city.host}:{base.rsplit(':', 1)[1]}/")
    )
    accessible(page, "confirm e-mail")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    # The link signed the new account in.
    assert page.locator("form[action='/accounts/logout/']").count() == 1

    # Post an idea with a photo.
    page.goto(base + "/projects/park/")
    accessible(page, "project")
    page.click("text=Zgłoś pomysł")
    accessible(page, "idea form")
    page.fill("input[name=title]", "Ławki w cieniu nad wodą")
    page.fill("textarea[name=body]", "Proponuję kilka ławek pod drzewami nad Motławą.")
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 40)).save(photo, format="PNG")
    page.set_input_files(
        "input[name=images]",
        files=[{"name": "lawka.png", "mimeType": "image/png", "buffer": photo.getvalue()}],
    )
    page.fill("input[name=image_description]", "Ławka pod drzewem")
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ławki w cieniu nad wodą"
    assert page.locator(".gallery img").get_attribute("alt") == "Ławka pod drzewem"
    idea_url = page.url
    accessible(page, "idea")

    # Comment (HTMX) and react (HTMX).
    page.fill("#id_body", "Latem bardzo by się przydały.")
    page.click(".comment-form button[type=submit]")
    page.wait_for_selector("text=Latem bardzo by się przydały.")
    page.click("#reactions-box form button[type=submit]")
    page.wait_for_selector("#reactions-box button[aria-pressed=true]")
    screenshot(page, "journey-idea-resident")

    # The project manager answers and changes the status, in another browser session.
    staff_context = page.context.browser.new_context(locale="pl-PL")
    staff = staff_context.new_page()
    staff.goto(base + "/accounts/login/")
    staff.fill("input[name=login]", "pm@gdansk.example")
    staff.fill("input[name=password]", "Haslo-Koordynatora-1")
    staff.click("main form button[type=submit]")
    staff.wait_for_load_state()
    if "/accounts/consent/" in staff.url:  # first sign-in: the city's terms
        staff.check("input[name=accept_policies]")
        staff.click("main form button[type=submit]")
        staff.wait_for_load_state()
    staff.goto(idea_url)
    staff.click("summary:has-text('Zmień status i odpowiedz')")
    staff.select_option("select[name=status]", label="Przyjęty")
    staff.fill("textarea[name=answer]", "Dziękujemy! Ławki staną nad Motławą w maju.")
    staff.click(".staff-box button[type=submit]")
    staff.wait_for_load_state()
    accessible(staff, "idea (staff)")
    staff_context.close()

    # The resident sees the notification and the answer.
    answer_mail = [
        m for m in mail.outbox if "anna@example.com" in m.to and "Ławki w cieniu" in m.body
    ]
    assert answer_mail, [m.subject for m in mail.outbox]
    page.goto(base + "/notifications/")
    accessible(page, "notifications")
    assert "Ławki w cieniu nad wodą" in page.content()
    page.click("text=Ławki w cieniu nad wodą")
    page.wait_for_load_state()
    assert (
        "Dziękujemy! Ławki staną nad Motławą w maju."
        in page.locator(".official-answer").inner_text()
    )
    assert "Przyjęty" in page.locator(".meta .status").first.inner_text()
    screenshot(page, "journey-idea-answered")
