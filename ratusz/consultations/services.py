"""Writes in a city's schema: the portal, projects and their timelines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.methods import UnknownMethod, get_method
from ratusz.consultations.models import (
    Area,
    Folder,
    Phase,
    PortalSettings,
    Project,
    PublicationStatus,
    ResidentGroup,
    Topic,
    Visibility,
)
from ratusz.consultations.richtext import sanitize
from ratusz.consultations.translation import translated
from ratusz.tenants.initializers import NewCity


def initialize_portal(new_city: NewCity) -> None:
    """Default portal settings for a new city, in each of its languages."""
    city = new_city.city
    titles: dict[str, str] = {}
    texts: dict[str, str] = {}
    for language in city.languages:
        with translation.override(language):
            titles[language] = _("Public consultations: %(city)s") % {"city": city.name}
            texts[language] = _(
                "Have your say about the future of %(city)s: share ideas, discuss them and "
                "see what the city does with them."
            ) % {"city": city.name}
    PortalSettings.objects.create(city_id=city.id, welcome_title=titles, welcome_text=texts)


def update_welcome(*, title: dict[str, str], text: dict[str, str]) -> PortalSettings:
    portal = PortalSettings.objects.get()
    portal.welcome_title = {**portal.welcome_title, **title}
    portal.welcome_text = {**portal.welcome_text, **text}
    portal.save(update_fields=["welcome_title", "welcome_text", "updated_at"])
    return portal


class TimelineRefused(ValueError):
    """A phase that does not fit the project's timeline, with the reason for a person."""


def create_topic(*, slug: str, name: dict[str, str], position: int = 0) -> Topic:
    return Topic.objects.create(slug=slug, name=name, position=position)


def create_area(*, slug: str, name: dict[str, str], position: int = 0) -> Area:
    return Area.objects.create(slug=slug, name=name, position=position)


def create_group(
    *, name: str, members: Iterable[User] = (), description: str = ""
) -> ResidentGroup:
    group = ResidentGroup.objects.create(name=name, description=description)
    group.members.set(members)
    return group


def create_folder(
    *, slug: str, title: dict[str, str], description: dict[str, str] | None = None
) -> Folder:
    return Folder.objects.create(
        slug=slug,
        title=title,
        description={k: sanitize(v) for k, v in (description or {}).items()},
        status=PublicationStatus.PUBLISHED,
    )


def create_project(
    *,
    slug: str,
    title: dict[str, str],
    description: dict[str, str] | None = None,
    topics: Iterable[Topic] = (),
    area: Area | None = None,
    folder: Folder | None = None,
    visibility: str = Visibility.EVERYONE,
    visible_to: Iterable[ResidentGroup] = (),
    managers: Iterable[User] = (),
) -> Project:
    """A new project, in draft until published."""
    with transaction.atomic():
        project = Project.objects.create(
            slug=slug,
            title=title,
            description={k: sanitize(v) for k, v in (description or {}).items()},
            area=area,
            folder=folder,
            visibility=visibility,
        )
        project.topics.set(topics)
        project.visible_to.set(visible_to)
        project.managers.set(managers)
    return project


def publish_project(*, project: Project) -> Project:
    if not project.phases.exists():
        raise TimelineRefused(_("Add at least one phase before publishing the project."))
    project.status = PublicationStatus.PUBLISHED
    project.published_at = project.published_at or timezone.now()
    project.save(update_fields=["status", "published_at"])
    return project


def archive_project(*, project: Project) -> Project:
    project.status = PublicationStatus.ARCHIVED
    project.save(update_fields=["status"])
    return project


def _describe(phase: Phase, default_language: str) -> str:
    title = translated(phase.title, default_language) or str(get_method(phase.method).label)
    start = formats.date_format(timezone.localtime(phase.starts_at), "SHORT_DATE_FORMAT")
    if phase.ends_at is None:
        return _("“%(title)s” (from %(start)s)") % {"title": title, "start": start}
    end = formats.date_format(timezone.localtime(phase.ends_at), "SHORT_DATE_FORMAT")
    return _("“%(title)s” (%(start)s – %(end)s)") % {"title": title, "start": start, "end": end}


def add_phase(
    *,
    project: Project,
    method: str,
    starts_at: datetime,
    ends_at: datetime | None,
    title: dict[str, str] | None = None,
    description: dict[str, str] | None = None,
    options: dict[str, Any] | None = None,
    permissions: dict[str, Any] | None = None,
    default_language: str = "pl",
) -> Phase:
    """Add a phase to the timeline: phases never overlap, only the last may be open-ended."""
    try:
        participation = get_method(method)
    except UnknownMethod as exc:
        raise TimelineRefused(
            _("“%(method)s” is not a participation method.") % {"method": method}
        ) from exc
    if ends_at is not None and ends_at <= starts_at:
        raise TimelineRefused(_("A phase must end after it starts."))
    with transaction.atomic():
        # One timeline edit at a time per project.
        Project.objects.select_for_update().get(pk=project.pk)
        phases = list(project.phases.order_by("starts_at"))
        if ends_at is None and any(p.starts_at > starts_at for p in phases):
            raise TimelineRefused(_("Only the last phase may be open-ended; give this one an end."))
        for other in phases:
            other_end = other.ends_at
            overlaps = (other_end is None or starts_at < other_end) and (
                ends_at is None or other.starts_at < ends_at
            )
            if overlaps:
                raise TimelineRefused(
                    _("Phases cannot overlap: this one overlaps %(other)s.")
                    % {"other": _describe(other, default_language)}
                )
        try:
            return Phase.objects.create(
                project=project,
                method=participation.key,
                starts_at=starts_at,
                ends_at=ends_at,
                title=title or {},
                description={k: sanitize(v) for k, v in (description or {}).items()},
                options={**participation.default_options, **(options or {})},
                permissions=permissions or {},
            )
        except IntegrityError as exc:  # the database's own guard against overlaps
            raise TimelineRefused(_("Phases cannot overlap.")) from exc
