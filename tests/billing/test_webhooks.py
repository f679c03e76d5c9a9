"""Stripe webhooks: verified, stored once, processed by re-reading Stripe, so replays and
out-of-order deliveries end in the same state; the lifecycle follows the subscription."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from ratusz.billing import services, tasks
from ratusz.billing.models import BillingAccount, HistoryEntry, Invoice, WebhookEvent
from ratusz.billing.selectors import billing_banner
from ratusz.tenants.models import City, CityStatus
from tests.billing.conftest import post_webhook
from tests.billing.fake_stripe import event_payload, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(city, synced, with_legal_details):
    """Gdańsk on Standard, paying by card through Checkout (completed on Stripe's side)."""
    services.choose_plan(
        city=city.model,
        plan_code="standard",
        interval="month",
        currency="PLN",
        method="card",
        success_url="https://x/ok",
        cancel_url="https://x/no",
    )
    session = next(iter(synced.objects["checkout_sessions"].values()))
    subscription = synced.complete_checkout(session["id"])
    return session, subscription


def process_all(now=None) -> list[str]:
    return [
        services.process_webhook_event(event_pk=pk, now=now)
        for pk in WebhookEvent.objects.filter(processed_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    ]


def city_row(city) -> City:
    return City.objects.get(pk=city.model.pk)


def test_checkout_completed_starts_the_plan(
    city, control_client, subscribed, eager_tasks, committed
):
    session, subscription = subscribed
    with committed():
        response = post_webhook(control_client, "checkout.session.completed", session)
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.processed_at is not None  # the task ran (eagerly, on commit)
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.stripe_subscription_id == subscription["id"]
    assert account.subscription_status == "active"
    assert city_row(city).plan == "standard"
    assert city_row(city).features["custom_domain"] is True


def test_a_replayed_event_is_stored_and_processed_once(city, control_client, subscribed):
    session, _subscription = subscribed
    for _ in range(3):
        response = post_webhook(
            control_client, "checkout.session.completed", session, event_id="evt_same"
        )
        assert response.status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert process_all() == [f"city {city.model.pk}: subscription active"]
    assert process_all() == []
    stored = WebhookEvent.objects.get()
    assert services.process_webhook_event(event_pk=stored.pk) == stored.outcome
    assert WebhookEvent.objects.get().attempts == 1


def test_out_of_order_events_end_in_stripes_current_state(city, control_client, subscribed, synced):
    session, subscription = subscribed
    # Stripe went: active -> past_due -> active again (paid). The events arrive reversed.
    stale_past_due = {**subscription, "status": "past_due"}
    post_webhook(control_client, "customer.subscription.updated", subscription, event_id="evt_3")
    post_webhook(control_client, "customer.subscription.updated", stale_past_due, event_id="evt_2")
    post_webhook(control_client, "checkout.session.completed", session, event_id="evt_1")
    process_all()
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.subscription_status == "active"  # what Stripe says now, not the last event
    assert account.grace_ends_at is None
    assert city_row(city).status == CityStatus.ACTIVE


def test_a_forged_signature_is_refused_and_changes_nothing(
    city, control_client, subscribed, synced
):
    _session, subscription = subscribed
    synced.set_subscription_status(subscription["id"], "unpaid")
    body = event_payload("customer.subscription.updated", subscription)
    for header in (sign(body, "whsec_wrong"), "t=1,v1=deadbeef", ""):
        response = control_client.post(
            "/billing/webhooks/stripe/",
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
        assert response.status_code == 400
    # A body changed after signing is refused too.
    signed = sign(body, "whsec_test_secret")
    tampered = body.replace("customer.subscription.updated", "invoice.paid")
    response = control_client.post(
        "/billing/webhooks/stripe/",
        data=tampered,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed,
    )
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0
    assert BillingAccount.objects.get(city_id=city.model.pk).subscription_status == ""
    assert city_row(city).status == CityStatus.ACTIVE


def test_an_old_timestamp_is_refused(control_client, fake_stripe):
    body = event_payload("invoice.paid", {"id": "in_1"})
    old = sign(body, "whsec_test_secret", timestamp=int(timezone.now().timestamp()) - 3600)
    response = control_client.post(
        "/billing/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=old,
    )
    assert response.status_code == 400


def test_webhooks_are_refused_without_a_configured_secret(control_client, manual_mode):
    body = event_payload("invoice.paid", {"id": "in_1"})
    response = control_client.post(
        "/billing/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, "whsec_test_secret"),
    )
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_subscription_of_an_unknown_city_is_recorded_and_skipped(control_client, synced):
    synced.objects.setdefault("customers", {})["cus_stranger"] = {
        "id": "cus_stranger",
        "object": "customer",
    }
    price_id = next(iter(synced.objects["prices"]))
    stranger = synced._new_subscription(
        customer="cus_stranger",
        price_id=price_id,
        metadata={"city_id": "999999"},
        collection_method="send_invoice",
    )
    assert (
        post_webhook(control_client, "customer.subscription.created", stranger).status_code == 200
    )
    assert process_all() == [f"no city for subscription {stranger['id']}"]
    assert not BillingAccount.objects.filter(city_id=999999).exists()


def test_a_webhook_for_a_deleted_city_keeps_the_record_and_moves_no_city(control_client, synced):
    # A purged city leaves its billing rows (accounting records) behind, keyed by its old id.
    gone = BillingAccount.objects.create(
        city_id=987_654, stripe_customer_id="cus_gone", subscription_status="active", plan="starter"
    )
    synced.objects.setdefault("customers", {})["cus_gone"] = {
        "id": "cus_gone",
        "object": "customer",
    }
    price_id = next(iter(synced.objects["prices"]))
    subscription = synced._new_subscription(
        customer="cus_gone",
        price_id=price_id,
        metadata={"city_id": "987654"},
        collection_method="send_invoice",
    )
    synced.set_subscription_status(subscription["id"], "canceled")
    post_webhook(control_client, "customer.subscription.deleted", subscription)
    assert process_all() == ["city 987654 no longer exists; subscription recorded"]
    gone.refresh_from_db()
    assert gone.subscription_status == "canceled"
    assert not gone.suspended_by_billing


def test_past_due_gives_a_grace_period_then_suspends_then_paying_reactivates(
    city, control_client, subscribed, synced
):
    session, subscription = subscribed
    post_webhook(control_client, "checkout.session.completed", session)
    process_all()
    now = timezone.now()

    synced.set_subscription_status(subscription["id"], "past_due")
    post_webhook(control_client, "customer.subscription.updated", subscription)
    process_all(now=now)
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.grace_ends_at == now + timedelta(days=14)
    assert city_row(city).status == CityStatus.ACTIVE
    banner = billing_banner(city.model.pk, now=now)
    assert banner is not None and banner.level == "warning"
    assert account.grace_ends_at.date().isoformat() in banner.message

    # Stripe gives up: unpaid. Still within grace: the city keeps running.
    synced.set_subscription_status(subscription["id"], "unpaid")
    post_webhook(control_client, "customer.subscription.updated", subscription)
    process_all(now=now + timedelta(days=3))
    assert city_row(city).status == CityStatus.ACTIVE
    assert services.check_grace_periods(now=now + timedelta(days=13)) == []
    assert city_row(city).status == CityStatus.ACTIVE

    # The grace period runs out.
    assert services.check_grace_periods(now=now + timedelta(days=14, minutes=1)) == [city.model.pk]
    assert city_row(city).status == CityStatus.SUSPENDED
    suspended = billing_banner(city.model.pk)
    assert suspended is not None and "suspended" in suspended.message

    # Paid again: the invoice is paid, the subscription active, the city back.
    invoice = next(iter(synced.objects["invoices"].values()))
    synced.pay_invoice(invoice["id"])
    synced.set_subscription_status(subscription["id"], "active")
    post_webhook(control_client, "invoice.paid", invoice)
    process_all(now=now + timedelta(days=20))
    assert city_row(city).status == CityStatus.ACTIVE
    account.refresh_from_db()
    assert account.grace_ends_at is None and not account.suspended_by_billing
    assert Invoice.objects.get(stripe_invoice_id=invoice["id"]).status == "paid"
    assert billing_banner(city.model.pk) is None


def test_an_operator_suspension_is_not_lifted_by_a_payment(
    city, control_client, subscribed, synced
):
    from ratusz.tenants.services import change_city_status

    session, _subscription = subscribed
    change_city_status(city=city.model, status=CityStatus.SUSPENDED)  # e.g. abuse
    post_webhook(control_client, "checkout.session.completed", session)
    process_all()
    assert city_row(city).status == CityStatus.SUSPENDED


def test_a_city_billed_outside_stripe_is_never_suspended_by_stripe(
    city, control_client, subscribed, synced
):
    session, subscription = subscribed
    post_webhook(control_client, "checkout.session.completed", session)
    process_all()
    services.mark_billed_outside_stripe(city=city.model, note="Framework agreement 2025")
    synced.set_subscription_status(subscription["id"], "unpaid")
    post_webhook(control_client, "customer.subscription.updated", subscription)
    later = timezone.now() + timedelta(days=60)
    process_all(now=later)
    assert services.check_grace_periods(now=later) == []
    assert city_row(city).status == CityStatus.ACTIVE


def test_events_billing_does_not_use_are_stored_and_ignored(control_client, fake_stripe):
    post_webhook(control_client, "charge.refunded", {"id": "ch_1", "object": "charge"})
    assert process_all() == ["ignored"]
    assert json.loads(json.dumps(WebhookEvent.objects.get().payload))["type"] == "charge.refunded"


# --- Stored but never queued (the broker was down) -------------------------------------------


class Broker:
    """Queuing the webhook task fails while down, as it does while Redis is down."""

    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch
        self.delay = tasks.process_stripe_event.delay

    def down(self) -> None:
        def refuse(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        self.monkeypatch.setattr(tasks.process_stripe_event, "delay", refuse)

    def back(self) -> None:
        self.monkeypatch.setattr(tasks.process_stripe_event, "delay", self.delay)


@pytest.fixture
def broker_down(monkeypatch) -> Broker:
    broker = Broker(monkeypatch)
    broker.down()
    return broker


def test_an_event_stored_while_the_broker_is_down_is_queued_by_the_sweeper(
    city, control_client, subscribed, broker_down, eager_tasks, committed
):
    session, subscription = subscribed
    with committed():
        response = post_webhook(control_client, "checkout.session.completed", session)
    assert response.status_code == 200  # Stripe must not retry: the event is stored
    event = WebhookEvent.objects.get()
    assert (event.processed_at, event.queued_at) == (None, None)

    broker_down.back()
    # Not before a minute has passed: its own task may still be on the way.
    assert services.queue_unprocessed_webhook_events(now=event.received_at) == []
    later = event.received_at + timedelta(minutes=2)
    assert services.queue_unprocessed_webhook_events(now=later) == [event.pk]
    event.refresh_from_db()
    assert event.processed_at is not None and event.queued_at == later
    account = BillingAccount.objects.get(city_id=city.model.pk)
    assert account.stripe_subscription_id == subscription["id"]
    assert city_row(city).plan == "standard"
    # Swept again: nothing left to queue, and processing it again applies nothing twice.
    assert services.queue_unprocessed_webhook_events(now=later + timedelta(hours=1)) == []
    history = list(HistoryEntry.objects.filter(city_id=city.model.pk).values_list("kind"))
    assert services.process_webhook_event(event_pk=event.pk) == event.outcome
    assert list(HistoryEntry.objects.filter(city_id=city.model.pk).values_list("kind")) == history
    assert WebhookEvent.objects.get().attempts == 1


def test_the_sweeper_leaves_recently_queued_and_exhausted_events_alone(fake_stripe, broker_down):
    now = timezone.now()
    fresh, _waiting, lost, _exhausted = (
        WebhookEvent.objects.create(
            event_id=f"evt_{name}", type="ping", payload={}, queued_at=queued, attempts=attempts
        )
        for name, queued, attempts in [
            ("fresh", None, 0),
            ("waiting", now - timedelta(minutes=5), 1),  # its task waits to retry
            ("lost", now - timedelta(hours=1), 1),
            ("exhausted", None, services.WEBHOOK_MAX_ATTEMPTS),
        ]
    )
    WebhookEvent.objects.exclude(pk=fresh.pk).update(received_at=now - timedelta(hours=2))
    queued: list[int] = []
    broker_down.monkeypatch.setattr(
        tasks.process_stripe_event, "delay", lambda pk: queued.append(pk)
    )
    assert services.queue_unprocessed_webhook_events(now=now) == [lost.pk]
    assert queued == [lost.pk]


def test_the_sweeper_runs_every_minute(settings):
    from ratusz.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["billing-queue-unprocessed-webhooks"]
    assert entry["task"] == "billing.queue_unprocessed_webhook_events"
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0
