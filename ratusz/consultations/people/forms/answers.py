"""Answers to the city's registration fields, and the languages they are written in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import User
from ratusz.consultations.core.translation import translated
from ratusz.consultations.participation.moderation.forms import LinkedErrorsForm
from ratusz.consultations.people import selectors
from ratusz.consultations.people.models import FieldKind, RegistrationField
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
