"""The periodic work of proposals, for CELERY_BEAT_SCHEDULE (imports nothing of Django's models).

Every hour, in every live city, proposals that reached their threshold or their deadline are
closed and their authors and supporters told."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "proposals-close-due": {
        "task": "tenants.fan_out",
        "schedule": crontab(minute=10),
        "args": ("proposals.close_due_proposals",),
    },
}
