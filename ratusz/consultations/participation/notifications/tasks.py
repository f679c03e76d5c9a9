"""Notification e-mails, sent in the background. Every task runs in the city that queued it
(ratusz.tenants.tasks.CityAwareTask), takes ids, and is safe to run twice."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone

from ratusz.consultations.participation.notifications import selectors, services
from ratusz.consultations.participation.notifications.schedule import DIGEST_LOCAL_HOUR

# A day, and an hour's grace for a late beat; `emailed_at` keeps anything from going twice.
DIGEST_WINDOW = timedelta(hours=25)
# The mail server may be briefly away; the e-mail waits and tries again.
RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    name="notifications.send_notification_email",
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    return services.email_notification(notification_id=notification_id)


@shared_task(
    name="notifications.send_welcome_email",
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    max_retries=5,
)
def send_welcome_email(user_id: int) -> bool:
    return services.email_welcome(user_id=user_id)


@shared_task(
    name="notifications.send_digest", autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5
)
def send_digest(user_id: int, since: str) -> int:
    return services.email_digest(user_id=user_id, since=datetime.fromisoformat(since))


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests(local_hour: int | None = DIGEST_LOCAL_HOUR) -> int:
    """Queue one digest per person who chose the daily summary, in this city.

    Beat runs it every hour in every city (through `tenants.fan_out`); it acts only in the
    hour when it is `local_hour` o'clock in the city's own time zone (None: now). Returns how
    many digests were queued."""
    city = selectors.current_city()
    now = timezone.now()
    if local_hour is not None and now.astimezone(ZoneInfo(city.time_zone)).hour != local_hour:
        return 0
    since = (now - DIGEST_WINDOW).isoformat()
    queued = 0
    for user_id in selectors.daily_readers().values_list("pk", flat=True):
        send_digest.delay(user_id, since)
        queued += 1
    return queued


# The sweeper leaves a just-queued e-mail to its own task, and lets news older than two days go
# (they stay on the notifications page; a digest of stale news helps nobody).
SWEEP_SETTLE = timedelta(minutes=10)
SWEEP_HORIZON = timedelta(days=2)


@shared_task(name="notifications.sweep_unsent_emails")
def sweep_unsent_emails() -> int:
    """Queue again the instant e-mails whose task never ran (the broker was down at commit).

    Beat runs it in every live city; `send_notification_email` stamps what it sends, so an
    e-mail queued twice still goes once. Returns how many it queued."""
    ids = list(
        selectors.unsent_instant(
            now=timezone.now(), settle=SWEEP_SETTLE, horizon=SWEEP_HORIZON
        ).values_list("pk", flat=True)
    )
    for notification_id in ids:
        send_notification_email.delay(notification_id)
    return len(ids)
