"""People fixtures: registration fields made through the services, English clients, and the
the city's own URLs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from ratusz.accounts.models import User
from ratusz.celery import app
from ratusz.consultations.people import services
from ratusz.consultations.people.models import AskedAt, FieldKind, RegistrationField
from ratusz.consultations.people.services import OptionSpec
from ratusz.tenants.context import city_context

PASSWORD = "correct horse battery"


@pytest.fixture
def eager_tasks(monkeypatch) -> None:
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def english(city, user: User | None = None) -> Client:
    client = city.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


def make_district(**overrides: object) -> RegistrationField:
    options = {
        "key": "district",
        "label": {"pl": "Dzielnica", "en": "District"},
        "kind": FieldKind.CHOICE,
        "required": True,
        "asked_at": AskedAt.SIGNUP,
        "options": [
            OptionSpec("oliwa", {"pl": "Oliwa", "en": "Oliwa"}, Decimal("30")),
            OptionSpec("wrzeszcz", {"pl": "Wrzeszcz", "en": "Wrzeszcz"}, Decimal("45.5")),
            OptionSpec("other", {"pl": "Inna", "en": "Other"}),
        ],
    }
    options.update(overrides)
    return services.create_field(**options)  # type: ignore[arg-type]


def make_birth_year(**overrides: object) -> RegistrationField:
    options = {
        "key": "birth_year",
        "label": {"pl": "Rok urodzenia", "en": "Year of birth"},
        "kind": FieldKind.YEAR,
        "required": False,
        "asked_at": AskedAt.FIRST_ACTION,
    }
    options.update(overrides)
    return services.create_field(**options)  # type: ignore[arg-type]


@pytest.fixture
def district(in_city) -> RegistrationField:
    return make_district()


@pytest.fixture
def birth_year(in_city) -> RegistrationField:
    return make_birth_year()
