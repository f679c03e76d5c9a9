"""Registration fields: what the city asks residents when they sign up or take part."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ratusz.consultations.participation.moderation.forms import LinkedErrorsForm
from ratusz.consultations.people.forms.answers import LANGUAGE_NAMES, city_languages
from ratusz.consultations.people.models import KEY_PATTERN, AskedAt, FieldKind, RegistrationField
from ratusz.consultations.people.services import OptionSpec

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
