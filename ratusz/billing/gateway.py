"""Every call Ratusz makes to Stripe, through the official library, in one module.

Callers get plain dicts back and two exceptions: `StripeUnavailable` (Stripe did not answer;
try again later) and `StripeRefused` (Stripe answered no). Nothing here writes to our database.
The client is built per call from the settings and `stripe.api_base`, so a test can point the
very same code at a local stand-in server.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from ratusz.billing.plans import PLANS, Plan
from ratusz.errors import Refused

logger = logging.getLogger(__name__)


class StripeUnavailable(Refused):
    code = "payment_provider_unavailable"

    def __init__(self) -> None:
        self.message = _(
            "The payment provider is not answering right now. Nothing was changed: please try "
            "again in a few minutes."
        )
        super().__init__(self.message)


class StripeRefused(Refused):
    code = "payment_provider_refused"

    def __init__(self, detail: str) -> None:
        self.detail = detail
        self.message = _("The payment provider refused the request: %(detail)s") % {
            "detail": detail
        }
        super().__init__(self.message)


class PlansNotSynced(StripeRefused):
    code = "plans_not_synced"

    def __init__(self, lookup_key: str) -> None:
        super().__init__(
            _("the price %(key)s does not exist yet (an operator runs sync_plans).")
            % {"key": lookup_key}
        )


def secret_key() -> str:
    return str(getattr(settings, "STRIPE_SECRET_KEY", "") or "")


def stripe_enabled() -> bool:
    """Stripe mode: a secret key is configured. Otherwise billing is manual (no Stripe calls)."""
    return bool(secret_key())


def client() -> stripe.StripeClient:
    if not stripe_enabled():
        raise RuntimeError("Stripe is not configured (manual billing mode)")
    return stripe.StripeClient(
        secret_key(),
        base_addresses={"api": stripe.api_base},
        max_network_retries=int(getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 2)),
    )


@contextmanager
def calling_stripe() -> Iterator[None]:
    try:
        yield
    except stripe.APIConnectionError as exc:
        logger.warning("Stripe unreachable: %s", exc)
        raise StripeUnavailable from exc
    except stripe.StripeError as exc:
        logger.warning("Stripe refused: %s", exc)
        raise StripeRefused(str(exc.user_message or exc)) from exc


def _dict(obj: Any) -> dict[str, Any]:
    return cast(dict[str, Any], obj.to_dict())


def _when(timestamp: int | None) -> datetime | None:
    return None if not timestamp else datetime.fromtimestamp(int(timestamp), tz=UTC)


def idempotency_key(kind: str, city_id: int, params: dict[str, Any]) -> str:
    """The same request for the same city is the same operation at Stripe for 24 hours.

    The key is derived from everything the request sends, so a retry after our own
    transaction failed (Stripe made the object, we never stored its id) gets the object back
    instead of a second one, and a request that differs in anything is a new operation
    (Stripe refuses a key reused with other parameters)."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    return f"ratusz-{kind}-{city_id}-{digest[:40]}"


# --- Plans -----------------------------------------------------------------------------------


@dataclass
class SyncReport:
    products_created: int = 0
    products_updated: int = 0
    prices_created: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.products_created or self.products_updated or self.prices_created)


def sync_plans(plans: list[Plan] | None = None) -> SyncReport:
    """Make Stripe's Products and Prices match PLANS. Running it again changes nothing.

    A product's id is the plan's (`ratusz_<code>`); a price is found by its lookup key. Prices
    are immutable in Stripe, so a changed amount makes a new price that takes the lookup key
    over (existing subscriptions keep their old price until they change plan).
    """
    report = SyncReport()
    stripe_client = client()
    with calling_stripe():
        for plan in plans or list(PLANS.values()):
            name = str(plan.name)
            metadata = {"ratusz_plan": plan.code}
            try:
                product = _dict(stripe_client.v1.products.retrieve(plan.product_id))
            except stripe.InvalidRequestError as exc:
                if exc.code != "resource_missing":
                    raise
                stripe_client.v1.products.create(
                    {"id": plan.product_id, "name": name, "metadata": metadata}
                )
                report.products_created += 1
            else:
                if product.get("name") != name or not product.get("active", True):
                    stripe_client.v1.products.update(
                        plan.product_id, {"name": name, "active": True, "metadata": metadata}
                    )
                    report.products_updated += 1
            keys = {
                plan.lookup_key(interval=interval, currency=currency): (interval, currency)
                for interval, currency in plan.prices
            }
            existing = {
                price["lookup_key"]: price
                for price in _dict(
                    stripe_client.v1.prices.list({"lookup_keys": list(keys), "limit": 100})
                )["data"]
            }
            for key, (interval, currency) in keys.items():
                amount = plan.price(interval=interval, currency=currency)
                price = existing.get(key)
                if (
                    price is not None
                    and price.get("unit_amount") == amount
                    and str(price.get("currency", "")).upper() == currency
                    and (price.get("recurring") or {}).get("interval") == interval
                    and price.get("product") == plan.product_id
                ):
                    report.unchanged += 1
                    continue
                stripe_client.v1.prices.create(
                    {
                        "product": plan.product_id,
                        "currency": currency.lower(),
                        "unit_amount": amount,
                        "recurring": {"interval": cast(Any, interval)},
                        "lookup_key": key,
                        "transfer_lookup_key": True,
                        "metadata": {"ratusz_plan": plan.code},
                    }
                )
                report.prices_created += 1
    return report


def price_id_for(lookup_key: str) -> str:
    with calling_stripe():
        found = _dict(client().v1.prices.list({"lookup_keys": [lookup_key], "limit": 1}))["data"]
    if not found:
        raise PlansNotSynced(lookup_key)
    return str(found[0]["id"])


# --- Customers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerDetails:
    city_id: int
    legal_name: str
    email: str
    line1: str
    line2: str
    postal_code: str
    town: str
    country: str
    tax_id: str  # as Stripe wants it (PL5260001246)
    tax_id_type: str


def save_customer(*, customer_id: str, details: CustomerDetails) -> str:
    """Create the Stripe customer, or update it (and its tax id); returns its id."""
    params: dict[str, Any] = {
        "name": details.legal_name,
        "address": {
            "line1": details.line1,
            "line2": details.line2,
            "postal_code": details.postal_code,
            "city": details.town,
            "country": details.country,
        },
        "metadata": {"city_id": str(details.city_id)},
        "preferred_locales": ["pl"] if details.country == "PL" else ["en"],
    }
    if details.email:
        params["email"] = details.email
    stripe_client = client()
    with calling_stripe():
        if not customer_id:
            if details.tax_id:
                params["tax_id_data"] = [{"type": details.tax_id_type, "value": details.tax_id}]
            key = idempotency_key("customer", details.city_id, params)
            created = stripe_client.v1.customers.create(cast(Any, params), {"idempotency_key": key})
            return str(created.id)
        stripe_client.v1.customers.update(customer_id, cast(Any, params))
        tax_ids = _dict(stripe_client.v1.customers.tax_ids.list(customer_id))["data"]
        if [t["value"] for t in tax_ids] != ([details.tax_id] if details.tax_id else []):
            for old in tax_ids:
                stripe_client.v1.customers.tax_ids.delete(customer_id, old["id"])
            if details.tax_id:
                stripe_client.v1.customers.tax_ids.create(
                    customer_id, {"type": cast(Any, details.tax_id_type), "value": details.tax_id}
                )
    return customer_id


def credit_customer(*, customer_id: str, amount: int, currency: str, reason: str) -> str:
    """Add credit to the customer's balance (negative in Stripe's terms); returns its id."""
    with calling_stripe():
        transaction = client().v1.customers.balance_transactions.create(
            customer_id,
            {"amount": -amount, "currency": currency.lower(), "description": reason[:300]},
        )
    return str(transaction.id)


# --- Subscriptions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    status: str  # open, complete or expired
    price_id: str  # the price it sells (kept in its metadata)
    subscription: str
    customer: str
    city_id: str


def create_checkout_session(
    *,
    customer_id: str,
    price_id: str,
    city_id: int,
    success_url: str,
    cancel_url: str,
) -> CheckoutSession:
    """A Checkout Session paying by card, for the administrator to be sent to."""
    metadata = {"city_id": str(city_id)}
    params: dict[str, Any] = {
        "mode": "subscription",
        "customer": customer_id,
        "line_items": [{"price": price_id, "quantity": 1}],
        "client_reference_id": str(city_id),
        "metadata": {**metadata, "price_id": price_id},
        "subscription_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    with calling_stripe():
        session = client().v1.checkout.sessions.create(
            cast(Any, params),
            {"idempotency_key": idempotency_key("checkout", city_id, params)},
        )
    return checkout_session(_dict(session))


def checkout_session(session: dict[str, Any]) -> CheckoutSession:
    metadata = session.get("metadata") or {}
    return CheckoutSession(
        id=str(session["id"]),
        url=str(session.get("url") or ""),
        status=str(session.get("status") or ""),
        price_id=str(metadata.get("price_id") or ""),
        subscription=str(session.get("subscription") or ""),
        customer=str(session.get("customer") or ""),
        city_id=str(session.get("client_reference_id") or metadata.get("city_id") or ""),
    )


def expire_checkout_session(session_id: str) -> None:
    """Close a payment page nobody paid yet, so it cannot be paid besides a newer one."""
    with calling_stripe():
        client().v1.checkout.sessions.expire(session_id)


def create_invoiced_subscription(
    *, customer_id: str, price_id: str, city_id: int, days_until_due: int
) -> dict[str, Any]:
    """A subscription paid by bank transfer against invoices Stripe e-mails."""
    params: dict[str, Any] = {
        "customer": customer_id,
        "items": [{"price": price_id, "quantity": 1}],
        "collection_method": "send_invoice",
        "days_until_due": days_until_due,
        "metadata": {"city_id": str(city_id)},
    }
    with calling_stripe():
        subscription = client().v1.subscriptions.create(
            cast(Any, params),
            {"idempotency_key": idempotency_key("subscription", city_id, params)},
        )
    return subscription_state(_dict(subscription))


# Statuses of a subscription that is still the customer's (not ended): a new one must not be
# made beside it.
LIVE_STATUSES = ("trialing", "active", "incomplete", "past_due", "paused")


def live_subscription(customer_id: str) -> dict[str, Any] | None:
    """The customer's subscription that has not ended, if Stripe has one: a checkout paid a
    moment ago whose webhook has not arrived yet counts."""
    with calling_stripe():
        page = _dict(
            client().v1.subscriptions.list({"customer": customer_id, "status": "all", "limit": 10})
        )
    for subscription in page["data"]:
        if subscription.get("status") in LIVE_STATUSES:
            return subscription_state(subscription)
    return None


def change_subscription_price(*, subscription_id: str, price_id: str) -> dict[str, Any]:
    """Move an existing subscription to another plan's price (prorated by Stripe)."""
    stripe_client = client()
    with calling_stripe():
        current = _dict(stripe_client.v1.subscriptions.retrieve(subscription_id))
        item_id = current["items"]["data"][0]["id"]
        updated = stripe_client.v1.subscriptions.update(
            subscription_id, {"items": [{"id": item_id, "price": price_id}]}
        )
    return subscription_state(_dict(updated))


def retrieve_subscription(subscription_id: str) -> dict[str, Any]:
    with calling_stripe():
        return subscription_state(_dict(client().v1.subscriptions.retrieve(subscription_id)))


def subscription_state(subscription: dict[str, Any]) -> dict[str, Any]:
    """The parts of a subscription billing acts on, whatever the API version's shape."""
    items = (subscription.get("items") or {}).get("data") or [{}]
    item = items[0]
    price = item.get("price") or {}
    period_end = item.get("current_period_end") or subscription.get("current_period_end")
    metadata = subscription.get("metadata") or {}
    return {
        "id": subscription["id"],
        "status": subscription.get("status", ""),
        "customer": subscription.get("customer", ""),
        "city_id": metadata.get("city_id"),
        "lookup_key": price.get("lookup_key"),
        "interval": (price.get("recurring") or {}).get("interval"),
        "currency": str(price.get("currency", "")).upper(),
        "current_period_end": _when(period_end),
        "collection_method": subscription.get("collection_method", ""),
    }


def retrieve_checkout_session(session_id: str) -> CheckoutSession:
    with calling_stripe():
        return checkout_session(_dict(client().v1.checkout.sessions.retrieve(session_id)))


def create_portal_session(*, customer_id: str, return_url: str) -> str:
    with calling_stripe():
        session = client().v1.billing_portal.sessions.create(
            {"customer": customer_id, "return_url": return_url}
        )
    return str(session.url)


# --- Invoices --------------------------------------------------------------------------------


def invoice_state(invoice: dict[str, Any]) -> dict[str, Any]:
    transitions = invoice.get("status_transitions") or {}
    return {
        "id": invoice["id"],
        "customer": invoice.get("customer") or "",
        "number": invoice.get("number") or "",
        "status": invoice.get("status") or "draft",
        "currency": str(invoice.get("currency", "")).upper(),
        "amount_due": int(invoice.get("amount_due") or 0),
        "amount_paid": int(invoice.get("amount_paid") or 0),
        "issued_at": _when(invoice.get("created")),
        "due_at": _when(invoice.get("due_date")),
        "paid_at": _when(transitions.get("paid_at")),
        "pdf_url": invoice.get("invoice_pdf") or "",
        "hosted_url": invoice.get("hosted_invoice_url") or "",
        "description": invoice.get("description") or "",
    }


def retrieve_invoice(invoice_id: str) -> dict[str, Any]:
    with calling_stripe():
        return invoice_state(_dict(client().v1.invoices.retrieve(invoice_id)))


def list_invoices(customer_id: str, limit: int = 24) -> list[dict[str, Any]]:
    with calling_stripe():
        page = _dict(client().v1.invoices.list({"customer": customer_id, "limit": limit}))
    return [invoice_state(invoice) for invoice in page["data"]]
