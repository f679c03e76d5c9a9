"""The control plane's own periodic tasks (beat queues them by name: ratusz.platform.schedule,
ratusz.settings.base). The task machinery they run on is ratusz.tenants.queue."""

from __future__ import annotations

from celery import shared_task

from ratusz.tenants import queue, spares


@shared_task(name="tenants.fan_out")
def fan_out(task_name: str, *args: object) -> int:
    """Periodic entry point: `fan_out("consultations.x")` runs that task in every live city."""
    return queue.fan_out_to_cities(queue.task_named(task_name), *args)


@shared_task(name="tenants.fill_spare_pool")
def fill_spare_pool_task() -> int:
    """Keep a few schemas ready for new cities (control plane; see ratusz.tenants.spares)."""
    return spares.fill_spare_pool()


@shared_task(name="tenants.requeue_unqueued_tasks")
def requeue_unqueued_tasks_task() -> int:
    """Queue the tasks kept while the broker was unavailable (control plane; beat runs it every
    minute, see ratusz.tenants.queue)."""
    return queue.requeue_unqueued_tasks()
