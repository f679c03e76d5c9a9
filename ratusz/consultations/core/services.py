"""Writes in a city's schema: the portal, projects and their timelines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import PROTECT, ProtectedError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusz.accounts.models import User
from ratusz.consultations.core.features import check_feature_on
from ratusz.consultations.core.models import (
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
from ratusz.consultations.core.registry import (
    ACTION_LABELS,
    FIELD_RULES,
    REACTION_MODES,
    WHO_CHOICES,
    Action,
    Method,
    UnknownMethod,
    all_methods,
    get_method,
)
from ratusz.consultations.core.richtext import sanitize
from ratusz.consultations.core.selectors import active_projects_limit, is_read_only
from ratusz.consultations.core.translation import translated
from ratusz.errors import Refused
from ratusz.tenants.entitlements import FeatureNotAllowed, check_limit
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


class ProjectRefused(Refused, ValueError):
    """A project change that cannot be made, with the reason for a person."""

    code = "project_refused"


class ProjectReadOnly(ProjectRefused):
    """A change to a project beyond the plan's limit of active projects (after a downgrade)."""

    code = "project_read_only"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.message = ngettext(
            "This project is read-only: your plan allows %(limit)d active project and this one "
            "is beyond it. Residents can still read it, but nobody can change it or take part "
            "in it. An administrator can raise the limit by choosing a bigger plan under "
            "Billing in the back office; archiving a project also frees a place.",
            "This project is read-only: your plan allows %(limit)d active projects and this one "
            "is beyond them. Residents can still read it, but nobody can change it or take part "
            "in it. An administrator can raise the limit by choosing a bigger plan under "
            "Billing in the back office; archiving a project also frees a place.",
            limit,
        ) % {"limit": limit}
        super().__init__(self.message)


def refuse_if_read_only(project: Project) -> None:
    """Raise ProjectReadOnly for a project beyond the plan's active projects. Edits stop there;
    archiving it or returning it to draft stays possible, since that frees a place."""
    if is_read_only(project):
        raise ProjectReadOnly(active_projects_limit() or 0)


class TimelineRefused(Refused, ValueError):
    """A phase that does not fit the project's timeline, with the reason for a person."""

    code = "timeline_refused"


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
    *,
    slug: str,
    title: dict[str, str],
    description: dict[str, str] | None = None,
    status: str = PublicationStatus.PUBLISHED,
) -> Folder:
    return Folder.objects.create(
        slug=slug,
        title=title,
        description={k: sanitize(v) for k, v in (description or {}).items()},
        status=status,
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
    cover_image: UploadedFile | None = None,
    cover_alt: dict[str, str] | None = None,
) -> Project:
    """A new project, in draft until published."""
    with transaction.atomic():
        project = Project.objects.create(
            slug=slug,
            title=title,
            description={k: sanitize(v) for k, v in (description or {}).items()},
            cover_image=cover_image or "",
            cover_alt={k: v for k, v in (cover_alt or {}).items() if v},
            area=area,
            folder=folder,
            visibility=visibility,
        )
        project.topics.set(topics)
        project.visible_to.set(visible_to)
        project.managers.set(managers)
    return project


def _describe(phase: Phase, default_language: str) -> str:
    title = translated(phase.title, default_language) or str(get_method(phase.method).label)
    start = formats.date_format(timezone.localtime(phase.starts_at), "SHORT_DATE_FORMAT")
    if phase.ends_at is None:
        return _("“%(title)s” (from %(start)s)") % {"title": title, "start": start}
    end = formats.date_format(timezone.localtime(phase.ends_at), "SHORT_DATE_FORMAT")
    return _("“%(title)s” (%(start)s – %(end)s)") % {"title": title, "start": start, "end": end}


def _check_fits(
    *,
    project: Project,
    starts_at: datetime,
    ends_at: datetime | None,
    default_language: str,
    moving: Phase | None = None,
) -> None:
    """Refuse, with the reason, a phase that would not fit the timeline. Run it with the
    project locked. `moving` is the phase being changed (left out of the comparison)."""
    if ends_at is not None and ends_at <= starts_at:
        raise TimelineRefused(_("A phase must end after it starts."))
    phases = [
        p for p in project.phases.order_by("starts_at") if moving is None or p.pk != moving.pk
    ]
    if ends_at is None and any(p.starts_at > starts_at for p in phases):
        raise TimelineRefused(_("Only the last phase may be open-ended; give this one an end."))
    for other in phases:
        other_end = other.ends_at
        overlaps = (other_end is None or starts_at < other_end) and (
            ends_at is None or other.starts_at < ends_at
        )
        if overlaps:
            if other_end is None:
                raise TimelineRefused(
                    _(
                        "Phases cannot overlap: this one overlaps %(other)s, which has no end. "
                        "Give that phase an end first."
                    )
                    % {"other": _describe(other, default_language)}
                )
            raise TimelineRefused(
                _("Phases cannot overlap: this one overlaps %(other)s.")
                % {"other": _describe(other, default_language)}
            )


def _lock_timeline(project: Project) -> None:
    """One timeline edit at a time per project."""
    Project.objects.select_for_update().get(pk=project.pk)


def _method_or_refuse(method: str) -> Method:
    """The registered method `method`, if the city's plan includes it and the city has not
    switched it off."""
    try:
        participation = get_method(method)
    except UnknownMethod as exc:
        raise TimelineRefused(
            _("“%(method)s” is not a participation method.") % {"method": method}
        ) from exc
    if participation.feature:
        try:
            check_feature_on(participation.feature)
        except FeatureNotAllowed as exc:
            raise TimelineRefused(exc.message) from exc
    return participation


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
    refuse_if_read_only(project)
    participation = _method_or_refuse(method)
    if ends_at is not None and ends_at <= starts_at:
        raise TimelineRefused(_("A phase must end after it starts."))
    with transaction.atomic():
        _lock_timeline(project)
        _check_fits(
            project=project,
            starts_at=starts_at,
            ends_at=ends_at,
            default_language=default_language,
        )
        try:
            with transaction.atomic():
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


def change_phase(
    *,
    phase: Phase,
    method: str,
    starts_at: datetime,
    ends_at: datetime | None,
    title: dict[str, str],
    description: dict[str, str],
    default_language: str = "pl",
) -> Phase:
    """Move, resize or rename a phase, or give it another method while nobody took part in it
    yet. The same rules as for a new phase hold, with the reason when they refuse."""
    refuse_if_read_only(phase.project)
    # A phase keeps its method even if the plan no longer includes it; a new one must be in it.
    participation = get_method(method) if method == phase.method else _method_or_refuse(method)
    with transaction.atomic():
        _lock_timeline(phase.project)
        _check_fits(
            project=phase.project,
            starts_at=starts_at,
            ends_at=ends_at,
            default_language=default_language,
            moving=phase,
        )
        fields = ["starts_at", "ends_at", "title", "description"]
        if participation.key != phase.method:
            if _has_contributions(phase):
                raise TimelineRefused(
                    _(
                        "Residents already took part in this phase, so its participation method "
                        "cannot change. Add a new phase instead."
                    )
                )
            # The new method's settings start from its defaults; rules for actions it does
            # not offer are dropped.
            phase.method = participation.key
            phase.options = dict(participation.default_options)
            phase.permissions = {
                action: rule
                for action, rule in phase.permissions.items()
                if action in {str(a) for a in participation.actions}
            }
            fields += ["method", "options", "permissions"]
        phase.starts_at = starts_at
        phase.ends_at = ends_at
        phase.title = {k: v for k, v in title.items() if v}
        phase.description = {k: sanitize(v) for k, v in description.items() if v}
        try:
            with transaction.atomic():
                phase.save(update_fields=fields)
        except IntegrityError as exc:
            raise TimelineRefused(_("Phases cannot overlap.")) from exc
    return phase


def _has_contributions(phase: Phase) -> bool:
    """Anything residents wrote that points at this phase (the relations that protect it)."""
    for relation in phase._meta.related_objects:
        model = relation.related_model
        if (
            relation.on_delete is PROTECT
            and not isinstance(model, str)
            and model._default_manager.filter(**{relation.field.name: phase}).exists()
        ):
            return True
    return False


def delete_phase(*, phase: Phase) -> None:
    """Remove a phase nobody took part in; one with residents' contributions stays."""
    refuse_if_read_only(phase.project)
    try:
        with transaction.atomic():
            _lock_timeline(phase.project)
            phase.delete()
    except ProtectedError as exc:
        count = len(exc.protected_objects)
        raise TimelineRefused(
            ngettext(
                "Residents already took part in this phase (%(count)d contribution), so it "
                "cannot be deleted. Change its dates instead.",
                "Residents already took part in this phase (%(count)d contributions), so it "
                "cannot be deleted. Change its dates instead.",
                count,
            )
            % {"count": count}
        ) from exc


class SettingsRefused(Refused, ValueError):
    """Phase settings that do not fit the phase's method, with the reason for a person."""

    code = "settings_refused"


def update_phase_settings(
    *, phase: Phase, options: dict[str, Any], permissions: dict[str, dict[str, Any]]
) -> Phase:
    """Replace a phase's settings and who may take each action. Only what the phase's method
    declares is accepted (the registry says which actions and settings it has)."""
    refuse_if_read_only(phase.project)
    participation = get_method(phase.method)
    offered = {str(action) for action in participation.actions}
    unknown_actions = set(permissions) - offered
    if unknown_actions:
        raise SettingsRefused(
            _("This phase does not offer: %(actions)s.")
            % {"actions": ", ".join(sorted(unknown_actions))}
        )
    clean_permissions: dict[str, dict[str, Any]] = {}
    for action, rule in permissions.items():
        who = rule.get("who", "everyone")
        if who not in WHO_CHOICES:
            raise SettingsRefused(_("Choose who may take part from the list."))
        groups = sorted({int(g) for g in rule.get("groups", [])})
        if who == "groups":
            if not groups:
                raise SettingsRefused(
                    _("Choose at least one group that may %(action)s.")
                    % {"action": ACTION_LABELS[Action(action)]}
                )
            if ResidentGroup.objects.filter(pk__in=groups).count() != len(groups):
                raise SettingsRefused(_("One of the chosen groups no longer exists."))
        clean_permissions[action] = {
            "open": bool(rule.get("open", True)),
            "who": who,
            "groups": groups if who == "groups" else [],
        }
    unknown_settings = set(options) - set(participation.default_options)
    # A method with a settings form of its own validates its options there.
    if unknown_settings and not participation.settings_form:
        raise SettingsRefused(
            _("This phase has no setting: %(settings)s.")
            % {"settings": ", ".join(sorted(unknown_settings))}
        )
    clean_options = {**participation.default_options, **phase.options, **options}
    if clean_options.get("reaction_mode", "likes") not in REACTION_MODES:
        raise SettingsRefused(_("Choose how residents react from the list."))
    if "fields" in options:
        allowed_fields = set(participation.idea_fields())
        fields = dict(options["fields"])
        if set(fields) - allowed_fields or any(v not in FIELD_RULES for v in fields.values()):
            raise SettingsRefused(_("Choose off, optional or required for each idea field."))
        clean_options["fields"] = {**participation.default_options.get("fields", {}), **fields}
    with transaction.atomic():
        phase.options = clean_options
        phase.permissions = clean_permissions
        phase.save(update_fields=["options", "permissions"])
    return phase


# --- projects and folders in the back office ------------------------------------------------


def update_project(
    *,
    project: Project,
    title: dict[str, str],
    description: dict[str, str],
    cover_alt: dict[str, str],
    topics: Iterable[Topic],
    area: Area | None,
    folder: Folder | None,
    visibility: str,
    visible_to: Iterable[ResidentGroup],
    cover_image: UploadedFile | None = None,
    remove_cover: bool = False,
) -> Project:
    """Change what a project says and who sees it. A new cover replaces the old one."""
    refuse_if_read_only(project)
    with transaction.atomic():
        project.title = {k: v for k, v in title.items() if v}
        project.description = {k: sanitize(v) for k, v in description.items() if v}
        project.cover_alt = {k: v for k, v in cover_alt.items() if v}
        project.area = area
        project.folder = folder
        project.visibility = visibility
        if cover_image is not None:
            project.cover_image = cover_image
        elif remove_cover:
            project.cover_image = ""
        project.save()
        project.topics.set(topics)
        project.visible_to.set(visible_to if visibility == Visibility.GROUPS else [])
    return project


def assign_managers(*, project: Project, managers: Iterable[User]) -> Project:
    """The staff members who manage this project (administrators manage all anyway)."""
    with transaction.atomic():
        project.managers.set(managers)
    return project


def publish_project(*, project: Project) -> Project:
    """Open a project to residents, within the city's limit of active projects."""
    if not project.phases.exists():
        raise TimelineRefused(_("Add at least one phase before publishing the project."))
    with transaction.atomic():
        if project.status != PublicationStatus.PUBLISHED:
            # Two administrators publishing at once must not both slip under the limit.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
            used = Project.objects.filter(status=PublicationStatus.PUBLISHED).count()
            check_limit("active_projects", used=used)
        project.status = PublicationStatus.PUBLISHED
        project.published_at = project.published_at or timezone.now()
        project.save(update_fields=["status", "published_at"])
    return project


def archive_project(*, project: Project) -> Project:
    project.status = PublicationStatus.ARCHIVED
    project.save(update_fields=["status"])
    return project


def return_project_to_draft(*, project: Project) -> Project:
    """Hide a project from residents again (staff keep seeing it)."""
    project.status = PublicationStatus.DRAFT
    project.save(update_fields=["status"])
    return project


def move_project(*, project: Project, direction: str) -> None:
    """Move a project one place up or down the list residents see."""
    if direction not in ("up", "down"):
        raise ProjectRefused(_("Move a project up or down."))
    with transaction.atomic():
        ordered = list(Project.objects.select_for_update().order_by("position", "-created_at"))
        index = next(i for i, p in enumerate(ordered) if p.pk == project.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def update_folder(*, folder: Folder, title: dict[str, str], description: dict[str, str]) -> Folder:
    folder.title = {k: v for k, v in title.items() if v}
    folder.description = {k: sanitize(v) for k, v in description.items() if v}
    folder.save(update_fields=["title", "description"])
    return folder


def set_folder_status(*, folder: Folder, status: str) -> Folder:
    if status not in PublicationStatus.values:
        raise ProjectRefused(_("Unknown status."))
    folder.status = status
    folder.save(update_fields=["status"])
    return folder


def _copy_title(title: dict[str, str]) -> dict[str, str]:
    copied = {}
    for language, text in title.items():
        with translation.override(language):
            copied[language] = _("%(title)s (copy)") % {"title": text}
    return copied


def copy_project(*, project: Project, slug: str, with_inputs: bool) -> Project:
    """A draft copy of a project with its timeline and settings, and if asked, what residents
    wrote in it (ideas with their comments and reactions). Nobody is notified of the copy."""
    with transaction.atomic():
        copy = Project.objects.create(
            slug=slug,
            title=_copy_title(project.title),
            description=dict(project.description),
            cover_image=project.cover_image.name if project.cover_image else "",
            cover_alt=dict(project.cover_alt),
            area=project.area,
            folder=project.folder,
            visibility=project.visibility,
            position=project.position,
        )
        copy.topics.set(project.topics.all())
        copy.visible_to.set(project.visible_to.all())
        copy.managers.set(project.managers.all())
        phases: dict[int, Phase] = {}
        for phase in project.phases.order_by("starts_at"):
            phases[phase.pk] = Phase.objects.create(
                project=copy,
                title=dict(phase.title),
                description=dict(phase.description),
                method=phase.method,
                starts_at=phase.starts_at,
                ends_at=phase.ends_at,
                options=dict(phase.options),
                permissions=dict(phase.permissions),
            )
        for document in project.files.all():
            copy.files.create(
                phase=phases.get(document.phase_id) if document.phase_id else None,
                title=dict(document.title),
                file=document.file.name,
                position=document.position,
            )
        if with_inputs:
            # Each method copies what residents wrote in it (its manifest's `copy_inputs`).
            for method in all_methods():
                copy_inputs = method.input_copier()
                if copy_inputs is not None:
                    copy_inputs(project=project, copy=copy, phases=phases)
    return copy
