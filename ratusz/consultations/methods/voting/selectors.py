"""Reads of voting: a person's basket, the ballot, the results."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import AnyUser
from ratusz.consultations.methods.voting.models import (
    Ballot,
    BallotItem,
    BallotStatus,
    Candidate,
    PaperVotes,
)
from ratusz.consultations.methods.voting.rules import Limits, limits_of


def candidates(phase: Phase) -> QuerySet[Candidate]:
    """The ideas on the ballot, in ballot order."""
    return (
        Candidate.objects.filter(phase=phase, included=True)
        .select_related("idea")
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class Basket:
    ballot: Ballot | None
    limits: Limits
    votes: dict[int, int]  # candidate id -> votes given
    used_votes: int
    spent: int

    @property
    def submitted(self) -> bool:
        return self.ballot is not None and self.ballot.status == BallotStatus.SUBMITTED

    @property
    def remaining(self) -> int | None:
        if self.limits.spend_limit is None:
            return None
        return self.limits.spend_limit - self.spent

    @property
    def remaining_votes(self) -> int:
        return self.limits.vote_limit - self.used_votes

    @property
    def below_minimum(self) -> bool:
        return self.limits.spend_limit is not None and self.spent < self.limits.min_spend


def basket_of(user: AnyUser, phase: Phase) -> Basket:
    limits = limits_of(phase)
    ballot = (
        Ballot.objects.filter(phase=phase, user=user).first() if user.is_authenticated else None
    )
    votes: dict[int, int] = {}
    spent = 0
    if ballot is not None:
        # The ballot keeps the limits it was filled under.
        limits = Limits(
            limits.mode, ballot.vote_limit, ballot.idea_limit, ballot.spend_limit, limits.min_spend
        )
        for item in BallotItem.objects.filter(ballot=ballot):
            votes[item.candidate_id] = item.votes
            spent += item.cost
    return Basket(ballot, limits, votes, sum(votes.values()), spent)


@dataclass(frozen=True)
class ResultRow:
    candidate: Candidate
    online: int
    paper: int
    rank: int
    fits_budget: bool

    @property
    def total(self) -> int:
        return self.online + self.paper


@dataclass(frozen=True)
class Results:
    rows: list[ResultRow]
    ballots: int  # submitted online
    paper: int
    budget: int | None
    funded_cost: int

    @property
    def online(self) -> int:
        return sum(row.online for row in self.rows)


def results(phase: Phase) -> Results:
    """Totals per idea (online votes of submitted ballots plus paper votes), ranked; in a
    budget vote, which ideas fit the budget taken greedily from the top of the ranking."""
    online = dict(
        BallotItem.objects.filter(ballot__phase=phase, ballot__status=BallotStatus.SUBMITTED)
        .values("candidate")
        .annotate(n=Sum("votes"))
        .values_list("candidate", "n")
    )
    paper = dict(
        PaperVotes.objects.filter(phase=phase)
        .values("candidate")
        .annotate(n=Sum("votes"))
        .values_list("candidate", "n")
    )
    ranked = sorted(
        candidates(phase),
        key=lambda c: (-(online.get(c.pk, 0) + paper.get(c.pk, 0)), c.cost, c.position, c.pk),
    )
    budget = limits_of(phase).spend_limit
    left = budget or 0
    rows: list[ResultRow] = []
    previous_total: int | None = None
    rank = 0
    funded = 0
    for place, candidate in enumerate(ranked, start=1):
        total = online.get(candidate.pk, 0) + paper.get(candidate.pk, 0)
        if total != previous_total:  # ties share a place: 1, 2, 2, 4
            rank = place
            previous_total = total
        fits = budget is not None and total > 0 and candidate.cost <= left
        if fits:
            left -= candidate.cost
            funded += candidate.cost
        rows.append(
            ResultRow(
                candidate, online.get(candidate.pk, 0), paper.get(candidate.pk, 0), rank, fits
            )
        )
    return Results(
        rows=rows,
        ballots=Ballot.objects.filter(phase=phase, status=BallotStatus.SUBMITTED).count(),
        paper=sum(paper.values()),
        budget=budget,
        funded_cost=funded,
    )


def paper_entries(phase: Phase) -> QuerySet[PaperVotes]:
    return PaperVotes.objects.filter(phase=phase).select_related("candidate__idea", "entered_by")


def usage_counts() -> dict[str, int]:
    """Voting's part of the city's usage (its manifest's `usage_counts`): submitted ballots;
    paper votes are counts, not people."""
    return {"votes": Ballot.objects.filter(status=BallotStatus.SUBMITTED).count()}
