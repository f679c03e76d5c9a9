"""Forms of partner organisations: the organisation, its commission, its consultants, the
month of a commission report."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusz.onboarding.models import PartnerOrganisation
from ratusz.platform.forms.confirmation import _Confirmed


def _percent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


class PartnerOrganisationForm(_Confirmed):
    id_prefix = "organisation"
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    commission_rate = forms.DecimalField(
        label=_("Commission rate (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        initial=Decimal("10"),
    )
    field_order = ["name", "commission_rate", "confirm"]

    def clean_commission_rate(self) -> Decimal:
        return _percent(self.cleaned_data["commission_rate"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the organisation's name."))
        if PartnerOrganisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A partner organisation with this name exists already."))
        return name


class CommissionRateForm(_Confirmed):
    id_prefix = "rate"
    commission_rate = forms.DecimalField(
        label=_("Commission rate (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
    )
    field_order = ["commission_rate", "confirm"]

    def clean_commission_rate(self) -> Decimal:
        return _percent(self.cleaned_data["commission_rate"])


class InvitePartnerForm(_Confirmed):
    id_prefix = "invite"
    email = forms.EmailField(label=_("E-mail address of the consultant"))
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    field_order = ["email", "full_name", "confirm"]


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )

    def clean_month(self) -> tuple[int, int]:
        match = _MONTH.match(self.cleaned_data["month"].strip())
        if match is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, for example 2025-05."))
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 2000:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, for example 2025-05."))
        today = timezone.localdate()
        if (year, month) > (today.year, today.month):
            raise forms.ValidationError(_("Choose this month or an earlier one."))
        return year, month
