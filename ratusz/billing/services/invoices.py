"""Invoices and payments: synced from Stripe, or recorded by hand for a city billed outside it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.billing import gateway
from ratusz.billing.models import (
    BillingAccount,
    Invoice,
    InvoiceSource,
    InvoiceStatus,
    Payment,
)
from ratusz.billing.services.accounts import BillingRefused, _history, ensure_account
from ratusz.billing.services.subscriptions import _activate, sync_subscription
from ratusz.tenants.models import City


def upsert_stripe_invoice(*, city_id: int, state: dict[str, Any]) -> Invoice:
    values = {
        "city_id": city_id,
        "source": InvoiceSource.STRIPE,
        "number": state["number"],
        "description": state["description"][:300],
        "currency": state["currency"],
        "amount_due": state["amount_due"],
        "amount_paid": state["amount_paid"],
        "status": state["status"]
        if state["status"] in InvoiceStatus.values
        else InvoiceStatus.DRAFT,
        "issued_at": state["issued_at"] or timezone.now(),
        "due_at": state["due_at"],
        "paid_at": state["paid_at"],
        "pdf_url": state["pdf_url"],
        "hosted_url": state["hosted_url"],
    }
    invoice, _created = Invoice.objects.update_or_create(
        stripe_invoice_id=state["id"], defaults=values
    )
    return invoice


def sync_invoice(*, invoice_id: str, now: datetime | None = None) -> str:
    state = gateway.retrieve_invoice(invoice_id)
    account = BillingAccount.objects.filter(stripe_customer_id=state["customer"]).first()
    if account is None:
        return f"no city for invoice {invoice_id}"
    upsert_stripe_invoice(city_id=account.city_id, state=state)
    outcome = f"city {account.city_id}: invoice {state['status']}"
    if account.stripe_subscription_id:
        # An invoice paid (or not) moves the subscription: read where it stands now.
        outcome += "; " + sync_subscription(subscription_id=account.stripe_subscription_id, now=now)
    return outcome


def refresh_invoices(*, city: City) -> int:
    """Pull the city's invoices from Stripe (PDF links included); returns how many."""
    account = ensure_account(city=city)
    if not gateway.stripe_enabled() or not account.stripe_customer_id:
        return 0
    states = gateway.list_invoices(account.stripe_customer_id)
    with transaction.atomic():
        for state in states:
            upsert_stripe_invoice(city_id=city.pk, state=state)
    return len(states)


def record_invoice(
    *,
    city: City,
    number: str,
    amount: int,
    currency: str,
    issued_at: datetime,
    due_at: datetime | None = None,
    description: str = "",
    pdf_url: str = "",
    actor: str = "",
) -> Invoice:
    """An operator records an invoice issued outside Stripe (manual mode, public tenders)."""
    if amount <= 0:
        raise BillingRefused(_("An invoice must be for more than zero."))
    if Invoice.objects.filter(source=InvoiceSource.MANUAL, number=number).exists():
        raise BillingRefused(
            _("An invoice numbered %(number)s exists already.") % {"number": number}
        )
    with transaction.atomic():
        invoice = Invoice.objects.create(
            city_id=city.pk,
            source=InvoiceSource.MANUAL,
            number=number,
            amount_due=amount,
            currency=currency,
            issued_at=issued_at,
            due_at=due_at,
            description=description,
            pdf_url=pdf_url,
        )
        _history(
            city.pk,
            "invoice",
            _("Invoice %(number)s recorded.") % {"number": number},
            actor=actor,
            amount=amount,
            currency=currency,
        )
    return invoice


def record_payment(
    *,
    invoice: Invoice,
    amount: int,
    paid_at: datetime,
    reference: str = "",
    actor: str = "",
) -> Payment:
    """An operator records a payment against an invoice; paid in full, the city is active."""
    if amount <= 0:
        raise BillingRefused(_("A payment must be for more than zero."))
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status in (InvoiceStatus.VOID, InvoiceStatus.PAID):
            raise BillingRefused(
                _("Invoice %(number)s is %(status)s: it takes no more payments.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        payment = Payment.objects.create(
            invoice=locked, amount=amount, paid_at=paid_at, reference=reference, recorded_by=actor
        )
        Invoice.objects.filter(pk=locked.pk).update(amount_paid=F("amount_paid") + amount)
        locked.refresh_from_db()
        if locked.amount_paid >= locked.amount_due:
            locked.status = InvoiceStatus.PAID
            locked.paid_at = paid_at
            locked.save(update_fields=["status", "paid_at"])
            account = BillingAccount.objects.filter(city_id=locked.city_id).first()
            if account is not None:
                account.grace_ends_at = None
                _activate(account, City.objects.filter(pk=locked.city_id).first())
                account.save(update_fields=["grace_ends_at", "suspended_by_billing", "updated_at"])
        _history(
            locked.city_id,
            "payment",
            _("Payment of %(amount)s recorded for invoice %(number)s.")
            % {"amount": format_amount(amount, locked.currency), "number": locked.number},
            actor=actor,
        )
    invoice.refresh_from_db()
    return payment


def format_amount(amount: int, currency: str) -> str:
    return f"{amount / 100:.2f} {currency}"
