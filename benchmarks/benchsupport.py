"""What the benchmark scripts share: their own database, Django set-up, the paths being
compared, and the arithmetic of the figures.

Import this module before Django is set up: `prepare()` points the settings at a database of the
benchmark's own (dropped and created afresh) and only then calls `django.setup()`.
"""

from __future__ import annotations

import atexit
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

# Databases that belong to people, never to a benchmark.
PROTECTED_DATABASES = frozenset({"ratusz", "test_ratusz", "postgres", "template0", "template1"})
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
SETTINGS = "ratusz.settings.base"
DROP_SETTLE_SECONDS = 35


def database_url(server: str, name: str) -> str:
    return f"{server.rstrip('/')}/{name}"


def _maintenance(server: str) -> Any:
    """An autocommit connection to the server's `postgres` database."""
    import psycopg

    from ratusz.settings.env import parse_database_url

    url = parse_database_url(database_url(server, "postgres"))
    return psycopg.connect(
        host=url.host,
        port=url.port,
        user=url.user,
        password=url.password or None,
        dbname="postgres",
        autocommit=True,
    )


def _drop(conn: Any, name: str) -> None:
    from psycopg import sql

    if name in PROTECTED_DATABASES or not name:
        raise SystemExit(f"refusing to drop the database {name!r}: choose a benchmark database")
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def recreate_database(server: str, name: str) -> None:
    """Drop `name` (closing its connections) and create it empty."""
    from psycopg import sql

    with _maintenance(server) as conn:
        row = conn.execute(
            "SELECT pg_database_size(datname) FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        _drop(conn, name)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    if row is not None and row[0] > 100 * 1024 * 1024:
        # Dropping a database of many schemas deletes tens of thousands of files. On ext4
        # without a journal the kernel then skips "recently deleted" inodes (for ~30 s) with a
        # scan on every file creation, which slows every CREATE TABLE/INDEX in the meantime.
        print(f"# dropped a large {name}; waiting {DROP_SETTLE_SECONDS} s", file=sys.stderr)
        time.sleep(DROP_SETTLE_SECONDS)


def drop_database(server: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    with _maintenance(server) as conn:
        _drop(conn, name)


def configure_environment(
    server: str, name: str, settings_module: str = "ratusz.settings.base"
) -> None:
    """Environment for Django, set before anything reads the settings."""
    os.environ["DATABASE_URL"] = database_url(server, name)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    # Cache files, media and mail of the benchmark stay out of the developer's data folder.
    if "RATUSZ_DATA_DIR" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="ratusz-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.environ["RATUSZ_DATA_DIR"] = data_dir
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory: not what production does
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.pop("EXECUTOR", None)  # django-tenants' executor is chosen per run below
    # Self-contained: file cache in the data folder, tasks in-process, nobody else's Redis.
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "RATUSZ_TASKS_EAGER", "RATUSZ_ENV"):
        os.environ.pop(name, None)


def prepare(server: str, name: str, *, fresh: bool = True) -> None:
    """Point Django at the benchmark's database (created afresh), set it up, and migrate the
    public and template schemas with our migrate_schemas."""
    configure_environment(server, name)
    if fresh:
        recreate_database(server, name)
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate_schemas", verbosity=0)


def revision() -> str:
    """The commit measured, marked when ratusz/ has uncommitted changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "ratusz"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{commit or 'unknown'}{' + uncommitted changes in ratusz/' if dirty else ''}"


def machine() -> str:
    """One line on what was measured and where."""
    from importlib.metadata import version

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0].split()[0]
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{date.today().isoformat()}, ratusz {revision()}, {os.cpu_count()} cores ({cpu}), "
        f"PostgreSQL {server_version}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, django-tenants {version('django-tenants')}"
    )


def load() -> str:
    """The machine's load averages (1, 5 and 15 minutes)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def tenant_connection() -> Any:
    """django-tenants' connection (the stubs only know Django's base wrapper)."""
    from django.db import connection

    return connection


# --- the paths -------------------------------------------------------------------------------


@contextmanager
def introspection(kind: str) -> Iterator[None]:
    """`stock`: django-tenants' own introspection (what a project using django-tenants has);
    `ours`: ratusz.tenants.db's, which the product uses (and which already avoids the catalog
    scans django-tenants' makes)."""
    from django.db import connections
    from django_tenants.postgresql_backend.introspection import DatabaseSchemaIntrospection

    wrapper = connections["default"]
    saved = wrapper.introspection
    if kind == "stock":
        wrapper.introspection = DatabaseSchemaIntrospection(wrapper)
    try:
        yield
    finally:
        wrapper.introspection = saved


def vacuum_catalogs() -> None:
    """VACUUM ANALYZE the system catalogs, as autovacuum would after thousands of new relations
    (the benchmark server may run with autovacuum off); not timed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'pg_catalog'::regnamespace "
            "AND c.relkind = 'r' ORDER BY c.relname"
        )
        catalogs = [row[0] for row in cursor.fetchall()]
        for catalog in catalogs:
            cursor.execute(f'VACUUM (ANALYZE) pg_catalog."{catalog}"')


def fill_cities(
    target: int, *, prefix: str = "fill", progress: bool = True, builders: int = 2
) -> float:
    """Provision cities with our path until `target` cities exist; return the seconds spent.

    Fast: spares are built in batches, `builders` at a time (each over the product's
    SPARE_BUILD_CONNECTIONS connections, at least 4 here), then every city takes one with
    `provision_city`, as a sign-up with a ready pool does. What is measured later does not
    depend on how the cities present were made: they are the same cities either way."""
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings
    from django.db import connection, connections

    from ratusz.tenants.blueprint import current_blueprint
    from ratusz.tenants.models import City
    from ratusz.tenants.services import provision_city
    from ratusz.tenants.spares import build_spare

    present = City.objects.count()
    started = time.perf_counter()
    blueprint = current_blueprint()
    saved = settings.SPARE_BUILD_CONNECTIONS, settings.SPARE_SCHEMAS
    settings.SPARE_BUILD_CONNECTIONS = max(4, settings.SPARE_BUILD_CONNECTIONS)
    settings.SPARE_SCHEMAS = 0  # no top-up queued after each take: this loop builds them

    def build(_n: int) -> str | None:
        try:
            return build_spare(blueprint)
        finally:
            connections.close_all()  # this thread's own Django connections, if any

    batch = max(builders * 5, 10)
    try:
        with ThreadPoolExecutor(max_workers=builders) as pool:
            number = present
            while number < target:
                count = min(batch, target - number)
                built = list(pool.map(build, range(count)))
                assert all(built), "a spare could not be built"
                for _ in range(count):
                    provision_city(
                        name=f"Fill {number:05d}",
                        slug=f"{prefix}-{number:05d}",
                        admin_email=f"admin{number}@example.org",
                    )
                    # A request boundary: the backend recycles connections that served many
                    # cities.
                    connection.close_if_unusable_or_obsolete()
                    number += 1
                    if progress and number % 100 == 0:
                        elapsed = time.perf_counter() - started
                        print(
                            f"  ... {number} cities ({elapsed:.0f} s)", file=sys.stderr, flush=True
                        )
    finally:
        settings.SPARE_BUILD_CONNECTIONS, settings.SPARE_SCHEMAS = saved
    return time.perf_counter() - started


def plain_migrate_schemas(executor: str, **options: Any) -> None:
    """django-tenants' own migrate_schemas (ours overrides the command name, so the class is
    called directly)."""
    from django.core.management import call_command
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    call_command(
        MigrateSchemasCommand(), interactive=False, verbosity=0, executor=executor, **options
    )


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run_child(args: Sequence[str], env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, *args], check=True, env={**os.environ, **(env or {})})


# --- figures ---------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:.1f}x" if fast > 0 else "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]
    lines = [
        " | ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in [headers, *rows]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


# --- results ---------------------------------------------------------------------------------
#
# Every benchmark writes what it measured to benchmarks/results/<script>.json, with the
# conditions of the run; benchmarks/plots.py draws the curves found there into docs/benchmarks/.
#
#     run = bench.start_run("provision")
#     ...
#     bench.write_results(
#         run,
#         conditions={"cities": [1, 10, 100, 1000], "samples": 30},
#         rows=[{"cities": 1000, "path": "ours", "median_s": 0.31}, ...],
#         curves=[bench.Curve("provision-time", "Provisioning one city", "cities present",
#                             "median seconds", {"ours": [(1, 0.48), (1000, 0.31)]}, log_x=True)],
#     )

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Run:
    """A benchmark run: when it started and the machine's load then."""

    script: str
    started_at: datetime
    load_start: tuple[float, float, float]
    started: float = field(default_factory=time.perf_counter)


def start_run(script: str) -> Run:
    return Run(script=script, started_at=datetime.now(UTC), load_start=os.getloadavg())


@dataclass
class Curve:
    """A plot: one line per series, each a list of (x, y) points."""

    name: str  # the PNG's file name (docs/benchmarks/<name>.png)
    title: str
    x_label: str
    y_label: str
    series: dict[str, list[tuple[float, float]]]
    log_x: bool = False
    log_y: bool = False
    # Horizontal lines (a target): label -> y.
    targets: dict[str, float] = field(default_factory=dict)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load_text(load: Sequence[float]) -> str:
    return " / ".join(f"{value:.2f}" for value in load)


def write_results(
    run: Run,
    *,
    conditions: dict[str, Any],
    rows: Sequence[dict[str, Any]],
    curves: Sequence[Curve] = (),
    name: str | None = None,
    directory: Path | None = None,
) -> Path:
    """Write the run's figures to <directory>/<name or script>.json and return the path.

    `conditions` says what was measured (cities, rows, connections...); the machine, the commit,
    the date and the load at start and end are added here."""
    load_end = os.getloadavg()
    document = {
        "script": run.script,
        "date": run.started_at.isoformat(timespec="seconds"),
        "commit": revision(),
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "python": platform.python_version(),
        "load_start": list(run.load_start),
        "load_end": list(load_end),
        "duration_s": round(time.perf_counter() - run.started, 1),
        "conditions": conditions,
        "rows": list(rows),
        "curves": [
            {
                "name": curve.name,
                "title": curve.title,
                "x_label": curve.x_label,
                "y_label": curve.y_label,
                "series": {
                    label: [list(point) for point in points]
                    for label, points in curve.series.items()
                },
                "log_x": curve.log_x,
                "log_y": curve.log_y,
                "targets": curve.targets,
            }
            for curve in curves
        ],
    }
    folder = directory or RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or run.script}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(
        f"# machine load (1/5/15 min) at start {load_text(run.load_start)}, "
        f"at end {load_text(load_end)}; {os.cpu_count()} cores"
    )
    print(f"# results written to {path}")
    return path


def read_results(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text())
    return document
