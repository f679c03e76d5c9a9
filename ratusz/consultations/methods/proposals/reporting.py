"""The dashboard's metrics and the export of proposals (reports registry), and what the
"download my data" archive holds about a person's proposals and supports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _lazy

from ratusz.consultations.core.reporting import Column, Dataset, Metric, Scope, local_time
from ratusz.consultations.core.richtext import plain_text
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatus, Support


def _proposals(scope: Scope) -> QuerySet[Proposal]:
    return Proposal.objects.filter(project__in=scope.projects)


def _supports(scope: Scope) -> QuerySet[Support]:
    return Support.objects.filter(proposal__project__in=scope.projects)


def _columns(scope: Scope) -> list[Column]:
    return [
        Column("id", _lazy("Proposal number")),
        Column("project", _lazy("Project")),
        Column("title", _lazy("Title")),
        Column("description", _lazy("Description")),
        Column("status", _lazy("Status")),
        Column("supporters", _lazy("Supporters")),
        Column("threshold", _lazy("Supporters needed")),
        Column("submitted", _lazy("Submitted")),
        Column("deadline", _lazy("Deadline")),
    ]


def _rows(scope: Scope) -> Iterator[list[Any]]:
    for p in (
        _proposals(scope)
        .select_related("project")
        .order_by("created_at", "pk")
        .iterator(chunk_size=500)
    ):
        yield [
            p.pk,
            translated(p.project.title, scope.default_language),
            p.title,
            plain_text(p.body),
            ProposalStatus(p.status).label,
            p.supporter_count,
            p.threshold,
            local_time(p.created_at, scope.zone),
            local_time(p.deadline, scope.zone),
        ]


PROPOSALS = Metric(
    key="proposals",
    label=_lazy("Proposals"),
    events=_proposals,
    time_field="created_at",
    actor_field="author",
    position=60,
)
SUPPORTS = Metric(
    key="proposal_supports",
    label=_lazy("Supports of proposals"),
    events=_supports,
    time_field="created_at",
    actor_field="user",
    position=61,
)
DATASET = Dataset(
    key="proposals",
    label=_lazy("Proposals"),
    columns=_columns,
    rows=_rows,
    count=lambda scope: _proposals(scope).count(),
    empty_note=_lazy("There are no proposals here yet: the file has only the column headers."),
    position=60,
)
