"""The dashboard's metrics and the export of proposals (reports registry), and what the
"download my data" archive holds about a person's proposals and supports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

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
        Column("id", gettext_lazy("Proposal number")),
        Column("project", gettext_lazy("Project")),
        Column("title", gettext_lazy("Title")),
        Column("description", gettext_lazy("Description")),
        Column("status", gettext_lazy("Status")),
        Column("supporters", gettext_lazy("Supporters")),
        Column("threshold", gettext_lazy("Supporters needed")),
        Column("submitted", gettext_lazy("Submitted")),
        Column("deadline", gettext_lazy("Deadline")),
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
    label=gettext_lazy("Proposals"),
    events=_proposals,
    time_field="created_at",
    actor_field="author",
    position=60,
)
SUPPORTS = Metric(
    key="proposal_supports",
    label=gettext_lazy("Supports of proposals"),
    events=_supports,
    time_field="created_at",
    actor_field="user",
    position=61,
)
DATASET = Dataset(
    key="proposals",
    label=gettext_lazy("Proposals"),
    columns=_columns,
    rows=_rows,
    count=lambda scope: _proposals(scope).count(),
    empty_note=gettext_lazy(
        "There are no proposals here yet: the file has only the column headers."
    ),
    position=60,
)
