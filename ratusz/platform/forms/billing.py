"""Forms of a city's billing in the console: credit, trial, manual invoices and payments."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusz.billing.models import Invoice, InvoiceStatus
from ratusz.billing.plans import Currency
from ratusz.platform.forms.confirmation import _Confirmed


def _minor_units(amount: Decimal) -> int:
    """An amount typed in złoty or euro (two decimals) as minor units (grosze, cents)."""
    return int(amount * 100)


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


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
