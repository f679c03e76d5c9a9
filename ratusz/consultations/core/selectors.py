"""Reads in a city's schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import acting_role
from ratusz.consultations.core.models import (
    Phase,
    PortalSettings,
    Project,
    PublicationStatus,
    Visibility,
)
from ratusz.consultations.core.rules import can_see_project
from ratusz.consultations.core.translation import translated


@dataclass(frozen=True)
class Welcome:
    title: str
    text: str
    primary_color: str


def portal_welcome(*, default_language: str) -> Welcome:
    portal = PortalSettings.objects.first()
    if portal is None:
        return Welcome(title="", text="", primary_color="#1f4e8c")
    return Welcome(
        title=translated(portal.welcome_title, default_language),
        text=translated(portal.welcome_text, default_language),
        primary_color=portal.primary_color,
    )


@dataclass(frozen=True)
class ProjectCard:
    project: Project
    current: Phase | None
    state: str  # "open" | "upcoming" | "finished"


def visible_projects(viewer: User | AnonymousUser) -> QuerySet[Project]:
    """Published projects the viewer may see (group-only ones for their groups), ordered."""
    projects = Project.objects.filter(status=PublicationStatus.PUBLISHED)
    role = acting_role(viewer)
    if role == Role.ADMINISTRATOR:
        return projects.select_related("folder").prefetch_related("phases")
    if viewer.is_authenticated:
        allowed = Q(visibility=Visibility.EVERYONE) | Q(visible_to__members=viewer)
        if role == Role.PROJECT_MANAGER:
            allowed |= Q(managers=viewer)
        projects = projects.filter(allowed).distinct()
    else:
        projects = projects.filter(visibility=Visibility.EVERYONE)
    return projects.select_related("folder").prefetch_related("phases")


def project_cards(
    viewer: User | AnonymousUser, *, now: datetime | None = None
) -> list[ProjectCard]:
    now = now or timezone.now()
    cards = []
    for project in visible_projects(viewer):
        phases = list(project.phases.all())
        current = next(
            (p for p in phases if p.starts_at <= now and (p.ends_at is None or p.ends_at > now)),
            None,
        )
        if current is not None:
            state = "open"
        elif phases and min(p.starts_at for p in phases) > now:
            state = "upcoming"
        else:
            state = "finished"
        cards.append(ProjectCard(project=project, current=current, state=state))
    order = {"open": 0, "upcoming": 1, "finished": 2}
    return sorted(cards, key=lambda card: (order[card.state], card.project.position))


def project_for(viewer: User | AnonymousUser, slug: str) -> Project | None:
    """The project at `slug` if the viewer may see it (staff also see drafts)."""
    project = Project.objects.filter(slug=slug).prefetch_related("phases", "files").first()
    if project is None or not can_see_project(viewer, project):
        return None
    return project


# --- the back office's project builder ------------------------------------------------------


def published_project_count() -> int:
    """Projects open to residents now: what the plan's "active projects" limit counts."""
    return Project.objects.filter(status=PublicationStatus.PUBLISHED).count()


def assignable_managers() -> QuerySet[User]:
    """Staff accounts an administrator may put in charge of a project."""
    return User.objects.filter(
        is_active=True, role__in=[Role.PROJECT_MANAGER, Role.ADMINISTRATOR]
    ).order_by("full_name", "email")


@dataclass(frozen=True)
class TimelineEntry:
    phase: Phase
    gap_before: bool  # days without a phase between the previous phase and this one


def timeline(project: Project) -> list[TimelineEntry]:
    """The project's phases in order, marking the gaps between them (the builder shows them)."""
    entries: list[TimelineEntry] = []
    previous: Phase | None = None
    for phase in project.phases.order_by("starts_at"):
        gap = (
            previous is not None
            and previous.ends_at is not None
            and (previous.ends_at < phase.starts_at)
        )
        entries.append(TimelineEntry(phase=phase, gap_before=gap))
        previous = phase
    return entries
