"""The periodic work of notifications, for CELERY_BEAT_SCHEDULE (imported by the settings, so
this module imports nothing of Django's models).

The daily digest runs every hour in every live city; each city sends its digests when it is
DIGEST_LOCAL_HOUR o'clock in its own time zone (Gdańsk and Springfield at their own morning).
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

DIGEST_LOCAL_HOUR = 7

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "notifications-daily-digest": {
        "task": "tenants.fan_out",
        "schedule": crontab(minute=5),
        "args": ("notifications.send_daily_digests",),
    },
    # E-mails whose task was lost while the broker was down go out late rather than never.
    "notifications-sweep-unsent": {
        "task": "tenants.fan_out",
        "schedule": crontab(minute="*/15"),
        "args": ("notifications.sweep_unsent_emails",),
    },
}
