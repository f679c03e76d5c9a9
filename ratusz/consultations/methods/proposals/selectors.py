"""Reads on proposals: what a visitor may see, who supports what, the history of answers."""

from __future__ import annotations

from django.db.models import QuerySet

from ratusz.consultations.core.models import Phase, Project
from ratusz.consultations.core.rules import AnyUser, can_see_project
from ratusz.consultations.methods.proposals.models import Proposal, ProposalStatusChange, Support


def proposal_for(user: AnyUser, proposal_id: int) -> Proposal | None:
    proposal = (
        Proposal.objects.select_related("project", "phase", "author").filter(pk=proposal_id).first()
    )
    if proposal is None or not can_see_project(user, proposal.project):
        return None
    return proposal


def phase_proposals(phase: Phase) -> QuerySet[Proposal]:
    return Proposal.objects.filter(phase=phase).select_related("author")


def supported_ids(user: AnyUser, proposals: list[Proposal]) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(user=user, proposal__in=[p.pk for p in proposals]).values_list(
            "proposal_id", flat=True
        )
    )


def history(proposal: Proposal) -> QuerySet[ProposalStatusChange]:
    return proposal.status_changes.select_related("answered_by")


def managed_proposals(projects: QuerySet[Project]) -> QuerySet[Proposal]:
    return Proposal.objects.filter(project__in=projects).select_related("project", "author")
