"""Writes on polls: staff add and remove polls; residents vote once per poll."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ratusz import errors
from ratusz.accounts.models import User
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import Decision, can_act, is_project_staff
from ratusz.consultations.methods.polls.models import Poll, PollChoice, PollVote


class NotAllowed(PermissionError):
    """The person may not do this now; `decision` says why and what to do."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


class Refused(errors.Refused, ValueError):
    """The request cannot be carried out as asked; the message says why."""

    code = "poll_refused"


def add_poll(
    *,
    staff: User,
    phase: Phase,
    question: dict[str, str],
    choices: Sequence[dict[str, str]],
    multiple: bool,
) -> Poll:
    if not is_project_staff(staff, phase.project):
        raise NotAllowed(Decision(False, "not_staff", _("Only the project's staff can add polls.")))
    if len(choices) < 2:
        raise Refused(_("A poll needs at least two answers."))
    with transaction.atomic():
        last = (
            Poll.objects.filter(phase=phase)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        poll = Poll.objects.create(
            phase=phase, question=question, multiple=multiple, position=(last or 0) + 1
        )
        PollChoice.objects.bulk_create(
            PollChoice(poll=poll, label=label, position=n) for n, label in enumerate(choices, 1)
        )
    return poll


def delete_poll(*, staff: User, poll: Poll) -> None:
    if not is_project_staff(staff, poll.phase.project):
        raise NotAllowed(
            Decision(False, "not_staff", _("Only the project's staff can delete polls."))
        )
    poll.delete()


def vote(*, user: User, poll: Poll, choices: Sequence[PollChoice]) -> PollVote:
    """Vote in a poll: one answer, or several when the poll allows it; once per account."""
    decision = can_act(user, poll.phase, Action.VOTE)
    if not decision.allowed:
        raise NotAllowed(decision)
    if not choices:
        raise Refused(_("Choose an answer first."))
    if any(choice.poll_id != poll.pk for choice in choices):
        raise Refused(_("That answer belongs to another poll."))
    if len(choices) > 1 and not poll.multiple:
        raise Refused(_("Choose only one answer in this poll."))
    try:
        with transaction.atomic():
            cast = PollVote.objects.create(poll=poll, user=user)
            cast.choices.set(choices)
    except IntegrityError as exc:
        raise Refused(_("You have already voted in this poll.")) from exc
    return cast
