"""The resident's pages in a real browser: accessible (axe-core), on a phone and a desktop."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core import services
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.consultations.methods.ideation.services import (
    Location,
    add_comment,
    change_status,
    post_idea,
    react,
)
from ratusz.tenants.context import city_context
from tests.e2e.conftest import axe_violations, readme_screenshot

pytestmark = pytest.mark.browser


def fill_city(city) -> int:
    with city_context(city.ref):
        topic = services.create_topic(slug="zielen", name={"pl": "Zieleń", "en": "Greenery"})
        project = services.create_project(
            slug="park-oliwski",
            title={"pl": "Nowe życie Parku Oliwskiego", "en": "A new life for Oliwa Park"},
            description={
                "pl": "<p>Zbieramy pomysły mieszkańców na ławki, oświetlenie i zieleń.</p>"
            },
            topics=[topic],
        )
        now = timezone.now()
        services.add_phase(
            project=project,
            method="information",
            starts_at=now - timedelta(days=30),
            ends_at=now - timedelta(days=14),
            title={"pl": "Spotkania informacyjne"},
        )
        services.add_phase(
            project=project,
            method="ideation",
            starts_at=now - timedelta(days=14),
            ends_at=now + timedelta(days=30),
            title={"pl": "Zgłaszanie pomysłów"},
        )
        services.publish_project(project=project)
        phase = project.phases.get(method="ideation")
        anna = User.objects.create_user("anna@example.com", "x-password-1", full_name="Anna Nowak")
        jan = User.objects.create_user(
            "jan@example.com", "x-password-1", full_name="Jan Wiśniewski"
        )
        staff = User.objects.create_user(
            "urzad@example.com",
            "x-password-1",
            full_name="Urząd Miejski",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
        idea = post_idea(
            author=anna,
            phase=phase,
            title="Ławki w cieniu przy stawie",
            body="<p>Przy stawie brakuje ławek w cieniu. Proponuję cztery ławki pod lipami.</p>",
            topics=[topic],
            location=Location(Decimal("54.4125"), Decimal("18.5610"), "Staw"),
        )
        post_idea(
            author=jan,
            phase=phase,
            title="Oświetlenie alejki do katedry",
            body="<p>Wieczorem alejka jest zupełnie ciemna.</p>",
        )
        add_comment(author=jan, idea=idea, body="Świetny pomysł, latem trudno tam usiąść.")
        react(user=jan, idea=idea, kind=1)
        change_status(
            staff=staff,
            idea=idea,
            status=IdeaStatus.objects.get(code="accepted"),
            answer="<p>Dziękujemy! Ławki staną przy stawie w maju.</p>",
        )
        return idea.pk


def test_home_project_and_idea_pages_are_accessible_on_phone_and_desktop(
    make_city, live_server_url, page
):
    city = make_city(name="Gdańsk", slug="gdansk-pages", languages=["pl", "en"])
    idea_id = fill_city(city)
    base = live_server_url.format(host=city.host)
    for path, name, heading in [
        ("/", "home", "Konsultacje społeczne: Gdańsk"),
        ("/projects/park-oliwski/", "project", "Nowe życie Parku Oliwskiego"),
        (f"/ideas/{idea_id}/", "idea", "Ławki w cieniu przy stawie"),
    ]:
        page.goto(base + path)
        assert page.locator("h1").first.inner_text() == heading
        problems = axe_violations(page)
        assert not problems, f"{path}: {problems}"
        readme_screenshot(page, name)
    # The official answer and the history are on the idea page.
    assert "Ławki staną przy stawie w maju." in page.content()
