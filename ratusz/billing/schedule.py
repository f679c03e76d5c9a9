"""The periodic work of billing, for CELERY_BEAT_SCHEDULE (imported by the settings, so this
module imports nothing of Django's models). The tasks run on the control plane."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Stripe events stored while the broker was down (or whose task was lost) are queued.
    "billing-queue-unprocessed-webhooks": {
        "task": "billing.queue_unprocessed_webhook_events",
        "schedule": 60.0,
    },
    "billing-check-grace-periods": {
        "task": "billing.check_grace_periods",
        "schedule": crontab(minute=20),
    },
    "billing-trial-reminders": {
        "task": "billing.send_trial_reminders",
        "schedule": crontab(minute=40, hour=8),
    },
}
