"""The Celery application. Every task is city-aware (see ratusz.tenants.tasks)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings.base")

app = Celery("ratusz", task_cls="ratusz.tenants.tasks:CityAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="tenants.fan_out")
def fan_out(task_name: str, *args: object) -> int:
    """Periodic entry point: `fan_out("consultations.x")` runs that task in every live city."""
    from ratusz.tenants.tasks import fan_out_to_cities

    return fan_out_to_cities(app.tasks[task_name], *args)


@app.task(name="tenants.fill_spare_pool")
def fill_spare_pool_task() -> int:
    """Keep a few schemas ready for new cities (control plane; see ratusz.tenants.spares)."""
    from ratusz.tenants.spares import fill_spare_pool

    return fill_spare_pool()


@app.task(name="tenants.requeue_unqueued_tasks")
def requeue_unqueued_tasks_task() -> int:
    """Queue the tasks kept while the broker was unavailable (control plane; beat runs it every
    minute, see ratusz.tenants.tasks)."""
    from ratusz.tenants.tasks import requeue_unqueued_tasks

    return requeue_unqueued_tasks()
