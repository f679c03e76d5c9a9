"""Who may do what, as named predicates that answer with a reason a person understands.

Every refusal says why and what to do about it (log in, confirm the e-mail address, wait for
the phase to open...). Views and templates ask `can_act`; services ask it again before writing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusz.accounts import rules as accounts_rules
from ratusz.accounts.models import Role, User
from ratusz.accounts.rules import acting_role
from ratusz.consultations.core.features import feature_on
from ratusz.consultations.core.models import Phase, Project, PublicationStatus, Visibility
from ratusz.consultations.core.read_only import active_projects_limit, is_read_only
from ratusz.consultations.core.registry import ACTION_LABELS, Action, get_method

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Decision:
    allowed: bool
    code: str = "ok"  # machine-readable reason: "login", "confirm_email", "ended"...
    message: str = ""  # why, for a person, in the current language
    next_step: str = ""  # where to go to fix it ("login", "confirm_email"), if anywhere


ALLOWED = Decision(True)


# Staff powers are read through `acting_role`: a staff member whose session has not met the
# city's two-factor rule for staff acts as a resident (ratusz.accounts.rules).
is_administrator = accounts_rules.is_administrator


def is_project_staff(user: AnyUser, project: Project) -> bool:
    """Administrators, partner consultants working for the city, and this project's managers."""
    role = acting_role(user)
    if role in (Role.ADMINISTRATOR, Role.PARTNER):
        return True
    return role == Role.PROJECT_MANAGER and project.managers.filter(pk=user.pk).exists()


def email_is_confirmed(user: User) -> bool:
    try:
        email_address = apps.get_model("account", "EmailAddress")
    except LookupError:  # accounts without e-mail confirmation installed
        return False
    return bool(email_address.objects.filter(user=user, verified=True).exists())


def in_any_group(user: User, group_ids: list[int]) -> bool:
    return bool(group_ids) and user.resident_groups.filter(pk__in=group_ids).exists()


def can_see_project(user: AnyUser, project: Project) -> bool:
    if is_project_staff(user, project):
        return True
    if project.status == PublicationStatus.DRAFT:
        return False
    if project.visibility == Visibility.GROUPS:
        return user.is_authenticated and in_any_group(
            user, list(project.visible_to.values_list("pk", flat=True))
        )
    return True


def when(moment: datetime) -> str:
    """A moment as a refusal names it (local time, the language's date format)."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# Checks of the person that apps above core add to `can_act` (moderation's blocks, the city's
# required registration questions): core decides who may act without importing them. Each
# takes the person (signed in, active) and the action's label, and returns a refusal or None.
# Registered in the apps' AppConfig.ready(), once per process.
PersonCheck = Callable[[User, str], Decision | None]
_checks_of_everyone: list[PersonCheck] = []
_checks_of_residents: list[PersonCheck] = []


def register_person_check(check: PersonCheck, *, staff_too: bool) -> None:
    """Add a check of the person to `can_act`: `staff_too` checks run before the project's
    staff are let through (a block applies to staff too), the others only for residents."""
    checks = _checks_of_everyone if staff_too else _checks_of_residents
    if check not in checks:
        checks.append(check)


def action_rule(phase: Phase, action: Action) -> dict[str, Any]:
    """Whether `action` is open in `phase` and who may take it:
    {"open": bool, "who": "everyone"|"confirmed"|"verified"|"groups", "groups": [ids]}.
    An action the back office never touched is open (the method offers it) to whom the
    method says by default (`default_who`; everyone with an account unless it says)."""
    rule = dict(phase.permissions.get(str(action)) or {})
    rule.setdefault("open", True)
    rule.setdefault("who", get_method(phase.method).default_who.get(str(action), "everyone"))
    rule.setdefault("groups", [])
    return rule


def is_verified_resident(user: User) -> bool:
    """A resident whose residence the city confirmed (staff set `verified_at`)."""
    return user.verified_at is not None


def over_limit_decision() -> Decision:
    """The refusal for a project beyond the plan's limit of active projects."""
    limit = active_projects_limit() or 0
    return Decision(
        False,
        "over_limit",
        ngettext(
            "This project is read-only: the city's plan allows %(limit)d active project and "
            "this one is beyond it. You can still read everything here, but not take part. "
            "The city's administrator can raise the limit.",
            "This project is read-only: the city's plan allows %(limit)d active projects and "
            "this one is beyond them. You can still read everything here, but not take part. "
            "The city's administrator can raise the limit.",
            limit,
        )
        % {"limit": limit},
    )


def can_act(
    user: AnyUser, phase: Phase, action: Action, *, now: datetime | None = None
) -> Decision:
    """May `user` take `action` in `phase` now? If not, why and what to do."""
    now = now or timezone.now()
    label = str(ACTION_LABELS[action])
    project = phase.project
    if not can_see_project(user, project):
        return Decision(False, "not_visible", _("This project is not open to you."))
    if project.status != PublicationStatus.PUBLISHED and not is_project_staff(user, project):
        return Decision(False, "not_published", _("This project is not open for participation."))
    # Beyond the plan's active projects (after a downgrade) a project is read-only for everyone,
    # staff included: nothing new comes in until the city frees a place or raises the limit.
    if is_read_only(project):
        return over_limit_decision()
    method = get_method(phase.method)
    if not method.offers(action):
        return Decision(
            False,
            "not_offered",
            _("This phase does not invite you to %(action)s.") % {"action": label},
        )
    if method.feature and not feature_on(method.feature):  # the plan or the city's switch
        return Decision(
            False,
            "feature_off",
            _("This way of taking part is not available on this portal at the moment."),
        )
    rule = action_rule(phase, action)
    if not rule["open"]:
        return Decision(
            False,
            "closed",
            _("The city has not opened this phase to %(action)s.") % {"action": label},
        )
    if phase.starts_at > now:
        return Decision(
            False,
            "not_started",
            _("This phase opens on %(date)s; you can %(action)s from then.")
            % {"date": when(phase.starts_at), "action": label},
        )
    if phase.ends_at is not None and phase.ends_at <= now:
        return Decision(
            False,
            "ended",
            _("This phase ended on %(date)s, so you can no longer %(action)s.")
            % {"date": when(phase.ends_at), "action": label},
        )
    if not user.is_authenticated:
        return Decision(
            False,
            "login",
            _("Log in or create an account to %(action)s.") % {"action": label},
            "login",
        )
    if not user.is_active:
        return Decision(False, "inactive", _("Your account is not active."))
    for check in _checks_of_everyone:
        if (refusal := check(user, label)) is not None:
            return refusal
    if is_project_staff(user, project):
        return ALLOWED
    for check in _checks_of_residents:
        if (refusal := check(user, label)) is not None:
            return refusal
    if rule["who"] == "confirmed" and not email_is_confirmed(user):
        return Decision(
            False,
            "confirm_email",
            _(
                "Confirm your e-mail address to %(action)s: open the link we sent you, or ask "
                "for a new one."
            )
            % {"action": label},
            "confirm_email",
        )
    if rule["who"] == "verified" and not is_verified_resident(user):
        return Decision(
            False,
            "not_verified",
            _(
                "In this phase only verified residents can %(action)s. Your account is not "
                "verified yet: ask the city office to confirm that you live in the city."
            )
            % {"action": label},
            "verify",
        )
    if rule["who"] == "groups" and not in_any_group(user, rule["groups"]):
        return Decision(
            False,
            "not_in_group",
            _("In this phase only invited groups of residents can %(action)s.") % {"action": label},
        )
    return ALLOWED


def current_phase(project: Project, *, now: datetime | None = None) -> Phase | None:
    """The phase running now, else None (between phases, before the first, after the last)."""
    now = now or timezone.now()
    for phase in project.phases.all():
        if phase.starts_at <= now and (phase.ends_at is None or phase.ends_at > now):
            return phase
    return None
