"""Read-only projects after a downgrade: which published projects are beyond the plan's limit
of active projects. A module of its own, below the rules and the services that refuse on it."""

from __future__ import annotations

from django.db.models import F

from ratusz.consultations.core.models import Project, PublicationStatus
from ratusz.tenants.entitlements import current_entitlements


def active_projects_limit() -> int | None:
    """The plan's limit of active (published) projects; None when unlimited. Read from the
    cached entitlements, so it costs no query once the city's entitlements are cached."""
    return current_entitlements().limit("active_projects")


def read_only_project_ids() -> frozenset[int]:
    """Published projects beyond the plan's limit of active projects (after a downgrade).

    Nothing is unpublished or deleted when a plan shrinks: the projects that no longer fit
    stay readable but take no new participation and no edits until the city archives others
    (or returns them to draft) or raises the limit. The oldest-published projects keep the
    slots within the limit; the newest ones are the extras. Residents have been taking part in
    the older ones the longest and the city committed to them first; the newest were most
    likely published under the bigger plan, so freezing them surprises the fewest people. The
    order is also stable: archiving one project frees exactly one slot, for the oldest of the
    extras. (Projects published before publication times were recorded count as oldest.)

    One query when the plan has a limit, none when it has not.
    """
    limit = active_projects_limit()
    if limit is None:
        return frozenset()
    extras = (
        Project.objects.filter(status=PublicationStatus.PUBLISHED)
        .order_by(F("published_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[max(limit, 0) :]
    )
    return frozenset(extras)


def is_read_only(project: Project) -> bool:
    """Whether `project` is beyond the plan's limit of active projects (see above). Only a
    published project can be; for the others no query is made."""
    if project.status != PublicationStatus.PUBLISHED:
        return False
    return project.pk in read_only_project_ids()
