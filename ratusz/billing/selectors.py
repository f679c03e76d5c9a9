"""Reads of billing. Every read is for one city (by id) or for cities named explicitly, so a
city's administrators never see another city's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.billing.models import (
    BillingAccount,
    Credit,
    HistoryEntry,
    Invoice,
    InvoiceStatus,
    SubscriptionStatus,
)
from ratusz.billing.plans import PLANS, Plan
from ratusz.tenants.models import City, CityStatus

GOOD_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING)


def account_for(city_id: int) -> BillingAccount | None:
    return BillingAccount.objects.filter(city_id=city_id).first()


def trial_ends_at(city: City, account: BillingAccount | None) -> datetime:
    if account is not None and account.trial_ends_at is not None:
        return account.trial_ends_at
    return city.created_at + timedelta(days=int(getattr(settings, "BILLING_TRIAL_DAYS", 30)))


def billing_blocked(city_id: int, *, now: datetime | None = None) -> bool:
    """The city's trial ended without a plan: its staff may only choose a plan.

    Cities billed outside Stripe, with a subscription in good standing, or out of trial
    (active, suspended, archived: each handled by its own lifecycle) are never blocked here.
    """
    city = City.objects.filter(pk=city_id).only("status", "created_at").first()
    if city is None or city.status != CityStatus.TRIAL:
        return False
    account = account_for(city_id)
    if account is not None and (
        account.billed_outside_stripe or account.subscription_status in GOOD_STATUSES
    ):
        return False
    return (now or timezone.now()) >= trial_ends_at(city, account)


def city_invoices(city_id: int) -> QuerySet[Invoice]:
    """The city's invoices, newest first (drafts are not shown to anyone but operators)."""
    return Invoice.objects.filter(city_id=city_id).exclude(status=InvoiceStatus.DRAFT)


@dataclass(frozen=True)
class Banner:
    level: str  # "warning" or "info"
    message: str


def billing_banner(city_id: int, *, now: datetime | None = None) -> Banner | None:
    """What the city's administrators should be told about billing, if anything."""
    now = now or timezone.now()
    city = City.objects.filter(pk=city_id).first()
    if city is None:
        return None
    account = account_for(city_id)
    if account is not None and account.grace_ends_at is not None:
        if account.suspended_by_billing:
            return Banner(
                "warning",
                _(
                    "The portal is suspended because a payment is overdue. Pay the open invoice "
                    "to reactivate it."
                ),
            )
        return Banner(
            "warning",
            _("A payment is overdue. Pay by %(date)s, or the portal will be suspended on that day.")
            % {"date": timezone.localtime(account.grace_ends_at).date().isoformat()},
        )
    if city.status == CityStatus.TRIAL and not (account and account.billed_outside_stripe):
        ends = trial_ends_at(city, account)
        if now >= ends:
            return Banner("warning", _("Your trial has ended. Choose a plan to continue."))
        if ends - now <= timedelta(days=7):
            return Banner(
                "info",
                _("Your trial ends on %(date)s. Choose a plan to keep the portal running.")
                % {"date": timezone.localtime(ends).date().isoformat()},
            )
    return None


@dataclass(frozen=True)
class NextInvoice:
    date: datetime
    amount: int
    currency: str


def next_invoice(account: BillingAccount | None) -> NextInvoice | None:
    if account is None or not account.plan or account.plan not in PLANS:
        return None
    if account.current_period_end is None or account.subscription_status not in GOOD_STATUSES:
        return None
    plan = PLANS[account.plan]
    amount = plan.price(interval=account.interval, currency=account.currency)
    return NextInvoice(account.current_period_end, amount, account.currency)


def current_plan(account: BillingAccount | None, city: City) -> Plan | None:
    code = (account.plan if account else "") or city.plan
    return PLANS.get(code)


def billing_history(city_id: int) -> dict[str, Any]:
    """Everything billing knows about one city, for operators."""
    return {
        "account": account_for(city_id),
        "entries": list(HistoryEntry.objects.filter(city_id=city_id)),
        "invoices": list(Invoice.objects.filter(city_id=city_id).prefetch_related("payments")),
        "credits": list(Credit.objects.filter(city_id=city_id)),
    }


@dataclass(frozen=True)
class CityRevenue:
    city_id: int
    currency: str
    amount_paid: int  # minor units
    invoices: int


def paid_invoices_for_month(*, city_ids: list[int], year: int, month: int) -> list[CityRevenue]:
    """Invoices paid per city in a calendar month (Ratusz's time zone), by currency.

    The partner commission report is built on this: only the cities asked for are read.
    """
    zone = timezone.get_default_timezone()
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    rows = (
        Invoice.objects.filter(
            city_id__in=city_ids,
            status=InvoiceStatus.PAID,
            paid_at__gte=start,
            paid_at__lt=end,
        )
        .values("city_id", "currency")
        .annotate(total=Sum("amount_paid"), count=Count("pk"))
        .order_by("city_id", "currency")
    )
    return [
        CityRevenue(
            city_id=row["city_id"],
            currency=row["currency"],
            amount_paid=int(row["total"] or 0),
            invoices=row["count"],
        )
        for row in rows
    ]
