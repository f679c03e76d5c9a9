"""A city chooses (or changes) its plan: at Stripe (checkout, a changed subscription) or by hand.

Stripe is called inside the transaction that then writes what it answered, with the billing
account's row locked, so a Stripe failure leaves our rows as they were (nothing half-made) and
two requests for the same city never both make something at Stripe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ratusz.billing import gateway
from ratusz.billing.models import (
    BillingAccount,
    CollectionMethod,
    SubscriptionStatus,
)
from ratusz.billing.plans import Plan, apply_plan, get_plan
from ratusz.billing.services.accounts import (
    GOOD,
    OVERDUE,
    BillingRefused,
    _history,
    ensure_account,
    invoice_days_until_due,
)
from ratusz.billing.services.customers import customer_details
from ratusz.billing.services.subscriptions import _activate, apply_subscription_state
from ratusz.tenants.models import City


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
