"""The plans Ratusz sells, in one place: prices, limits and the features each allows.

Billing applies a plan to a city by writing its entitlements (`apply_plan`); Stripe Products
and Prices are generated from this table by `sync_plans`, never edited by hand in Stripe.
Amounts are in minor units (grosze, cents), as Stripe counts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ratusz.tenants.entitlements import FEATURES, set_entitlements
from ratusz.tenants.models import City


class Interval(models.TextChoices):
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class Currency(models.TextChoices):
    PLN = "PLN", "PLN"
    EUR = "EUR", "EUR"


@dataclass(frozen=True)
class Plan:
    code: str
    name: Promise
    description: Promise
    # (interval, currency) -> amount in minor units
    prices: dict[tuple[str, str], int]
    # Missing limits are unlimited (see ratusz.tenants.entitlements.LIMITS).
    limits: dict[str, int | None]
    # The features this plan allows, by key; with `every_feature`, all of them, including the
    # features participation methods register when the apps are ready (read through
    # `features`, never frozen at import time, so a method added later is in the top plan).
    named_features: frozenset[str] = field(default_factory=frozenset)
    every_feature: bool = False

    @property
    def features(self) -> frozenset[str]:
        return frozenset(FEATURES) if self.every_feature else self.named_features

    def price(self, *, interval: str, currency: str) -> int:
        return self.prices[(interval, currency)]

    def lookup_key(self, *, interval: str, currency: str) -> str:
        """The Stripe Price lookup key: stable, so sync and checkout find the same price."""
        return f"ratusz_{self.code}_{interval}_{currency.lower()}"

    @property
    def product_id(self) -> str:
        return f"ratusz_{self.code}"

    def feature_switches(self) -> dict[str, bool]:
        """Every feature named: one missing from the city's row would count as allowed."""
        return {key: key in self.features for key in FEATURES}

    def allowed_feature_names(self) -> list[Promise]:
        return [FEATURES[key] for key in FEATURES if key in self.features]


def _prices(month_pln: int, month_eur: int) -> dict[tuple[str, str], int]:
    # A yearly plan costs ten months.
    return {
        (Interval.MONTH, Currency.PLN): month_pln * 100,
        (Interval.MONTH, Currency.EUR): month_eur * 100,
        (Interval.YEAR, Currency.PLN): month_pln * 10 * 100,
        (Interval.YEAR, Currency.EUR): month_eur * 10 * 100,
    }


_BASIC = frozenset({"surveys", "polls", "proposals", "events"})

PLANS: dict[str, Plan] = {
    plan.code: plan
    for plan in (
        Plan(
            code="starter",
            name=_("Starter"),
            description=_("For a town starting its first consultations."),
            prices=_prices(490, 119),
            limits={
                "staff_seats": 3,
                "active_projects": 3,
                "campaigns_per_month": 2,
                "storage_mb": 2_048,
            },
            named_features=_BASIC,
        ),
        Plan(
            code="standard",
            name=_("Standard"),
            description=_("For a city consulting all year round, on its own domain."),
            prices=_prices(1_490, 349),
            limits={
                "staff_seats": 15,
                "active_projects": 20,
                "campaigns_per_month": 10,
                "storage_mb": 20_480,
            },
            named_features=_BASIC | {"custom_domain", "email_campaigns", "voting", "volunteering"},
        ),
        Plan(
            code="premium",
            name=_("Premium"),
            description=_("For large cities: no limits on projects or staff, themes included."),
            prices=_prices(2_990, 699),
            limits={
                "staff_seats": None,
                "active_projects": None,
                "campaigns_per_month": 50,
                "storage_mb": 102_400,
            },
            every_feature=True,
        ),
    )
}


class UnknownPlan(KeyError):
    pass


def get_plan(code: str) -> Plan:
    try:
        return PLANS[code]
    except KeyError as exc:
        raise UnknownPlan(code) from exc


def plan_for_lookup_key(lookup_key: str | None) -> Plan | None:
    """The plan a Stripe Price belongs to, from its lookup key (None for foreign prices)."""
    if not lookup_key:
        return None
    for plan in PLANS.values():
        for interval, currency in plan.prices:
            if plan.lookup_key(interval=interval, currency=currency) == lookup_key:
                return plan
    return None


def apply_plan(*, city: City, plan: Plan) -> City:
    """Write the plan's limits and features on the city (what the city plane reads).

    Nothing the city made is touched: after a downgrade, items beyond a limit stay and only
    new ones are refused (ratusz.tenants.entitlements.check_limit).
    """
    return set_entitlements(
        city=city, plan=plan.code, limits=dict(plan.limits), features=plan.feature_switches()
    )
