"""Billing fixtures: the Stripe stand-in server (started here, reached over HTTP by the real
`stripe` library), Stripe settings, and helpers to post signed webhooks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe
from django.test import Client

from ratusz.accounts.models import User
from ratusz.billing import services
from ratusz.celery import app
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City, CityStatus
from ratusz.tenants.services import change_city_status
from tests.billing.fake_stripe import FakeStripe, event_payload, sign

WEBHOOK_SECRET = "whsec_test_secret"
PASSWORD = "correct horse battery"


@pytest.fixture
def fake_stripe(settings, monkeypatch) -> Iterator[FakeStripe]:
    server = FakeStripe().start()
    monkeypatch.setattr(stripe, "api_base", server.url)
    settings.STRIPE_SECRET_KEY = "sk_test_ratusz"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def synced(fake_stripe) -> FakeStripe:
    """Stripe with the plans synced (products and prices exist)."""
    from ratusz.billing import gateway

    gateway.sync_plans()
    return fake_stripe


@pytest.fixture
def manual_mode(settings, monkeypatch) -> Iterator[FakeStripe]:
    """No Stripe key; a stand-in server still listens, to prove nothing calls it."""
    server = FakeStripe().start()
    monkeypatch.setattr(stripe, "api_base", server.url)
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def eager_tasks(monkeypatch) -> None:
    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def with_legal_details(city):
    return services.save_legal_details(
        city=city.model,
        legal_name="Gmina Miasta Gdańska",
        address_line1="ul. Nowe Ogrody 8/12",
        postal_code="80-803",
        address_city="Gdańsk",
        country="PL",
        tax_id="583-000-11-90",
        billing_email="faktury@gdansk.example",
    )


def post_webhook(
    client: Client,
    event_type: str,
    obj: dict,
    *,
    event_id: str | None = None,
    secret: str = WEBHOOK_SECRET,
    payload: str | None = None,
):
    body = payload or event_payload(event_type, obj, event_id)
    return client.post(
        "/billing/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, secret),
    )


def login(city, user: User) -> Client:
    client = city.client()
    with city_context(city.ref):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def in_trial(city) -> City:
    """Put the (session) city back in trial, as a new city would be; rolled back after the test."""
    change_city_status(city=city.model, status=CityStatus.SUSPENDED)
    return change_city_status(city=city.model, status=CityStatus.TRIAL)
