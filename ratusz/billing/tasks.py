"""Billing's Celery tasks. They run on the control plane (queued from public, or with no
city header) and take ids, never objects."""

from __future__ import annotations

from celery import shared_task

from ratusz.billing import gateway, services


@shared_task(
    name="billing.process_stripe_event",
    autoretry_for=(gateway.StripeUnavailable,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=10,
)
def process_stripe_event(event_pk: int) -> str:
    return services.process_webhook_event(event_pk=event_pk)


@shared_task(name="billing.check_grace_periods")
def check_grace_periods() -> list[int]:
    return services.check_grace_periods()


@shared_task(name="billing.send_trial_reminders")
def send_trial_reminders() -> int:
    return services.send_trial_reminders()


@shared_task(name="billing.queue_unprocessed_webhook_events")
def queue_unprocessed_webhook_events() -> int:
    return len(services.queue_unprocessed_webhook_events())
