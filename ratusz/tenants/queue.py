"""The city-aware task queue: every task of Ratusz is a CityAwareTask, and code queues tasks by
their registered name through the helpers here (`enqueue_on_commit("billing.x", ...)`), so that
a service never imports a `tasks.py`: the tasks import the services, never the other way round.

A task queued while the code runs for a city (a request to its portal, a `city_context` block)
carries that city's schema in a message header and runs in that schema; a task queued from the
control plane runs in public. A task whose city has since been removed ends quietly. Where the
city's registry id is known it travels too: a removed city's subdomain is free again and a new
city there gets the same schema name, and a late message of the removed city must not act in it.
"""

from __future__ import annotations

import json
import logging
import threading
from contextvars import ContextVar
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from ratusz.tenants.context import schema_context
from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import statement_timeout
from ratusz.tenants.models import City, CityStatus, UnqueuedTask

logger = logging.getLogger(__name__)

CITY_HEADER = "ratusz_city"
CITY_ID_HEADER = "ratusz_city_id"

# The city (schema, registry id) of the task running now, so that what it queues names the
# city by id too (a task runs in a schema context, which does not know the id).
_running: ContextVar[tuple[str, int] | None] = ContextVar("ratusz_running_city", default=None)


def _city_id_of(schema: str) -> int | None:
    """The registry id of the current city, if it is `schema` and the id is known here."""
    tenant = connection.tenant
    city_id = getattr(tenant, "id", None)
    if isinstance(city_id, int) and getattr(tenant, "schema_name", None) == schema:
        return city_id
    running = _running.get()
    return running[1] if running is not None and running[0] == schema else None


def city_headers() -> dict[str, Any]:
    """Message headers naming the current city: its schema, and its registry id when known."""
    schema = str(connection.schema_name)
    city_id = _city_id_of(schema)
    return {CITY_HEADER: schema} | ({CITY_ID_HEADER: city_id} if city_id is not None else {})


class CityAwareTask(Task):
    def apply_async(
        self,
        args: Any = None,
        kwargs: Any = None,
        task_id: str | None = None,
        producer: Any = None,
        link: Any = None,
        link_error: Any = None,
        shadow: str | None = None,
        **options: Any,
    ) -> Any:
        """Queue the task for the current city (or the one its headers name). With the broker
        unavailable it is kept in the outbox (UnqueuedTask) and None is returned; the periodic
        sweep queues it once the broker is back (`outbox=False`: raise instead, as the sweep
        itself does). Delivery options (countdown, eta...) are not kept: it then runs at once."""
        outbox = options.pop("outbox", True)
        headers = dict(options.pop("headers", None) or {})
        schema = headers.setdefault(CITY_HEADER, str(connection.schema_name))
        if CITY_ID_HEADER not in headers and (city_id := _city_id_of(schema)) is not None:
            headers[CITY_ID_HEADER] = city_id
        try:
            return super().apply_async(
                args,
                kwargs,
                task_id,
                producer,
                link,
                link_error,
                shadow,
                headers=headers,
                **options,
            )
        except BrokerUnavailable as exc:
            if not outbox:
                raise
            _keep(self, list(args or ()), dict(kwargs or {}), headers, exc)
            return None

    def _header(self, name: str) -> Any:
        request = self.request
        return request.get(name) or (request.headers or {}).get(name)

    def _city_schema(self) -> str:
        return str(self._header(CITY_HEADER) or settings.PUBLIC_SCHEMA_NAME)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Every statement of a task runs at most DB_TASK_STATEMENT_TIMEOUT_MS, also when it runs
        # in-process inside a request; long operations lift it (@without_statement_timeout).
        with statement_timeout(settings.DB_TASK_STATEMENT_TIMEOUT_MS):
            return self._call_in_city(*args, **kwargs)

    def _call_in_city(self, *args: Any, **kwargs: Any) -> Any:
        schema = self._city_schema()
        if schema == settings.PUBLIC_SCHEMA_NAME:
            with schema_context(schema):
                return super().__call__(*args, **kwargs)
        cities = City.objects.filter(schema_name=schema)
        queued_for = self._header(CITY_ID_HEADER)
        if queued_for is not None:  # not another city that got the schema name since
            cities = cities.filter(pk=queued_for)
        with schema_context(settings.PUBLIC_SCHEMA_NAME):
            city_id = cities.values_list("pk", flat=True).first()
        if city_id is None:
            logger.warning("task %s dropped: city schema %r no longer exists", self.name, schema)
            return None
        running = _running.set((schema, city_id))
        try:
            with schema_context(schema):
                return super().__call__(*args, **kwargs)
        finally:
            _running.reset(running)


# How many sweeps may fail to queue a stored task before it is given up (logged as an error
# and left in the table for an operator); a sweep runs every minute.
REQUEUE_ATTEMPTS = 60


def _checked_arguments(task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Task arguments must survive JSON (ids and plain values, not model instances): that is
    how they travel to the broker, and how they wait in the outbox while it is down."""
    try:
        json.dumps([list(args), kwargs])
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"task {task.name}: arguments must be JSON-serialisable (pass ids, not objects): {exc}"
        ) from exc


def _keep(
    task: Task, args: list[Any], kwargs: dict[str, Any], headers: dict[str, Any], exc: Exception
) -> None:
    """Keep a task the broker would not take in the outbox, for requeue_unqueued_tasks."""
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        UnqueuedTask.objects.create(name=task.name, args=args, kwargs=kwargs, headers=headers)
    logger.warning(
        "task %s (city %s) kept to be queued later, the broker is unavailable: %s",
        task.name,
        headers.get(CITY_HEADER),
        exc,
    )


_discovery = threading.Lock()


def task_named(name: str) -> Task:
    """The registered task called `name` (the `name=` of its decorator).

    A worker imports every app's `tasks` module when it starts; a web process imports them the
    first time it queues a task by a name it does not know yet. A name that no app registers
    raises KeyError."""
    tasks = current_app.tasks
    if name not in tasks:
        with _discovery:
            if name not in tasks:
                current_app.autodiscover_tasks(force=True)
    return tasks[name]


def _task(task: Task | str) -> Task:
    return task_named(task) if isinstance(task, str) else task


def tasks_run_in_process() -> bool:
    """True when tasks run in the process that queues them (tests, `make run` without Redis)."""
    return bool(current_app.conf.task_always_eager)


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Queue `task` (a registered name, or the task itself) once the current transaction
    commits, for the current city.

    A broker that is down does not turn the committed action into an error page (the person
    would repeat what is already saved): the task is kept in the outbox and queued by the
    periodic sweep once the broker is back. Errors of the task itself, run in-process, still
    propagate."""
    queued = _task(task)
    _checked_arguments(queued, args, kwargs)
    headers = city_headers()
    transaction.on_commit(lambda: queued.apply_async(args, kwargs, headers=headers))


def enqueue_for_city(schema_name: str, task: Task | str, *args: Any, **kwargs: Any) -> Any:
    """Queue `task` (a registered name, or the task itself) now for the city of `schema_name`
    (kept in the outbox if the broker is unavailable, then None is returned)."""
    queued = _task(task)
    _checked_arguments(queued, args, kwargs)
    return queued.apply_async(args, kwargs, headers={CITY_HEADER: schema_name})


def requeue_unqueued_tasks(*, limit: int = 500) -> int:
    """Queue the tasks kept while the broker was unavailable, with their original headers;
    returns how many were queued. Each row is locked (SKIP LOCKED: a concurrent sweep passes
    it by) and deleted in the transaction that queued it, so no row is queued twice; a broker
    still unavailable ends the sweep, counting one attempt on the row it failed on."""
    queued = 0
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        pending = UnqueuedTask.objects.filter(attempts__lt=REQUEUE_ATTEMPTS)
        for pk in list(pending.values_list("pk", flat=True)[:limit]):
            with transaction.atomic():
                row = pending.select_for_update(skip_locked=True).filter(pk=pk).first()
                if row is None:  # queued by another sweep meanwhile, or being queued now
                    continue
                try:
                    task: Task | None = task_named(row.name)
                except KeyError:
                    task = None
                if not isinstance(task, CityAwareTask):  # every task of ours is one
                    row.attempts = REQUEUE_ATTEMPTS
                    row.save(update_fields=["attempts"])
                    logger.error("unqueued task %s (%s): no such task", row.pk, row.name)
                    continue
                try:
                    task.apply_async(row.args, row.kwargs, headers=row.headers, outbox=False)
                except BrokerUnavailable as exc:
                    row.attempts += 1
                    row.save(update_fields=["attempts"])
                    if row.attempts >= REQUEUE_ATTEMPTS:
                        logger.error(
                            "unqueued task %s (%s, %s) given up after %s attempts: %s",
                            row.pk,
                            row.name,
                            row.headers,
                            row.attempts,
                            exc,
                        )
                    return queued
                row.delete()
                queued += 1
    return queued


def _active_cities() -> list[tuple[str, int]]:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        return list(
            City.objects.filter(status__in=[CityStatus.TRIAL, CityStatus.ACTIVE])
            .order_by("pk")
            .values_list("schema_name", "pk")
        )


def fan_out_to_cities(task: Task, *args: Any, **kwargs: Any) -> int:
    """Queue `task` once for every trial or active city; returns how many were queued."""
    cities = _active_cities()
    for schema, city_id in cities:
        headers: dict[str, Any] = {CITY_HEADER: schema, CITY_ID_HEADER: city_id}
        task.apply_async(args, kwargs, headers=headers)
    return len(cities)
