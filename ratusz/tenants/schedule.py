"""The periodic work of the tenants app, for CELERY_BEAT_SCHEDULE (imported by the settings, so
this module imports nothing of Django's models). It runs on the control plane."""

from __future__ import annotations

from typing import Any

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Tasks kept in the outbox while the broker was unavailable are queued once it is back.
    "tenants-requeue-unqueued-tasks": {
        "task": "tenants.requeue_unqueued_tasks",
        "schedule": 60.0,
    },
}
