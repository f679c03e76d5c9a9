"""The Celery application. Every task is city-aware (see ratusz.tenants.queue); the tasks live
in each app's `tasks` module, found by autodiscovery, and are queued by name."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings.base")

app = Celery("ratusz", task_cls="ratusz.tenants.queue:CityAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
