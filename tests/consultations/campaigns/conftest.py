"""Fixtures for campaigns: tasks run eagerly (queued when `committed()` commits), e-mails land
in Django's locmem outbox, and a few people in Gdańsk to write to."""

from __future__ import annotations

import pytest
from django.core import mail

from ratusz.accounts.models import User
from ratusz.celery import app
from ratusz.consultations.campaigns import services
from ratusz.consultations.campaigns.models import Campaign
from ratusz.consultations.core.models import ResidentGroup
from tests.consultations.participation.notifications.conftest import person


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch) -> None:
    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def outbox(mailoutbox) -> list[mail.EmailMessage]:
    return mailoutbox


@pytest.fixture
def admin(city_admin, in_city) -> User:
    return city_admin


@pytest.fixture
def group(in_city) -> ResidentGroup:
    return ResidentGroup.objects.create(name="Rada seniorów")


@pytest.fixture
def members(group) -> list[User]:
    people = [
        person("ewa@example.com", "Ewa Polska"),
        person("emma@example.com", "Emma English", language="en"),
    ]
    group.members.add(*people)
    return people


def draft(admin: User, **overrides: object) -> Campaign:
    options: dict = {
        "author": admin,
        "subject": {"pl": "Zaproszenie na spotkanie", "en": "Invitation to a meeting"},
        "body": {
            "pl": "<p>Zapraszamy <strong>we wtorek</strong>.</p><script>alert(1)</script>",
            "en": "<p>Join us <strong>on Tuesday</strong>.</p>",
        },
        "audience": "everyone",
    }
    options.update(overrides)
    return services.create_campaign(**options)


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")
