"""Reads for people: the list of residents, a person's activity, registration fields and their
answers, and the members a group's rule selects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import Invitation, Role, User
from ratusz.accounts.selectors import STAFF_ROLES
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction
from ratusz.consultations.participation.moderation.models import Block
from ratusz.consultations.people.models import (
    AskedAt,
    FieldAnswer,
    FieldKind,
    FieldOption,
    GroupKind,
    GroupSettings,
    RegistrationField,
    RuleType,
)

CITY_ROLES = (Role.RESIDENT, Role.PROJECT_MANAGER, Role.ADMINISTRATOR)


# --- residents ------------------------------------------------------------------------------------


def _active_block_of_user() -> Exists:
    now = timezone.now()
    return Exists(
        Block.objects.filter(user=OuterRef("pk"), lifted_at__isnull=True).filter(
            Q(until__isnull=True) | Q(until__gt=now)
        )
    )


def people(
    *,
    query: str = "",
    role: str = "",
    blocked: bool | None = None,
    group: ResidentGroup | None = None,
    joined_from: date | None = None,
    joined_to: date | None = None,
) -> QuerySet[User]:
    """The city's accounts, newest first, each with `is_blocked`, filtered as asked."""
    accounts = User.objects.filter(role__in=CITY_ROLES).annotate(is_blocked=_active_block_of_user())
    text = query.strip()
    if text:
        accounts = accounts.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    if role:
        accounts = accounts.filter(role=role)
    if blocked is not None:
        accounts = accounts.filter(is_blocked=blocked)
    if group is not None:
        accounts = accounts.filter(resident_groups=group)
    if joined_from is not None:
        accounts = accounts.filter(date_joined__date__gte=joined_from)
    if joined_to is not None:
        accounts = accounts.filter(date_joined__date__lte=joined_to)
    return accounts.order_by("-date_joined", "-pk")


def person(pk: int) -> User | None:
    return people().filter(pk=pk).first()


@dataclass(frozen=True)
class Activity:
    ideas: list[Idea]
    comments: list[Comment]
    reactions: list[Reaction]
    idea_count: int
    comment_count: int
    reaction_count: int


ACTIVITY_LIMIT = 20


def activity(user: User, *, limit: int = ACTIVITY_LIMIT) -> Activity:
    """What the person did: their latest ideas, comments and reactions (staff see all, hidden
    ones included), with the totals."""
    ideas = Idea.objects.filter(author=user).select_related("project").order_by("-created_at")
    comments = (
        Comment.objects.filter(author=user)
        .select_related("idea__project")
        .order_by("-created_at", "-pk")
    )
    reactions = (
        Reaction.objects.filter(user=user)
        .select_related("idea__project")
        .order_by("-created_at", "-pk")
    )
    return Activity(
        ideas=list(ideas[:limit]),
        comments=list(comments[:limit]),
        reactions=list(reactions[:limit]),
        idea_count=ideas.count(),
        comment_count=comments.count(),
        reaction_count=reactions.count(),
    )


def staff_count() -> int:
    """Staff seats in use: active administrators and project managers."""
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).count()


def open_staff_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        role__in=STAFF_ROLES, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def is_last_administrator(user: User) -> bool:
    return (
        user.role == Role.ADMINISTRATOR
        and not User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


# --- registration fields --------------------------------------------------------------------------


def all_fields() -> QuerySet[RegistrationField]:
    return RegistrationField.objects.prefetch_related("options").order_by("position", "pk")


def active_fields() -> QuerySet[RegistrationField]:
    return all_fields().filter(active=True)


def signup_fields() -> QuerySet[RegistrationField]:
    """The fields asked in the sign-up form."""
    return active_fields().filter(asked_at=AskedAt.SIGNUP)


def field_by_key(key: str) -> RegistrationField | None:
    return RegistrationField.objects.filter(key=key).first()


def answers_of(user: User) -> dict[str, str]:
    """The person's answers by field key."""
    return dict(
        FieldAnswer.objects.filter(user=user).values_list("field__key", "value").order_by("field")
    )


def missing_required_fields(user: Any) -> list[RegistrationField]:
    """The active required fields this person has not answered yet (empty for visitors): the
    rules ask for them before a first action ("complete your profile")."""
    if not getattr(user, "is_authenticated", False):
        return []
    answered = FieldAnswer.objects.filter(user=user, field=OuterRef("pk"))
    return list(active_fields().filter(required=True).exclude(Exists(answered)))


def field_distribution(field_key: str) -> dict[str, int]:
    """How many active accounts gave each answer to the field `field_key` (answer -> count).

    A single-choice field lists every option, those nobody chose with 0. An unknown key gives
    an empty dict (the dashboard then has nothing to compare)."""
    field = field_by_key(field_key)
    if field is None:
        return {}
    counts: dict[str, int] = {}
    if field.kind == FieldKind.CHOICE:
        counts = dict.fromkeys(field.options.values_list("value", flat=True), 0)
    rows = (
        FieldAnswer.objects.filter(field=field, user__is_active=True)
        .values("value")
        .annotate(count=Count("pk"))
        .order_by("value")
    )
    for row in rows:
        counts[row["value"]] = row["count"]
    return counts


def reference_shares(field_key: str) -> dict[str, float]:
    """The city's real population shares (per cent) per option, where the city gave them."""
    rows = FieldOption.objects.filter(
        field__key=field_key, reference_share__isnull=False
    ).values_list("value", "reference_share")
    return {value: float(share) for value, share in rows if share is not None}


# --- groups ---------------------------------------------------------------------------------------


class RuleBroken(Exception):
    """A group's rule that cannot be applied (its field or project is gone); `message` says
    what to do about it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def group_member_ids(group: ResidentGroup) -> set[int]:
    return set(group.members.values_list("pk", flat=True))


def settings_of(group: ResidentGroup) -> GroupSettings:
    """The group's settings; a group made elsewhere (without them) is a manual group."""
    found = GroupSettings.objects.filter(group=group).first()
    return found or GroupSettings(group=group, kind=GroupKind.MANUAL)


def groups() -> QuerySet[ResidentGroup]:
    return (
        ResidentGroup.objects.select_related("people_settings")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )


def rule_groups() -> QuerySet[GroupSettings]:
    return GroupSettings.objects.filter(kind=GroupKind.RULE).select_related("group")


def groups_using_field(key: str) -> list[ResidentGroup]:
    return [
        found.group
        for found in rule_groups().filter(rule_type=RuleType.FIELD_VALUE, rule__field=key)
    ]


def _participated_in(project_id: int) -> Q:
    return Q(
        Exists(Idea.objects.filter(author=OuterRef("pk"), project_id=project_id))
        | Exists(Comment.objects.filter(author=OuterRef("pk"), idea__project_id=project_id))
        | Exists(Reaction.objects.filter(user=OuterRef("pk"), idea__project_id=project_id))
    )


def rule_condition(group_settings: GroupSettings) -> Q:
    """The condition on accounts that the group's rule states; RuleBroken if it names a field
    or project that no longer exists."""
    rule = group_settings.rule or {}
    kind = group_settings.rule_type
    if kind == RuleType.FIELD_VALUE:
        key = str(rule.get("field", ""))
        field = field_by_key(key)
        if field is None:
            raise RuleBroken(
                _(
                    "The registration field “%(key)s” this rule uses no longer exists. Choose "
                    "another field for the rule, or delete the group."
                )
                % {"key": key}
            )
        answers = FieldAnswer.objects.filter(user=OuterRef("pk"), field=field)
        if field.is_numeric and ("min" in rule or "max" in rule):
            if rule.get("min") is not None:
                answers = answers.filter(number__gte=int(rule["min"]))
            if rule.get("max") is not None:
                answers = answers.filter(number__lte=int(rule["max"]))
        else:
            values = [str(value) for value in rule.get("values", [])]
            if field.kind == FieldKind.TEXT:
                matches = Q()
                for value in values:
                    matches |= Q(value__iexact=value)
                answers = answers.filter(matches) if values else answers.none()
            else:
                answers = answers.filter(value__in=values)
        return Q(Exists(answers))
    if kind == RuleType.EMAIL_DOMAIN:
        condition = Q(pk__in=[])
        for domain in rule.get("domains", []):
            condition |= Q(email__iendswith=f"@{domain}")
        return condition
    if kind == RuleType.PARTICIPATION:
        project_id = rule.get("project")
        if not isinstance(project_id, int) or not Project.objects.filter(pk=project_id).exists():
            raise RuleBroken(
                _(
                    "The project this rule uses no longer exists. Choose another project for "
                    "the rule, or delete the group."
                )
            )
        return _participated_in(project_id)
    if kind == RuleType.ROLE:
        return Q(role__in=[str(role) for role in rule.get("roles", [])])
    raise RuleBroken(_("This group has no rule. Give it one, or make it a manual group."))


def rule_members(group_settings: GroupSettings) -> QuerySet[User]:
    """The active accounts the group's rule selects now."""
    return User.objects.filter(role__in=CITY_ROLES, is_active=True).filter(
        rule_condition(group_settings)
    )


def describe_rule(group_settings: GroupSettings) -> str:
    """The rule in words, for the list of groups."""
    rule = group_settings.rule or {}
    kind = group_settings.rule_type
    if kind == RuleType.FIELD_VALUE:
        if "min" in rule or "max" in rule:
            return _("“%(field)s” from %(min)s to %(max)s") % {
                "field": rule.get("field", ""),
                "min": rule.get("min") if rule.get("min") is not None else "…",
                "max": rule.get("max") if rule.get("max") is not None else "…",
            }
        return _("“%(field)s” is %(values)s") % {
            "field": rule.get("field", ""),
            "values": ", ".join(str(value) for value in rule.get("values", [])),
        }
    if kind == RuleType.EMAIL_DOMAIN:
        return _("E-mail address at %(domains)s") % {"domains": ", ".join(rule.get("domains", []))}
    if kind == RuleType.PARTICIPATION:
        project_id = rule.get("project")
        project = (
            Project.objects.filter(pk=project_id).first() if isinstance(project_id, int) else None
        )
        return _("Took part in %(project)s") % {"project": project.slug if project else "?"}
    if kind == RuleType.ROLE:
        labels = dict(Role.choices)
        return _("Role: %(roles)s") % {
            "roles": ", ".join(str(labels.get(role, role)) for role in rule.get("roles", []))
        }
    return ""
