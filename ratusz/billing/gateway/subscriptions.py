"""Stripe's subscriptions, checkout sessions and customer portal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from ratusz.billing.gateway.connection import _dict, _when, calling_stripe, client, idempotency_key


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
