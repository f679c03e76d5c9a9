"""The settings of a voting phase read as limits, and who may see results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import AnyUser, is_project_staff
from ratusz.consultations.methods.voting.models import Mode

# The method's own settings (phase.options), with their defaults.
DEFAULT_OPTIONS: dict[str, Any] = {
    "voting_mode": Mode.BUDGET.value,
    "votes_per_person": 3,  # multiple votes: N per person
    "votes_per_idea": 1,  # multiple votes: at most M per idea
    "budget": 0,  # budget vote: in whole units of the city's currency
    "min_spend": 0,  # budget vote: a basket must cost at least this much to be submitted
    "source_phase": None,  # the earlier phase whose ideas are put to the vote
    "source_statuses": [],  # ...with these statuses (codes); empty means all
    "verification": ["census", "codes"],  # how residents can verify themselves here
    "live_results": False,  # results shown while the vote runs
    "public_results": True,  # results shown to everyone (after the vote unless live)
}

# The most any setting allows, so a typo cannot make a ballot of a million votes.
MAX_VOTES = 100


@dataclass(frozen=True)
class Limits:
    mode: str
    vote_limit: int
    idea_limit: int
    spend_limit: int | None
    min_spend: int


def option(phase: Phase, name: str) -> Any:
    return phase.options.get(name, DEFAULT_OPTIONS[name])


def limits_of(phase: Phase) -> Limits:
    mode = str(option(phase, "voting_mode"))
    if mode == Mode.SINGLE:
        return Limits(mode, 1, 1, None, 0)
    if mode == Mode.MULTIPLE:
        votes = max(1, min(int(option(phase, "votes_per_person")), MAX_VOTES))
        per_idea = max(1, min(int(option(phase, "votes_per_idea")), votes))
        return Limits(mode, votes, per_idea, None, 0)
    # A budget vote: one vote per idea, as many ideas as the budget holds.
    budget = max(0, int(option(phase, "budget")))
    minimum = max(0, min(int(option(phase, "min_spend")), budget))
    return Limits(Mode.BUDGET.value, 10_000, 1, budget, minimum)


def has_ended(phase: Phase, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return phase.ends_at is not None and phase.ends_at <= now


def can_see_results(user: AnyUser, phase: Phase, *, now: datetime | None = None) -> bool:
    """Staff always; everyone else when the city publishes results, after the vote (or while
    it runs, when the city chose live results)."""
    if is_project_staff(user, phase.project):
        return True
    if not option(phase, "public_results"):
        return False
    return has_ended(phase, now=now) or bool(option(phase, "live_results"))
