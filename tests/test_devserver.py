"""The README's run command prepares a working product: database, migrations, demo cities."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_run_command_prepares_the_demo_cities(tmp_path):
    database = f"ratusz_devcheck_{uuid.uuid4().hex[:8]}"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "RATUSZ_", "REDIS_", "CELERY_", "PUBLIC_"))
    }
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        RATUSZ_DATA_DIR=str(tmp_path),
        RATUSZ_TASKS_EAGER="1",
        REDIS_URL="",
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ratusz.devserver", "--check", "--port", "8765"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "http://gdansk.localhost:8765" in result.stdout
        assert "http://springfield.localhost:8765" in result.stdout
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}") as conn:
            rows = conn.execute(
                "SELECT slug, status, languages FROM tenants_city ORDER BY slug"
            ).fetchall()
            assert rows == [("gdansk", "active", ["pl", "en"]), ("springfield", "active", ["en"])]
            title = conn.execute(
                "SELECT welcome_title FROM gdansk.consultations_portalsettings"
            ).fetchone()
            assert title is not None
            assert "Gdańsk" in title[0]["pl"]
        # Running it again changes nothing and says so.
        again = subprocess.run(
            [sys.executable, "-m", "ratusz.devserver", "--check", "--port", "8765"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert again.returncode == 0, again.stdout + again.stderr
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}") as conn:
            count = conn.execute("SELECT count(*) FROM tenants_city").fetchone()
            assert count == (2,)
    finally:
        with psycopg.connect(
            "host=127.0.0.1 user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_processes_of(pgdata: Path) -> list[int]:
    """The postmaster running on `pgdata` (as its postmaster.pid says), if any."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return []
    return [pid]


@pytest.fixture
def private_dir() -> Iterator[Path]:
    """A folder outside pytest's (which other pytest runs on the machine may close to the
    embedded server's own system user while it runs)."""
    folder = Path(tempfile.mkdtemp(prefix="ratusz-embedded-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_run_command_serves_the_demo_on_the_embedded_database(private_dir):
    """The README's path without any PostgreSQL: `RATUSZ_EMBEDDED_DB=1 make run` starts the
    embedded server (with the contrib extensions the migrations create), migrates, seeds the
    demo cities and serves them; stopping the command stops the database too."""
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "RATUSZ_", "REDIS_", "CELERY_", "PUBLIC_", "DATABASE_"))
    }
    env.update(
        RATUSZ_EMBEDDED_DB="1",
        RATUSZ_DATA_DIR=str(private_dir),
        RATUSZ_TASKS_EAGER="1",
        RATUSZ_NO_WORKER="1",
        RATUSZ_PORT=str(port),
    )
    log = private_dir / "devserver.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "ratusz.devserver"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 150
        while "Ratusz is running" not in log.read_text(errors="replace"):
            assert server.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        text = log.read_text(errors="replace")
        assert "starting an embedded PostgreSQL" in text
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/", headers={"Host": f"gdansk.localhost:{port}"})
        reply = connection.getresponse()
        body = reply.read().decode()
        assert reply.status == 200, body[:2000]
        assert "Gdańsk" in body
        assert _postgres_processes_of(private_dir / "pg")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert server.returncode == 0, log.read_text(errors="replace")
    # The embedded server stops with the command that started it.
    deadline = time.monotonic() + 20
    while _postgres_processes_of(private_dir / "pg") and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _postgres_processes_of(private_dir / "pg") == []
