"""What every billing service shares: a city's billing account, the refusal, the settings."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from ratusz.billing.models import (
    BillingAccount,
    HistoryEntry,
    SubscriptionStatus,
)
from ratusz.errors import Refused
from ratusz.tenants.models import City

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
