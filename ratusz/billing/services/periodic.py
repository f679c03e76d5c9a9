"""Billing's periodic work: grace periods that ended, trial reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ratusz.accounts.models import Role, User
from ratusz.billing import gateway
from ratusz.billing.models import (
    BillingAccount,
)
from ratusz.billing.services.accounts import (
    ENDED,
    GOOD,
    OVERDUE,
    TRIAL_REMINDER_DAYS,
    _now,
    ensure_account,
)
from ratusz.billing.services.subscriptions import apply_subscription_state, sync_subscription
from ratusz.tenants.context import city_context
from ratusz.tenants.links import city_url
from ratusz.tenants.models import City, CityStatus, Domain


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
