"""E-mails of what happened while Redis (the task broker) was down arrive once it is back, each
once: the request that saved the comment succeeds without its task, the periodic sweep queues
the lost e-mail again, and a second sweep (or a duplicate message) sends nothing twice.

Our own redis-server and a real Celery worker; the machine's shared Redis is not touched."""

from __future__ import annotations

import time
from datetime import timedelta

import redis
from django.db import transaction
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.methods.ideation.services import add_comment, post_idea
from ratusz.consultations.participation.notifications.models import Notification
from ratusz.consultations.participation.notifications.tasks import SWEEP_SETTLE, sweep_unsent_emails
from ratusz.tenants.context import city_context
from ratusz.tenants.models import UnqueuedTask
from ratusz.tenants.queue import CITY_HEADER, enqueue_on_commit
from tests.consultations.conftest import make_project
from tests.faults.conftest import start_worker


def test_an_email_lost_while_redis_was_down_arrives_once_when_it_is_back(
    make_city, broker_of_our_own, tmp_path
):
    own_redis = broker_of_our_own
    city = make_city()
    with city_context(city.ref):
        phase = make_project().phases.get(method="ideation")
        author = User.objects.create_user("autorka@example.com", "correct horse battery")
        neighbour = User.objects.create_user("sasiad@example.com", "correct horse battery")
        idea = post_idea(author=author, phase=phase, title="Ławki", body="<p>Więcej ławek</p>")

        own_redis.stop()
        # Saved although its e-mail cannot be queued: the request would succeed.
        add_comment(author=neighbour, idea=idea, body="Popieram!")
        notification = Notification.objects.get(recipient=author)
        assert notification.emailed_at is None

        own_redis.start()
        # Beat's sweep leaves fresh notifications to their own task for SWEEP_SETTLE; pretend
        # that much time has passed. Two sweeps (two beats) queue the same e-mail twice.
        Notification.objects.filter(pk=notification.pk).update(
            created_at=timezone.now() - SWEEP_SETTLE - timedelta(minutes=1)
        )
        assert sweep_unsent_emails.run() == 1
        assert sweep_unsent_emails.run() == 1

    broker = redis.Redis.from_url(own_redis.url(1))
    assert broker.llen("celery") == 2
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

    with city_context(city.ref):
        notification.refresh_from_db()
    assert notification.emailed_at is not None
    sent = [
        path
        for path in (tmp_path / "mail").glob("*.log")
        if "autorka@example.com" in path.read_text(errors="replace")
    ]
    messages = sum(p.read_text(errors="replace").count("To: autorka@example.com") for p in sent)
    assert messages == 1, (tmp_path / "worker.log").read_text()


def test_an_action_committed_while_the_broker_is_down_does_not_fail(
    make_city, broker_of_our_own, caplog
):
    """Services queue their tasks with enqueue_on_commit: with the broker down, the action
    committed stays a success (no error page to make the person do it twice), and the task
    that could not be queued is kept in the outbox, with the city it was queued for."""
    city = make_city()
    broker_of_our_own.stop()
    with city_context(city.ref), transaction.atomic():
        enqueue_on_commit(sweep_unsent_emails)
    kept = UnqueuedTask.objects.get()
    assert kept.name == "notifications.sweep_unsent_emails"
    assert kept.headers[CITY_HEADER] == city.model.schema_name
    assert "the broker is unavailable" in caplog.text
