"""Validation of the wizard and of the partner forms."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ratusz.accounts.models import User
from ratusz.billing.plans import PLANS
from ratusz.onboarding.city_templates import available_templates
from ratusz.onboarding.starter_content import IDEA_BOX
from ratusz.tenants.models import City
from ratusz.tenants.slugs import (
    SlugRefused,
    check_slug_format,
    schema_name_for,
    suggest_slug,
    transliterate,
)

NO_SUBDOMAIN_FROM_NAME = _(
    "The name has no letters or digits to make the portal's address from. Type the subdomain "
    "you want: lowercase letters, digits and hyphens."
)


def name_gives_a_subdomain(name: str) -> bool:
    """Whether the name has letters or digits a subdomain can be made of (an emoji-only name
    has none, and would otherwise become the placeholder `city`)."""
    return any(character.isascii() and character.isalnum() for character in transliterate(name))


COUNTRIES = [
    ("PL", _("Poland")),
    ("CZ", _("Czechia")),
    ("SK", _("Slovakia")),
    ("LT", _("Lithuania")),
    ("UA", _("Ukraine")),
    ("DE", _("Germany")),
    ("AT", _("Austria")),
    ("IE", _("Ireland")),
    ("GB", _("United Kingdom")),
    ("US", _("United States")),
]

TRIAL = "trial"


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be this city's subdomain, or None when it is free."""
    try:
        check_slug_format(slug)
    except SlugRefused as refused:
        return refused.reason
    if (
        City.objects.filter(slug=slug).exists()
        or City.objects.filter(schema_name=schema_name_for(slug)).exists()
    ):
        return str(_("The subdomain “%(slug)s” is taken.") % {"slug": slug})
    return None


class SignupForm(forms.Form):
    # The limit is said, not only enforced: the browser cuts a longer paste without a word.
    name = forms.CharField(
        label=_("City or organisation name"),
        max_length=200,
        help_text=_("Up to 200 characters."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="PL")
    population = forms.IntegerField(
        label=_("Approximate population"), min_value=1, max_value=50_000_000
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of the portal"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=["pl"],
    )
    default_language = forms.ChoiceField(
        label=_("Main language"), choices=settings.LANGUAGES, initial="pl"
    )
    slug = forms.CharField(
        label=_("Address of the portal (subdomain)"),
        max_length=40,
        required=False,
        help_text=_(
            "Lowercase letters without accents, digits and hyphens. Left empty, it is made "
            "from the name."
        ),
    )
    admin_name = forms.CharField(
        label=_("Administrator's name"), max_length=150, help_text=_("Up to 150 characters.")
    )
    admin_email = forms.EmailField(label=_("Administrator's e-mail"))
    plan = forms.ChoiceField(label=_("Plan"), widget=forms.RadioSelect, initial=TRIAL)
    template = forms.ChoiceField(label=_("Start from"), widget=forms.RadioSelect, initial=IDEA_BOX)
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of service and the data processing agreement"),
        error_messages={"required": _("Accept the terms to create the portal.")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    # Left empty by people (it is hidden from them); bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_field = self.fields["plan"]
        template_field = self.fields["template"]
        assert isinstance(plan_field, forms.ChoiceField)
        assert isinstance(template_field, forms.ChoiceField)
        plan_field.choices = [(TRIAL, _("Free trial"))] + [
            (code, plan.name) for code, plan in PLANS.items()
        ]
        template_field.choices = [(choice.code, choice.name) for choice in available_templates()]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.fields["admin_email"].error_messages["invalid"] = _(
            "Enter a valid e-mail address, for example jan.kowalski@gmina.pl."
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].strip()
        if slug:
            problem = slug_problem(slug)
            if problem:
                raise forms.ValidationError(problem)
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        languages = data.get("languages") or []
        default = data.get("default_language")
        if languages and default and default not in languages:
            self.add_error(
                "default_language", _("The main language must be one of the portal's languages.")
            )
        if "slug" in data and not data["slug"] and data.get("name"):
            if not name_gives_a_subdomain(data["name"]):
                self.add_error("slug", NO_SUBDOMAIN_FROM_NAME)
                return data
            suggested = suggest_slug(data["name"])
            problem = slug_problem(suggested)
            if problem:
                self.add_error("slug", problem)
            else:
                data["slug"] = suggested
        return data

    def plan_code(self) -> str:
        plan: str = self.cleaned_data["plan"]
        return "" if plan == TRIAL else plan


class PartnerInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))


class PartnerInvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, min_length=10, strip=False
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        password: str = self.cleaned_data["password"]
        validate_password(password, User(email=self.email))
        return password


class HandOverForm(forms.Form):
    keep_as_consultant = forms.BooleanField(
        label=_("Keep the partner as a consultant"), required=False
    )
