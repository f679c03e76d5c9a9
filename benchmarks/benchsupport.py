"""What the benchmark scripts share: their own database, Django set-up, the paths being
compared, and the arithmetic of the figures.

Import this module before Django is set up: `prepare()` points the settings at a database of the
benchmark's own (dropped and created afresh) and only then calls `django.setup()`.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

# Databases that belong to people, never to a benchmark.
PROTECTED_DATABASES = frozenset({"ratusz", "test_ratusz", "postgres", "template0", "template1"})
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


def database_url(server: str, name: str) -> str:
    return f"{server.rstrip('/')}/{name}"


def recreate_database(server: str, name: str) -> None:
    """Drop `name` (closing its connections) and create it empty."""
    import psycopg
    from psycopg import sql

    from ratusz.settings.env import parse_database_url

    if name in PROTECTED_DATABASES or not name:
        raise SystemExit(f"refusing to drop the database {name!r}: choose a benchmark database")
    url = parse_database_url(database_url(server, "postgres"))
    with psycopg.connect(
        host=url.host, port=url.port, user=url.user, password=url.password or None,
        dbname="postgres", autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    from ratusz.settings.env import parse_database_url

    if name in PROTECTED_DATABASES:
        return
    from django.db import connections

    connections.close_all()
    url = parse_database_url(database_url(server, "postgres"))
    with psycopg.connect(
        host=url.host, port=url.port, user=url.user, password=url.password or None,
        dbname="postgres", autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def configure_environment(
    server: str, name: str, settings_module: str = "ratusz.settings.base"
) -> None:
    """Environment for Django, set before anything reads the settings."""
    os.environ["DATABASE_URL"] = database_url(server, name)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    # Cache files, media and mail of the benchmark stay out of the developer's data folder.
    os.environ.setdefault("RATUSZ_DATA_DIR", tempfile.mkdtemp(prefix="ratusz-bench-"))
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory: not what production does
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.pop("EXECUTOR", None)  # django-tenants' executor is chosen per run below


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


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    from importlib.metadata import version

    import django
    import django_tenants  # noqa: F401  (the version comes from its metadata)

    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), "
        f"PostgreSQL {server_version}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, django-tenants {version('django-tenants')}"
    )


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


def fill_cities(target: int, *, prefix: str = "fill", progress: bool = True) -> float:
    """Provision cities with our path until `target` cities exist; return the seconds spent."""
    from django.db import connection

    from ratusz.tenants.models import City
    from ratusz.tenants.services import provision_city

    present = City.objects.count()
    started = time.perf_counter()
    for number in range(present, target):
        provision_city(
            name=f"Fill {number:05d}",
            slug=f"{prefix}-{number:05d}",
            admin_email=f"admin{number}@example.org",
        )
        # A request boundary: the backend recycles connections that served many cities.
        connection.close_if_unusable_or_obsolete()
        if progress and (number + 1) % 100 == 0:
            print(f"  ... {number + 1} cities", file=sys.stderr, flush=True)
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
