"""Which plans may be replayed: operations that write only through the schema editor, no
statement that may depend on the pilot's catalog, no unknown `post_migrate` receivers."""

from __future__ import annotations

import re

from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.postgres import operations as postgres_operations
from django.db.migrations import Migration
from django.db.migrations import operations as django_operations
from django.db.migrations.operations.base import Operation
from django.db.models.signals import post_migrate
from django.utils import timezone

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
