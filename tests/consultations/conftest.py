"""Consultation fixtures, made through the same services production uses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.consultations.core import services
from ratusz.consultations.core.models import Phase, Project
from ratusz.tenants.context import city_context


@pytest.fixture
def in_city(city) -> Iterator[None]:
    """Run the test body in `city`'s schema."""
    with city_context(city.ref):
        yield


def make_project(slug: str = "park", *, published: bool = True, **options) -> Project:
    project = services.create_project(
        slug=slug,
        title={"pl": "Park nad Motławą", "en": "A park on the Motława"},
        description={"pl": "<p>Jak ma wyglądać park?</p>"},
    )
    now = timezone.now()
    services.add_phase(
        project=project,
        method="information",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=10),
        title={"pl": "Informacja", "en": "Information"},
    )
    services.add_phase(
        project=project,
        method="ideation",
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=20),
        title={"pl": "Zbieranie pomysłów", "en": "Collecting ideas"},
        options=options or None,
    )
    if published:
        services.publish_project(project=project)
    return project


@pytest.fixture
def project(in_city) -> Project:
    return make_project()


@pytest.fixture
def ideation_phase(project) -> Phase:
    return project.phases.get(method="ideation")


@pytest.fixture
def manager(in_city, project) -> User:
    user = User.objects.create_user(
        "koordynator@gdansk.example",
        "correct horse battery",
        full_name="Piotr Zieliński",
        role=Role.PROJECT_MANAGER,
        is_staff=True,
    )
    project.managers.add(user)
    return user


@pytest.fixture
def neighbour(in_city) -> User:
    return User.objects.create_user(
        "sasiad@example.com", "correct horse battery", full_name="Ola Sąsiad"
    )
