"""Writes for people: staff invitations and roles, registration fields and answers, groups and
their members.

Membership of groups kept by a rule follows its inputs: `refresh_memberships` runs for one
person whenever their answers, role or participation change, `recompute_group` for a whole group
when its rule changes, and the periodic task recomputes every rule group of a city. Refusals
raise `Refused` (ideation's) with a message for a person; a plan's limit raises the tenants'
`LimitReached`, whose `message` says how to raise it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.emails import queue_email
from ratusz.accounts.extensions import InvitationRefused
from ratusz.accounts.models import Invitation, Role, User
from ratusz.accounts.rules import is_administrator
from ratusz.accounts.selectors import STAFF_ROLES
from ratusz.accounts.services import IssuedInvitation, create_invitation
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.methods.ideation.events import IdeaEvent
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.ideation.services import Refused
from ratusz.consultations.participation.moderation.selectors import active_block
from ratusz.consultations.people import selectors
from ratusz.consultations.people.models import (
    AskedAt,
    FieldAnswer,
    FieldKind,
    FieldOption,
    GroupKind,
    GroupSettings,
    InvitedProjects,
    RegistrationField,
    RuleType,
)
from ratusz.consultations.people.selectors import RuleBroken
from ratusz.tenants.entitlements import LimitReached, check_limit

INVITATION_VALID_DAYS = 14


# --- staff ----------------------------------------------------------------------------------------


def _require_administrator(admin: User) -> None:
    if not is_administrator(admin):
        raise Refused(_("Only the city's administrators can manage people."))


def invite_staff(
    *,
    admin: User,
    email: str,
    role: str,
    full_name: str = "",
    projects: Sequence[Project] = (),
    accept_url: Any,
    city_name: str,
) -> IssuedInvitation:
    """Invite someone to the city's staff; a project manager gets `projects` on accepting.

    `accept_url(token)` gives the link for the e-mail (the view knows the city's host). The
    plan's staff seats count the staff already there; the invitation itself takes none.
    """
    _require_administrator(admin)
    if role not in STAFF_ROLES:
        raise Refused(_("Choose the role of the new staff member."))
    address = email.strip().lower()
    existing = User.objects.filter(email__iexact=address).first()
    if existing is not None and existing.role in STAFF_ROLES:
        raise Refused(_("This person is already on the staff; change their role instead."))
    check_limit("staff_seats", used=selectors.staff_count())
    with transaction.atomic():
        issued = create_invitation(
            email=address, role=role, full_name=full_name, valid_days=INVITATION_VALID_DAYS
        )
        if role == Role.PROJECT_MANAGER and projects:
            InvitedProjects.objects.create(invitation=issued.invitation).projects.set(projects)
        link = accept_url(issued.token)
        context = {
            "city_name": city_name,
            "inviter": admin.full_name or admin.email,
            "role": issued.invitation.get_role_display(),
            "projects": list(projects) if role == Role.PROJECT_MANAGER else [],
            "url": link,
            "valid_days": INVITATION_VALID_DAYS,
        }
        subject = render_to_string("backoffice/people/email/invitation_subject.txt", context)
        body = render_to_string("backoffice/people/email/invitation_message.txt", context)
        queue_email(EmailMessage(subject=" ".join(subject.split()), body=body, to=[address]))
    return issued


def on_invitation_accepted(invitation: Invitation, user: User) -> None:
    """Accounts' hook: the invited project manager gets their projects; groups by role follow.

    The plan's staff seats are checked again here: an invitation sent before a downgrade may be
    accepted after it. Refusing raises accounts' InvitationRefused, which rolls the whole
    acceptance back (no account is created) and shows the limit's message on the page.
    """
    _check_staff_seat(invitation, user)
    invited = InvitedProjects.objects.filter(invitation=invitation).first()
    if invited is not None and user.role == Role.PROJECT_MANAGER:
        user.managed_projects.add(*invited.projects.all())
    refresh_memberships(user=user)


def _check_staff_seat(invitation: Invitation, user: User) -> None:
    if invitation.role not in STAFF_ROLES:
        return
    # The city's first administrator, invited when the city was provisioned, always gets in: a
    # city without an administrator could not even choose a bigger plan.
    if invitation.role == Role.ADMINISTRATOR and selectors.is_last_administrator(user):
        return
    # The account already has its staff role (accounts saved it); count the seats before it.
    others = User.objects.filter(role__in=STAFF_ROLES, is_active=True).exclude(pk=user.pk).count()
    try:
        check_limit("staff_seats", used=others)
    except LimitReached as reached:
        raise InvitationRefused(reached.message) from reached


def revoke_invitation(*, admin: User, invitation: Invitation) -> None:
    _require_administrator(admin)
    if invitation.accepted_at is not None:
        raise Refused(_("This invitation was already accepted."))
    invitation.delete()


def change_role(*, admin: User, user: User, role: str, projects: Iterable[Project] = ()) -> User:
    """Give `user` another role (and, for a project manager, the projects they manage)."""
    _require_administrator(admin)
    if role not in Role.values or role in (Role.OPERATOR, Role.PARTNER):
        raise Refused(_("Choose one of the city's roles."))
    if user.role not in selectors.CITY_ROLES:
        raise Refused(_("This account does not belong to the city."))
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        if role != Role.ADMINISTRATOR and selectors.is_last_administrator(current):
            raise Refused(
                _(
                    "This is the city's only administrator. Make someone else an "
                    "administrator first."
                )
            )
        if role in STAFF_ROLES and current.role not in STAFF_ROLES:
            if active_block(current) is not None:
                raise Refused(_("This resident is blocked; lift the block first."))
            check_limit("staff_seats", used=selectors.staff_count())
        current.role = role
        current.is_staff = role in STAFF_ROLES
        current.save(update_fields=["role", "is_staff"])
        if role == Role.PROJECT_MANAGER:
            current.managed_projects.set(list(projects))
        elif role == Role.RESIDENT:
            current.managed_projects.clear()
        refresh_memberships(user=current)
    user.role, user.is_staff = current.role, current.is_staff
    return current


# --- registration fields --------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionSpec:
    value: str
    label: dict[str, str]
    reference_share: Decimal | None = None


def _set_options(registration_field: RegistrationField, options: Sequence[OptionSpec]) -> None:
    keep = [option.value for option in options]
    registration_field.options.exclude(value__in=keep).delete()
    for position, option in enumerate(options):
        FieldOption.objects.update_or_create(
            field=registration_field,
            value=option.value,
            defaults={
                "label": option.label,
                "position": position,
                "reference_share": option.reference_share,
            },
        )


def _check_options(kind: str, options: Sequence[OptionSpec]) -> None:
    if kind == FieldKind.CHOICE and len(options) < 2:
        raise Refused(_("A single-choice field needs at least two options."))
    values = [option.value for option in options]
    if len(set(values)) != len(values):
        raise Refused(_("Each option needs its own value."))
    shares = [option.reference_share for option in options if option.reference_share is not None]
    if sum(shares, Decimal(0)) > 100:
        raise Refused(_("The population shares of the options add up to more than 100%."))


def create_field(
    *,
    key: str,
    label: dict[str, str],
    kind: str,
    help_text: dict[str, str] | None = None,
    required: bool = False,
    asked_at: str = AskedAt.SIGNUP,
    active: bool = True,
    position: int | None = None,
    options: Sequence[OptionSpec] = (),
) -> RegistrationField:
    if RegistrationField.objects.filter(key=key).exists():
        raise Refused(_("Another field already uses this key."))
    if kind not in FieldKind.values:
        raise Refused(_("Choose the kind of the field."))
    _check_options(kind, options)
    with transaction.atomic():
        if position is None:
            position = RegistrationField.objects.count()
        registration_field = RegistrationField.objects.create(
            key=key,
            label=label,
            help_text=help_text or {},
            kind=kind,
            required=required,
            asked_at=asked_at,
            active=active,
            position=position,
        )
        if kind == FieldKind.CHOICE:
            _set_options(registration_field, options)
    return registration_field


def update_field(
    *,
    registration_field: RegistrationField,
    label: dict[str, str],
    help_text: dict[str, str] | None = None,
    required: bool,
    asked_at: str,
    active: bool,
    position: int,
    options: Sequence[OptionSpec] = (),
) -> RegistrationField:
    """Change a field; its key and kind stay (answers and rules depend on them)."""
    _check_options(registration_field.kind, options)
    with transaction.atomic():
        registration_field.label = label
        registration_field.help_text = help_text or {}
        registration_field.required = required
        registration_field.asked_at = asked_at
        registration_field.active = active
        registration_field.position = position
        registration_field.save()
        if registration_field.kind == FieldKind.CHOICE:
            _set_options(registration_field, options)
    return registration_field


def delete_field(*, registration_field: RegistrationField) -> list[ResidentGroup]:
    """Delete a field and its answers. Groups whose rule used it keep their members and say
    that their rule is broken; returns them."""
    with transaction.atomic():
        affected = selectors.groups_using_field(registration_field.key)
        registration_field.delete()
        for group in affected:
            recompute_group(group=group)
    return affected


def save_answers(*, user: User, answers: Mapping[str, Any]) -> None:
    """Save the person's answers (by field key; empty removes an answer), then the groups
    that depend on them. Answers are validated by the form that collected them."""
    fields = {found.key: found for found in RegistrationField.objects.filter(key__in=answers)}
    with transaction.atomic():
        for key, raw in answers.items():
            registration_field = fields.get(key)
            if registration_field is None:
                continue
            value = "" if raw is None else str(raw).strip()
            if not value:
                FieldAnswer.objects.filter(user=user, field=registration_field).delete()
                continue
            number = int(value) if registration_field.is_numeric else None
            FieldAnswer.objects.update_or_create(
                user=user, field=registration_field, defaults={"value": value, "number": number}
            )
        refresh_memberships(user=user)


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


def on_idea_event(event: IdeaEvent) -> None:
    """Ideation's listener (after the commit): someone who took part in a project joins the
    groups of people who took part in it."""
    if event.kind not in PARTICIPATION_EVENTS or event.actor_id is None:
        return
    project_id = Idea.objects.filter(pk=event.idea_id).values_list("project_id", flat=True).first()
    if project_id is None:
        return
    groups = list(
        selectors.rule_groups().filter(rule_type=RuleType.PARTICIPATION, rule__project=project_id)
    )
    user = User.objects.filter(pk=event.actor_id).first()
    if groups and user is not None:
        with transaction.atomic():
            refresh_memberships(user=user, groups=groups)
