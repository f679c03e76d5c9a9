"""Background work of accounts. Tasks run in the city that queued them (the Celery app's task
class is ratusz.tenants.queue.CityAwareTask)."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    name="accounts.send_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_email(message: dict[str, Any]) -> None:
    """Send an e-mail rendered earlier (in the request, in its city's language and links)."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or None,
    )
    for content, mimetype in message.get("alternatives", []):
        email.attach_alternative(content, mimetype)
    email.send()
