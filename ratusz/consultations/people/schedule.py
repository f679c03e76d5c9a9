"""The periodic work of people, for CELERY_BEAT_SCHEDULE (imported by the settings, so this
module imports nothing of Django's models).

Groups kept by a rule follow sign-ups, answers, roles and participation as they happen; the
nightly recomputation catches anything else (a rule on a field deleted meanwhile, accounts
deactivated by other means)."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "people-recompute-rule-groups": {
        "task": "tenants.fan_out",
        "schedule": crontab(minute=35, hour=2),
        "args": ("people.recompute_rule_groups",),
    },
}
