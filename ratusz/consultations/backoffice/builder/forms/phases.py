"""Phases of a project. Phase settings are built from the participation method's declaration in
the registry, never from its name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.core.features import FeatureNotAllowed, check_feature_on
from ratusz.consultations.core.models import Phase, ResidentGroup
from ratusz.consultations.core.registry import (
    ACTION_LABELS,
    FIELD_RULES,
    IDEA_FIELDS,
    REACTION_MODES,
    WHO_CHOICES,
    Action,
    all_methods,
    get_method,
)
from ratusz.consultations.core.rules import action_rule
from ratusz.consultations.core.translated_forms import TranslatedFields

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Give the date and time as YYYY-MM-DD HH:MM.")},
    )


class MethodField(forms.ChoiceField):
    """A phase's participation method. A method the city cannot use now (outside its plan, or
    switched off under Features) is not offered; posted anyway, it is refused with that reason
    instead of Django's bare "not one of the available choices"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusals: dict[str, str] = {}

    def validate(self, value: Any) -> None:
        if value in self.refusals:
            raise forms.ValidationError(self.refusals[value], code="feature_off")
        super().validate(value)


class PhaseForm(TranslatedFields):
    method = MethodField(
        label=_("Participation method"),
        help_text=_("What residents do in this phase."),
    )
    starts_at = _datetime_field(_("Start"), required=True)
    ends_at = _datetime_field(
        _("End"),
        required=False,
        help_text=_("Leave it empty for a phase without an end (only the last phase)."),
    )

    def __init__(self, *args: Any, phase: Phase | None = None, **kwargs: Any) -> None:
        if phase is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "method": phase.method,
                "starts_at": phase.starts_at,
                "ends_at": phase.ends_at,
            }
        super().__init__(*args, **kwargs)
        method = self.fields["method"]
        assert isinstance(method, MethodField)
        # Methods the city may use now: its plan includes them and the city switched them on
        # (and the phase's own, which it keeps when the feature is switched off later).
        offered: list[tuple[str, object]] = []
        refusals: dict[str, str] = {}  # a new dict: fields are copied shallowly per form
        for m in all_methods():
            if m.feature and not (phase is not None and m.key == phase.method):
                try:
                    check_feature_on(m.feature)
                except FeatureNotAllowed as refusal:
                    refusals[m.key] = refusal.message
                    continue
            offered.append((m.key, m.label))
        method.choices = offered
        method.refusals = refusals
        self.add_translated(
            "title",
            _("Title"),
            required=True,
            max_length=200,
            initial=phase.title if phase else None,
        )
        self.add_translated(
            "description",
            _("Description"),
            required=False,
            max_length=20000,
            textarea=True,
            initial=phase.description if phase else None,
        )
        self.order_fields(
            [f"title_{c}" for c in self.languages]
            + ["method", "starts_at", "ends_at"]
            + [f"description_{c}" for c in self.languages]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: datetime | None = data.get("starts_at")
        ends: datetime | None = data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A phase must end after it starts."))
        return data


class PhaseSettingsForm(forms.Form):
    """Per action of the phase's method: open or not, and who may take it; then the settings
    the method declares (reaction mode, anonymous posting, the fields of the idea form)."""

    def __init__(self, *args: Any, phase: Phase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase = phase
        self.method = get_method(phase.method)
        self.actions: list[Action] = self.method.ordered_actions()
        groups = ResidentGroup.objects.all()
        for action in self.actions:
            rule = action_rule(phase, action)
            what = ACTION_LABELS[action]
            self.fields[f"open_{action}"] = forms.BooleanField(
                label=_("Residents can %(action)s in this phase") % {"action": what},
                required=False,
                initial=rule["open"],
            )
            self.fields[f"who_{action}"] = forms.ChoiceField(
                label=_("Who may %(action)s") % {"action": what},
                choices=list(WHO_CHOICES.items()),
                initial=rule["who"],
                widget=forms.RadioSelect,
                help_text=_("A new phase starts with: %(who)s.")
                % {"who": WHO_CHOICES[self.method.default_who.get(str(action), "everyone")]},
            )
            self.fields[f"groups_{action}"] = forms.ModelMultipleChoiceField(
                label=_("Groups that may %(action)s") % {"action": what},
                queryset=groups,
                required=False,
                initial=rule["groups"],
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Only used when chosen groups may take part."),
            )
        options = {**self.method.default_options, **phase.options}
        if self.method.has_setting("reaction_mode"):
            self.fields["reaction_mode"] = forms.ChoiceField(
                label=_("How residents react to ideas"),
                choices=list(REACTION_MODES.items()),
                initial=options["reaction_mode"],
                widget=forms.RadioSelect,
            )
        if self.method.has_setting("anonymous_posting"):
            self.fields["anonymous_posting"] = forms.BooleanField(
                label=_("Residents may post without their name"),
                required=False,
                initial=bool(options["anonymous_posting"]),
            )
        fields = options.get("fields") or {}
        for name in self.method.idea_fields():
            self.fields[f"field_{name}"] = forms.ChoiceField(
                label=str(IDEA_FIELDS[name]),
                choices=list(FIELD_RULES.items()),
                initial=fields.get(name, "optional"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for action in self.actions:
            if data.get(f"who_{action}") == "groups" and not data.get(f"groups_{action}"):
                self.add_error(
                    f"groups_{action}",
                    _("Choose at least one group that may %(action)s.")
                    % {"action": ACTION_LABELS[action]},
                )
        return data

    def action_sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (
                ACTION_LABELS[action],
                [self[f"open_{action}"], self[f"who_{action}"], self[f"groups_{action}"]],
            )
            for action in self.actions
        ]

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("reaction_mode", "anonymous_posting") if n in self.fields]

    def idea_field_fields(self) -> list[forms.BoundField]:
        return [self[f"field_{n}"] for n in self.method.idea_fields()]

    def permissions(self) -> dict[str, dict[str, Any]]:
        return {
            str(action): {
                "open": bool(self.cleaned_data.get(f"open_{action}")),
                "who": self.cleaned_data[f"who_{action}"],
                "groups": [g.pk for g in self.cleaned_data.get(f"groups_{action}") or []],
            }
            for action in self.actions
        }

    def options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if "reaction_mode" in self.fields:
            options["reaction_mode"] = self.cleaned_data["reaction_mode"]
        if "anonymous_posting" in self.fields:
            options["anonymous_posting"] = bool(self.cleaned_data.get("anonymous_posting"))
        idea_fields = self.method.idea_fields()
        if idea_fields:
            options["fields"] = {n: self.cleaned_data[f"field_{n}"] for n in idea_fields}
        return options
