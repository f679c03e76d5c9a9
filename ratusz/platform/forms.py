"""Validation of the console's input."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ratusz.billing.models import Invoice, InvoiceStatus
from ratusz.billing.plans import Currency
from ratusz.onboarding.models import PartnerOrganisation
from ratusz.tenants.entitlements import FEATURES, LIMITS
from ratusz.tenants.models import AnnouncementLevel, CityStatus


class FleetFilterForm(forms.Form):
    q = forms.CharField(label=_("Search name, subdomain or domain"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *CityStatus.choices, ("deleted", _("Deleted"))],
    )
    plan = forms.CharField(label=_("Plan"), required=False, max_length=40)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *settings.LANGUAGES]
    )
    active_within_days = forms.IntegerField(
        label=_("Active in the last (days)"), required=False, min_value=1, max_value=3650
    )
    partner = forms.ModelChoiceField(
        label=_("Set up by partner"),
        required=False,
        queryset=PartnerOrganisation.objects.order_by("name"),
        empty_label=_("Any"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-name", _("Name, Z to A")),
            ("slug", _("Subdomain")),
            ("-created", _("Newest")),
            ("created", _("Oldest")),
            ("-activity", _("Most recently active")),
            ("activity", _("Least recently active")),
            ("status", _("Status")),
            ("plan", _("Plan")),
        ],
    )


class ConfirmForm(forms.Form):
    """Every lifecycle action asks for a confirmation (and an optional reason)."""

    confirm = forms.BooleanField(label=_("Yes, I am sure"), required=True)
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RenameForm(ConfirmForm):
    slug = forms.CharField(label=_("New subdomain"), max_length=40)


class SupportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to enter the city's back office?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=int,
        choices=[(15, _("15 minutes")), (60, _("1 hour")), (240, _("4 hours"))],
        initial=60,
    )


class EntitlementsForm(forms.Form):
    plan = forms.CharField(label=_("Plan"), required=False, max_length=40)
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False)

    def __init__(self, *args: Any, city: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in LIMITS.items():
            self.fields[f"limit_{name}"] = forms.IntegerField(
                label=str(label),
                required=False,
                min_value=0,
                help_text=_("Empty means unlimited."),
            )
        for name, label in FEATURES.items():
            self.fields[f"feature_{name}"] = forms.BooleanField(label=str(label), required=False)
        if city is not None and not self.is_bound:
            self.initial["plan"] = city.plan
            for name in LIMITS:
                self.initial[f"limit_{name}"] = city.limits.get(name)
            for name in FEATURES:
                self.initial[f"feature_{name}"] = bool(city.features.get(name, True))

    def limits(self) -> dict[str, int | None]:
        return {
            name: self.cleaned_data[f"limit_{name}"]
            for name in LIMITS
            if self.cleaned_data[f"limit_{name}"] is not None
        }

    def features(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data[f"feature_{name}"]) for name in FEATURES}


class AnnouncementForm(forms.Form):
    message_pl = forms.CharField(label=_("Message in Polish"), required=False, max_length=500)
    message_en = forms.CharField(label=_("Message in English"), required=False, max_length=500)
    level = forms.ChoiceField(label=_("Level"), choices=AnnouncementLevel.choices)
    days = forms.IntegerField(label=_("Shown for (days)"), min_value=1, max_value=90, initial=7)
    status = forms.ChoiceField(
        label=_("Only cities with status"),
        required=False,
        choices=[("", _("All cities")), *CityStatus.choices],
    )
    country = forms.CharField(label=_("Only cities in country"), required=False, max_length=2)
    plan = forms.CharField(label=_("Only cities on plan"), required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not (data.get("message_pl") or "").strip()
            and not (data.get("message_en") or "").strip()
        ):
            raise forms.ValidationError(_("Write the announcement in at least one language."))
        return data

    def window(self) -> tuple[Any, Any]:
        start = timezone.now()
        return start, start + timedelta(days=self.cleaned_data["days"])

    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(key) for key in ("status", "country", "plan"))


class RestoreForm(forms.Form):
    archive = forms.FileField(label=_("City archive (.zip)"))
    slug = forms.CharField(label=_("Subdomain of the restored city"), max_length=40)
    name = forms.CharField(label=_("Name of the restored city"), max_length=200)


# --- Billing actions on a city ---------------------------------------------------------------


def _minor_units(amount: Decimal) -> int:
    """An amount typed in złoty or euro (two decimals) as minor units (grosze, cents)."""
    return int(amount * 100)


def _percent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


class _Confirmed(forms.Form):
    """Every console action asks the operator to confirm it. Several of these forms share the
    city page, so each has its own prefix for element ids (field names stay plain)."""

    id_prefix = "action"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    confirm = forms.BooleanField(
        label=_("Yes, I am sure"),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )


def _amount_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_value=Decimal("10000000"),
        decimal_places=2,
        error_messages={
            "min_value": _("Enter an amount greater than zero."),
            "invalid": _("Enter an amount, for example 120.50."),
            "max_decimal_places": _("Use at most two decimal places."),
        },
    )


def _currency_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Currency"),
        choices=Currency.choices,
        error_messages={"invalid_choice": _("Choose one of the currencies: PLN or EUR.")},
    )


class GrantCreditForm(_Confirmed):
    id_prefix = "credit"
    amount = _amount_field(_("Amount"))
    currency = _currency_field()
    reason = forms.CharField(
        label=_("Reason (shown in the billing history and the audit log)"), max_length=300
    )
    field_order = ["amount", "currency", "reason", "confirm"]

    def amount_minor(self) -> int:
        return _minor_units(self.cleaned_data["amount"])


class ExtendTrialForm(_Confirmed):
    id_prefix = "trial"
    days = forms.IntegerField(
        label=_("Extend the trial by (days)"),
        min_value=1,
        max_value=365,
        initial=14,
        error_messages={
            "min_value": _("Extend the trial by at least 1 day."),
            "max_value": _("Extend the trial by at most 365 days."),
        },
    )
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False)
    field_order = ["days", "reason", "confirm"]


class BilledOutsideForm(_Confirmed):
    id_prefix = "outside"
    billed = forms.TypedChoiceField(
        label=_("How is the city billed?"),
        coerce=lambda value: value == "outside",
        choices=[
            ("outside", _("Outside Stripe (framework agreement, public tender)")),
            ("stripe", _("Through Stripe")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reference of the agreement or tender"),
        max_length=300,
        required=False,
        help_text=_("For example: framework agreement ZP/12/2025."),
    )
    field_order = ["billed", "note", "confirm"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("billed") and not (data.get("note") or "").strip():
            self.add_error(
                "note", _("Name the agreement or tender under which the city is billed.")
            )
        return data


class ManualInvoiceForm(_Confirmed):
    id_prefix = "invoice"
    number = forms.CharField(label=_("Invoice number"), max_length=64)
    amount = _amount_field(_("Amount due"))
    currency = _currency_field()
    issued_on = forms.DateField(
        label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    pdf_url = forms.URLField(
        label=_("Link to the PDF"), required=False, max_length=500, assume_scheme="https"
    )
    field_order = [
        "number",
        "amount",
        "currency",
        "issued_on",
        "due_on",
        "description",
        "pdf_url",
        "confirm",
    ]

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if not number:
            raise forms.ValidationError(_("Enter the invoice number."))
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued, due = data.get("issued_on"), data.get("due_on")
        if issued and due and due < issued:
            self.add_error("due_on", _("The due date cannot be before the issue date."))
        return data

    def amount_minor(self) -> int:
        return _minor_units(self.cleaned_data["amount"])

    def issued_at(self) -> datetime:
        return _start_of_day(self.cleaned_data["issued_on"])

    def due_at(self) -> datetime | None:
        due = self.cleaned_data.get("due_on")
        return _start_of_day(due) if due else None


class _InvoiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number or obj.pk} ({obj.amount_due / 100:.2f} {obj.currency})"


class PaymentForm(_Confirmed):
    id_prefix = "payment"
    invoice = _InvoiceChoice(
        label=_("Invoice"),
        queryset=Invoice.objects.none(),
        error_messages={"invalid_choice": _("Choose one of this city's open invoices.")},
    )
    amount = _amount_field(_("Amount paid"))
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Reference (bank statement)"), max_length=200, required=False
    )
    field_order = ["invoice", "amount", "paid_on", "reference", "confirm"]

    def __init__(self, *args: Any, city_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this city's invoices that still take payments: another city's id is refused.
        invoice_field = self.fields["invoice"]
        assert isinstance(invoice_field, forms.ModelChoiceField)
        invoice_field.queryset = Invoice.objects.filter(
            city_id=city_id, status__in=[InvoiceStatus.OPEN, InvoiceStatus.DRAFT]
        )

    def clean_paid_on(self) -> date:
        paid_on: date = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("A payment cannot be dated in the future."))
        return paid_on

    def amount_minor(self) -> int:
        return _minor_units(self.cleaned_data["amount"])

    def paid_at(self) -> datetime:
        return _start_of_day(self.cleaned_data["paid_on"])


# --- Partners ---------------------------------------------------------------------------------


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


# --- City templates ---------------------------------------------------------------------------


class SaveTemplateForm(_Confirmed):
    id_prefix = "template"
    name = forms.CharField(
        label=_("Name of the template"),
        max_length=120,
        error_messages={"required": _("Give the template a name.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    code = forms.SlugField(
        label=_("Identifier"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name when left empty."),
    )
    field_order = ["name", "description", "code", "confirm"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the template a name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("code"):
            code = slugify(data["name"])[:60]
            if not code:
                self.add_error("code", _("Choose an identifier (letters, digits and hyphens)."))
            data["code"] = code
        return data


class RetireTemplateForm(ConfirmForm):
    pass


# --- Custom domains ---------------------------------------------------------------------------


class AddDomainForm(_Confirmed):
    """The host name only; whether it is a domain we can take (its shape, not under
    BASE_DOMAIN, not another city's) is decided by ratusz.tenants.domains.add_custom_domain,
    whose refusal the view shows next to this field."""

    id_prefix = "domain"
    domain = forms.CharField(
        label=_("Domain name"),
        max_length=253,
        help_text=_("For example konsultacje.gdansk.pl."),
        error_messages={"required": _("Enter the domain name.")},
    )
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False)
    field_order = ["domain", "reason", "confirm"]


class VerifyDomainForm(_Confirmed):
    id_prefix = "verify"
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False)
    field_order = ["reason", "confirm"]
