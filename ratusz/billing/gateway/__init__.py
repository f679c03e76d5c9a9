"""Every call Ratusz makes to Stripe, through the official library, in one package (one module
per kind of Stripe object; this package names them all, so callers say `gateway.sync_plans`).

Callers get plain dicts back and two exceptions: `StripeUnavailable` (Stripe did not answer;
try again later) and `StripeRefused` (Stripe answered no). Nothing here writes to our database.
The client is built per call from the settings and `stripe.api_base`, so a test can point the
very same code at a local stand-in server."""

from ratusz.billing.gateway.connection import (
    PlansNotSynced,
    StripeRefused,
    StripeUnavailable,
    calling_stripe,
    client,
    idempotency_key,
    secret_key,
    stripe_enabled,
)
from ratusz.billing.gateway.customers import (
    CustomerDetails,
    credit_customer,
    save_customer,
)
from ratusz.billing.gateway.invoices import (
    invoice_state,
    list_invoices,
    retrieve_invoice,
)
from ratusz.billing.gateway.plans import (
    SyncReport,
    price_id_for,
    sync_plans,
)
from ratusz.billing.gateway.subscriptions import (
    LIVE_STATUSES,
    CheckoutSession,
    change_subscription_price,
    checkout_session,
    create_checkout_session,
    create_invoiced_subscription,
    create_portal_session,
    expire_checkout_session,
    live_subscription,
    retrieve_checkout_session,
    retrieve_subscription,
    subscription_state,
)

__all__ = [
    "LIVE_STATUSES",
    "CheckoutSession",
    "CustomerDetails",
    "PlansNotSynced",
    "StripeRefused",
    "StripeUnavailable",
    "SyncReport",
    "calling_stripe",
    "change_subscription_price",
    "checkout_session",
    "client",
    "create_checkout_session",
    "create_invoiced_subscription",
    "create_portal_session",
    "credit_customer",
    "expire_checkout_session",
    "idempotency_key",
    "invoice_state",
    "list_invoices",
    "live_subscription",
    "price_id_for",
    "retrieve_checkout_session",
    "retrieve_invoice",
    "retrieve_subscription",
    "save_customer",
    "secret_key",
    "stripe_enabled",
    "subscription_state",
    "sync_plans",
]
