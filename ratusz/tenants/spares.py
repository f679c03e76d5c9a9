"""A small pool of schemas built ahead of time, so that a new city is a rename away.

Creating a city's ~100 relations takes around a second on an ordinary disk (one file per
relation); renaming a ready schema takes milliseconds. `provision_city` takes a spare built
from the current blueprint when there is one (`take_spare`, inside its transaction: a failed
provisioning puts the spare back), and falls back to running the blueprint itself. The pool is
topped up after each use, after `migrate_schemas`, and periodically (`tenants.fill_spare_pool`);
spares of an older migration state are dropped, never used.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django_tenants.utils import quote_schema_name

from ratusz.tenants.blueprint import Blueprint, create_schema_from_blueprint, current_blueprint
from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.models import SpareSchema

logger = logging.getLogger(__name__)

PREFIX = "_spare_"


def pool_size() -> int:
    return max(0, int(getattr(settings, "SPARE_SCHEMAS", 0)))


def take_spare(schema_name: str, blueprint: Blueprint) -> bool:
    """Rename a ready spare of `blueprint`'s state to `schema_name`, in the caller's transaction.

    False when none is ready (or another provisioning holds the last one): the caller builds the
    schema itself. SKIP LOCKED lets concurrent sign-ups take different spares without waiting."""
    with transaction.atomic():
        spare = (
            SpareSchema.objects.select_for_update(skip_locked=True)
            .filter(state=blueprint.state)
            .order_by("created_at")
            .first()
        )
        if spare is None:
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER SCHEMA {quote_schema_name(spare.name)} "
                f"RENAME TO {quote_schema_name(schema_name)}"
            )
        spare.delete()
    return True


@without_statement_timeout()
def fill_spare_pool(size: int | None = None) -> int:
    """Drop spares of an older migration state, then build spares until `size` are ready.
    Returns how many it built. Safe to run concurrently (each spare is its own transaction)."""
    wanted = pool_size() if size is None else size
    blueprint = current_blueprint()
    for stale in SpareSchema.objects.exclude(state=blueprint.state):
        drop_spare(stale)
    built = 0
    while SpareSchema.objects.filter(state=blueprint.state).count() < wanted:
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
    """Queue a top-up once the current transaction commits (only with a real worker: in-process
    tasks would make the person who just signed up wait for it)."""
    from ratusz.celery import app, fill_spare_pool_task

    if pool_size() and not app.conf.task_always_eager:
        transaction.on_commit(lambda: fill_spare_pool_task.delay(), robust=True)
