"""Stripe's customers: a city's details, its credit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from ratusz.billing.gateway.connection import _dict, calling_stripe, client, idempotency_key


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
