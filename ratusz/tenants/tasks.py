"""Tasks that know their city.

A task queued while the code runs for a city (a request to its portal, a `city_context` block)
carries that city's schema in a message header and runs in that schema; a task queued from the
control plane runs in public. A task whose city has since been removed ends quietly.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from ratusz.tenants.context import schema_context
from ratusz.tenants.db import connection

logger = logging.getLogger(__name__)

CITY_HEADER = "ratusz_city"


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
        headers = dict(options.pop("headers", None) or {})
        headers.setdefault(CITY_HEADER, str(connection.schema_name))
        return super().apply_async(
            args, kwargs, task_id, producer, link, link_error, shadow, headers=headers, **options
        )

    def _city_schema(self) -> str:
        request = self.request
        schema = request.get(CITY_HEADER) or (request.headers or {}).get(CITY_HEADER)
        return str(schema or settings.PUBLIC_SCHEMA_NAME)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        schema = self._city_schema()
        if schema == settings.PUBLIC_SCHEMA_NAME:
            with schema_context(schema):
                return super().__call__(*args, **kwargs)
        from ratusz.tenants.models import City

        with schema_context(settings.PUBLIC_SCHEMA_NAME):
            exists = City.objects.filter(schema_name=schema).exists()
        if not exists:
            logger.warning("task %s dropped: city schema %r no longer exists", self.name, schema)
            return None
        with schema_context(schema):
            return super().__call__(*args, **kwargs)


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits, for the current city.

    A broker that is down does not turn the committed action into an error page (the person
    would repeat what is already saved): the task is not queued, and that is logged as an
    error. Errors of the task itself, run in-process, still propagate."""
    schema = str(connection.schema_name)

    def enqueue() -> None:
        try:
            task.apply_async(args, kwargs, headers={CITY_HEADER: schema})
        except BrokerUnavailable as exc:
            logger.error(
                "task %s (city %s) not queued, the broker is unavailable: %s",
                task.name,
                schema,
                exc,
            )

    transaction.on_commit(enqueue)


def enqueue_for_city(schema_name: str, task: Task, *args: Any, **kwargs: Any) -> Any:
    return task.apply_async(args, kwargs, headers={CITY_HEADER: schema_name})


def _active_city_schemas() -> list[str]:
    from ratusz.tenants.models import City, CityStatus

    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        return list(
            City.objects.filter(status__in=[CityStatus.TRIAL, CityStatus.ACTIVE])
            .order_by("pk")
            .values_list("schema_name", flat=True)
        )


def fan_out_to_cities(task: Task, *args: Any, **kwargs: Any) -> int:
    """Queue `task` once for every trial or active city; returns how many were queued."""
    schemas = _active_city_schemas()
    for schema in schemas:
        enqueue_for_city(schema, task, *args, **kwargs)
    return len(schemas)
