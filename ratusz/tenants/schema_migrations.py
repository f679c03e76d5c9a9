"""Migrations across the public schema, the template schema and every city, fast.

- Which cities have work is decided from one graph load and one small query per city, instead
  of building the migration graph and probing the catalog for every city (what makes a no-op
  `migrate_schemas` grow with the square of the number of cities).
- Cities with pending migrations are migrated in parallel worker processes; a failure is
  recorded with the city and its error and never stops the others. Running again finishes what
  is left.
- The template schema migrates first and its blueprint is re-rendered, so cities provisioned
  during or after the run start at the new state.
- Cities in the same applied-migration state need the same SQL: one of them (the pilot) is
  migrated by Django and the statements it ran are replayed in the others, one transaction
  each, in parallel connections (ratusz.tenants.migration_replay). Plans that run Python go
  through Django's executor city by city.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import quote_schema_name as q

from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.migration_replay import (
    Recording,
    RecordingMigrate,
    SchemaResult,
    finish_recording,
    recording_schema_editor,
    replay,
    snapshot_rows,
)

__all__ = ["SchemaResult", "migrate_cities", "migrate_fleet", "migrate_schema"]

# Options of `migrate` that change what a run records rather than what it executes.
NOT_REPLAYABLE_OPTIONS = ("fake", "fake_initial", "run_syncdb")
# Cities of one state tried in turn as the pilot before the rest go through Django one by one
# (a pilot may fail for a reason of its own).
PILOT_ATTEMPTS = 3


def expected_migrations() -> set[tuple[str, str]]:
    """Every migration a fully migrated schema has recorded (one graph load per run)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.graph.nodes)


def applied_migrations(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{q(schema)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            return set()
        cursor.execute(f"SELECT app, name FROM {q(schema)}.django_migrations")  # noqa: S608
        return {(app, name) for app, name in cursor.fetchall()}


def applied_states(schemas: Iterable[str]) -> dict[str, frozenset[tuple[str, str]]]:
    connection.set_schema_to_public()
    return {schema: frozenset(applied_migrations(schema)) for schema in schemas}


def schemas_with_pending(schemas: Iterable[str]) -> list[str]:
    expected = expected_migrations()
    return [schema for schema, applied in applied_states(schemas).items() if expected - applied]


def ensure_schema(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {q(schema)}")


@without_statement_timeout()
def migrate_schema(
    schema: str,
    migrate_options: dict[str, Any] | None = None,
    *,
    command: DjangoMigrate | None = None,
) -> SchemaResult:
    """Run Django's migrate inside `schema`; never raises."""
    started = time.monotonic()
    before = applied_migrations(schema)
    try:
        if schema == settings.PUBLIC_SCHEMA_NAME:
            connection.set_schema_to_public()
        else:
            connection.set_schema(schema)
        options = {"verbosity": 0, "interactive": False, "skip_checks": True}
        options.update(migrate_options or {})
        call_command(command or DjangoMigrate(), **options)
    except Exception as exc:  # reported per city; one city's failure must not stop the others
        connection.set_schema_to_public()
        return SchemaResult(
            schema=schema,
            ok=False,
            seconds=time.monotonic() - started,
            error=f"{type(exc).__name__}: {exc}".strip(),
        )
    finally:
        connection.set_schema_to_public()
    after = applied_migrations(schema)
    return SchemaResult(
        schema=schema,
        ok=True,
        seconds=time.monotonic() - started,
        applied=sorted(f"{app}.{name}" for app, name in after - before),
    )


def _init_worker(settings_module: str, database: dict[str, Any]) -> None:
    """Set up Django in a fresh worker process, on the parent's database."""
    import os

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    django.setup()
    connections["default"].settings_dict.update(database)


def _worker_migrate(schema: str, migrate_options: dict[str, Any]) -> SchemaResult:
    try:
        result = migrate_schema(schema, migrate_options)
    except BaseException:  # the pool must get a result back, whatever happened
        result = SchemaResult(schema=schema, ok=False, seconds=0.0, error=traceback.format_exc())
    # A worker touches many schemas: keep its backend's catalog cache bounded.
    connection.close_if_unusable_or_obsolete()
    return result


def migrate_cities(
    schemas: list[str],
    *,
    jobs: int,
    migrate_options: dict[str, Any] | None = None,
    on_result: Callable[[SchemaResult], None] | None = None,
) -> list[SchemaResult]:
    options = dict(migrate_options or {})
    results: list[SchemaResult] = []

    def done(result: SchemaResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    if jobs <= 1 or len(schemas) <= 1:
        for schema in schemas:
            done(_worker_migrate(schema, options))
        return results
    # Fresh interpreters rather than forks: forking a process that runs threads (a web
    # server, a task worker, a test's live server) can copy a held lock and hang the child.
    import os

    database = {
        key: value
        for key, value in connections["default"].settings_dict.items()
        if key in {"NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS"}
    }
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(schemas)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(os.environ.get("DJANGO_SETTINGS_MODULE", "ratusz.settings.base"), database),
    ) as pool:
        futures = {pool.submit(_worker_migrate, schema, options): schema for schema in schemas}
        for future in as_completed(futures):
            try:
                done(future.result())
            except Exception as exc:  # a worker that died still yields a reported failure
                done(SchemaResult(schema=futures[future], ok=False, seconds=0.0, error=repr(exc)))
    return results


def record_pilot(schema: str, migrate_options: dict[str, Any]) -> tuple[SchemaResult, Recording]:
    """Migrate `schema` with Django's command, recording what it did for replaying."""
    recording = Recording(pilot=schema)
    connection.set_schema_to_public()
    try:
        before = snapshot_rows(schema)
    except DatabaseError as exc:  # e.g. a city missing a table: Django's migrate reports it
        recording.obstacle = f"the rows of {schema} cannot be read: {exc}"
        return migrate_schema(schema, migrate_options), recording
    with recording_schema_editor(recording):
        result = migrate_schema(schema, migrate_options, command=RecordingMigrate(recording))
    result.path = "pilot"
    if result.ok:
        try:
            finish_recording(recording, before, snapshot_rows(schema))
        except DatabaseError as exc:
            recording.obstacle = f"the rows of {schema} cannot be read: {exc}"
    return result, recording


def migrate_fleet(
    schemas: list[str],
    *,
    jobs: int,
    states: dict[str, frozenset[tuple[str, str]]] | None = None,
    migrate_options: dict[str, Any] | None = None,
    on_result: Callable[[SchemaResult], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> list[SchemaResult]:
    """Migrate `schemas`: per applied-migration state, one pilot by Django and the others by
    replaying the pilot's SQL; what cannot be replayed (or failed to) by Django's executor."""
    options = dict(migrate_options or {})
    results: list[SchemaResult] = []
    by_django: list[str] = []

    def done(result: SchemaResult) -> None:
        if result.path == "replay" and not result.ok:
            by_django.append(result.schema)  # reported once Django's executor has tried it
            return
        results.append(result)
        if on_result:
            on_result(result)

    if any(options.get(name) for name in NOT_REPLAYABLE_OPTIONS):
        migrate_cities(schemas, jobs=jobs, migrate_options=options, on_result=done)
        return results
    states = states if states is not None else applied_states(schemas)
    groups: dict[frozenset[tuple[str, str]], list[str]] = {}
    for schema in schemas:
        groups.setdefault(states[schema], []).append(schema)
    work: list[tuple[Recording, str]] = []
    for members in groups.values():
        recording = None
        attempts = 0
        while members and recording is None and attempts < PILOT_ATTEMPTS:
            attempts += 1
            result, candidate = record_pilot(members.pop(0), options)
            done(result)
            recording = candidate if result.ok else None
        if not members:
            continue
        if recording is None or not recording.replayable:
            if log and recording is not None:
                log(f"{len(members)} cities migrated one by one: {recording.obstacle}")
            by_django.extend(members)
            continue
        if log:
            log(
                f"{len(members)} cities replay the {len(recording.statements)} statements "
                f"recorded in {recording.pilot} ({len(recording.migrations)} migrations)"
            )
        work += [(recording, schema) for schema in members]
    replay(work, jobs=jobs, on_result=done)
    migrate_cities(by_django, jobs=jobs, migrate_options=options, on_result=done)
    return results
