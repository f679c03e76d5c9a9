"""Stripe's client, built per call from the settings, and how a call's failure reads: the two
exceptions every caller gets."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

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
