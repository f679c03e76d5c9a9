"""Reads on volunteering."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.rules import AnyUser, can_see_project
from ratusz.consultations.methods.volunteering.models import Cause, SignUp


def phase_causes(phase: Phase) -> QuerySet[Cause]:
    return Cause.objects.filter(phase=phase).annotate(signed=Count("sign_ups"))


def cause_for(user: AnyUser, cause_id: int) -> Cause | None:
    cause = Cause.objects.select_related("project", "phase").filter(pk=cause_id).first()
    if cause is None or not can_see_project(user, cause.project):
        return None
    return cause


def signed_up_ids(user: AnyUser, phase: Phase) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        SignUp.objects.filter(user=user, cause__phase=phase).values_list("cause_id", flat=True)
    )


def volunteers(phase: Phase) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(cause__phase=phase)
        .select_related("cause", "user")
        .order_by("cause__created_at", "cause_id", "created_at", "pk")
    )
