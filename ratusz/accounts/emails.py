"""E-mails are rendered where the request is (the city's host, the visitor's language) and sent
by a task once the transaction that caused them commits."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from ratusz.accounts.tasks import send_email


def serialize_email(message: EmailMessage) -> dict[str, Any]:
    alternatives: list[tuple[str, str]] = []
    if isinstance(message, EmailMultiAlternatives):
        alternatives = [(str(alt[0]), str(alt[1])) for alt in message.alternatives]
    body = message.body
    if message.content_subtype == "html" and not alternatives:
        alternatives, body = [(str(body), "text/html")], ""
    return {
        "subject": str(message.subject),
        "body": str(body),
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": alternatives,
    }


def queue_email(message: EmailMessage) -> None:
    """Send `message` by a task once the current transaction commits (at once outside one)."""
    payload = serialize_email(message)

    def enqueue() -> None:
        send_email.delay(payload)

    # robust: nothing must turn a completed sign-up into an error page. A broker that is down
    # does not: the task waits in the outbox (CityAwareTask.apply_async) until it is back.
    transaction.on_commit(enqueue, robust=True)
