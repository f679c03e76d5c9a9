"""Operators' adjustments: credit, a longer trial, billing outside Stripe."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from ratusz.billing import gateway
from ratusz.billing.models import (
    BillingAccount,
    Credit,
)
from ratusz.billing.services.accounts import BillingRefused, _history, _now, ensure_account
from ratusz.billing.services.invoices import format_amount
from ratusz.billing.services.subscriptions import _activate
from ratusz.tenants.models import City


def grant_credit(*, city: City, amount: int, currency: str, reason: str, actor: str = "") -> Credit:
    """Credit a city; in Stripe mode it lands on the customer's balance (next invoices)."""
    if amount <= 0:
        raise BillingRefused(_("Credit must be more than zero."))
    if not reason.strip():
        raise BillingRefused(_("Say why the credit is granted."))
    account = ensure_account(city=city)
    transaction_id = ""
    if gateway.stripe_enabled() and account.stripe_customer_id:
        transaction_id = gateway.credit_customer(
            customer_id=account.stripe_customer_id, amount=amount, currency=currency, reason=reason
        )
    with transaction.atomic():
        credit = Credit.objects.create(
            city_id=city.pk,
            amount=amount,
            currency=currency,
            reason=reason.strip(),
            granted_by=actor,
            stripe_transaction_id=transaction_id,
        )
        _history(
            account,
            "credit",
            _("Credit of %(amount)s granted: %(reason)s")
            % {"amount": format_amount(amount, currency), "reason": reason.strip()},
            actor=actor,
        )
    return credit


def extend_trial(
    *, city: City, days: int, actor: str = "", now: datetime | None = None
) -> BillingAccount:
    """Give a city `days` more of trial (counted from today if it already ended)."""
    if days <= 0 or days > 365:
        raise BillingRefused(_("Extend a trial by 1 to 365 days."))
    now = _now(now)
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=ensure_account(city=city).pk)
        start = max(now, account.trial_ends_at or now)
        account.trial_ends_at = start + timedelta(days=days)
        account.trial_reminders_sent = []
        account.save(update_fields=["trial_ends_at", "trial_reminders_sent", "updated_at"])
        _history(
            account,
            "trial_extended",
            _("Trial extended by %(days)s days, to %(date)s.")
            % {"days": days, "date": account.trial_ends_at.date().isoformat()},
            actor=actor,
            at=now,
        )
    return account


def mark_billed_outside_stripe(
    *, city: City, billed: bool = True, note: str = "", actor: str = ""
) -> BillingAccount:
    """Bill a city outside Stripe (or stop doing so). While it is, Stripe never moves its
    lifecycle, its trial never blocks it, and an operator records its invoices by hand."""
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=ensure_account(city=city).pk)
        account.billed_outside_stripe = billed
        account.outside_note = note.strip()
        if billed:
            account.grace_ends_at = None
            _activate(account, city)
        account.save()
        _history(
            account,
            "outside_stripe",
            _("Billed outside Stripe: %(note)s") % {"note": note.strip() or "-"}
            if billed
            else _("Billed through Stripe again."),
            actor=actor,
        )
    return account
