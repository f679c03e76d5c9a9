"""Every write of billing: plans chosen, customers, subscriptions synced from Stripe, invoices
and payments recorded by hand, operators' adjustments, and the city lifecycle they drive.

A city's lifecycle status moves only through `ratusz.tenants.services.change_city_status`.
Stripe is called inside the transaction that then writes what it answered, with the billing
account's row locked, so a Stripe failure leaves our rows as they were (nothing half-made) and
two requests for the same city never both make something at Stripe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ratusz.accounts.models import Role, User
from ratusz.billing import gateway
from ratusz.billing.models import (
    BillingAccount,
    CollectionMethod,
    Credit,
    HistoryEntry,
    Invoice,
    InvoiceSource,
    InvoiceStatus,
    Payment,
    SubscriptionStatus,
    WebhookEvent,
)
from ratusz.billing.plans import Plan, apply_plan, get_plan, plan_for_lookup_key
from ratusz.billing.taxids import parse_tax_id
from ratusz.errors import Refused
from ratusz.tenants.context import city_context
from ratusz.tenants.links import city_url
from ratusz.tenants.models import City, CityStatus, Domain
from ratusz.tenants.queue import task_named
from ratusz.tenants.services import change_city_status, end_trial

logger = logging.getLogger(__name__)

GOOD = {SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING}
OVERDUE = {SubscriptionStatus.PAST_DUE}
ENDED = {
    SubscriptionStatus.UNPAID,
    SubscriptionStatus.CANCELED,
    SubscriptionStatus.INCOMPLETE_EXPIRED,
}
# Days before the end of a trial on which administrators are reminded.
TRIAL_REMINDER_DAYS = (7, 1)


class BillingRefused(Refused, ValueError):
    """A request billing cannot carry out; `message` tells the person why and what to do."""

    code = "billing_refused"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def trial_days() -> int:
    return int(getattr(settings, "BILLING_TRIAL_DAYS", 30))


def grace_days() -> int:
    return int(getattr(settings, "BILLING_GRACE_DAYS", 14))


def invoice_days_until_due() -> int:
    return int(getattr(settings, "BILLING_DAYS_UNTIL_DUE", 14))


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _history(
    account: BillingAccount | int,
    kind: str,
    message: str,
    *,
    actor: str = "",
    at: datetime | None = None,
    **data: Any,
) -> None:
    city_id = account if isinstance(account, int) else account.city_id
    HistoryEntry.objects.create(
        city_id=city_id, kind=kind, message=message, actor=actor, data=data, at=_now(at)
    )


def ensure_account(*, city: City) -> BillingAccount:
    """The city's billing account, made on first use with the default trial."""
    account, _created = BillingAccount.objects.get_or_create(
        city_id=city.pk,
        defaults={
            "trial_ends_at": city.created_at + timedelta(days=trial_days()),
            "country": city.country,
            "legal_name": "",
        },
    )
    return account


# --- Lifecycle -------------------------------------------------------------------------------


def _fresh(city: City | None) -> City | None:
    # The caller's City may be stale (a request's, a fixture's): decide on the stored status.
    return None if city is None else City.objects.filter(pk=city.pk).first()


def _activate(account: BillingAccount, city: City | None) -> None:
    city = _fresh(city)
    if city is None:
        return
    if city.status == CityStatus.SUSPENDED and account.suspended_by_billing:
        # Billing closed it for an unpaid bill; paid, it reopens, active.
        change_city_status(city=city, status=CityStatus.ACTIVE)
        _history(account, "city_active", _("The city is active."))
    elif end_trial(city=city).status != city.status:
        # In trial: active now. Closed by an operator: stays closed, reopens active.
        _history(account, "city_active", _("The city is active."))
    account.suspended_by_billing = False


def _suspend(account: BillingAccount, city: City | None, now: datetime) -> None:
    city = _fresh(city)
    if city is None or city.status not in (CityStatus.TRIAL, CityStatus.ACTIVE):
        return  # archived or already suspended: nothing for billing to do
    change_city_status(city=city, status=CityStatus.SUSPENDED)
    account.suspended_by_billing = True
    _history(account, "city_suspended", _("The city was suspended: payment overdue."), at=now)


def _apply_status(account: BillingAccount, city: City | None, now: datetime) -> None:
    """Move the city to where its subscription status says it should be."""
    status = account.subscription_status
    if account.billed_outside_stripe:
        return
    if status in GOOD:
        account.grace_ends_at = None
        _activate(account, city)
        plan = get_plan(account.plan) if account.plan else None
        if plan is not None and city is not None:
            apply_plan(city=city, plan=plan)
    elif status in OVERDUE or status in ENDED:
        if account.grace_ends_at is None:
            account.grace_ends_at = now + timedelta(days=grace_days())
            _history(
                account,
                "grace_started",
                _("Payment overdue: grace period until %(date)s.")
                % {"date": account.grace_ends_at.date().isoformat()},
                at=now,
            )
        if now >= account.grace_ends_at:
            _suspend(account, city, now)


def apply_subscription_state(
    *, account: BillingAccount, state: dict[str, Any], now: datetime | None = None
) -> BillingAccount:
    """Record a subscription as Stripe reports it now and act on its status.

    Idempotent: the same state applied twice changes nothing more, so replayed and
    out-of-order events (each re-reading Stripe) end in the same place.
    """
    now = _now(now)
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        if (
            account.stripe_subscription_id
            and state["id"] != account.stripe_subscription_id
            and state["status"] in ENDED
        ):
            return account  # an old subscription ending does not concern the current one
        previous = account.subscription_status
        account.stripe_subscription_id = state["id"]
        account.subscription_status = state["status"]
        if state.get("customer") and not account.stripe_customer_id:
            account.stripe_customer_id = state["customer"]
        plan = plan_for_lookup_key(state.get("lookup_key"))
        if plan is not None:
            account.plan = plan.code
            account.interval = state.get("interval") or account.interval
            account.currency = state.get("currency") or account.currency
        if state.get("collection_method") == "send_invoice":
            account.collection_method = CollectionMethod.INVOICE
        elif state.get("collection_method"):
            account.collection_method = CollectionMethod.CARD
        account.current_period_end = state.get("current_period_end")
        city = City.objects.filter(pk=account.city_id).first()
        _apply_status(account, city, now)
        account.save()
        if previous != account.subscription_status:
            _history(
                account,
                "subscription",
                _("Subscription: %(status)s.")
                % {"status": SubscriptionStatus(account.subscription_status).label},
                at=now,
                status=account.subscription_status,
            )
    return account


def sync_subscription(
    *, subscription_id: str, city_id: int | None = None, now: datetime | None = None
) -> str:
    """Re-read a subscription from Stripe and apply it; returns what happened (for the log)."""
    state = gateway.retrieve_subscription(subscription_id)
    account = BillingAccount.objects.filter(stripe_subscription_id=state["id"]).first()
    if account is None and state["customer"]:
        account = BillingAccount.objects.filter(stripe_customer_id=state["customer"]).first()
    if account is None:
        wanted = city_id or _int(state.get("city_id"))
        city = City.objects.filter(pk=wanted).first() if wanted else None
        if city is None:
            return f"no city for subscription {state['id']}"
        account = ensure_account(city=city)
    exists = City.objects.filter(pk=account.city_id).exists()
    apply_subscription_state(account=account, state=state, now=now)
    if not exists:
        return f"city {account.city_id} no longer exists; subscription recorded"
    return f"city {account.city_id}: subscription {state['status']}"


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# --- Choosing a plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChoice:
    account: BillingAccount
    # Where to send the administrator (Stripe Checkout), or None when it is done here.
    redirect_url: str | None
    message: str


def choose_plan(
    *,
    city: City,
    plan_code: str,
    interval: str,
    currency: str,
    method: str,
    success_url: str = "",
    cancel_url: str = "",
    actor: str = "",
    now: datetime | None = None,
) -> PlanChoice:
    """An administrator chooses a plan: by card (Stripe Checkout), by invoice (a Stripe
    subscription paid by bank transfer), or, without Stripe, recorded for manual invoicing.

    One choice at a time per city: the billing account's row stays locked from the first
    look at it until what Stripe made is stored, so a second click (a double submit, another
    tab, another administrator) waits and then finds the first one's customer, subscription
    or open payment page instead of making its own. What is made at Stripe carries an
    idempotency key, so a retry after a failure here gets the same object back."""
    plan = get_plan(plan_code)
    account = ensure_account(city=city)
    if not gateway.stripe_enabled():
        return _choose_plan_manually(account, city, plan, interval, currency, method, actor, now)
    lookup_key = plan.lookup_key(interval=interval, currency=currency)
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        if not account.has_legal_details:
            raise BillingRefused(
                _("Fill in the legal details for invoices first (name, address, tax ID).")
            )
        price_id = gateway.price_id_for(lookup_key)
        if not account.stripe_customer_id:
            account.stripe_customer_id = gateway.save_customer(
                customer_id="", details=customer_details(account)
            )
            account.save(update_fields=["stripe_customer_id", "updated_at"])
        if not (account.stripe_subscription_id and account.subscription_status in KEPT):
            # Stripe may know of a subscription we have not heard of yet (a checkout paid a
            # moment ago, its webhook still on the way): it is the one to change.
            live = gateway.live_subscription(account.stripe_customer_id)
            if live is not None:
                account = apply_subscription_state(account=account, state=live, now=now)
        if account.stripe_subscription_id and account.subscription_status in KEPT:
            return _change_plan(account, plan, interval, currency, price_id, actor, now)
        if method == CollectionMethod.CARD:
            return _checkout(account, city, price_id, success_url, cancel_url)
        state = gateway.create_invoiced_subscription(
            customer_id=account.stripe_customer_id,
            price_id=price_id,
            city_id=city.pk,
            days_until_due=invoice_days_until_due(),
        )
        account = apply_subscription_state(account=account, state=state, now=now)
        _history(
            account,
            "plan_chosen",
            _("Plan %(plan)s chosen, paid by invoice.") % {"plan": plan.name},
            actor=actor,
        )
    return PlanChoice(
        account,
        None,
        _("Your plan is now %(plan)s. The invoice will be e-mailed to %(email)s.")
        % {"plan": plan.name, "email": account.billing_email or account.legal_name},
    )


# Subscriptions a new choice changes rather than replaces: they are still the city's.
KEPT = GOOD | OVERDUE | {SubscriptionStatus.INCOMPLETE, SubscriptionStatus.PAUSED}


def _change_plan(
    account: BillingAccount,
    plan: Plan,
    interval: str,
    currency: str,
    price_id: str,
    actor: str,
    now: datetime | None,
) -> PlanChoice:
    done = _("Your plan is now %(plan)s.") % {"plan": plan.name}
    if (account.plan, account.interval, account.currency) == (plan.code, interval, currency):
        return PlanChoice(account, None, done)  # chosen already (a second click): no change
    state = gateway.change_subscription_price(
        subscription_id=account.stripe_subscription_id, price_id=price_id
    )
    account = apply_subscription_state(account=account, state=state, now=now)
    _history(
        account, "plan_changed", _("Plan changed to %(plan)s.") % {"plan": plan.name}, actor=actor
    )
    return PlanChoice(account, None, done)


def _checkout(
    account: BillingAccount, city: City, price_id: str, success_url: str, cancel_url: str
) -> PlanChoice:
    """The payment page for a card: the open one for this price if there is one; another
    price's open page is closed first, so that only one of them can ever be paid."""
    message = _("Continue to the payment page.")
    if account.checkout_session_id:
        pending = gateway.retrieve_checkout_session(account.checkout_session_id)
        if pending.status == "open" and pending.price_id == price_id and pending.url:
            return PlanChoice(account, pending.url, message)
        if pending.status == "open":
            gateway.expire_checkout_session(pending.id)
    session = gateway.create_checkout_session(
        customer_id=account.stripe_customer_id,
        price_id=price_id,
        city_id=city.pk,
        success_url=success_url,
        cancel_url=cancel_url,
    )
    account.checkout_session_id = session.id
    account.save(update_fields=["checkout_session_id", "updated_at"])
    return PlanChoice(account, session.url, message)


def _choose_plan_manually(
    account: BillingAccount,
    city: City,
    plan: Plan,
    interval: str,
    currency: str,
    method: str,
    actor: str,
    now: datetime | None,
) -> PlanChoice:
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        account.plan = plan.code
        account.interval = interval
        account.currency = currency
        account.collection_method = CollectionMethod.INVOICE
        apply_plan(city=city, plan=plan)
        # Manual billing trusts the city until an operator says otherwise.
        _activate(account, city)
        account.save()
        _history(
            account,
            "plan_chosen",
            _("Plan %(plan)s chosen; invoiced by hand.") % {"plan": plan.name},
            actor=actor,
            at=now,
        )
    return PlanChoice(
        account,
        None,
        _("Your plan is now %(plan)s. We will send the invoice by e-mail.") % {"plan": plan.name},
    )


# --- Customer details ------------------------------------------------------------------------


def customer_details(account: BillingAccount) -> gateway.CustomerDetails:
    tax = parse_tax_id(account.tax_id) if account.tax_id else None
    return gateway.CustomerDetails(
        city_id=account.city_id,
        legal_name=account.legal_name,
        email=account.billing_email,
        line1=account.address_line1,
        line2=account.address_line2,
        postal_code=account.postal_code,
        town=account.address_city,
        country=account.country,
        tax_id=tax.value if tax else "",
        tax_id_type=tax.kind if tax else "",
    )


def save_legal_details(
    *,
    city: City,
    legal_name: str,
    address_line1: str,
    address_line2: str = "",
    postal_code: str,
    address_city: str,
    country: str,
    tax_id: str,
    billing_email: str,
    actor: str = "",
) -> BillingAccount:
    """Save who the invoices are made out to; in Stripe mode the Stripe customer first."""
    account = ensure_account(city=city)
    fields = {
        "legal_name": legal_name.strip(),
        "address_line1": address_line1.strip(),
        "address_line2": address_line2.strip(),
        "postal_code": postal_code.strip(),
        "address_city": address_city.strip(),
        "country": country.strip().upper(),
        "tax_id": parse_tax_id(tax_id).value if tax_id.strip() else "",
        "billing_email": billing_email.strip(),
    }
    with transaction.atomic():
        # Locked like a plan choice: two saves at once must not make two Stripe customers.
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        for name, value in fields.items():
            setattr(account, name, value)
        if gateway.stripe_enabled():
            account.stripe_customer_id = gateway.save_customer(
                customer_id=account.stripe_customer_id, details=customer_details(account)
            )
        account.save()
        _history(account, "details", _("Legal details for invoices updated."), actor=actor)
    return account


def portal_url(*, city: City, return_url: str) -> str:
    account = ensure_account(city=city)
    if not gateway.stripe_enabled() or not account.stripe_customer_id:
        raise BillingRefused(_("There is nothing to manage with the payment provider yet."))
    return gateway.create_portal_session(
        customer_id=account.stripe_customer_id, return_url=return_url
    )


# --- Invoices --------------------------------------------------------------------------------


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


# --- Operators' tools ------------------------------------------------------------------------


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


# --- Webhooks --------------------------------------------------------------------------------


# A stored event still unprocessed this long after it arrived was never queued (the broker
# was down) or its task was lost: the sweeper queues it again. An event queued again within
# WEBHOOK_REQUEUE_AFTER is left alone (its task may be waiting to retry while Stripe is down),
# and one that failed WEBHOOK_MAX_ATTEMPTS times waits for a person.
WEBHOOK_STALE_AFTER = timedelta(minutes=1)
WEBHOOK_REQUEUE_AFTER = timedelta(minutes=15)
WEBHOOK_MAX_ATTEMPTS = 20


def record_webhook_event(*, event: dict[str, Any]) -> WebhookEvent | None:
    """Store a verified Stripe event once; None when it was received before (a replay).

    Its processing is queued once the event is stored; if the broker is down then, Stripe
    still gets its 200 (the event is safe with us) and the sweeper queues it later."""
    obj = (event.get("data") or {}).get("object") or {}
    try:
        with transaction.atomic():
            if WebhookEvent.objects.filter(event_id=event["id"]).exists():
                return None
            stored = WebhookEvent.objects.create(
                event_id=event["id"],
                type=str(event.get("type", "")),
                object_id=str(obj.get("id", "")),
                payload=event,
            )
            stored_pk = stored.pk
            transaction.on_commit(lambda: _queue_webhook_event(stored_pk), robust=True)
    except IntegrityError:  # the same event delivered twice at once
        return None
    return stored


def _queue_webhook_event(event_pk: int, now: datetime | None = None) -> None:
    task_named("billing.process_stripe_event").delay(event_pk)
    WebhookEvent.objects.filter(pk=event_pk).update(queued_at=_now(now))


def queue_unprocessed_webhook_events(*, now: datetime | None = None) -> list[int]:
    """Queue the stored events nobody processed (see WEBHOOK_STALE_AFTER); returns their ids.

    Safe to run any number of times: processing an event twice applies it once."""
    now = _now(now)
    stale = WebhookEvent.objects.filter(
        processed_at=None,
        received_at__lte=now - WEBHOOK_STALE_AFTER,
        attempts__lt=WEBHOOK_MAX_ATTEMPTS,
    ).filter(Q(queued_at=None) | Q(queued_at__lte=now - WEBHOOK_REQUEUE_AFTER))
    ids = list(stale.order_by("pk").values_list("pk", flat=True)[:500])
    for event_pk in ids:
        _queue_webhook_event(event_pk, now)
    return ids


def process_webhook_event(*, event_pk: int, now: datetime | None = None) -> str:
    """Act on a stored event by re-reading the object's current state from Stripe.

    Once only: the event's row is locked while it is processed, so a second task for the same
    event (queued again by the sweeper while the first was still waiting) waits and then
    finds it processed."""
    WebhookEvent.objects.filter(pk=event_pk, processed_at=None).update(attempts=F("attempts") + 1)
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.processed_at is not None:
            return event.outcome
        kind, object_id = event.type, event.object_id
        if kind.startswith("customer.subscription."):
            outcome = sync_subscription(subscription_id=object_id, now=now)
        elif kind == "checkout.session.completed":
            session = gateway.retrieve_checkout_session(object_id)
            if session.subscription:
                outcome = sync_subscription(
                    subscription_id=session.subscription,
                    city_id=_int(session.city_id),
                    now=now,
                )
            else:
                outcome = "checkout without a subscription"
        elif kind.startswith("invoice."):
            outcome = sync_invoice(invoice_id=object_id, now=now)
        else:
            outcome = "ignored"
        event.processed_at = timezone.now()
        event.outcome = outcome[:300]
        event.save(update_fields=["processed_at", "outcome"])
    return outcome


# --- Periodic work ---------------------------------------------------------------------------


def check_grace_periods(*, now: datetime | None = None) -> list[int]:
    """Suspend the cities whose grace period ran out unpaid; returns their ids."""
    now = _now(now)
    suspended = []
    due = BillingAccount.objects.filter(
        grace_ends_at__lte=now,
        billed_outside_stripe=False,
        subscription_status__in=[*OVERDUE, *ENDED],
    )
    for account in due:
        if gateway.stripe_enabled() and account.stripe_subscription_id:
            try:  # paid in the meantime? ask Stripe rather than trust a missed webhook
                sync_subscription(subscription_id=account.stripe_subscription_id, now=now)
            except gateway.StripeUnavailable:
                apply_subscription_state(account=account, state=_local_state(account), now=now)
        else:
            apply_subscription_state(account=account, state=_local_state(account), now=now)
        account.refresh_from_db()
        if account.suspended_by_billing:
            suspended.append(account.city_id)
    return suspended


def _local_state(account: BillingAccount) -> dict[str, Any]:
    return {
        "id": account.stripe_subscription_id,
        "status": account.subscription_status,
        "customer": account.stripe_customer_id,
        "current_period_end": account.current_period_end,
    }


def send_trial_reminders(*, now: datetime | None = None) -> int:
    """E-mail the administrators of cities whose trial ends in 7 days or tomorrow; once each."""
    now = _now(now)
    sent = 0
    horizon = now + timedelta(days=max(TRIAL_REMINDER_DAYS))
    trial_cities = City.objects.filter(status=CityStatus.TRIAL)
    for city in trial_cities:
        account = ensure_account(city=city)
        if account.billed_outside_stripe or account.subscription_status in GOOD:
            continue
        ends = account.trial_ends_at
        if ends is None or ends <= now or ends > horizon:
            continue
        days_left = (ends - now).days + (1 if (ends - now).seconds else 0)
        due = [d for d in TRIAL_REMINDER_DAYS if days_left <= d]
        mark = min(due)
        if mark in account.trial_reminders_sent:
            continue
        account.trial_reminders_sent = [*account.trial_reminders_sent, mark]
        account.save(update_fields=["trial_reminders_sent", "updated_at"])
        _remind(city, ends)
        sent += 1
    return sent


def _remind(city: City, ends: datetime) -> None:
    with city_context(city):
        recipients = list(
            User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).values_list(
                "email", flat=True
            )
        )
    if not recipients:
        return
    domain = (
        Domain.objects.filter(tenant=city, is_primary=True).values_list("domain", flat=True).first()
    )
    link = city_url(domain, "/admin/billing/") if domain else ""
    with translation.override(city.default_language):
        subject = _("Your Ratusz trial ends on %(date)s") % {"date": ends.date().isoformat()}
        body = render_to_string(
            "billing/emails/trial_reminder.txt", {"city": city, "ends": ends, "link": link}
        )
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
