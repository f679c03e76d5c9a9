"""The periodic work of billing, for CELERY_BEAT_SCHEDULE (imported by the settings, so this
module imports nothing of Django's models). Both tasks run on the control plane."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "billing-check-grace-periods": {
        "task": "billing.check_grace_periods",
        "schedule": crontab(minute=20),
    },
    "billing-trial-reminders": {
        "task": "billing.send_trial_reminders",
        "schedule": crontab(minute=40, hour=8),
    },
}
