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

Modules: replayable (which plans may be replayed), recording (the pilot), replaying (the
other cities).
"""

from ratusz.tenants.migration_replay.recording import (
    Recording,
    RecordingMigrate,
    RowsSnapshot,
    finish_recording,
    recording_schema_editor,
    snapshot_rows,
)
from ratusz.tenants.migration_replay.replayable import (
    CATALOG_NAMED,
    REPLAYABLE_OPERATIONS,
    SAME_EVERYWHERE_DEFAULTS,
    why_not_replayable,
)
from ratusz.tenants.migration_replay.replaying import (
    SchemaResult,
    replay,
)

__all__ = [
    "CATALOG_NAMED",
    "REPLAYABLE_OPERATIONS",
    "SAME_EVERYWHERE_DEFAULTS",
    "Recording",
    "RecordingMigrate",
    "RowsSnapshot",
    "SchemaResult",
    "finish_recording",
    "recording_schema_editor",
    "replay",
    "snapshot_rows",
    "why_not_replayable",
]
