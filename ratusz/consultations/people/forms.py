"""Input for people: filters, blocks, invitations and roles, registration fields and their
answers, groups. The only place that turns what people typed into errors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.core.translation import translated
from ratusz.consultations.participation.moderation.forms import DURATIONS, LinkedErrorsForm
from ratusz.consultations.participation.moderation.services import REASON_MAX_LENGTH
from ratusz.consultations.people import selectors
from ratusz.consultations.people.models import (
    KEY_PATTERN,
    AskedAt,
    FieldKind,
    GroupKind,
    RegistrationField,
    RuleType,
)
from ratusz.consultations.people.services import OptionSpec
from ratusz.tenants.db import connection

ANSWER_PREFIX = "reg_"
LANGUAGE_NAMES = {"pl": _("Polish"), "en": _("English")}
MAX_NUMBER = 10**12


def city_languages() -> tuple[str, tuple[str, ...]]:
    """(default language, all languages) of the current city."""
    tenant = connection.tenant
    default = str(getattr(tenant, "default_language", "") or "pl")
    languages = tuple(getattr(tenant, "languages", ()) or (default,))
    if default not in languages:
        languages = (default, *languages)
    return default, languages


def _text(values: Mapping[str, str] | None) -> str:
    return translated(dict(values or {}), city_languages()[0])


# --- answers to registration fields ---------------------------------------------------------------


def answer_field(registration_field: RegistrationField, *, required: bool) -> forms.Field:
    """The form field that asks `registration_field`."""
    options: dict[str, Any] = {
        "label": _text(registration_field.label) or registration_field.key,
        # Staff write it as plain text; Django's own field templates print help texts
        # unescaped (`|safe`), so it is escaped here, once, whoever renders the field.
        "help_text": escape(_text(registration_field.help_text)),
        "required": required,
    }
    kind = registration_field.kind
    if kind == FieldKind.CHOICE:
        choices = [("", _("Choose…"))] + [
            (option.value, _text(option.label) or option.value)
            for option in registration_field.options.all()
        ]
        return forms.ChoiceField(choices=choices, **options)
    if kind == FieldKind.YEAR:
        this_year = timezone.localdate().year
        return forms.IntegerField(
            min_value=1900,
            max_value=this_year,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "min_value": _("Enter a year between 1900 and %(year)s.") % {"year": this_year},
                "max_value": _("Enter a year between 1900 and %(year)s.") % {"year": this_year},
                "invalid": _("Enter a year, e.g. 1985."),
            },
            **options,
        )
    if kind == FieldKind.NUMBER:
        return forms.IntegerField(
            min_value=-MAX_NUMBER,
            max_value=MAX_NUMBER,
            error_messages={"invalid": _("Enter a whole number.")},
            **options,
        )
    return forms.CharField(max_length=200, **options)


def answer_fields(
    registration_fields: Iterable[RegistrationField], *, enforce_required: bool = True
) -> dict[str, forms.Field]:
    return {
        ANSWER_PREFIX + found.key: answer_field(found, required=enforce_required and found.required)
        for found in registration_fields
    }


def answers_in(data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers (by field key) in a form's cleaned data."""
    return {
        name[len(ANSWER_PREFIX) :]: value
        for name, value in data.items()
        if name.startswith(ANSWER_PREFIX)
    }


class ProfileAnswersForm(LinkedErrorsForm):
    """ "Complete your profile": every active field, the required ones required."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = selectors.answers_of(user)
        self.fields.update(answer_fields(selectors.active_fields()))
        for name, form_field in self.fields.items():
            form_field.initial = current.get(name[len(ANSWER_PREFIX) :])

    def answers(self) -> dict[str, Any]:
        return answers_in(self.cleaned_data)


# --- the list of people, blocks, roles and invitations --------------------------------------------


BLOCKED_CHOICES = [("", _("Everyone")), ("yes", _("Blocked")), ("no", _("Not blocked"))]
CITY_ROLE_CHOICES = [
    (value, label) for value, label in Role.choices if value in selectors.CITY_ROLES
]
STAFF_ROLE_CHOICES = [
    (Role.PROJECT_MANAGER, Role.PROJECT_MANAGER.label),
    (Role.ADMINISTRATOR, Role.ADMINISTRATOR.label),
]


class PeopleFilterForm(LinkedErrorsForm):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role")), *CITY_ROLE_CHOICES], required=False
    )
    blocked = forms.ChoiceField(label=_("Blocks"), choices=BLOCKED_CHOICES, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=ResidentGroup.objects.order_by("name"),
        required=False,
        empty_label=_("Any group"),
    )
    joined_from = forms.DateField(
        label=_("Joined from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    joined_to = forms.DateField(
        label=_("Joined until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("joined_from"), data.get("joined_to")
        if start and end and start > end:
            self.add_error("joined_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        blocked = {"yes": True, "no": False}.get(data.get("blocked") or "")
        return {
            "query": data.get("q") or "",
            "role": data.get("role") or "",
            "blocked": blocked,
            "group": data.get("group"),
            "joined_from": data.get("joined_from"),
            "joined_to": data.get("joined_to"),
        }


class BlockForm(LinkedErrorsForm):
    duration = forms.ChoiceField(label=_("For how long"), choices=DURATIONS, initial="7")
    reason = forms.CharField(
        label=_("Reason (the resident sees it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason; the resident will see it.")},
    )

    def until(self) -> datetime | None:
        duration = self.cleaned_data["duration"]
        if duration == "forever":
            return None
        return timezone.now() + timedelta(days=int(duration))


def _project_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Projects they manage"),
        queryset=Project.objects.order_by("slug"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ProjectsLabelMixin:
    fields: dict[str, forms.Field]

    def _label_projects(self) -> None:
        projects = self.fields["projects"]
        assert isinstance(projects, forms.ModelMultipleChoiceField)
        projects.label_from_instance = lambda project: _text(project.title) or project.slug  # type: ignore[method-assign,assignment]  # Django's documented hook

    def _check_projects(self, data: dict[str, Any]) -> None:
        if data.get("role") == Role.PROJECT_MANAGER and not data.get("projects"):
            self.add_error(  # type: ignore[attr-defined]  # a Form's
                "projects", _("Choose at least one project for a project manager.")
            )


class InviteStaffForm(ProjectsLabelMixin, LinkedErrorsForm):
    email = forms.EmailField(
        label=_("E-mail address"), error_messages={"required": _("Enter an e-mail address.")}
    )
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"] = _project_field()
        self._label_projects()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_projects(data)
        return data


class RoleForm(ProjectsLabelMixin, LinkedErrorsForm):
    role = forms.ChoiceField(label=_("Role"), choices=CITY_ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"] = _project_field()
        self._label_projects()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_projects(data)
        return data


class AddMembersForm(LinkedErrorsForm):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_("One a line, or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter at least one e-mail address.")},
    )

    def clean_emails(self) -> list[str]:
        addresses = [part for part in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if part]
        invalid = [address for address in addresses if "@" not in address]
        if invalid:
            raise forms.ValidationError(
                _("These are not e-mail addresses: %(list)s") % {"list": ", ".join(invalid)}
            )
        return addresses


# --- registration fields --------------------------------------------------------------------------


class RegistrationFieldForm(LinkedErrorsForm):
    """A field the city asks. Labels per city language; options of a single-choice field one
    a line as `value | label in each language | share of the population in % (optional)`."""

    key = forms.RegexField(
        label=_("Key"),
        regex=KEY_PATTERN,
        max_length=40,
        help_text=_(
            "Lower-case letters, digits and underscores, starting with a letter (e.g. "
            "birth_year). It cannot change later."
        ),
        error_messages={
            "invalid": _("Use lower-case letters, digits and underscores, starting with a letter.")
        },
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FieldKind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    asked_at = forms.ChoiceField(
        label=_("When it is asked"), choices=AskedAt.choices, widget=forms.RadioSelect
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("Active (asked)"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(
        self, *args: Any, instance: RegistrationField | None = None, **kwargs: Any
    ) -> None:
        self.instance = instance
        self.default_language, self.languages = city_languages()
        if instance is not None:
            initial = kwargs.setdefault("initial", {})
            initial.update(
                key=instance.key,
                kind=instance.kind,
                required=instance.required,
                asked_at=instance.asked_at,
                position=instance.position,
                active=instance.active,
                options=self._options_text(instance),
            )
            for language in self.languages:
                initial[f"label_{language}"] = instance.label.get(language, "")
                initial[f"help_{language}"] = instance.help_text.get(language, "")
        super().__init__(*args, **kwargs)
        for language in self.languages:
            name = LANGUAGE_NAMES.get(language, language)
            self.fields[f"label_{language}"] = forms.CharField(
                label=_("Label (%(language)s)") % {"language": name},
                max_length=200,
                required=language == self.default_language,
                error_messages={"required": _("Give the field a label.")},
            )
            self.fields[f"help_{language}"] = forms.CharField(
                label=_("Help text (%(language)s)") % {"language": name},
                max_length=300,
                required=False,
            )
        example = " | ".join(["north", *(f"{_('North')} ({code})" for code in self.languages)])
        self.fields["options"].help_text = _(
            "For a single-choice field: one option a line, as value | label in each language "
            "| share of the city's population in %% (optional). Example: %(example)s | 23.5"
        ) % {"example": example}
        if instance is not None:
            # Answers and rules depend on the key and the kind.
            for name in ("key", "kind"):
                self.fields[name].disabled = True
                self.fields[name].required = False
        self.order_fields(
            [
                "key",
                *(f"label_{code}" for code in self.languages),
                *(f"help_{code}" for code in self.languages),
                "kind",
                "options",
                "required",
                "asked_at",
                "position",
                "active",
            ]
        )

    def _options_text(self, instance: RegistrationField) -> str:
        _default, languages = city_languages()
        lines = []
        for option in instance.options.all():
            parts = [option.value, *(option.label.get(code, "") for code in languages)]
            if option.reference_share is not None:
                parts.append(f"{option.reference_share.normalize():f}")
            lines.append(" | ".join(parts))
        return "\n".join(lines)

    def clean_key(self) -> str:
        if self.instance is not None:
            return self.instance.key
        key: str = self.cleaned_data["key"]
        if RegistrationField.objects.filter(key=key).exists():
            raise forms.ValidationError(_("Another field already uses this key."))
        return key

    def clean_kind(self) -> str:
        return self.instance.kind if self.instance is not None else self.cleaned_data["kind"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        specs: list[OptionSpec] = []
        if kind == FieldKind.CHOICE:
            try:
                specs = self._parse_options(data.get("options", ""))
            except forms.ValidationError as error:
                self.add_error("options", error)
        data["option_specs"] = specs
        return data

    def _parse_options(self, text: str) -> list[OptionSpec]:
        specs = []
        for number, line in enumerate((line for line in text.splitlines() if line.strip()), 1):
            parts = [part.strip() for part in line.split("|")]
            value = parts[0]
            if not re.match(r"^[\w-]{1,60}$", value):
                raise forms.ValidationError(
                    _(
                        "Line %(line)s: the value must be one word of letters, digits, hyphens "
                        "or underscores."
                    )
                    % {"line": number}
                )
            labels = parts[1 : 1 + len(self.languages)]
            share: Decimal | None = None
            extra = parts[1 + len(self.languages) :]
            if extra and extra[0]:
                try:
                    share = Decimal(extra[0].rstrip("%").replace(",", ".").strip())
                except InvalidOperation:
                    share = None
                if share is None or not (0 <= share <= 100):
                    raise forms.ValidationError(
                        _("Line %(line)s: the share must be a number from 0 to 100.")
                        % {"line": number}
                    )
            label = {code: text for code, text in zip(self.languages, labels, strict=False) if text}
            if not label:
                label = {self.default_language: value}
            specs.append(OptionSpec(value=value, label=label, reference_share=share))
        if len(specs) < 2:
            raise forms.ValidationError(_("A single-choice field needs at least two options."))
        values = [spec.value for spec in specs]
        if len(set(values)) != len(values):
            raise forms.ValidationError(_("Each option needs its own value."))
        shares = [spec.reference_share for spec in specs if spec.reference_share is not None]
        if sum(shares, Decimal(0)) > 100:
            raise forms.ValidationError(
                _("The population shares of the options add up to more than 100%.")
            )
        return specs

    def labels(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"label_{code}"].strip()
            for code in self.languages
            if self.cleaned_data.get(f"label_{code}", "").strip()
        }

    def help_texts(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"help_{code}"].strip()
            for code in self.languages
            if self.cleaned_data.get(f"help_{code}", "").strip()
        }


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
