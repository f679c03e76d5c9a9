"""Consultation fixtures, made through the same services production uses."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import clear_url_caches
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.celery import add_methods_periodic_tasks
from ratusz.celery import app as celery_app
from ratusz.consultations.core import services
from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.registry import Method, register, unregister
from ratusz.tenants.context import city_context
from tests.consultations.plugin_method.manifest import MANIFEST as PLUGIN_MANIFEST


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


# URL modules that loop over the method registry when they are imported; the back office's
# first, since the city's includes it.
URLCONFS_FROM_THE_REGISTRY = ("ratusz.consultations.backoffice.urls", "ratusz.urls_city")


def reload_urlconfs() -> None:
    """Import the registry's URL modules again and drop Django's cached resolvers
    (django-tenants' middleware names the city's URLconf by its dotted path, so a request
    resolves with the module as it is now)."""
    for name in URLCONFS_FROM_THE_REGISTRY:
        importlib.reload(importlib.import_module(name))
    clear_url_caches()


@pytest.fixture
def plugin_method() -> Iterator[Method]:
    """The throw-away method of tests/consultations/plugin_method/, registered the way a method
    package's AppConfig.ready() registers its manifest, for one test: its URLs mounted, its
    periodic tasks in the beat schedule; all taken back afterwards."""
    register(PLUGIN_MANIFEST)
    schedule = celery_app.conf.beat_schedule
    try:
        add_methods_periodic_tasks(celery_app)
        reload_urlconfs()
        yield PLUGIN_MANIFEST
    finally:
        unregister(PLUGIN_MANIFEST.key)
        celery_app.conf.beat_schedule = schedule
        reload_urlconfs()
