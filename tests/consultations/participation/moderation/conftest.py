"""Moderation fixtures: an idea and a comment to moderate, staff of another project, clients."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.models import Project
from ratusz.consultations.methods.ideation.models import Comment, Idea
from ratusz.consultations.methods.ideation.services import add_comment, post_idea
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


@pytest.fixture
def idea(resident, ideation_phase) -> Idea:
    return post_idea(
        author=resident,
        phase=ideation_phase,
        title="Ławki w parku",
        body="<p>Więcej ławek w cieniu drzew.</p>",
    )


@pytest.fixture
def comment(idea, neighbour) -> Comment:
    return add_comment(author=neighbour, idea=idea, body="Świetny pomysł, popieram.")


@pytest.fixture
def other_project(in_city) -> Project:
    return make_project("port")


@pytest.fixture
def other_manager(other_project) -> User:
    """A project manager, but of another project than `project`."""
    user = User.objects.create_user(
        "port@gdansk.example",
        PASSWORD,
        full_name="Ewa Portowa",
        role=Role.PROJECT_MANAGER,
        is_staff=True,
    )
    other_project.managers.add(user)
    return user
