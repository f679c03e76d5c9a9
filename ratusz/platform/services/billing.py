"""Billing of a city: billing's services do the work, the audit log records it."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from ratusz.billing import gateway
from ratusz.billing import selectors as billing_selectors
from ratusz.billing import services as billing
from ratusz.billing.models import BillingAccount, Credit, Invoice, Payment
from ratusz.platform.audit import Actor, Audit, audited
from ratusz.tenants.models import City


def billing_mode(account: BillingAccount | None) -> str:
    """How a city is billed: "outside" Stripe (by hand, on the operator's say), through
    "stripe", or "manual" when no Stripe key is configured."""
    if account is not None and account.billed_outside_stripe:
        return "outside"
    return "stripe" if gateway.stripe_enabled() else "manual"


def _refuse_if_billed_through_stripe(city: City) -> None:
    # Stripe issues a Stripe-billed city's invoices; hand-made ones would double them.
    if billing_mode(billing_selectors.account_for(city.pk)) == "stripe":
        raise billing.BillingRefused(
            _(
                "This city is billed through Stripe, which issues its invoices. Mark it as "
                "billed outside Stripe first."
            )
        )


@audited("billing.credit")
def grant_city_credit(
    audit: Audit, *, actor: Actor, city: City, amount: int, currency: str, reason: str
) -> Credit:
    """Raises ratusz.billing.services.BillingRefused (no amount, no reason)."""
    credit = billing.grant_credit(
        city=city, amount=amount, currency=currency, reason=reason, actor=actor.email
    )
    audit.after = {"credit": credit.pk, "amount": credit.amount, "currency": credit.currency}
    audit.reason = credit.reason
    return credit


@audited("billing.extend_trial")
def extend_city_trial(
    audit: Audit, *, actor: Actor, city: City, days: int, reason: str = ""
) -> BillingAccount:
    """Raises ratusz.billing.services.BillingRefused (days out of range)."""
    before = billing_selectors.trial_ends_at(city, billing_selectors.account_for(city.pk))
    account = billing.extend_trial(city=city, days=days, actor=actor.email)
    audit.before = {"trial_ends_at": before}
    audit.after = {"trial_ends_at": account.trial_ends_at, "days": days}
    return account


@audited("billing.outside_stripe")
def mark_city_billed_outside_stripe(
    audit: Audit, *, actor: Actor, city: City, billed: bool, note: str = ""
) -> BillingAccount:
    current = billing_selectors.account_for(city.pk)
    audit.before = {
        "billed_outside_stripe": bool(current and current.billed_outside_stripe),
        "note": current.outside_note if current else "",
    }
    account = billing.mark_billed_outside_stripe(
        city=city, billed=billed, note=note, actor=actor.email
    )
    audit.after = {
        "billed_outside_stripe": account.billed_outside_stripe,
        "note": account.outside_note,
    }
    audit.reason = account.outside_note
    return account


@audited("billing.invoice")
def record_city_invoice(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    number: str,
    amount: int,
    currency: str,
    issued_at: datetime,
    due_at: datetime | None = None,
    description: str = "",
    pdf_url: str = "",
) -> Invoice:
    """An invoice issued outside Stripe. Raises ratusz.billing.services.BillingRefused (the
    city is billed through Stripe, the number is taken, the amount is not positive)."""
    _refuse_if_billed_through_stripe(city)
    invoice = billing.record_invoice(
        city=city,
        number=number,
        amount=amount,
        currency=currency,
        issued_at=issued_at,
        due_at=due_at,
        description=description,
        pdf_url=pdf_url,
        actor=actor.email,
    )
    audit.after = {
        "invoice": invoice.pk,
        "number": invoice.number,
        "amount": invoice.amount_due,
        "currency": invoice.currency,
    }
    return invoice


@audited("billing.payment")
def record_city_payment(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    invoice: Invoice,
    amount: int,
    paid_at: datetime,
    reference: str = "",
) -> Payment:
    """A payment against one of the city's invoices (`invoice` is refreshed). Raises
    ratusz.billing.services.BillingRefused (billed through Stripe, invoice closed...)."""
    _refuse_if_billed_through_stripe(city)
    payment = billing.record_payment(
        invoice=invoice, amount=amount, paid_at=paid_at, reference=reference, actor=actor.email
    )
    audit.after = {
        "invoice": invoice.pk,
        "number": invoice.number,
        "amount": payment.amount,
        "invoice_status": invoice.status,
    }
    audit.reason = payment.reference
    return payment
