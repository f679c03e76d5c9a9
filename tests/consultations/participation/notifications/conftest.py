"""Fixtures for notifications: an idea in Gdańsk with people involved in it, e-mails captured
(tasks run eagerly, queued when the test's `committed()` block "commits")."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from ratusz.accounts.models import User
from ratusz.celery import app
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch) -> None:
    """Tasks run in-process (nothing is left in the broker), once `committed()` commits."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def outbox(mailoutbox) -> list[mail.EmailMessage]:
    return mailoutbox


@pytest.fixture(autouse=True)
def _no_swallowed_errors(caplog) -> Iterator[None]:
    """Notifications log (instead of raising) what fails after a commit; in tests, fail."""
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


def person(email: str, full_name: str = "", **extra: object) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=full_name, **extra)


@pytest.fixture
def idea(resident, ideation_phase) -> Idea:
    """Anna Nowak's idea in Gdańsk (her account has no language: Gdańsk's Polish applies)."""
    return post_idea(
        author=resident,
        phase=ideation_phase,
        title="Ławki w parku",
        body="<p>Więcej ławek w cieniu.</p>",
    )


def status(code: str) -> IdeaStatus:
    return IdeaStatus.objects.get(code=code)


class CityClient(Client):
    """A test client that hands the connection back to the schema the test was in (a request
    leaves it on public), so that assertions after a request read the city's tables."""

    def request(self, **request: Any) -> Any:
        tenant = connection.tenant
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(tenant)


def client_for(city, user: User | None = None, language: str = "en", **defaults: Any) -> Client:
    client = CityClient(HTTP_HOST=city.host, **defaults)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        with city_context(city.ref):
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
