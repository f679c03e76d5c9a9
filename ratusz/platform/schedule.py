"""The periodic work of the console, for CELERY_BEAT_SCHEDULE (imported by the settings, so this
module imports nothing of Django's models). Both tasks run on the control plane."""

from __future__ import annotations

from typing import Any

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # Cities whose deletion grace period ended are purged (schema, files, domains).
    "platform-purge-due-cities": {"task": "platform.purge_due_cities", "schedule": 3600.0},
    # A few schemas stay ready so that new cities are a rename away (ratusz.tenants.spares).
    "tenants-fill-spare-pool": {"task": "tenants.fill_spare_pool", "schedule": 300.0},
    # Operators' support visits end when their grant expires.
    "platform-end-expired-support": {
        "task": "platform.end_expired_support_access",
        "schedule": 300.0,
    },
}
