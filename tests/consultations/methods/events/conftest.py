"""Event fixtures, made through the services production uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core import services
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.events.models import Event


def make_events_project(slug: str = "spacery", **phase_options) -> Project:
    project = services.create_project(
        slug=slug, title={"pl": "Spacery badawcze", "en": "Research walks"}
    )
    now = timezone.now()
    services.add_phase(
        project=project,
        method="events",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
        title={"pl": "Spotkania", "en": "Meetings"},
        options=phase_options or None,
    )
    services.publish_project(project=project)
    return project


def make_event(phase: Phase | None, *, capacity: int | None = 2, days: int = 3, **extra) -> Event:
    starts = timezone.now() + timedelta(days=days)
    details = events.EventDetails(
        title=extra.pop("title", {"pl": "Spacer po Oruni", "en": "Walk around Orunia"}),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=extra.pop("place", {"pl": "Park Oruński, brama główna"}),
        capacity=capacity,
        **extra,
    )
    return events.create_event(details=details, phase=phase)


@pytest.fixture
def events_project(in_city) -> Project:
    return make_events_project()


@pytest.fixture
def events_phase(events_project) -> Phase:
    return events_project.phases.get(method="events")


@pytest.fixture
def event(events_phase) -> Event:
    return make_event(events_phase)


def person(email: str, name: str = "Ktoś") -> User:
    return User.objects.create_user(email, "correct horse battery", full_name=name)


@pytest.fixture
def events_manager(in_city, events_project) -> User:
    user = User.objects.create_user(
        "pm-wydarzenia@gdansk.example",
        "correct horse battery",
        full_name="Ewa Koordynatorka",
        role=Role.PROJECT_MANAGER,
        is_staff=True,
    )
    events_project.managers.add(user)
    return user
