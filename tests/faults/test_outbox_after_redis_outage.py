"""Tasks other than notification e-mails survive a Redis outage too: what a service queues
after its commit while the broker is down waits in the outbox (tenants.UnqueuedTask), and the
periodic sweep queues it once the broker is back, once, with the city it was queued for.

Our own redis-server and a real Celery worker; the machine's shared Redis is not touched."""

from __future__ import annotations

import time

import psycopg
import redis

from ratusz.accounts.models import User
from ratusz.consultations.methods.events.models import Registration, RegistrationStatus
from ratusz.consultations.methods.events.services import cancel_registration, register
from ratusz.tenants.context import city_context
from ratusz.tenants.models import UnqueuedTask
from ratusz.tenants.queue import (
    CITY_HEADER,
    CITY_ID_HEADER,
    REQUEUE_ATTEMPTS,
    requeue_unqueued_tasks,
)
from tests.consultations.methods.events.conftest import make_event, make_events_project
from tests.faults.conftest import database_dsn, start_worker


def sent_to(address: str, mail_dir) -> int:
    return sum(
        path.read_text(errors="replace").count(f"To: {address}") for path in mail_dir.glob("*.log")
    )


def test_a_waiting_list_promotion_made_while_redis_was_down_is_emailed_once_it_is_back(
    make_city, broker_of_our_own, tmp_path
):
    own_redis = broker_of_our_own
    city = make_city()
    with city_context(city.ref):
        event = make_event(make_events_project().phases.get(method="events"), capacity=1)
        seated = User.objects.create_user("siedzaca@example.com", "correct horse battery")
        waiting = User.objects.create_user("czekajacy@example.com", "correct horse battery")
        register(user=seated, event=event)
        promoted = register(user=waiting, event=event)
        assert promoted.status == RegistrationStatus.WAITING

        own_redis.stop()
        # The cancellation commits and promotes the waiting person although the promotion
        # e-mail cannot be queued: the request would succeed.
        cancel_registration(user=seated, event=event)
        promoted.refresh_from_db()
        assert promoted.status == RegistrationStatus.REGISTERED
        assert not Registration.objects.filter(user=seated).exists()

    kept = UnqueuedTask.objects.get()
    assert kept.name == "events.send_promotion_email"
    assert kept.args == [promoted.pk]
    assert kept.headers == {CITY_HEADER: city.model.schema_name, CITY_ID_HEADER: city.model.pk}

    own_redis.start()
    # Two sweeps (two beats one after the other) queue the kept task once.
    assert requeue_unqueued_tasks() == 1
    assert requeue_unqueued_tasks() == 0
    assert not UnqueuedTask.objects.exists()
    broker = redis.Redis.from_url(own_redis.url(1))
    assert broker.llen("celery") == 1

    worker = start_worker(own_redis, tmp_path)
    try:
        deadline = time.monotonic() + 120
        while broker.llen("celery") or broker.hlen("unacked"):
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert sent_to("czekajacy@example.com", tmp_path / "mail") == 1, log
    assert sent_to("siedzaca@example.com", tmp_path / "mail") == 0, log


def test_a_row_another_sweep_is_queuing_is_passed_by(make_city, broker_of_our_own):
    """Two beats sweeping at once: the row locked by one is skipped by the other (SKIP
    LOCKED), which queues nothing, so no row is queued twice."""
    city = make_city()
    kept = UnqueuedTask.objects.create(
        name="events.send_promotion_email", args=[1], headers={CITY_HEADER: city.model.schema_name}
    )
    with psycopg.connect(database_dsn()) as other_sweep:
        other_sweep.execute(
            "SELECT 1 FROM tenants_unqueuedtask WHERE id = %s FOR UPDATE", [kept.pk]
        )
        assert requeue_unqueued_tasks() == 0
    broker = redis.Redis.from_url(broker_of_our_own.url(1))
    assert broker.llen("celery") == 0
    assert UnqueuedTask.objects.filter(pk=kept.pk, attempts=0).exists()


def test_a_task_the_broker_never_takes_is_given_up_with_an_error(
    make_city, broker_of_our_own, caplog
):
    city = make_city()
    kept = UnqueuedTask.objects.create(
        name="events.send_promotion_email",
        args=[1],
        headers={CITY_HEADER: city.model.schema_name},
        attempts=REQUEUE_ATTEMPTS - 2,
    )
    broker_of_our_own.stop()
    assert requeue_unqueued_tasks() == 0
    assert "given up" not in caplog.text
    assert requeue_unqueued_tasks() == 0
    assert f"unqueued task {kept.pk} (events.send_promotion_email" in caplog.text
    assert "given up after" in caplog.text
    broker_of_our_own.start()
    # Left in the table for an operator to look at, and no longer tried.
    assert requeue_unqueued_tasks() == 0
    kept.refresh_from_db()
    assert kept.attempts == REQUEUE_ATTEMPTS
