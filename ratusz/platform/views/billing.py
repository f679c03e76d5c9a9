"""Billing actions on a city: each confirmed, done by billing's service, audited."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ratusz.platform import services
from ratusz.platform.access import operator_required
from ratusz.platform.audit import Actor
from ratusz.platform.forms import (
    BilledOutsideForm,
    ExtendTrialForm,
    GrantCreditForm,
    ManualInvoiceForm,
    PaymentForm,
)
from ratusz.platform.views.confirm import city_action, posted
from ratusz.tenants.models import City


@operator_required
def grant_credit_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = GrantCreditForm(posted(request))

    def perform(actor: Actor, form: GrantCreditForm) -> None:
        services.grant_city_credit(
            actor=actor,
            city=city,
            amount=form.amount_minor(),
            currency=form.cleaned_data["currency"],
            reason=form.cleaned_data["reason"],
        )

    return city_action(
        request,
        city,
        form,
        label=_("Grant credit"),
        explanation=_("The credit is taken off the city's next invoices."),
        perform=perform,
        done=_("The credit was granted."),
    )


@operator_required
def extend_trial_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = ExtendTrialForm(posted(request))

    def perform(actor: Actor, form: ExtendTrialForm) -> None:
        services.extend_city_trial(
            actor=actor,
            city=city,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
        )

    return city_action(
        request,
        city,
        form,
        label=_("Extend the trial"),
        explanation=_("The days are added to the trial's end, or to today if it has ended."),
        perform=perform,
        done=_("The trial was extended."),
    )


@operator_required
def billed_outside_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = BilledOutsideForm(posted(request))

    def perform(actor: Actor, form: BilledOutsideForm) -> None:
        services.mark_city_billed_outside_stripe(
            actor=actor,
            city=city,
            billed=form.cleaned_data["billed"],
            note=form.cleaned_data["note"],
        )

    return city_action(
        request,
        city,
        form,
        label=_("Billed outside Stripe"),
        explanation=_(
            "A city billed outside Stripe is never blocked or suspended by Stripe's state; "
            "operators record its invoices and payments by hand."
        ),
        perform=perform,
        done=_("The way the city is billed was saved."),
    )


@operator_required
def record_invoice_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = ManualInvoiceForm(posted(request))

    def perform(actor: Actor, form: ManualInvoiceForm) -> None:
        services.record_city_invoice(
            actor=actor,
            city=city,
            number=form.cleaned_data["number"],
            amount=form.amount_minor(),
            currency=form.cleaned_data["currency"],
            issued_at=form.issued_at(),
            due_at=form.due_at(),
            description=form.cleaned_data["description"],
            pdf_url=form.cleaned_data["pdf_url"],
        )

    return city_action(
        request,
        city,
        form,
        label=_("Record an invoice"),
        explanation=_("An invoice issued outside Stripe, shown to the city's administrators."),
        perform=perform,
        done=_("The invoice was recorded."),
    )


@operator_required
def record_payment_view(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = PaymentForm(posted(request), city_id=city.pk)

    def perform(actor: Actor, form: PaymentForm) -> None:
        services.record_city_payment(
            actor=actor,
            city=city,
            invoice=form.cleaned_data["invoice"],
            amount=form.amount_minor(),
            paid_at=form.paid_at(),
            reference=form.cleaned_data["reference"],
        )

    return city_action(
        request,
        city,
        form,
        label=_("Record a payment"),
        explanation=_("A payment seen on the bank statement; paid in full, the invoice closes."),
        perform=perform,
        done=_("The payment was recorded."),
    )
