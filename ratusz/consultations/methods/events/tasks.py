"""Event e-mails, sent in the background in the city that queued them; safe to run twice."""

from __future__ import annotations

import smtplib
from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from ratusz.consultations.methods.events import emails, selectors
from ratusz.consultations.methods.events.models import Registration, RegistrationStatus

RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(name="events.send_reminder", autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5)
def send_reminder(registration_id: int) -> bool:
    """Remind one registered person of tomorrow's event; `reminded_at` keeps it to once."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("user", "event")
            .filter(pk=registration_id, reminded_at__isnull=True)
            .first()
        )
        if registration is None or registration.status != RegistrationStatus.REGISTERED:
            return False
        sent = False
        if emails.wants_email(registration):
            emails.event_email(registration, "reminder").send()
            sent = True
        registration.reminded_at = timezone.now()
        registration.save(update_fields=["reminded_at"])
    return sent


@shared_task(name="events.send_reminders")
def send_reminders(now: str | None = None) -> int:
    """Queue the reminders of events starting within a day, in this city (beat runs it every
    hour in every city through `tenants.fan_out`). Returns how many were queued."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    ids = list(selectors.due_reminders(now=moment).values_list("pk", flat=True))
    for registration_id in ids:
        send_reminder.delay(registration_id)
    return len(ids)


@shared_task(
    name="events.send_promotion_email", autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5
)
def send_promotion_email(registration_id: int) -> bool:
    registration = (
        Registration.objects.select_related("user", "event").filter(pk=registration_id).first()
    )
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return False
    if not emails.wants_email(registration):
        return False
    emails.event_email(registration, "promoted").send()
    return True
