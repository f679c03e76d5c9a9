"""The periodic work of reports, for CELERY_BEAT_SCHEDULE (imported by the settings, so this
module imports nothing of Django's models): expired export files are deleted every hour in
every live city."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "reports-delete-expired-exports": {
        "task": "tenants.fan_out",
        "schedule": crontab(minute=17),
        "args": ("reports.delete_expired_exports",),
    },
}
