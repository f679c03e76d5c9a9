"""Migrate many cities at the cost of one: run Django's `migrate` in one city, record the SQL it
executed, and replay that script in every other city that was in the same migration state.

Cities migrated one by one pay Django's whole `migrate` each (migration graph, project state,
rendering of every model, introspection, `post_migrate`): about half a second of Python per
city, even when the SQL itself takes milliseconds. Cities that share an applied-migration
state get the same plan, and Django's schema editor writes unqualified names that resolve
through the search path, so the SQL that one city ("the pilot") executed is the SQL every
other city of that state needs:

- The pilot is migrated by Django's own command. While each migration of its plan runs, the
  schema editor's statements are recorded as executed (parameters merged the way PostgreSQL's
  editor merges them). The rows the run added to `django_migrations`, and the content types and
  permissions its `post_migrate` created, are read back by difference.
- Every other city of the state then runs, in one transaction and one round trip: the search
  path of the city, the recorded statements, the same `django_migrations` rows and the missing
  content types and permissions. A failure rolls the whole city back to where it was; that city
  is then migrated by Django's executor, whose result (and error) is the one reported, so a
  city whose catalog differs from the pilot's in a way that makes a statement fail (a column
  already there, a half-done manual fix) is still migrated the way Django would migrate it. A
  difference that would make a statement silently do nothing (a name) is kept from replay by
  the rule below on catalog-named statements.
- Plans that cannot be replayed go through Django's executor city by city: a migration that
  runs Python (RunPython, or any operation not known to write only through the schema editor,
  or a field whose default for existing rows is computed per call, such as a UUID),
  a non-atomic one (CREATE INDEX CONCURRENTLY cannot run in a transaction), one that unapplies,
  a statement naming the pilot's schema, or `post_migrate` receivers other than Django's
  content types and permissions.
- So do plans with a statement that may depend on the pilot's catalog: Django names some
  objects by introspecting the pilot (the index or constraint it drops when a field loses
  `db_index` or `unique`, a sequence), and `IF EXISTS` statements do nothing where a name
  differs. Replayed in a city whose names differ, such a statement would silently leave the
  city unlike what Django makes, with no failure to fall back on. So any recorded DROP/ALTER
  INDEX, DROP CONSTRAINT, RENAME CONSTRAINT, DROP/ALTER SEQUENCE or IF [NOT] EXISTS (even a
  RunSQL's own) sends the plan to Django's executor in every city.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import psycopg
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres import operations as postgres_operations
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations import Migration
from django.db.migrations import operations as django_operations
from django.db.migrations.operations.base import Operation
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate
from django.utils import timezone
from django_tenants.utils import quote_schema_name as q

if TYPE_CHECKING:
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations

# Operations whose only effect on the database goes through `schema_editor.execute`, so that
# recording those calls records everything they did. Matched by exact type: a subclass may
# override what it does.
REPLAYABLE_OPERATIONS: frozenset[type[Operation]] = frozenset(
    {
        django_operations.CreateModel,
        django_operations.DeleteModel,
        django_operations.RenameModel,
        django_operations.AlterModelTable,
        django_operations.AlterModelTableComment,
        django_operations.AlterUniqueTogether,
        django_operations.AlterIndexTogether,
        django_operations.AlterOrderWithRespectTo,
        django_operations.AlterModelOptions,
        django_operations.AlterModelManagers,
        django_operations.AddField,
        django_operations.RemoveField,
        django_operations.AlterField,
        django_operations.RenameField,
        django_operations.AddIndex,
        django_operations.RemoveIndex,
        django_operations.RenameIndex,
        django_operations.AddConstraint,
        django_operations.RemoveConstraint,
        django_operations.RunSQL,
        postgres_operations.CreateCollation,
        postgres_operations.RemoveCollation,
        postgres_operations.AddConstraintNotValid,
        postgres_operations.ValidateConstraint,
    }
)

# Statements that may act on an object by a name Django read from the pilot's catalog (an
# index, constraint or sequence it introspected) or that do nothing when a name is missing: in a
# city whose names differ they would silently miss what Django would have changed there. Any
# recording holding one is not replayed; every city goes through Django's executor. Deliberately
# broad (a RunSQL's own IF EXISTS counts too): a wrong refusal costs time, a wrong replay a
# schema that differs from Django's without an error.
CATALOG_NAMED = re.compile(
    r"\bIF\s+(?:NOT\s+)?EXISTS\b"
    r"|\bDROP\s+(?:INDEX|CONSTRAINT|SEQUENCE)\b"
    r"|\bALTER\s+(?:INDEX|SEQUENCE)\b"
    r"|\bRENAME\s+CONSTRAINT\b",
    re.IGNORECASE,
)

# Callable defaults whose value, computed once in the pilot, is what every city could have got:
# the time of the run (seconds apart) and empty containers.
SAME_EVERYWHERE_DEFAULTS: frozenset[object] = frozenset(
    {timezone.now, dict, list, str, int, float, bool, tuple}
)

# post_migrate receivers whose effect the replay reproduces (the rows they insert).
# (A receiver connected without a dispatch uid is known by its id.)
_KNOWN_POST_MIGRATE = frozenset(
    {id(create_contenttypes), "django.contrib.auth.management.create_permissions"}
)


@dataclass
class SchemaResult:
    schema: str
    ok: bool
    seconds: float
    error: str = ""
    applied: list[str] = field(default_factory=list)
    # How the city was migrated: "django" (its own `migrate`), "pilot" (its own `migrate`,
    # recorded for the others) or "replay" (the pilot's recorded script).
    path: str = "django"


def _not_replayable(operation: Operation) -> Operation | None:
    """The operation (or one inside it) whose effect recorded SQL may not capture."""
    if isinstance(operation, django_operations.SeparateDatabaseAndState):
        inner = (_not_replayable(op) for op in operation.database_operations)
        return next((op for op in inner if op is not None), None)
    if isinstance(operation, postgres_operations.CreateExtension):
        # Extensions are database-wide: CREATE EXTENSION IF NOT EXISTS is what a city needs.
        extension_forwards = postgres_operations.CreateExtension.database_forwards
        return None if type(operation).database_forwards is extension_forwards else operation
    if isinstance(operation, django_operations.AddField | django_operations.AlterField):
        # Existing rows get the default computed once, in Python: in the pilot. A value that
        # differs per call (a UUID, a random token) must be computed in every city.
        field = operation.field
        if field.has_default() and callable(field.default):
            return None if field.default in SAME_EVERYWHERE_DEFAULTS else operation
    return None if type(operation) in REPLAYABLE_OPERATIONS else operation


def why_not_replayable(migration: Migration) -> str:
    """Why a migration's effect cannot be reproduced from its recorded SQL ('' if it can)."""
    if not migration.atomic:
        return f"{migration.app_label}.{migration.name} is not atomic"
    for operation in migration.operations:
        culprit = _not_replayable(operation)
        if culprit is not None:
            if isinstance(culprit, django_operations.AddField | django_operations.AlterField):
                return (
                    f"{migration.app_label}.{migration.name} gives existing rows of "
                    f"{culprit.model_name} a default computed by {culprit.field.default!r}"
                )
            return (
                f"{migration.app_label}.{migration.name} runs {type(culprit).__name__}, "
                "which may do more than execute SQL"
            )
    return ""


def _unknown_post_migrate_receivers() -> list[str]:
    return [
        repr(entry[0][0])
        for entry in post_migrate.receivers
        if entry[0][0] not in _KNOWN_POST_MIGRATE
    ]


@dataclass
class Recording:
    """What Django's `migrate` did in the pilot city, ready to be done again elsewhere."""

    pilot: str
    migrations: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    recorded: list[tuple[str, str]] = field(default_factory=list)
    content_types: list[tuple[str, str]] = field(default_factory=list)
    permissions: list[tuple[str, str, str, str]] = field(default_factory=list)
    # Why this run cannot be replayed ('' if it can).
    obstacle: str = ""
    # Set while a migration of the plan runs: statements outside it are not part of the plan.
    capturing: bool = False

    @property
    def replayable(self) -> bool:
        return not self.obstacle

    def progress(self, action: str, migration: Migration | None, fake: bool) -> None:
        if action == "apply_start" and migration is not None:
            self.obstacle = self.obstacle or (
                f"{migration.app_label}.{migration.name} is faked" if fake else ""
            )
            self.obstacle = self.obstacle or why_not_replayable(migration)
            self.capturing = True
        elif action == "apply_success" and migration is not None:
            self.capturing = False
            self.migrations.append(f"{migration.app_label}.{migration.name}")
        elif action.startswith("unapply") and migration is not None:
            self.obstacle = self.obstacle or (
                f"the plan unapplies {migration.app_label}.{migration.name}"
            )

    def executed(self, sql: str) -> None:
        if self.capturing:
            self.statements.append(sql)

    def check_statements(self) -> None:
        """A statement naming the pilot's schema would change the pilot, not the city; one that
        may target an object by a name read from the pilot's catalog may miss the city's."""
        named = re.compile(rf'(?:"{re.escape(self.pilot)}"|\b{re.escape(self.pilot)})\s*\.')
        for statement in self.statements:
            if named.search(statement):
                self.obstacle = self.obstacle or f"a statement names the schema {self.pilot}"
            found = CATALOG_NAMED.search(statement)
            if found:
                self.obstacle = self.obstacle or (
                    f"a statement ({' '.join(found.group().split()).upper()}) may target an "
                    "object by a name found in the pilot's catalog"
                )

    def script(self, schema: str) -> str:
        """The SQL that brings `schema` to the pilot's new state (to run in one transaction)."""
        paths = [
            schema,
            settings.PUBLIC_SCHEMA_NAME,
            *getattr(settings, "PG_EXTRA_SEARCH_PATHS", []),
        ]
        search_path = ",".join(q(path) for path in paths)
        # Statement boundaries on lines of their own: a recorded statement may end in a comment.
        return (
            "\n;\n".join(
                [
                    f"SELECT set_config('search_path', '{search_path}', true)",
                    *self.statements,
                    *self._rows(),
                ]
            )
            + "\n;"
        )

    def _rows(self) -> list[str]:
        ops = cast("PostgresOperations", connections[DEFAULT_DB_ALIAS].ops)
        compose = ops.compose_sql
        rows: list[str] = []
        if self.recorded:
            values = ", ".join(["(%s, %s, statement_timestamp())"] * len(self.recorded))
            rows.append(
                compose(
                    f"INSERT INTO {q(MigrationRecorder.Migration._meta.db_table)} "  # noqa: S608
                    f"(app, name, applied) VALUES {values}",
                    [part for row in self.recorded for part in row],
                )
            )
        content_types = q(ContentType._meta.db_table)
        if self.content_types:
            values = ", ".join(["(%s, %s)"] * len(self.content_types))
            rows.append(
                compose(
                    f"INSERT INTO {content_types} (app_label, model) "  # noqa: S608
                    f"SELECT v.app_label, v.model FROM (VALUES {values}) AS v(app_label, model) "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {content_types} c "
                    "WHERE c.app_label = v.app_label AND c.model = v.model)",
                    [part for row in self.content_types for part in row],
                )
            )
        if self.permissions:
            permissions = q(Permission._meta.db_table)
            values = ", ".join(["(%s, %s, %s, %s)"] * len(self.permissions))
            rows.append(
                compose(
                    f"INSERT INTO {permissions} (name, content_type_id, codename) "  # noqa: S608
                    f"SELECT v.name, c.id, v.codename FROM (VALUES {values}) "
                    "AS v(app_label, model, codename, name) "
                    f"JOIN {content_types} c ON c.app_label = v.app_label AND c.model = v.model "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {permissions} p "
                    "WHERE p.content_type_id = c.id AND p.codename = v.codename)",
                    [part for row in self.permissions for part in row],
                )
            )
        return rows


class RecordingMigrate(DjangoMigrate):
    """Django's `migrate`, telling a recording where each migration starts and ends."""

    def __init__(self, recording: Recording) -> None:
        super().__init__()
        self.recording = recording

    def migration_progress_callback(
        self, action: str, migration: Migration | None = None, fake: bool = False
    ) -> None:
        self.recording.progress(action, migration, fake)
        super().migration_progress_callback(action, migration, fake)


@contextmanager
def recording_schema_editor(recording: Recording) -> Iterator[None]:
    """Make this thread's connection's schema editors report each statement they execute."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    base: Any = wrapper.SchemaEditorClass

    class RecordingSchemaEditor(base):
        def execute(self, sql: Any, params: Any = ()) -> None:
            super().execute(sql, params)
            if self.collect_sql:
                return
            # PostgreSQL's editor merges parameters client-side the same way before running.
            text = str(sql) if params is None else self.connection.ops.compose_sql(str(sql), params)
            recording.executed(text)

    wrapper.SchemaEditorClass = RecordingSchemaEditor
    try:
        yield
    finally:
        del wrapper.SchemaEditorClass


@dataclass(frozen=True)
class RowsSnapshot:
    migrations: frozenset[tuple[str, str]]
    content_types: frozenset[tuple[str, str]]
    permissions: frozenset[tuple[str, str, str, str]]


def snapshot_rows(schema: str) -> RowsSnapshot:
    """The rows of `schema` that a migration run adds besides its DDL."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {q(schema)}.django_migrations")  # noqa: S608
        migrations = frozenset((app, name) for app, name in cursor.fetchall())
        content_types = f"{q(schema)}.{q(ContentType._meta.db_table)}"
        cursor.execute(f"SELECT app_label, model FROM {content_types}")  # noqa: S608
        types = frozenset((app, model) for app, model in cursor.fetchall())
        cursor.execute(
            f"SELECT c.app_label, c.model, p.codename, p.name "  # noqa: S608
            f"FROM {q(schema)}.{q(Permission._meta.db_table)} p "
            f"JOIN {content_types} c ON c.id = p.content_type_id"
        )
        permissions = frozenset(tuple(row) for row in cursor.fetchall())
    return RowsSnapshot(migrations, types, permissions)


def finish_recording(recording: Recording, before: RowsSnapshot, after: RowsSnapshot) -> None:
    recording.recorded = sorted(after.migrations - before.migrations)
    recording.content_types = sorted(after.content_types - before.content_types)
    recording.permissions = sorted(after.permissions - before.permissions)
    recording.check_statements()
    unknown = _unknown_post_migrate_receivers()
    if unknown:
        recording.obstacle = recording.obstacle or (
            f"post_migrate has receivers the replay does not reproduce: {', '.join(unknown)}"
        )


# --- replaying ---------------------------------------------------------------------------------


class _ReplayConnections:
    """One plain connection per worker thread, renewed after it has served `limit` cities (a
    backend keeps catalog caches of every schema it touched)."""

    def __init__(self, limit: int) -> None:
        self.params = connections[DEFAULT_DB_ALIAS].get_connection_params()
        self.limit = max(1, limit)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.opened: list[psycopg.Connection[Any]] = []

    def get(self) -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(self.local, "conn", None)
        if conn is None or conn.closed or self.local.served >= self.limit:
            if conn is not None:
                conn.close()
            conn = psycopg.connect(**self.params, autocommit=True)
            with self.lock:
                self.opened.append(conn)
            self.local.conn = conn
            self.local.served = 0
        self.local.served += 1
        return conn

    def close_all(self) -> None:
        with self.lock:
            for conn in self.opened:
                conn.close()
            self.opened.clear()


def _replay_one(pool: _ReplayConnections, recording: Recording, schema: str) -> SchemaResult:
    started = time.monotonic()
    try:
        conn = pool.get()
        with conn.transaction():
            conn.execute(recording.script(schema))
    except Exception as exc:  # the city stays as it was; Django's executor gets a go at it
        return SchemaResult(
            schema=schema,
            ok=False,
            seconds=time.monotonic() - started,
            error=f"{type(exc).__name__}: {exc}".strip(),
            path="replay",
        )
    return SchemaResult(
        schema=schema,
        ok=True,
        seconds=time.monotonic() - started,
        applied=[f"{app}.{name}" for app, name in recording.recorded],
        path="replay",
    )


def replay(
    work: list[tuple[Recording, str]],
    *,
    jobs: int,
    on_result: Callable[[SchemaResult], None],
) -> None:
    """Run each recording's script in its city, `jobs` cities at a time (threads: the work is
    PostgreSQL's), reporting each result in the calling thread."""
    if not work:
        return
    pool = _ReplayConnections(getattr(settings, "DB_MAX_SCHEMAS_PER_CONNECTION", 50))
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(work)))) as threads:
            futures = [threads.submit(_replay_one, pool, rec, schema) for rec, schema in work]
            for future in as_completed(futures):
                on_result(future.result())
    finally:
        pool.close_all()
