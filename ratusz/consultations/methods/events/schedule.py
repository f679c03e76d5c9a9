"""The periodic work of events, for CELERY_BEAT_SCHEDULE (imports nothing of Django's models).

Every hour, in every live city, the reminders of events starting within a day are queued;
each registration is reminded once (`Registration.reminded_at`)."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "events-reminders": {
        "task": "tenants.fan_out",
        "schedule": crontab(minute=20),
        "args": ("events.send_reminders",),
    },
}
