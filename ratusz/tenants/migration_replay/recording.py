"""The pilot's run, recorded: the schema editor's statements as executed, and the rows its
`post_migrate` and `django_migrations` gained, read back by difference."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations import Migration
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import quote_schema_name as q

from ratusz.tenants.migration_replay.replayable import (
    CATALOG_NAMED,
    _unknown_post_migrate_receivers,
    why_not_replayable,
)

if TYPE_CHECKING:
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations


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
