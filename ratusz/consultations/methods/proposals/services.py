"""Writes on proposals: submitting, supporting, withdrawing support, closing at the deadline
(the periodic task) and the city's answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.richtext import plain_text, sanitize
from ratusz.consultations.core.rules import can_act, is_project_staff
from ratusz.consultations.methods.proposals.models import (
    Proposal,
    ProposalStatus,
    ProposalStatusChange,
    Support,
)
from ratusz.consultations.participation.refusals import NotAllowed, Refused
from ratusz.tenants.queue import enqueue_on_commit

__all__ = [
    "NotAllowed",
    "Refused",
    "answer_proposal",
    "close_due_proposals",
    "submit_proposal",
    "support_proposal",
    "withdraw_support",
]

DEFAULT_THRESHOLD = 100
DEFAULT_DAYS = 90
ANSWER_STATUSES = (ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED)


def submit_proposal(
    *, author: User, phase: Phase, title: str, body: str, now: datetime | None = None
) -> Proposal:
    """Submit a proposal; it collects support until the phase's number of days has passed."""
    now = now or timezone.now()
    decision = can_act(author, phase, Action.POST, now=now)
    if not decision.allowed:
        raise NotAllowed(decision)
    clean_body = sanitize(body)
    if not title.strip():
        raise Refused(_("Give your proposal a title."))
    if not plain_text(clean_body):
        raise Refused(_("Describe your proposal."))
    days = int(phase.options.get("days", DEFAULT_DAYS))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            project=phase.project,
            phase=phase,
            author=author,
            title=title.strip(),
            body=clean_body,
            threshold=int(phase.options.get("threshold", DEFAULT_THRESHOLD)),
            deadline=now + timedelta(days=days),
        )
        ProposalStatusChange.objects.create(proposal=proposal, status=ProposalStatus.COLLECTING)
    return proposal


def _open_for_support(proposal: Proposal, now: datetime) -> None:
    if proposal.status != ProposalStatus.COLLECTING or proposal.deadline <= now:
        raise Refused(_("This proposal no longer collects support."))


def support_proposal(*, user: User, proposal: Proposal, now: datetime | None = None) -> Support:
    now = now or timezone.now()
    decision = can_act(user, proposal.phase, Action.VOTE, now=now)
    if not decision.allowed:
        raise NotAllowed(decision)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open_for_support(proposal, now)
        try:
            with transaction.atomic():
                support = Support.objects.create(proposal=proposal, user=user)
        except IntegrityError as exc:  # the database holds one support per account
            raise Refused(_("You already support this proposal.")) from exc
        Proposal.objects.filter(pk=proposal.pk).update(supporter_count=F("supporter_count") + 1)
    return support


def withdraw_support(*, user: User, proposal: Proposal, now: datetime | None = None) -> None:
    """Take one's support back, while the proposal still collects it."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open_for_support(proposal, now)
        deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
        if not deleted:
            raise Refused(_("You do not support this proposal."))
        Proposal.objects.filter(pk=proposal.pk).update(supporter_count=F("supporter_count") - 1)


def close_due_proposals(*, now: datetime | None = None) -> dict[str, int]:
    """Move proposals that reached their threshold to "threshold reached", and those whose
    deadline passed without it to "expired"; their authors and supporters hear by e-mail.
    Safe to run twice: only proposals still collecting are looked at."""
    now = now or timezone.now()

    counts = {"threshold_reached": 0, "expired": 0}
    with transaction.atomic():
        due = Proposal.objects.select_for_update(skip_locked=True).filter(
            status=ProposalStatus.COLLECTING
        )
        for proposal in due.filter(supporter_count__gte=F("threshold")) | due.filter(
            deadline__lte=now
        ):
            reached = proposal.supporter_count >= proposal.threshold
            proposal.status = (
                ProposalStatus.THRESHOLD_REACHED if reached else ProposalStatus.EXPIRED
            )
            proposal.closed_at = now
            proposal.save(update_fields=["status", "closed_at"])
            ProposalStatusChange.objects.create(proposal=proposal, status=proposal.status)
            counts[str(proposal.status)] += 1
            enqueue_on_commit("proposals.send_outcome_emails", proposal.pk)
    return counts


def answer_proposal(
    *, staff: User, proposal: Proposal, status: str, answer: str
) -> ProposalStatusChange:
    """The city's official answer: a status and a text, kept in the proposal's history."""
    if not is_project_staff(staff, proposal.project):
        raise Refused(_("Only the project's staff can answer proposals."))
    if status not in ProposalStatus.values:
        raise Refused(_("Unknown status."))
    clean = sanitize(answer)
    if status in ANSWER_STATUSES and not plain_text(clean):
        raise Refused(_("Write the official answer that residents will read."))
    with transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status=status)
        return ProposalStatusChange.objects.create(
            proposal=proposal, status=status, answer=clean, answered_by=staff
        )
