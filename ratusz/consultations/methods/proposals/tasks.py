"""Proposal tasks, run in the city that queued them."""

from __future__ import annotations

import smtplib
from datetime import datetime

from celery import shared_task

from ratusz.consultations.methods.proposals import emails, services
from ratusz.consultations.methods.proposals.models import Proposal

RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(name="proposals.close_due_proposals")
def close_due_proposals(now: str | None = None) -> dict[str, int]:
    """Beat runs it every hour in every city (through `tenants.fan_out`)."""
    return services.close_due_proposals(now=datetime.fromisoformat(now) if now else None)


@shared_task(
    name="proposals.send_outcome_emails", autoretry_for=RETRY_ON, retry_backoff=True, max_retries=5
)
def send_outcome_emails(proposal_id: int) -> int:
    """Tell the author and supporters that the proposal reached its threshold or expired."""
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    sent = 0
    for user in emails.recipients(proposal):
        emails.outcome_email(proposal, user).send()
        sent += 1
    return sent
