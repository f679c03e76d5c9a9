"""Reports fixtures: two projects with ideas, comments and reactions made through the
ideation services, exports running in-process, and files kept in a temporary folder."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from ratusz.accounts.models import Role, User
from ratusz.celery import app as celery_app
from ratusz.consultations.core.models import Project
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus
from ratusz.consultations.methods.ideation.services import (
    add_comment,
    change_status,
    post_idea,
    react,
)
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project

PASSWORD = "correct horse battery"


def english(city, user: User | None = None) -> Client:
    """A client of `city` reading English pages, logged in as `user` if given."""
    client = city.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def eager(monkeypatch) -> None:
    """Tasks run in-process, through the same task code a worker runs."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def idea(resident, ideation_phase) -> Idea:
    return post_idea(
        author=resident,
        phase=ideation_phase,
        title='=HYPERLINK("http://evil.example")',
        body="<p>Więcej ławek w cieniu drzew.</p>",
    )


@pytest.fixture
def anonymous_idea(ideation_phase) -> Idea:
    ideation_phase.options = {**ideation_phase.options, "anonymous_posting": True}
    ideation_phase.save(update_fields=["options"])
    shy = User.objects.create_user("niesmialy@example.com", PASSWORD, full_name="Tajny Autor")
    return post_idea(
        author=shy,
        phase=ideation_phase,
        title="Cicha strefa",
        body="<p>Strefa ciszy przy bibliotece.</p>",
        anonymous=True,
    )


@pytest.fixture
def discussion(idea, neighbour, city_admin):
    """A comment, two reactions and an official answer on `idea`."""
    comment = add_comment(author=neighbour, idea=idea, body="+48 popieram")
    react(user=neighbour, idea=idea, kind=1)
    react(user=idea.author, idea=idea, kind=1)
    answered = IdeaStatus.objects.filter(is_final=True).first()
    assert answered is not None  # every city gets final statuses
    change_status(staff=city_admin, idea=idea, status=answered, answer="<p>Zrobimy to.</p>")
    return comment


@pytest.fixture
def other_project(in_city) -> Project:
    return make_project("port")


@pytest.fixture
def other_idea(other_project, neighbour) -> Idea:
    return post_idea(
        author=neighbour,
        phase=other_project.phases.get(method="ideation"),
        title="Prom do Westerplatte",
        body="<p>Częściej.</p>",
    )


@pytest.fixture
def other_manager(other_project) -> User:
    user = User.objects.create_user(
        "port@gdansk.example",
        PASSWORD,
        full_name="Ewa Portowa",
        role=Role.PROJECT_MANAGER,
        is_staff=True,
    )
    other_project.managers.add(user)
    return user
