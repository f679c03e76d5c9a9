"""The launcher's steps in order: options, database, broker, migrations, demo cities, servers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

from ratusz.devserver.broker import Broker, choose_broker
from ratusz.devserver.database import choose_database
from ratusz.devserver.options import Options, parse_options
from ratusz.devserver.output import REPO, Failure, Stop, say
from ratusz.devserver.processes import (
    Child,
    ignore_stop_signals,
    port_is_free,
    start_child,
    stop_children,
    stop_signals_raise,
    wait_until_serving,
)

# The connection budget of `make run` (PostgreSQL allows 100 by default): the web server's
# threads share a pool of DB_POOL_SIZE (10) connections, and a request that finds them all busy
# waits DB_POOL_TIMEOUT seconds and then gets a 503 page; the worker runs this many task
# processes, one connection each, plus its main process and beat. About 15 in all, which leaves
# room for the test suite, psql and a second checkout running on the same server.
WORKER_PROCESSES = 2


def child_environment(options: Options, database_url: str, broker: Broker) -> dict[str, str]:
    environ = dict(os.environ)
    environ.update(
        DATABASE_URL=database_url,
        RATUSZ_DATA_DIR=str(options.data_dir),
        RATUSZ_TASKS_EAGER="1" if broker.eager else "0",
        PYTHONUNBUFFERED="1",
    )
    # Links printed or e-mailed by Ratusz carry the port we serve on, unless told otherwise.
    environ.setdefault("PUBLIC_PORT", str(options.port))
    if broker.redis_url:
        environ["REDIS_URL"] = broker.redis_url
    if broker.url and not environ.get("CELERY_BROKER_URL"):
        environ["CELERY_BROKER_URL"] = broker.url
    return environ


def manage(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "ratusz", *arguments]


def run_step(title: str, command: list[str], environ: dict[str, str]) -> None:
    say(title)
    result = subprocess.run(command, env=environ, cwd=REPO, stdin=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        raise Failure(f"`{' '.join(command[1:])}` failed (exit status {result.returncode}).")


def seed_demo(environ: dict[str, str], data_dir: Path) -> dict[str, Any]:
    data_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="seed-", suffix=".json", dir=data_dir)
    os.close(handle)
    summary_path = Path(name)
    try:
        run_step(
            "Demo cities: python -m ratusz seed_demo",
            manage("seed_demo", "--summary", str(summary_path)),
            environ,
        )
        summary: dict[str, Any] = json.loads(summary_path.read_text())
        return summary
    finally:
        summary_path.unlink(missing_ok=True)


def print_addresses(summary: dict[str, Any], *, running: bool) -> None:
    lines = ["", "Ratusz is running. Open:" if running else "Ready. Addresses once running:"]
    lines.append(f"  {'Control plane':<16}{summary.get('control_url', '')}")
    for city in summary.get("cities", []):
        lines.append(f"  {city['name']:<16}{city['portal_url']}")
        if city.get("invitation_url"):
            lines.append(
                f"  {'':<16}administrator ({city['admin_email']}): {city['invitation_url']}"
            )
        elif city.get("admin_has_account"):
            lines.append(f"  {'':<16}administrator: sign in as {city['admin_email']}")
        else:
            lines.append(
                f"  {'':<16}administrator: {city['admin_email']} (invitation shown when the "
                "city was created)"
            )
    lines.append("  (browsers resolve *.localhost to this machine; for curl use -H 'Host: ...')")
    if running:
        lines.append("Press Ctrl-C to stop.")
    print("\n".join(lines) + "\n", flush=True)


def supervise(children: list[Child]) -> int:
    """Wait for a stop signal or for a child to die; stop the rest either way."""
    stop_requested: list[str] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        stop_requested.append(signal.Signals(signum).name)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handler)
    status = 0
    while not stop_requested:
        dead = next((c for c in children if c.process.poll() is not None), None)
        if dead is not None:
            say(
                f"{dead.name} stopped unexpectedly (exit status {dead.process.returncode}); "
                "stopping the rest."
            )
            status = 1
            break
        time.sleep(0.5)
    if stop_requested:
        say(f"{stop_requested[0]} received.")
    ignore_stop_signals()
    stop_children(children)
    return status


def run(options: Options) -> int:
    say(f"Data folder: {options.data_dir}")
    if not options.check and not port_is_free(options.port):
        raise Failure(
            f"Port {options.port} is in use (is Ratusz already running?). Stop that process or "
            "choose another port with RATUSZ_PORT or --port."
        )
    database_url = choose_database(options, os.environ)
    broker = choose_broker(os.environ)
    environ = child_environment(options, database_url, broker)
    os.environ.update(environ)
    run_step("Migrations: python -m ratusz migrate_schemas", manage("migrate_schemas"), environ)
    summary = seed_demo(environ, options.data_dir)
    if options.check:
        print_addresses(summary, running=False)
        say("Check done (--check): no server started.")
        return 0

    children: list[Child] = []
    try:
        say(f"Web: python -m ratusz runserver 0.0.0.0:{options.port}")
        children.append(
            start_child("web server", manage("runserver", f"0.0.0.0:{options.port}"), environ)
        )
        if options.worker and not broker.eager:
            say("Worker: celery -A ratusz worker -B")
            schedule = options.data_dir / "celerybeat-schedule"
            worker = [sys.executable, "-m", "celery", "-A", "ratusz", "worker", "-B"]
            worker += ["--loglevel", "INFO", "--schedule", str(schedule)]
            # A fixed number of task processes (Celery's default is one per CPU), each using
            # one connection at a time: part of the connection budget below.
            worker += ["--concurrency", str(WORKER_PROCESSES)]
            children.append(start_child("worker", worker, environ))
        elif not broker.eager:
            say(
                "Worker: not started (--no-worker); queued tasks wait until one runs: "
                ".venv/bin/celery -A ratusz worker -B"
            )
        if not wait_until_serving(options.port, children[0]):
            say("The web server did not come up.")
            stop_children(children)
            return 1
        print_addresses(summary, running=True)
    except BaseException:
        ignore_stop_signals()
        stop_children(children)
        raise
    return supervise(children)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(sys.argv[1:] if argv is None else argv, os.environ)
    try:
        with stop_signals_raise():
            return run(options)
    except Failure as failure:
        say(f"Error: {failure}")
        return 1
    except Stop as stop:
        say(f"{stop} received: stopped while starting up.")
        return 1
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
