"""Reads on polls: which a person may see, whether they voted, and the results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import can_see_project, is_project_staff
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.polls.models import Poll, PollVote

POLL_METHOD = "poll"


def poll_for(user: Any, poll_id: int) -> Poll | None:
    """A poll of this city in a project the person may see (None: a 404)."""
    poll = (
        Poll.objects.select_related("phase__project")
        .filter(pk=poll_id, phase__method=POLL_METHOD)
        .first()
    )
    if poll is None or not can_see_project(user, poll.phase.project):
        return None
    return poll


def has_voted(user: Any, poll: Poll) -> bool:
    return bool(user.is_authenticated and PollVote.objects.filter(poll=poll, user=user).exists())


def phase_has_ended(phase: Phase) -> bool:
    return phase.ends_at is not None and phase.ends_at <= timezone.now()


def results_visible(user: Any, poll: Poll) -> bool:
    """Results show after voting, or only after the phase, as the phase says; staff always."""
    if is_project_staff(user, poll.phase.project) or phase_has_ended(poll.phase):
        return True
    if poll.phase.options.get("show_results", "after_vote") == "after_phase":
        return False
    return has_voted(user, poll)


@dataclass(frozen=True)
class ChoiceResult:
    label: str
    votes: int
    percent: int


def results(poll: Poll, language: str) -> tuple[int, list[ChoiceResult]]:
    """How many voted, and each answer's votes and share of the voters."""
    voters = poll.votes.count()
    rows = []
    for choice in poll.choices.annotate(total=Count("votes")).order_by("position", "pk"):
        rows.append(
            ChoiceResult(
                label=translated(choice.label, language),
                votes=choice.total,
                percent=round(100 * choice.total / voters) if voters else 0,
            )
        )
    return voters, rows


def usage_counts() -> dict[str, int]:
    """Polls' part of the city's usage (their manifest's `usage_counts`)."""
    return {"votes": PollVote.objects.count()}
