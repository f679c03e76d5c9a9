"""Stripe's webhook events: stored once, queued (by task name) and applied once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ratusz.billing import gateway
from ratusz.billing.models import (
    WebhookEvent,
)
from ratusz.billing.services.accounts import _now
from ratusz.billing.services.invoices import sync_invoice
from ratusz.billing.services.subscriptions import _int, sync_subscription
from ratusz.tenants.queue import task_named

# A stored event still unprocessed this long after it arrived was never queued (the broker
# was down) or its task was lost: the sweeper queues it again. An event queued again within
# WEBHOOK_REQUEUE_AFTER is left alone (its task may be waiting to retry while Stripe is down),
# and one that failed WEBHOOK_MAX_ATTEMPTS times waits for a person.
WEBHOOK_STALE_AFTER = timedelta(minutes=1)


WEBHOOK_REQUEUE_AFTER = timedelta(minutes=15)


WEBHOOK_MAX_ATTEMPTS = 20


def record_webhook_event(*, event: dict[str, Any]) -> WebhookEvent | None:
    """Store a verified Stripe event once; None when it was received before (a replay).

    Its processing is queued once the event is stored; if the broker is down then, Stripe
    still gets its 200 (the event is safe with us) and the sweeper queues it later."""
    obj = (event.get("data") or {}).get("object") or {}
    try:
        with transaction.atomic():
            if WebhookEvent.objects.filter(event_id=event["id"]).exists():
                return None
            stored = WebhookEvent.objects.create(
                event_id=event["id"],
                type=str(event.get("type", "")),
                object_id=str(obj.get("id", "")),
                payload=event,
            )
            stored_pk = stored.pk
            transaction.on_commit(lambda: _queue_webhook_event(stored_pk), robust=True)
    except IntegrityError:  # the same event delivered twice at once
        return None
    return stored


def _queue_webhook_event(event_pk: int, now: datetime | None = None) -> None:
    task_named("billing.process_stripe_event").delay(event_pk)
    WebhookEvent.objects.filter(pk=event_pk).update(queued_at=_now(now))


def queue_unprocessed_webhook_events(*, now: datetime | None = None) -> list[int]:
    """Queue the stored events nobody processed (see WEBHOOK_STALE_AFTER); returns their ids.

    Safe to run any number of times: processing an event twice applies it once."""
    now = _now(now)
    stale = WebhookEvent.objects.filter(
        processed_at=None,
        received_at__lte=now - WEBHOOK_STALE_AFTER,
        attempts__lt=WEBHOOK_MAX_ATTEMPTS,
    ).filter(Q(queued_at=None) | Q(queued_at__lte=now - WEBHOOK_REQUEUE_AFTER))
    ids = list(stale.order_by("pk").values_list("pk", flat=True)[:500])
    for event_pk in ids:
        _queue_webhook_event(event_pk, now)
    return ids


def process_webhook_event(*, event_pk: int, now: datetime | None = None) -> str:
    """Act on a stored event by re-reading the object's current state from Stripe.

    Once only: the event's row is locked while it is processed, so a second task for the same
    event (queued again by the sweeper while the first was still waiting) waits and then
    finds it processed."""
    WebhookEvent.objects.filter(pk=event_pk, processed_at=None).update(attempts=F("attempts") + 1)
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.processed_at is not None:
            return event.outcome
        kind, object_id = event.type, event.object_id
        if kind.startswith("customer.subscription."):
            outcome = sync_subscription(subscription_id=object_id, now=now)
        elif kind == "checkout.session.completed":
            session = gateway.retrieve_checkout_session(object_id)
            if session.subscription:
                outcome = sync_subscription(
                    subscription_id=session.subscription,
                    city_id=_int(session.city_id),
                    now=now,
                )
            else:
                outcome = "checkout without a subscription"
        elif kind.startswith("invoice."):
            outcome = sync_invoice(invoice_id=object_id, now=now)
        else:
            outcome = "ignored"
        event.processed_at = timezone.now()
        event.outcome = outcome[:300]
        event.save(update_fields=["processed_at", "outcome"])
    return outcome
