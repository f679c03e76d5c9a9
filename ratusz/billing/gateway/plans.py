"""Our plans as Stripe's products and prices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import stripe

from ratusz.billing.gateway.connection import PlansNotSynced, _dict, calling_stripe, client
from ratusz.billing.plans import PLANS, Plan


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
