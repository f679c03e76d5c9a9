"""The Celery application. Every task is city-aware (see ratusz.tenants.queue); the tasks live
in each app's `tasks` module, found by autodiscovery, and are queued by name."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery
from django.apps import apps
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings.base")

logger = logging.getLogger(__name__)

app = Celery("ratusz", task_cls="ratusz.tenants.queue:CityAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def add_methods_periodic_tasks(celery_app: Celery) -> None:
    """Add the participation methods' periodic tasks (their manifests) to the beat schedule.

    The settings cannot import the method registry (it is filled by the apps' ready()), so the
    schedule is completed here. The registry is named by its dotted path: this module is
    imported with the `ratusz` package, before Django's settings, and must not import the city
    plane then."""
    if not apps.ready:
        logger.warning("Celery finalized before Django's apps: methods' periodic tasks not added")
        return
    periodic_tasks = import_string("ratusz.consultations.core.registry.periodic_tasks")
    celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **periodic_tasks()}


@app.on_after_finalize.connect
def _on_after_finalize(sender: Celery, **kwargs: Any) -> None:
    # `celery beat` and `celery worker` set Django up (the Django fix-up, when the loader
    # imports the task modules) before they finalize the app and before beat reads its
    # schedule; a web process or a test finalizes it on first use, long after set-up.
    add_methods_periodic_tasks(sender)
