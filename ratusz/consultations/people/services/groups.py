"""Resident groups and their members; membership of groups kept by a rule follows its inputs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.core.models import ResidentGroup
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.participation.events import InputEvent
from ratusz.consultations.participation.refusals import Refused
from ratusz.consultations.people import selectors
from ratusz.consultations.people.models import GroupKind, GroupSettings, RuleType
from ratusz.consultations.people.selectors import RuleBroken

# --- groups ---------------------------------------------------------------------------------------


def _check_rule(kind: str, rule_type: str, rule: Mapping[str, Any]) -> None:
    if kind == GroupKind.MANUAL:
        return
    if rule_type not in RuleType.values:
        raise Refused(_("Choose how the group's rule selects its members."))
    probe = GroupSettings(kind=kind, rule_type=rule_type, rule=dict(rule))
    try:
        selectors.rule_condition(probe)
    except RuleBroken as broken:
        raise Refused(broken.message) from broken


def create_group(
    *,
    name: str,
    description: str = "",
    kind: str = GroupKind.MANUAL,
    rule_type: str = "",
    rule: Mapping[str, Any] | None = None,
) -> ResidentGroup:
    name = name.strip()
    if not name:
        raise Refused(_("Give the group a name."))
    if ResidentGroup.objects.filter(name__iexact=name).exists():
        raise Refused(_("Another group already has this name."))
    rule = dict(rule or {}) if kind == GroupKind.RULE else {}
    rule_type = rule_type if kind == GroupKind.RULE else ""
    _check_rule(kind, rule_type, rule)
    with transaction.atomic():
        group = ResidentGroup.objects.create(name=name, description=description.strip())
        GroupSettings.objects.create(group=group, kind=kind, rule_type=rule_type, rule=rule)
        if kind == GroupKind.RULE:
            recompute_group(group=group)
    return group


def update_group(
    *,
    group: ResidentGroup,
    name: str,
    description: str = "",
    kind: str,
    rule_type: str = "",
    rule: Mapping[str, Any] | None = None,
) -> ResidentGroup:
    """Rename a group or change its rule; members of a group made manual stay as they are."""
    name = name.strip()
    if not name:
        raise Refused(_("Give the group a name."))
    if ResidentGroup.objects.filter(name__iexact=name).exclude(pk=group.pk).exists():
        raise Refused(_("Another group already has this name."))
    rule = dict(rule or {}) if kind == GroupKind.RULE else {}
    rule_type = rule_type if kind == GroupKind.RULE else ""
    _check_rule(kind, rule_type, rule)
    with transaction.atomic():
        group.name = name
        group.description = description.strip()
        group.save(update_fields=["name", "description"])
        GroupSettings.objects.update_or_create(
            group=group,
            defaults={"kind": kind, "rule_type": rule_type, "rule": rule, "rule_error": ""},
        )
        if kind == GroupKind.RULE:
            recompute_group(group=group)
    return group


def delete_group(*, group: ResidentGroup) -> None:
    group.delete()


def _require_manual(group: ResidentGroup) -> None:
    if selectors.settings_of(group).kind == GroupKind.RULE:
        raise Refused(
            _("A rule chooses the members of this group; change the rule instead of the members.")
        )


def add_members(*, group: ResidentGroup, emails: Iterable[str]) -> list[str]:
    """Add the accounts with these e-mail addresses to a manual group; returns the addresses
    no account of the city uses (nothing is added when there are any)."""
    _require_manual(group)
    wanted = [address.strip().lower() for address in emails if address.strip()]
    found = {
        account.email: account
        for account in User.objects.filter(role__in=selectors.CITY_ROLES, email__in=wanted)
    }
    unknown = [address for address in wanted if address not in found]
    if unknown:
        return unknown
    group.members.add(*found.values())
    return []


def remove_member(*, group: ResidentGroup, user: User) -> None:
    _require_manual(group)
    group.members.remove(user)


@dataclass
class Recomputation:
    added: int = 0
    removed: int = 0
    error: str = ""
    member_ids: set[int] = field(default_factory=set)


def recompute_group(*, group: ResidentGroup) -> Recomputation:
    """Make a rule group's members those its rule selects now. A broken rule (its field or
    project deleted) changes nobody and records why, for the back office to show."""
    with transaction.atomic():
        return _recompute_locked(group)


def _recompute_locked(group: ResidentGroup) -> Recomputation:
    group_settings = GroupSettings.objects.select_for_update().filter(group=group).first()
    if group_settings is None or group_settings.kind != GroupKind.RULE:
        return Recomputation()
    now = timezone.now()
    try:
        wanted = set(selectors.rule_members(group_settings).values_list("pk", flat=True))
    except RuleBroken as broken:
        GroupSettings.objects.filter(pk=group_settings.pk).update(
            rule_error=broken.message, computed_at=now
        )
        return Recomputation(error=broken.message)
    current = selectors.group_member_ids(group)
    to_add, to_remove = wanted - current, current - wanted
    if to_add:
        group.members.add(*to_add)
    if to_remove:
        group.members.remove(*to_remove)
    GroupSettings.objects.filter(pk=group_settings.pk).update(rule_error="", computed_at=now)
    return Recomputation(added=len(to_add), removed=len(to_remove), member_ids=wanted)


def recompute_all_groups() -> int:
    """Recompute every rule group of the current city; returns how many were recomputed."""
    count = 0
    for group_settings in selectors.rule_groups():
        recompute_group(group=group_settings.group)
        count += 1
    return count


def refresh_memberships(*, user: User, groups: Iterable[GroupSettings] | None = None) -> list[str]:
    """Put `user` into (or out of) the rule groups (all, or `groups`) as their rules say now.
    Broken rules are skipped and recorded; returns their messages."""
    errors = []
    candidates = selectors.rule_groups() if groups is None else groups
    for group_settings in candidates:
        try:
            condition = selectors.rule_condition(group_settings)
        except RuleBroken as broken:
            if group_settings.rule_error != broken.message:
                GroupSettings.objects.filter(pk=group_settings.pk).update(rule_error=broken.message)
            errors.append(broken.message)
            continue
        matches = (
            user.is_active
            and user.role in selectors.CITY_ROLES
            and User.objects.filter(pk=user.pk).filter(condition).exists()
        )
        if matches:
            group_settings.group.members.add(user)
        else:
            group_settings.group.members.remove(user)
    return errors


PARTICIPATION_EVENTS = frozenset({"idea_posted", "comment_added", "reacted"})


def on_input_event(event: InputEvent) -> None:
    """The input events' listener (after the commit): someone who took part in a project joins
    the groups of people who took part in it (ideas, comments and reactions so far)."""
    if event.kind not in PARTICIPATION_EVENTS or event.actor_id is None:
        return
    project_id = Idea.objects.filter(pk=event.input_id).values_list("project_id", flat=True).first()
    if project_id is None:
        return
    groups = list(
        selectors.rule_groups().filter(rule_type=RuleType.PARTICIPATION, rule__project=project_id)
    )
    user = User.objects.filter(pk=event.actor_id).first()
    if groups and user is not None:
        with transaction.atomic():
            refresh_memberships(user=user, groups=groups)
