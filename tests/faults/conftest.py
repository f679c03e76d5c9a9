"""Fixtures for fault tests: the development server (`make run`'s web server, threaded) run as
a real process against the test database, so that connection budgets, terminated backends and
error pages are those a resident would meet."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from ratusz.celery import app
from ratusz.settings import env
from ratusz.tenants.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class RunningServer:
    port: int
    application_name: str
    process: subprocess.Popen[bytes]
    log: Path
    dsn: str = field(repr=False)

    def get(
        self,
        host: str,
        path: str = "/",
        timeout: float = 120,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(
                "GET", path, headers={"Host": host, "Accept": "text/html", **(headers or {})}
            )
            answer = conn.getresponse()
            return Reply(
                status=answer.status,
                headers={k.lower(): v for k, v in answer.getheaders()},
                body=answer.read().decode(errors="replace"),
            )
        finally:
            conn.close()

    def backends(self) -> list[int]:
        """Process ids of the PostgreSQL backends serving this server right now."""
        with psycopg.connect(self.dsn, autocommit=True) as monitor:
            rows = monitor.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                [self.application_name],
            ).fetchall()
        return [row[0] for row in rows]

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def database_dsn() -> str:
    params = connection.settings_dict
    return make_conninfo(
        host=params["HOST"],
        port=params["PORT"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
    )


def _launch(
    started: list[RunningServer],
    tmp_path: Path,
    command: Callable[[int], list[str]],
    defaults: dict[str, str],
    overrides: dict[str, str],
) -> RunningServer:
    """Start `command(port)` on a free port against the test database (its connections named
    so that pg_stat_activity tells them apart) and wait until /healthz answers."""
    params = connection.settings_dict
    application_name = f"ratusz-fault-{uuid.uuid4().hex[:8]}"
    database_url = (
        f"postgres://{quote(params['USER'])}:{quote(params['PASSWORD'] or '')}"
        f"@{params['HOST']}:{params['PORT']}/{params['NAME']}"
        f"?application_name={application_name}"
    )
    port = free_port()
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "RATUSZ_", "DB_", "PUBLIC_", "DEBUG"))
    }
    environment.update(
        DATABASE_URL=database_url,
        # The same Redis as the test process: cache keys carry the database's name.
        REDIS_URL=env.REDIS_URL,
        CELERY_BROKER_URL=env.CELERY_BROKER_URL,
        RATUSZ_TASKS_EAGER="1",
        RATUSZ_DATA_DIR=str(tmp_path / f"data-{port}"),
        BASE_DOMAIN=env.BASE_DOMAIN,
        PYTHONUNBUFFERED="1",
    )
    environment.update(defaults)
    environment.update(overrides)
    log = tmp_path / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command(port),
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = RunningServer(
        port=port,
        application_name=application_name,
        process=process,
        log=log,
        dsn=database_dsn(),
    )
    started.append(server)
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, server.output()
        assert time.monotonic() < deadline, server.output()
        try:
            if server.get(env.BASE_DOMAIN, "/healthz", timeout=5).status == 200:
                return server
        except OSError:
            time.sleep(0.3)


def _stop(started: list[RunningServer]) -> None:
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    # Backends of a stopped server end with it; wait so the test database can be dropped.
    with psycopg.connect(database_dsn(), autocommit=True) as monitor:
        for server in started:
            monitor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [server.application_name],
            )


@pytest.fixture
def start_server(live_db, tmp_path) -> Iterator[Callable[..., RunningServer]]:
    """`start_server(**environment)`: the development web server (`python -m ratusz
    runserver`, threaded, DEBUG on as under `make run`) on a free port, on the test database,
    its connections named so that pg_stat_activity tells them apart. Stopped after the test."""
    started: list[RunningServer] = []

    def start(**overrides: str) -> RunningServer:
        return _launch(
            started,
            tmp_path,
            lambda port: [
                *(sys.executable, "-m", "ratusz", "runserver", "--noreload"),
                f"127.0.0.1:{port}",
            ],
            {
                "DJANGO_SETTINGS_MODULE": "ratusz.settings.base",
                "RATUSZ_ENV": "development",
                "DEBUG": "1",
            },
            overrides,
        )

    yield start
    _stop(started)


# Any 50 characters: production settings refuse a shorter key.
PRODUCTION_SECRET_KEY = "fault-tests-production-secret-key-0123456789-abcdefghij"


@pytest.fixture
def start_gunicorn(live_db, tmp_path) -> Iterator[Callable[..., RunningServer]]:
    """`start_gunicorn(threads=1, settings=..., **environment)`: gunicorn as production runs it
    (ratusz/gunicorn_conf.py, the Helm chart's options, RATUSZ_ENV=production, the database
    pool) with one worker process, on a free port and the test database. Requests need
    `X-Forwarded-Proto: https` (production redirects plain HTTP). Stopped after the test."""
    started: list[RunningServer] = []

    def start(
        *, threads: int = 1, settings: str = "ratusz.settings.base", **overrides: str
    ) -> RunningServer:
        return _launch(
            started,
            tmp_path,
            lambda port: [
                *(sys.executable, "-m", "gunicorn", "-c", "python:ratusz.gunicorn_conf"),
                "ratusz.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=1",
                f"--threads={threads}",
                *("--timeout=30", "--graceful-timeout=5", "--forwarded-allow-ips=*"),
                *("--access-logfile=-", "--error-logfile=-"),
            ],
            {
                "DJANGO_SETTINGS_MODULE": settings,
                "RATUSZ_ENV": "production",
                "SECRET_KEY": PRODUCTION_SECRET_KEY,
                "STATIC_ROOT": str(tmp_path / "static"),
            },
            overrides,
        )

    yield start
    _stop(started)


class OwnRedis:
    """A redis-server of the test's own on a free port, that the test may stop and start
    again (the shared Redis of the machine is never touched)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not self.answers():
            assert self.process.poll() is None, "redis-server did not start"
            assert time.monotonic() < deadline, "redis-server did not answer"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_of_our_own(own_redis, monkeypatch, live_db):
    """This process queues its tasks on our own Redis. Tasks it keeps in the outbox while that
    Redis is stopped are removed afterwards (the table is the control plane's, committed)."""
    from ratusz.tenants.models import UnqueuedTask

    kept_before = set(UnqueuedTask.objects.values_list("pk", flat=True))
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", own_redis.url(1))
    monkeypatch.setitem(app.conf, "broker_url", own_redis.url(1))
    # These tests need tasks to go through the broker, whatever an earlier test left set.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    assert app.conf.broker_url == own_redis.url(1)
    # close() also forgets the app as active, so a shared_task whose module is first imported
    # after it would not be registered: import every app's tasks now, as a worker does.
    app.loader.import_default_modules()
    app.close()  # drop the connections to the shared broker
    # ...and the producers bound to the previous pool (an earlier test's Redis, maybe gone).
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield own_redis
    monkeypatch.undo()
    app.close()
    connection.set_schema_to_public()
    UnqueuedTask.objects.exclude(pk__in=kept_before).delete()


def start_worker(own_redis, tmp_path) -> subprocess.Popen[bytes]:
    params = connection.settings_dict
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RATUSZ_", "DB_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="ratusz.settings.test",
        DATABASE_URL=f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}",
        REDIS_URL=own_redis.url(0),
        CELERY_BROKER_URL=own_redis.url(1),
        RATUSZ_TASKS_EAGER="0",
        RATUSZ_DATA_DIR=str(tmp_path),
    )
    command = [sys.executable, "-m", "celery", "-A", "ratusz", "worker", "--pool", "solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=(tmp_path / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
