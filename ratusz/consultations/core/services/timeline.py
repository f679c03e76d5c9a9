"""A project's timeline: adding, changing and deleting phases (they never overlap), and each
phase's settings as its participation method declares them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import PROTECT, ProtectedError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusz.consultations.core.features import check_feature_on
from ratusz.consultations.core.models import Phase, Project, ResidentGroup
from ratusz.consultations.core.registry import (
    ACTION_LABELS,
    FIELD_RULES,
    REACTION_MODES,
    WHO_CHOICES,
    Action,
    Method,
    UnknownMethod,
    get_method,
)
from ratusz.consultations.core.richtext import sanitize
from ratusz.consultations.core.services.refusals import (
    SettingsRefused,
    TimelineRefused,
    refuse_if_read_only,
)
from ratusz.consultations.core.translation import translated
from ratusz.tenants.entitlements import FeatureNotAllowed


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
