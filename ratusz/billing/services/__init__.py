"""Every write of billing, one module per topic: plans chosen (choosing), customers, subscriptions
synced from Stripe and the city lifecycle they drive (subscriptions), invoices and payments,
operators' adjustments, Stripe's webhooks and the periodic work. This package names them all,
so callers say `services.choose_plan`."""

from ratusz.billing.services.accounts import (
    ENDED,
    GOOD,
    OVERDUE,
    TRIAL_REMINDER_DAYS,
    BillingRefused,
    ensure_account,
    grace_days,
    invoice_days_until_due,
    trial_days,
)
from ratusz.billing.services.adjustments import (
    extend_trial,
    grant_credit,
    mark_billed_outside_stripe,
)
from ratusz.billing.services.choosing import (
    KEPT,
    PlanChoice,
    choose_plan,
)
from ratusz.billing.services.customers import (
    customer_details,
    portal_url,
    save_legal_details,
)
from ratusz.billing.services.invoices import (
    format_amount,
    record_invoice,
    record_payment,
    refresh_invoices,
    sync_invoice,
    upsert_stripe_invoice,
)
from ratusz.billing.services.periodic import (
    check_grace_periods,
    send_trial_reminders,
)
from ratusz.billing.services.subscriptions import (
    apply_subscription_state,
    sync_subscription,
)
from ratusz.billing.services.webhooks import (
    WEBHOOK_MAX_ATTEMPTS,
    WEBHOOK_REQUEUE_AFTER,
    WEBHOOK_STALE_AFTER,
    process_webhook_event,
    queue_unprocessed_webhook_events,
    record_webhook_event,
)

__all__ = [
    "ENDED",
    "GOOD",
    "KEPT",
    "OVERDUE",
    "TRIAL_REMINDER_DAYS",
    "WEBHOOK_MAX_ATTEMPTS",
    "WEBHOOK_REQUEUE_AFTER",
    "WEBHOOK_STALE_AFTER",
    "BillingRefused",
    "PlanChoice",
    "apply_subscription_state",
    "check_grace_periods",
    "choose_plan",
    "customer_details",
    "ensure_account",
    "extend_trial",
    "format_amount",
    "grace_days",
    "grant_credit",
    "invoice_days_until_due",
    "mark_billed_outside_stripe",
    "portal_url",
    "process_webhook_event",
    "queue_unprocessed_webhook_events",
    "record_invoice",
    "record_payment",
    "record_webhook_event",
    "refresh_invoices",
    "save_legal_details",
    "send_trial_reminders",
    "sync_invoice",
    "sync_subscription",
    "trial_days",
    "upsert_stripe_invoice",
]
