"""Onboarding fixtures: the wizard's input, captured e-mails, partner organisations and
consultants made through the same services production uses."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from ratusz.accounts.models import User
from ratusz.celery import app
from ratusz.onboarding import services
from ratusz.onboarding.models import PartnerOrganisation
from ratusz.tenants.db import connection

PASSWORD = "Zielone-jablko-2024"
SIGN_IN_LINK = re.compile(r"https?://([^/\s]+)(/welcome/sign-in/[-\w]+/)")


@pytest.fixture
def outbox(monkeypatch, mailoutbox) -> list[mail.EmailMessage]:
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    return mailoutbox


def wizard_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Gmina Zielona",
        "country": "PL",
        "population": "12000",
        "languages": ["pl", "en"],
        "default_language": "pl",
        "slug": "zielona",
        "admin_name": "Ewa Wójt",
        "admin_email": "ewa@zielona.example",
        "plan": "trial",
        "template": "idea-box",
        "accept_terms": "on",
        "idempotency_key": str(uuid.uuid4()),
        "website": "",
    }
    data.update(overrides)
    return data


def sign_in_link(body: str) -> tuple[str, str]:
    match = SIGN_IN_LINK.search(body)
    assert match is not None, body
    return match.group(1), match.group(2)


def host_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0]


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def control() -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture
def organisation(db) -> PartnerOrganisation:
    connection.set_schema_to_public()
    return services.create_partner_organisation(name="Konsultanci Sp. z o.o.")


@pytest.fixture
def other_organisation(db) -> PartnerOrganisation:
    connection.set_schema_to_public()
    return services.create_partner_organisation(name="Inna Firma")


def make_partner(organisation: PartnerOrganisation, email: str) -> User:
    connection.set_schema_to_public()
    issued = services.invite_partner(organisation=organisation, email=email, invited_by=None)
    return services.accept_partner_invitation(
        token=issued.token, full_name="Konsultant " + email.split("@")[0], password=PASSWORD
    )


@pytest.fixture
def partner(organisation) -> User:
    return make_partner(organisation, "konsultant@partner.example")


@pytest.fixture
def other_partner(other_organisation) -> User:
    return make_partner(other_organisation, "ktos@inna.example")
