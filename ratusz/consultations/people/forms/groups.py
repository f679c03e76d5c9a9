"""Resident groups: by rule (e-mail domains, answers) or by hand."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.participation.moderation.forms import LinkedErrorsForm
from ratusz.consultations.people import selectors
from ratusz.consultations.people.forms.answers import _text
from ratusz.consultations.people.forms.directory import CITY_ROLE_CHOICES
from ratusz.consultations.people.models import FieldKind, GroupKind, RuleType

# --- groups ---------------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return [part for part in (piece.strip() for piece in re.split(r"[\n,;]+", text)) if part]


DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$")


class GroupForm(LinkedErrorsForm):
    name = forms.CharField(
        label=_("Group name"),
        max_length=150,
        error_messages={"required": _("Give the group a name.")},
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Members"), choices=GroupKind.choices, widget=forms.RadioSelect, initial="manual"
    )
    rule_type = forms.ChoiceField(
        label=_("Rule"),
        choices=RuleType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    field = forms.ChoiceField(label=_("Registration field"), required=False)
    values = forms.CharField(
        label=_("Answers"),
        required=False,
        help_text=_("The option values or texts that make someone a member, separated by commas."),
    )
    minimum = forms.IntegerField(label=_("From (numbers and years)"), required=False)
    maximum = forms.IntegerField(label=_("To (numbers and years)"), required=False)
    domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        help_text=_("E.g. gdansk.gda.pl, separated by commas."),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.order_by("slug"),
        required=False,
        empty_label=_("Choose…"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=CITY_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_choices = [("", _("Choose…"))] + [
            (found.key, f"{_text(found.label) or found.key} ({found.key})")
            for found in selectors.all_fields()
        ]
        self.fields["field"].choices = field_choices  # type: ignore[attr-defined]  # a ChoiceField
        project_field = self.fields["project"]
        assert isinstance(project_field, forms.ModelChoiceField)
        project_field.label_from_instance = lambda project: _text(project.title) or project.slug  # type: ignore[method-assign,assignment]  # Django's documented hook

    @staticmethod
    def initial_for(group: ResidentGroup) -> dict[str, Any]:
        group_settings = selectors.settings_of(group)
        rule = group_settings.rule or {}
        return {
            "name": group.name,
            "description": group.description,
            "kind": group_settings.kind,
            "rule_type": group_settings.rule_type,
            "field": rule.get("field", ""),
            "values": ", ".join(str(value) for value in rule.get("values", [])),
            "minimum": rule.get("min"),
            "maximum": rule.get("max"),
            "domains": ", ".join(rule.get("domains", [])),
            "project": rule.get("project"),
            "roles": rule.get("roles", []),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule: dict[str, Any] = {}
        if data.get("kind") == GroupKind.RULE:
            rule_type = data.get("rule_type")
            if not rule_type:
                self.add_error("rule_type", _("Choose how the rule selects the members."))
            elif rule_type == RuleType.FIELD_VALUE:
                rule = self._field_rule(data)
            elif rule_type == RuleType.EMAIL_DOMAIN:
                domains = [domain.lower().lstrip("@") for domain in _split(data.get("domains", ""))]
                bad = [domain for domain in domains if not DOMAIN.match(domain)]
                if not domains:
                    self.add_error("domains", _("Enter at least one e-mail domain."))
                elif bad:
                    self.add_error(
                        "domains",
                        _("These are not domains: %(list)s") % {"list": ", ".join(bad)},
                    )
                rule = {"domains": domains}
            elif rule_type == RuleType.PARTICIPATION:
                if data.get("project") is None:
                    self.add_error("project", _("Choose the project."))
                else:
                    rule = {"project": data["project"].pk}
            elif rule_type == RuleType.ROLE:
                if not data.get("roles"):
                    self.add_error("roles", _("Choose at least one role."))
                rule = {"roles": list(data.get("roles") or [])}
        data["rule"] = rule
        return data

    def _field_rule(self, data: dict[str, Any]) -> dict[str, Any]:
        key = data.get("field") or ""
        found = selectors.field_by_key(key) if key else None
        if found is None:
            self.add_error("field", _("Choose the registration field."))
            return {}
        low, high = data.get("minimum"), data.get("maximum")
        if found.is_numeric and (low is not None or high is not None):
            if low is not None and high is not None and low > high:
                self.add_error("maximum", _("The end of the range is below its start."))
            return {"field": key, "min": low, "max": high}
        values = _split(data.get("values", ""))
        if not values:
            self.add_error(
                "values",
                _("Enter the answers that make someone a member (or a range for numbers)."),
            )
        if found.kind == FieldKind.CHOICE:
            known = set(found.options.values_list("value", flat=True))
            unknown = [value for value in values if value not in known]
            if unknown:
                self.add_error(
                    "values",
                    _("The field has no such options: %(list)s. Its options: %(known)s.")
                    % {"list": ", ".join(unknown), "known": ", ".join(sorted(known))},
                )
        return {"field": key, "values": values}
