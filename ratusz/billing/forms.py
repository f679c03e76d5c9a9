"""Validation of what city administrators send to billing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ratusz.billing.models import CollectionMethod
from ratusz.billing.plans import PLANS, Currency, Interval
from ratusz.billing.taxids import EU_VAT_FORMATS, parse_tax_id

COUNTRIES = sorted({"PL", *(code if code != "EL" else "GR" for code in EU_VAT_FORMATS)})


class LegalDetailsForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        help_text=_("As it should appear on invoices, e.g. Gmina Miasta Gdańska."),
    )
    address_line1 = forms.CharField(label=_("Street and number"), max_length=200)
    address_line2 = forms.CharField(label=_("Address, second line"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    address_city = forms.CharField(label=_("Town"), max_length=100)
    country = forms.ChoiceField(
        label=_("Country"), choices=[(code, code) for code in COUNTRIES], initial="PL"
    )
    tax_id = forms.CharField(
        label=_("Tax ID (NIP or EU VAT number)"),
        max_length=20,
        help_text=_("A Polish NIP (10 digits) or an EU VAT number with its country code."),
    )
    billing_email = forms.EmailField(
        label=_("E-mail for invoices"), help_text=_("Invoices and payment reminders go here.")
    )

    def clean_tax_id(self) -> str:
        value: str = self.cleaned_data["tax_id"]
        return parse_tax_id(value).value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        postal, country = cleaned.get("postal_code", ""), cleaned.get("country")
        if country == "PL" and postal and not _polish_postal_code(postal):
            self.add_error(
                "postal_code", ValidationError(_("A Polish postal code looks like 80-803."))
            )
        return cleaned


def _polish_postal_code(value: str) -> bool:
    digits = value.strip()
    return len(digits) == 6 and digits[2] == "-" and (digits[:2] + digits[3:]).isdigit()


class ChoosePlanForm(forms.Form):
    plan = forms.ChoiceField(label=_("Plan"), choices=[(p.code, p.name) for p in PLANS.values()])
    interval = forms.ChoiceField(
        label=_("Billing period"), choices=Interval.choices, initial=Interval.YEAR
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    method = forms.ChoiceField(
        label=_("Payment"),
        choices=CollectionMethod.choices,
        initial=CollectionMethod.INVOICE,
        widget=forms.RadioSelect,
    )
