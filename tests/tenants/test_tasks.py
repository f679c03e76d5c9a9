"""Tasks run in the city that queued them, through a real Redis broker and a real worker."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker

from ratusz.celery import app
from ratusz.consultations.core.models import PortalSettings
from ratusz.consultations.core.services import update_welcome
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.models import CityStatus
from ratusz.tenants.queue import (
    CITY_HEADER,
    enqueue_for_city,
    enqueue_on_commit,
    fan_out_to_cities,
)
from ratusz.tenants.services import change_city_status, purge_city


@app.task(name="tests.stamp_welcome")
def stamp_welcome(stamp: str) -> int:
    """Reads the city's own settings and writes into them: proves where it runs."""
    portal = PortalSettings.objects.get()
    update_welcome(title={"en": f"{stamp}:{portal.city_id}"}, text={})
    return portal.city_id


def stamps(city) -> str:
    with city_context(city.ref):
        return PortalSettings.objects.get().welcome_title.get("en", "")


def wait_until(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.fixture
def worker(live_db) -> Iterator[None]:
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_a_task_queued_in_a_city_reads_and_writes_only_that_city(make_city, worker):
    gdansk, sopot = make_city(), make_city()
    with city_context(gdansk.ref):
        stamp_welcome.delay("from-gdansk")
    assert wait_until(lambda: stamps(gdansk).startswith("from-gdansk"))
    assert stamps(gdansk) == f"from-gdansk:{gdansk.model.pk}"
    assert "from-gdansk" not in stamps(sopot)
    assert connection.schema_name == "public"


def test_fan_out_reaches_every_live_city_and_skips_suspended_ones(make_city, worker):
    live = [make_city(), make_city()]
    suspended = make_city()
    change_city_status(city=suspended.model, status=CityStatus.SUSPENDED)
    queued = fan_out_to_cities(stamp_welcome, "nightly")
    assert queued >= 2
    for city in live:
        assert wait_until(lambda c=city: stamps(c) == f"nightly:{c.model.pk}")
    assert "nightly" not in stamps(suspended)


def test_a_task_for_a_removed_city_ends_quietly(make_city, worker, caplog):
    doomed, bystander = make_city(), make_city()
    schema = doomed.schema
    purge_city(city=doomed.model)
    with caplog.at_level(logging.WARNING, logger="ratusz.tenants.queue"):
        result = stamp_welcome.apply(args=("late",), headers={CITY_HEADER: schema})
    assert result.successful()
    assert result.result is None
    assert "no longer exists" in caplog.text
    assert "late" not in stamps(bystander)
    # And through the broker: the worker drops it and keeps serving other cities.
    enqueue_for_city(schema, stamp_welcome, "late")
    with city_context(bystander.ref):
        stamp_welcome.delay("after")
    assert wait_until(lambda: stamps(bystander).startswith("after"))


@app.task(name="tests.where_am_i")
def where_am_i() -> str:
    return str(connection.schema_name)


def test_in_process_tasks_also_run_in_the_city_that_queued_them(city, other_city, monkeypatch):
    """Without a broker (tasks run in-process), the city travels the same way."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    with city_context(city.ref):
        assert where_am_i.delay().result == city.schema
        stamp_welcome.delay("eager")
    assert stamps(city) == f"eager:{city.model.pk}"
    assert "eager" not in stamps(other_city)
    assert where_am_i.delay().result == "public"  # queued from the control plane
    assert connection.schema_name == "public"


def test_task_arguments_must_be_ids_not_objects(city):
    """Arguments travel as JSON, to the broker or to the outbox while it is down: an object
    is refused where it is queued, with a message that says what to pass."""
    with city_context(city.ref), pytest.raises(TypeError, match="pass ids, not objects"):
        enqueue_on_commit(stamp_welcome, PortalSettings.objects.get())
    with pytest.raises(TypeError, match=r"tests\.stamp_welcome"):
        enqueue_for_city("public", stamp_welcome, object())
