"""Voting's metric (submitted ballots) and dataset (results per idea) for the dashboard and
the exports of ratusz.consultations.reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.voting.models import Ballot, BallotStatus, Candidate
from ratusz.consultations.methods.voting.selectors import results


def _ballots(scope: Scope) -> QuerySet[Ballot]:
    return Ballot.objects.filter(phase__project__in=scope.projects, status=BallotStatus.SUBMITTED)


def _phases(scope: Scope) -> QuerySet[Phase]:
    return Phase.objects.filter(project__in=scope.projects, method="voting").select_related(
        "project"
    )


def _columns(scope: Scope) -> list[Column]:
    return [
        Column("project", gettext_lazy("Project")),
        Column("phase", gettext_lazy("Phase")),
        Column("rank", gettext_lazy("Place")),
        Column("idea", gettext_lazy("Idea number")),
        Column("title", gettext_lazy("Idea")),
        Column("cost", gettext_lazy("Cost")),
        Column("online", gettext_lazy("Online votes")),
        Column("paper", gettext_lazy("Paper and in-person votes")),
        Column("total", gettext_lazy("Votes in total")),
        Column("funded", gettext_lazy("Fits in the budget")),
    ]


def _rows(scope: Scope) -> Iterator[list[Any]]:
    for phase in _phases(scope).order_by("project__pk", "starts_at"):
        outcome = results(phase)
        for row in outcome.rows:
            yield [
                translated(phase.project.title, scope.default_language),
                translated(phase.title, scope.default_language),
                row.rank,
                row.candidate.idea_id,
                row.candidate.idea.title,
                row.candidate.cost,
                row.online,
                row.paper,
                row.total,
                (_("yes") if row.fits_budget else _("no")) if outcome.budget is not None else "",
            ]


def _count(scope: Scope) -> int:
    return Candidate.objects.filter(phase__in=_phases(scope), included=True).count()


BALLOTS = Metric(
    key="ballots",
    label=gettext_lazy("Votes cast online"),
    events=_ballots,
    time_field="submitted_at",
    actor_field="user",
    position=60,
)
RESULTS = Dataset(
    key="voting_results",
    label=gettext_lazy("Voting results"),
    columns=_columns,
    rows=_rows,
    count=_count,
    empty_note=gettext_lazy("There are no votes here yet: the file has only the column headers."),
    position=60,
)
