"""Campaign sending in the background: one batch per task run, in the city that queued it
(ratusz.tenants.queue.CityAwareTask); the next batch is queued until none is pending."""

from __future__ import annotations

import smtplib

from celery import shared_task

from ratusz.consultations.campaigns import services

RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    name="campaigns.send_campaign_batch",
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    max_retries=8,
)
def send_campaign_batch(campaign_id: int, batch_size: int = services.BATCH_SIZE) -> int:
    """Returns how many e-mails this batch sent. Safe to run twice (see services)."""
    result = services.deliver_batch(campaign_id=campaign_id, batch_size=batch_size)
    if result.remaining and (result.sent or result.skipped):
        # Queued in this city (the current schema); a batch that found nothing to do (another
        # copy holds the rows) does not requeue, so copies never multiply.
        send_campaign_batch.delay(campaign_id, batch_size)
    return result.sent
