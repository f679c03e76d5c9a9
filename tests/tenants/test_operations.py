"""Fleet operations: migrations across cities, connection recycling, pooling, deployment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, transaction
from django.test import override_settings

from ratusz.consultations.core.models import PortalSettings
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_ratusz(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ratusz", *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "ratusz.settings.base",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def records(schema: str, app: str) -> list[str]:
    """Whether the leaf migration is recorded: [its name] or []."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT name FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
            [app, LEAF_MIGRATION],
        )
        return [row[0] for row in cursor.fetchall()]


def _leaf_migration_with_tables() -> tuple[str, str, list[str]]:
    """A city-plane migration that nothing depends on and that creates tables: forgetting its
    record makes a city "behind"; keeping its tables as well makes re-applying it fail."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import CreateModel

    loader = MigrationLoader(None, ignore_no_migrations=True)
    city_labels = {c.label for c in apps.get_app_configs() if c.name in settings.CITY_PLANE_APPS}
    for (app_label, name), node in sorted(loader.graph.node_map.items()):
        if app_label not in city_labels or node.children:
            continue
        created = [
            op.name
            for op in loader.get_migration(app_label, name).operations
            if isinstance(op, CreateModel)
        ]
        if created:
            tables = [apps.get_model(app_label, model)._meta.db_table for model in created]
            return app_label, name, tables
    raise AssertionError("no leaf migration creates tables")


LEAF_APP, LEAF_MIGRATION, LEAF_TABLES = _leaf_migration_with_tables()


def forget_migration(schema: str, *, drop_table: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
            [LEAF_APP, LEAF_MIGRATION],
        )
        if drop_table:
            drop_leaf_tables(schema)


def drop_leaf_tables(schema: str) -> None:
    with connection.cursor() as cursor:
        for table in LEAF_TABLES:
            cursor.execute(f'DROP TABLE "{schema}".{table} CASCADE')


def test_a_no_op_run_checks_cities_without_migrating_them(make_city, capsys):
    make_city()
    make_city()
    call_command("migrate_schemas", verbosity=1)
    out = capsys.readouterr().out
    assert "0 with pending migrations" in out
    assert "0 migrated, 0 failed" in out


def test_one_citys_failure_does_not_stop_the_others_and_a_rerun_finishes(make_city, capsys):
    broken, healthy = make_city(), make_city()
    # The broken city lost its migration record but kept the table: re-applying fails.
    forget_migration(broken.schema, drop_table=False)
    # The healthy city really is behind: it is migrated.
    forget_migration(healthy.schema, drop_table=True)
    with pytest.raises(CommandError, match="1 cities failed"):
        call_command("migrate_schemas", verbosity=1, jobs=2)
    captured = capsys.readouterr()
    # In logs (no terminal): one line per city, with its result.
    assert f"migrate {healthy.schema}: ok (1 applied" in captured.out
    assert f"migrate {broken.schema}: FAILED" in captured.out
    assert broken.schema in captured.err
    assert "already exists" in captured.err
    assert records(healthy.schema, LEAF_APP) == [LEAF_MIGRATION]
    assert records(broken.schema, LEAF_APP) == []

    # The operator fixes the cause; running again finishes the rest only.
    drop_leaf_tables(broken.schema)
    call_command("migrate_schemas", verbosity=1, jobs=2)
    out = capsys.readouterr().out
    assert "1 with pending migrations" in out
    assert records(broken.schema, LEAF_APP) == [LEAF_MIGRATION]


def test_migrate_schemas_can_target_one_city_and_refuses_unknown_ones(make_city):
    city = make_city()
    forget_migration(city.schema, drop_table=True)
    call_command("migrate_schemas", schema=city.schema, verbosity=0)
    assert records(city.schema, LEAF_APP) == [LEAF_MIGRATION]
    with pytest.raises(CommandError, match="No city has the schema"):
        call_command("migrate_schemas", schema="nowhere", verbosity=0)


def test_connections_are_recycled_after_touching_many_cities(make_city):
    cities = [make_city(), make_city(), make_city()]
    # No memory budget: the connection goes after that many schemas, whatever it holds.
    with override_settings(DB_MAX_SCHEMAS_PER_CONNECTION=3, DB_BACKEND_MEMORY_MB=0):
        connection.close()
        connection.ensure_connection()
        first = connection.connection
        # A WSGI server ends each request with close_old_connections(); Django's test client
        # skips that on purpose, so the test does it after each request.
        for city in cities[:2]:
            city.client().get("/")
            close_old_connections()
        assert connection.connection is first  # public + 2 cities: still under the limit
        cities[2].client().get("/")
        close_old_connections()
        assert connection.connection is None  # recycled at the request boundary
        # The home page may now come from the page cache without a query: ask the city's schema.
        with city_context(cities[0].ref):
            PortalSettings.objects.count()
        assert connection.connection is not first
        assert len(connection.schemas_touched) <= 2


def test_a_connection_under_its_memory_budget_keeps_serving_cities(make_city):
    """Past DB_MAX_SCHEMAS_PER_CONNECTION schemas the backend's memory is read: a connection
    under the budget stays (its catalog caches warm for the cities it served), one over it is
    closed at the boundary."""
    cities = [make_city() for _ in range(4)]

    def serve(city, first):
        """What a request does in the city's schema, then the boundary a WSGI server ends it
        with (Django's test client skips it; pages may come from the page cache unqueried)."""
        with city_context(city.ref):
            assert PortalSettings.objects.get().city_id == city.model.pk  # its own schema
        close_old_connections()
        return connection.connection is first

    with override_settings(DB_MAX_SCHEMAS_PER_CONNECTION=2, DB_BACKEND_MEMORY_MB=10_000):
        connection.close()
        connection.ensure_connection()
        first = connection.connection
        kept = [serve(city, first) for city in cities]
        assert kept == [True] * 4  # 4 cities: read past 2, under the budget, kept
        assert first.ratusz_schemas_checked >= 3  # it was read, and counts on from there
        kept = [serve(city, first) for city in cities]
        assert kept == [True] * 4  # each city still answered from its own schema
    with override_settings(DB_MAX_SCHEMAS_PER_CONNECTION=2, DB_BACKEND_MEMORY_MB=1):
        connection.close()
        connection.ensure_connection()
        first = connection.connection
        kept = [serve(city, first) for city in cities]
        assert kept[:2] == [True, True]  # two cities: not read yet
        # Read once past two schemas: every backend holds more than 1 MB, so it was closed.
        assert kept[2:] == [False, False]


def session_search_path() -> str:
    """The server session's own setting, read past Django's wrappers."""
    raw = connection.connection
    assert raw is not None
    row = raw.execute("SHOW search_path").fetchone()
    assert row is not None
    return str(row[0])


def test_with_transaction_pooling_the_path_is_set_in_every_transaction(make_city):
    city, other = make_city(), make_city()
    connection.close()  # a fresh server session, as every session is in this mode
    with override_settings(DB_POOL_MODE="transaction"), city_context(city.ref):
        before = connection.search_path_sets
        with transaction.atomic():
            for _ in range(3):
                PortalSettings.objects.count()
        assert connection.search_path_sets == before + 1  # once for the transaction
        with transaction.atomic():
            PortalSettings.objects.count()
        assert connection.search_path_sets == before + 2  # and again for the next one
        # A statement outside any transaction gets one of its own, so the path and the
        # statement reach the same pooled server connection...
        assert PortalSettings.objects.get().city_id == city.model.pk
        with city_context(other.ref):
            assert PortalSettings.objects.get().city_id == other.model.pk
        # ...and nothing outlives the transaction on the server connection.
        assert city.schema not in session_search_path()
        assert other.schema not in session_search_path()


def test_direct_connections_keep_the_path_across_transactions(make_city):
    city = make_city()
    with city_context(city.ref):
        PortalSettings.objects.count()
        before = connection.search_path_sets
        with transaction.atomic():
            PortalSettings.objects.count()
        PortalSettings.objects.count()
        assert connection.search_path_sets == before
        assert city.schema in session_search_path()


def test_with_transaction_pooling_a_request_answers_from_its_own_city(make_city):
    city, other = make_city(), make_city(name="Other", languages=["en"], default_language="en")
    connection.close()
    with override_settings(DB_POOL_MODE="transaction"):
        assert city.model.name in city.client().get("/").content.decode()
        assert "Other" in other.client().get("/").content.decode()
        assert other.schema not in session_search_path()


def test_production_settings_pass_the_deployment_check():
    result = run_ratusz(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        RATUSZ_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        BASE_DOMAIN="ratusz.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_ratusz("check", RATUSZ_ENV="production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_database_that_is_down_gets_a_clear_message_and_a_non_zero_exit():
    result = run_ratusz("migrate_schemas", DATABASE_URL="postgres://postgres@127.0.0.1:1/ratusz")
    assert result.returncode == 2
    assert "cannot reach the database 'ratusz' at 127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_create_city_with_a_bad_slug_exits_non_zero_with_the_reason(live_db):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = run_ratusz(
        "create_city", "Gdańsk", "--slug", "admin", "--admin-email", "a@b.pl", DATABASE_URL=url
    )
    assert result.returncode == 1
    assert "reserved by the platform" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_schemas_check_lists_what_is_pending_without_applying_it(make_city, capsys):
    city = make_city()
    call_command("migrate_schemas", check_unapplied=True)
    assert "nothing pending" in capsys.readouterr().out
    forget_migration(city.schema, drop_table=True)
    with pytest.raises(SystemExit) as exited:
        call_command("migrate_schemas", check_unapplied=True)
    assert exited.value.code == 1
    assert f"{city.schema}: migrations pending" in capsys.readouterr().out
    assert records(city.schema, LEAF_APP) == []  # checked, not applied
    with pytest.raises(CommandError, match="not supported"):
        call_command("migrate_schemas", plan=True)
