"""Create or update Stripe Products and Prices from ratusz.billing.plans; safe to rerun."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ratusz.billing import gateway
from ratusz.errors import Refused


class Command(BaseCommand):
    help = (
        "Sync the plans to Stripe Products and Prices (idempotent: a second run changes nothing)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not gateway.stripe_enabled():
            raise CommandError("STRIPE_SECRET_KEY is not set: billing runs in manual mode.")
        try:
            report = gateway.sync_plans()
        except Refused as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(
            f"products created: {report.products_created}, updated: {report.products_updated}; "
            f"prices created: {report.prices_created}, unchanged: {report.unchanged}"
        )
