"""A subscription's state (from Stripe, or kept by hand) and the city lifecycle it drives.

A city's lifecycle status moves only through `ratusz.tenants.services.change_city_status`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ratusz.billing import gateway
from ratusz.billing.models import (
    BillingAccount,
    CollectionMethod,
    SubscriptionStatus,
)
from ratusz.billing.plans import apply_plan, get_plan, plan_for_lookup_key
from ratusz.billing.services.accounts import (
    ENDED,
    GOOD,
    OVERDUE,
    _history,
    _now,
    ensure_account,
    grace_days,
)
from ratusz.tenants.models import City, CityStatus
from ratusz.tenants.services import change_city_status, end_trial


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
