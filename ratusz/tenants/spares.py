"""A pool of schemas built ahead of time, so that a new city is a rename away.

Creating a city's ~500 relations takes the best part of a second on an ordinary disk: every
B-tree index PostgreSQL builds is fsynced on its own (~300 of them), one after the other.
Renaming a ready schema takes milliseconds. `provision_city` takes a spare built from the
current blueprint when there is one (`take_spare`, inside its transaction: a failed
provisioning puts the spare back). When the pool is empty it builds one on the spot over
several connections at once (`build_spare`: the tables side by side, so their fsyncs overlap)
and takes that; the one-connection blueprint script is the last resort.

The pool's size follows the sign-ups (`target_size`): the cities created in the last ten
minutes and the last hour give a rate, and the pool holds what that rate takes before the
periodic top-up comes round again, between SPARE_SCHEMAS and SPARE_SCHEMAS_MAX. It is topped up
right after each spare is taken (the task is queued by name once the provisioning commits),
after `migrate_schemas`, and periodically (`tenants.fill_spare_pool`); spares of an older
migration state are dropped, never used.
"""

from __future__ import annotations

import logging
import math
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import quote_schema_name

from ratusz.tenants.blueprint import (
    Blueprint,
    BlueprintParts,
    create_schema_from_blueprint,
    current_blueprint,
)
from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.models import City, SpareSchema
from ratusz.tenants.queue import task_named, tasks_run_in_process

logger = logging.getLogger(__name__)

PREFIX = "_spare_"
FILL_TASK = "tenants.fill_spare_pool"
# The periodic top-up's interval (ratusz.platform.schedule): the pool covers the sign-ups
# expected until it comes round again, should the top-ups queued after each take lag.
REFILL_INTERVAL = timedelta(minutes=5)
RATE_WINDOWS = (timedelta(minutes=10), timedelta(hours=1))


def pool_size() -> int:
    """The smallest pool kept (SPARE_SCHEMAS); 0 switches the pool off."""
    return max(0, int(getattr(settings, "SPARE_SCHEMAS", 0)))


def max_pool_size() -> int:
    return max(pool_size(), int(getattr(settings, "SPARE_SCHEMAS_MAX", 0)))


@dataclass(frozen=True)
class SignUpRate:
    """Cities created in each window of RATE_WINDOWS, most recent window first."""

    counts: tuple[int, ...]

    def per_minute(self) -> float:
        """The busiest of the windows' rates: a burst in the last ten minutes counts fully,
        and an hour's steady stream is not forgotten when the last minutes were quiet."""
        return max(
            (
                count / (window.total_seconds() / 60)
                for count, window in zip(self.counts, RATE_WINDOWS, strict=True)
            ),
            default=0.0,
        )


def recent_sign_up_rate() -> SignUpRate:
    now = timezone.now()
    return SignUpRate(
        tuple(City.objects.filter(created_at__gte=now - window).count() for window in RATE_WINDOWS)
    )


def target_size(rate: SignUpRate | None = None) -> int:
    """How many spares to keep: the sign-ups expected at the recent rate before the periodic
    top-up runs again, bounded by SPARE_SCHEMAS and SPARE_SCHEMAS_MAX (0 when the pool is
    off)."""
    smallest = pool_size()
    if not smallest:
        return 0
    rate = recent_sign_up_rate() if rate is None else rate
    expected = math.ceil(rate.per_minute() * REFILL_INTERVAL.total_seconds() / 60)
    return min(max(smallest, expected), max_pool_size())


def take_spare(schema_name: str, blueprint: Blueprint, *, name: str | None = None) -> bool:
    """Rename a ready spare of `blueprint`'s state (the spare `name`, if given) to
    `schema_name`, in the caller's transaction.

    False when none is ready (or another provisioning holds the last one): the caller builds the
    schema itself. SKIP LOCKED lets concurrent sign-ups take different spares without waiting."""
    with transaction.atomic():
        ready = SpareSchema.objects.select_for_update(skip_locked=True).filter(
            state=blueprint.state
        )
        if name is not None:
            ready = ready.filter(name=name)
        spare = ready.order_by("created_at").first()
        if spare is None:
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER SCHEMA {quote_schema_name(spare.name)} "
                f"RENAME TO {quote_schema_name(schema_name)}"
            )
        spare.delete()
    return True


def build_connections() -> int:
    """How many database connections one spare is built over (SPARE_BUILD_CONNECTIONS;
    1 or less: one, inside the caller's transaction)."""
    return int(getattr(settings, "SPARE_BUILD_CONNECTIONS", 0))


def build_spare(blueprint: Blueprint) -> str | None:
    """Build one spare now, over `build_connections()` connections of its own, and put it in
    the pool (committed, whatever the caller's transaction does next). Returns its name, or
    None when spares are not built this way here (or the build failed: logged, nothing left
    behind)."""
    parts = blueprint.split()
    workers = build_connections()
    if parts is None or workers <= 1:
        return None
    name = PREFIX + secrets.token_hex(6)
    try:
        _build_side_by_side(name, blueprint.state, parts, workers)
    except psycopg.Error:
        logger.exception("could not build spare schema %s; building in the transaction", name)
        return None
    return name


def _connect() -> psycopg.Connection[Any]:
    """A connection of the builder's own, to the same database as Django's."""
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context"):  # Django's own adapters and cursor class
        params.pop(key, None)
    return psycopg.connect(**params)


def _bins(tables: tuple[str, ...], count: int) -> list[str]:
    """The tables' scripts dealt into `count` scripts of about equal work (an index build,
    with its fsync, is most of a table's cost)."""
    loads = [0] * count
    bins: list[list[str]] = [[] for _ in range(count)]
    for script in sorted(tables, key=_weight, reverse=True):
        lightest = loads.index(min(loads))
        bins[lightest].append(script)
        loads[lightest] += _weight(script)
    return ["\n".join(scripts) for scripts in bins if scripts]


def _weight(script: str) -> int:
    return 1 + script.count("INDEX ") + script.count("PRIMARY KEY") + script.count("UNIQUE")


def _build_side_by_side(name: str, state: str, parts: BlueprintParts, workers: int) -> None:
    schema = quote_schema_name(name)
    path = f"SELECT set_config('search_path', '{schema}, {quote_schema_name('public')}', true);"
    scripts = _bins(parts.tables, workers)
    with ThreadPoolExecutor(max_workers=len(scripts)) as pool:
        conns = list(pool.map(lambda _n: _connect(), range(len(scripts))))
        try:
            first = conns[0]
            first.execute(f"CREATE SCHEMA {schema};\n{path}\n{parts.head}")
            first.commit()
            try:
                list(pool.map(_run, conns, [f"{path}\n{script}" for script in scripts]))
                first.execute(f"{path}\n{parts.links}")
                first.execute(
                    f"INSERT INTO {quote_schema_name('public')}.{SpareSchema._meta.db_table} "  # noqa: S608
                    "(name, state, created_at) VALUES (%s, %s, now())",
                    [name, state],
                )
                first.commit()
            except BaseException:
                first.rollback()
                first.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                first.commit()
                raise
        finally:
            for conn in conns:
                conn.close()


def _run(conn: psycopg.Connection[Any], script: str) -> None:
    conn.execute(script)
    conn.commit()


@without_statement_timeout()
def fill_spare_pool(size: int | None = None) -> int:
    """Drop spares of an older migration state, then build spares until `size` (default: the
    size the recent sign-up rate asks for) are ready. Returns how many it built. Safe to run
    concurrently (each spare is committed on its own)."""
    wanted = target_size() if size is None else size
    blueprint = current_blueprint()
    for stale in SpareSchema.objects.exclude(state=blueprint.state):
        drop_spare(stale)
    built = 0
    while SpareSchema.objects.filter(state=blueprint.state).count() < wanted:
        if build_spare(blueprint) is None:
            name = PREFIX + secrets.token_hex(6)
            with transaction.atomic():
                create_schema_from_blueprint(name, blueprint)
                SpareSchema.objects.create(name=name, state=blueprint.state)
        built += 1
    if built:
        logger.info("built %d spare schema(s) at state %s", built, blueprint.state[:12])
    return built


def drop_spare(spare: SpareSchema) -> None:
    with transaction.atomic():
        locked = SpareSchema.objects.select_for_update(skip_locked=True).filter(pk=spare.pk)
        if not locked.exists():  # being taken right now
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_schema_name(spare.name)} CASCADE")
        locked.delete()


def refill_after_commit() -> None:
    """Queue a top-up (by name) once the current transaction commits. Only with a real worker:
    in-process tasks would make the person who just signed up wait for it."""
    if pool_size() and not tasks_run_in_process():
        transaction.on_commit(lambda: task_named(FILL_TASK).apply_async(), robust=True)
