"""A resident registers for an event in a real browser; the pages pass axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core import services
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.events.models import Registration, RegistrationStatus
from ratusz.tenants.context import city_context
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_a_resident_registers_for_an_event(make_city, live_server_url, page):
    city = make_city(name="Gdańsk", slug="gdansk-events", languages=["pl", "en"])
    with city_context(city.ref):
        project = services.create_project(slug="spacery", title={"pl": "Spacery badawcze"})
        now = timezone.now()
        phase = services.add_phase(
            project=project,
            method="events",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=30),
            title={"pl": "Spotkania"},
        )
        services.publish_project(project=project)
        starts = now + timedelta(days=3)
        event = events.create_event(
            phase=phase,
            details=events.EventDetails(
                title={"pl": "Spacer po Oruni", "en": "Walk around Orunia"},
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place={"pl": "Park Oruński"},
                capacity=10,
            ),
        )
        User.objects.create_user("anna@example.com", "Bardzo-Dlugie-Haslo-2026", full_name="Anna")
    base = live_server_url.format(host=city.host)

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "anna@example.com")
    page.fill("input[name=password]", "Bardzo-Dlugie-Haslo-2026")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/consent/" in page.url:  # first sign-in: the city's terms
        page.check("input[name=accept_policies]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{base}/events/{event.pk}/")
    assert not axe_violations(page), axe_violations(page)
    page.click("main form[action$='/register/'] button")
    page.wait_for_load_state()
    assert page.locator("main .notice").first.is_visible()
    assert not axe_violations(page), axe_violations(page)
    with city_context(city.ref):
        registration = Registration.objects.get(event=event)
        assert registration.status == RegistrationStatus.REGISTERED
    page.goto(f"{base}/events/")
    assert page.get_by_text("Spacer po Oruni").first.is_visible()
    assert not axe_violations(page), axe_violations(page)
