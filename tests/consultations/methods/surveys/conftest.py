"""Survey fixtures: a published project whose current phase is a survey with three pages and
a skip rule, built through the same services the back office uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.models import Phase
from ratusz.consultations.methods.surveys import services
from ratusz.consultations.methods.surveys.models import Question, Survey
from ratusz.tenants.context import city_context


def english(city, user: User | None = None) -> Client:
    client = city.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


def choices(*labels: str) -> list[dict[str, object]]:
    return [
        {"key": f"c{i}", "label": {"en": label, "pl": label}} for i, label in enumerate(labels, 1)
    ]


def make_survey_phase(slug: str = "rowery", **options: object) -> Phase:
    project = consultations.create_project(
        slug=slug, title={"pl": "Rowery w mieście", "en": "Cycling in the city"}
    )
    now = timezone.now()
    phase = consultations.add_phase(
        project=project,
        method="survey",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=20),
        title={"pl": "Ankieta", "en": "Survey"},
        options=dict(options) or None,
    )
    consultations.publish_project(project=project)
    return phase


def build_survey(staff: User, phase: Phase) -> Survey:
    """Page 1: do you cycle (required, "No" skips to page 3) and a comment; page 2: a scale
    and a long text; page 3: a number."""
    survey = services.ensure_survey(phase=phase)
    first = survey.pages.get()
    second = services.add_page(staff=staff, survey=survey, title={"en": "Cycling"})
    third = services.add_page(staff=staff, survey=survey, title={"en": "About you"})

    def ask(page, kind, text, required=False, **config):
        return services.save_question(
            staff=staff,
            survey=survey,
            page=page,
            kind=kind,
            text={"en": text, "pl": text},
            help_text={},
            required=required,
            config=config,
        )

    cycle = ask(first, "single", "Do you cycle?", True, choices=choices("Yes", "No"))
    ask(first, "short_text", "Your district")
    ask(
        second,
        "scale",
        "How safe do you feel?",
        True,
        min=1,
        max=5,
        min_label={"en": "Unsafe"},
        max_label={"en": "Safe"},
    )
    ask(second, "long_text", "What should change?")
    ask(third, "number", "Your age", min="0", max="120")
    services.add_rule(staff=staff, page=first, question=cycle, value="c2", target=third)
    return survey


@pytest.fixture
def survey_phase(in_city) -> Phase:
    return make_survey_phase()


@pytest.fixture
def survey(city_admin, survey_phase) -> Survey:
    return build_survey(city_admin, survey_phase)


def question(survey: Survey, text: str) -> Question:
    return survey.questions.get(text__en=text)
