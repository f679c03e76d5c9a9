"""Registration fields the city asks residents, their answers, and how groups are made.

Groups themselves are `ratusz.consultations.core.models.ResidentGroup` (projects and phases refer to
them); `GroupSettings` adds whether a group is kept by hand or by a rule, and the rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ratusz.accounts.models import Invitation
from ratusz.consultations.core.models import Project, ResidentGroup

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", pgettext_lazy("kind of answer", "Number")
    CHOICE = "choice", _("Single choice")
    YEAR = "year", _("Year")


class AskedAt(models.TextChoices):
    SIGNUP = "signup", _("At sign-up")
    FIRST_ACTION = "first_action", _("Before a first action")


class RegistrationField(models.Model):
    """A question the city asks its residents (year of birth, district...)."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    label = models.JSONField(_("label"), default=dict)
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FieldKind.choices)
    required = models.BooleanField(_("required"), default=False)
    asked_at = models.CharField(
        _("asked"), max_length=16, choices=AskedAt.choices, default=AskedAt.SIGNUP
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration field")
        verbose_name_plural = _("registration fields")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FieldKind.values), name="registration_field_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(asked_at__in=AskedAt.values),
                name="registration_field_asked_at_valid",
            ),
            models.CheckConstraint(
                condition=Q(key__regex=KEY_PATTERN), name="registration_field_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def is_numeric(self) -> bool:
        return self.kind in (FieldKind.NUMBER, FieldKind.YEAR)


class FieldOption(models.Model):
    """One answer of a single-choice field, with the city's real share of it (for the
    dashboard's representativeness report), in per cent."""

    field = models.ForeignKey(RegistrationField, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(_("value"), max_length=60)
    label = models.JSONField(_("label"), default=dict)
    position = models.PositiveIntegerField(_("position"), default=0)
    reference_share = models.DecimalField(
        _("share of the population (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["field", "value"], name="field_option_unique"),
            models.CheckConstraint(
                condition=Q(reference_share__isnull=True)
                | Q(reference_share__gte=0, reference_share__lte=100),
                name="field_option_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field_id}: {self.value}"


class FieldAnswer(models.Model):
    """A person's answer to a registration field; `number` mirrors numeric answers so that
    rules can compare them without casting text."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration_answers"
    )
    field = models.ForeignKey(RegistrationField, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(_("answer"), max_length=200)
    number = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["user", "field"], name="one_answer_per_field"),
        ]
        indexes = [models.Index(fields=["field", "value"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.field_id}"


class GroupKind(models.TextChoices):
    MANUAL = "manual", _("Chosen by hand")
    RULE = "rule", _("Kept by a rule")


class RuleType(models.TextChoices):
    FIELD_VALUE = "field_value", _("Answer to a registration field")
    EMAIL_DOMAIN = "email_domain", _("E-mail domain")
    PARTICIPATION = "participation", _("Took part in a project")
    ROLE = "role", _("Role")


class GroupSettings(models.Model):
    """How a group gets its members. `rule` holds the rule's parameters:
    field_value {"field": key, "values": [...]} or {"field": key, "min": n, "max": n};
    email_domain {"domains": [...]}; participation {"project": id}; role {"roles": [...]}.
    A field or project is named by key/id, not a foreign key, so deleting it leaves the rule
    readable and `rule_error` says what is wrong."""

    group = models.OneToOneField(
        ResidentGroup, on_delete=models.CASCADE, related_name="people_settings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    rule_type = models.CharField(_("rule"), max_length=20, choices=RuleType.choices, blank=True)
    rule = models.JSONField(default=dict, blank=True)
    rule_error = models.TextField(blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("group settings")
        verbose_name_plural = _("group settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=GroupKind.MANUAL, rule_type="")
                | Q(kind=GroupKind.RULE, rule_type__in=RuleType.values),
                name="group_settings_rule_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.kind}"


class InvitedProjects(models.Model):
    """The projects an invited project manager will manage once they accept the invitation."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="people_projects"
    )
    projects = models.ManyToManyField(Project, blank=True, related_name="+")

    class Meta:
        verbose_name = _("projects of an invitation")
        verbose_name_plural = _("projects of invitations")

    def __str__(self) -> str:
        return f"projects of invitation {self.invitation_id}"
