"""Migrations replayed from a pilot city's recorded SQL leave a city exactly as Django's own
per-city `migrate` leaves it (compared table by table from the catalog); plans that run Python
go through Django's executor; a city that fails is left as it was and stops no other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.operations import AddIndexConcurrently, TrigramExtension
from django.core.management import call_command
from django.db import migrations, models
from django.db.migrations.operations.base import Operation
from django.test import override_settings
from django.utils import timezone

from ratusz.tenants import schema_migrations as sm
from ratusz.tenants.db import connection
from ratusz.tenants.migration_replay import Recording, why_not_replayable
from tests.tenants.schema_catalog import assert_same_schema, schema_catalog
from tests.tenants.test_operations import LEAF_APP, LEAF_MIGRATION, forget_migration, records

REPLAY_APP = "tests.tenants.replayapp"
TO_0001 = {"app_label": "replayapp", "migration_name": "0001"}
TO_0002 = {"app_label": "replayapp", "migration_name": "0002"}
TO_0003 = {"app_label": "replayapp", "migration_name": "0003"}
TO_0004 = {"app_label": "replayapp", "migration_name": "0004"}
DATA = ("replayapp_shelf", "replayapp_book", "replayapp_reader", "replayapp_reader_books")


@pytest.fixture
def replayapp() -> Iterator[None]:
    """The throw-away city-plane app, installed for this test only."""
    with override_settings(
        INSTALLED_APPS=[*settings.INSTALLED_APPS, REPLAY_APP],
        TENANT_APPS=[*settings.TENANT_APPS, REPLAY_APP],
    ):
        yield
    ContentType.objects.clear_cache()


def at_0001_with_rows(schema: str) -> None:
    """The city at replayapp 0001 (by Django), holding rows the next migrations must keep."""
    result = sm.migrate_schema(schema, TO_0001)
    assert result.ok, result.error
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SET search_path = "{schema}";
            INSERT INTO replayapp_shelf (name, position) VALUES ('Poezja', 1), ('Proza', 2);
            INSERT INTO replayapp_book (title, pages, legacy, shelf_id)
            SELECT 'Pan Tadeusz', 350, 'x', id FROM replayapp_shelf WHERE name = 'Poezja';
            INSERT INTO replayapp_book (title, pages, legacy, shelf_id)
            SELECT 'Lalka', 0, 'y', id FROM replayapp_shelf WHERE name = 'Proza';
            INSERT INTO replayapp_reader (name) VALUES ('Ola');
            INSERT INTO replayapp_reader_books (reader_id, book_id)
            SELECT r.id, b.id FROM replayapp_reader r, replayapp_book b;
            SET search_path = public;
            """
        )
    connection.search_path_set_schemas = None


def by_schema(results: list[sm.SchemaResult]) -> dict[str, sm.SchemaResult]:
    found = {result.schema: result for result in results}
    assert len(found) == len(results), "a city was reported twice"
    return found


def test_a_replayed_city_is_table_by_table_what_djangos_migrate_makes(make_city, replayapp):
    pilot, replayed, by_django = make_city(), make_city(), make_city()
    for city in (pilot, replayed, by_django):
        at_0001_with_rows(city.schema)

    reference = sm.migrate_schema(by_django.schema, TO_0002)
    results = by_schema(
        sm.migrate_fleet([pilot.schema, replayed.schema], jobs=2, migrate_options=TO_0002)
    )

    assert reference.ok, reference.error
    assert (results[pilot.schema].ok, results[pilot.schema].path) == (True, "pilot")
    assert (results[replayed.schema].ok, results[replayed.schema].path) == (True, "replay")
    assert results[replayed.schema].applied == ["replayapp.0002_reshape"]
    expected = schema_catalog(by_django.schema, data_tables=DATA)
    # The migration really ran: renamed, added, removed, constrained, commented, a view.
    book = {column[1]: column for column in expected["replayapp_book"]["columns"]}
    assert {"isbn", "summary", "published"} <= set(book) and "legacy" not in book
    assert book["isbn"][8] == "ISBN-13, 100% checked"
    assert expected["replayapp_shelf"]["comment"] == "Shelves of oak"
    assert expected["replayapp_shelf_size"]["kind"] == "v"
    assert ("replayapp", "loan") in expected["@content_types"]
    assert ("replayapp", "loan", "add_loan", "Can add loan") in expected["@permissions"]
    assert ("replayapp", "0002_reshape") in expected["@django_migrations"]

    assert_same_schema(schema_catalog(replayed.schema, data_tables=DATA), expected)
    assert_same_schema(schema_catalog(pilot.schema, data_tables=DATA), expected)


def test_a_plan_that_runs_python_goes_through_djangos_executor(make_city, replayapp):
    first, second = make_city(), make_city()
    for city in (first, second):
        at_0001_with_rows(city.schema)
    results = by_schema(
        sm.migrate_fleet([first.schema, second.schema], jobs=1, migrate_options=TO_0003)
    )

    assert (results[first.schema].path, results[second.schema].path) == ("pilot", "django")
    assert all(result.ok for result in results.values())
    for city in (first, second):
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT summary FROM "{city.schema}".replayapp_book ORDER BY 1')
            summaries = [row[0] for row in cursor.fetchall()]
        assert summaries == ["Lalka (0 pages)", "Pan Tadeusz (350 pages)"]
    assert_same_schema(
        schema_catalog(second.schema, data_tables=DATA),
        schema_catalog(first.schema, data_tables=DATA),
    )


def test_a_failing_city_keeps_its_state_and_stops_no_other(make_city, replayapp):
    broken_pilot, pilot, replayed, broken = make_city(), make_city(), make_city(), make_city()
    for city in (broken_pilot, pilot, replayed, broken):
        at_0001_with_rows(city.schema)
    # Both broken cities already have a column 0002 adds: Django and the replay both fail.
    for city in (broken_pilot, broken):
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{city.schema}".replayapp_book ADD COLUMN isbn text')
    before = {
        city.schema: schema_catalog(city.schema, data_tables=DATA)
        for city in (broken_pilot, broken)
    }

    results = by_schema(
        sm.migrate_fleet(
            [broken_pilot.schema, pilot.schema, replayed.schema, broken.schema],
            jobs=2,
            migrate_options=TO_0002,
        )
    )

    assert [results[c.schema].ok for c in (broken_pilot, pilot, replayed, broken)] == [
        False,
        True,
        True,
        False,
    ]
    # The first pilot failed, so the next city of the same state was the pilot.
    assert (results[broken_pilot.schema].path, results[pilot.schema].path) == ("pilot", "pilot")
    assert results[replayed.schema].path == "replay"
    # The replay failed in `broken`, so Django's executor had a go at it: its error is reported.
    assert results[broken.schema].path == "django"
    for city in (broken_pilot, broken):
        assert (
            'column "isbn" of relation "replayapp_book" already exists'
            in results[city.schema].error
        )
        assert_same_schema(schema_catalog(city.schema, data_tables=DATA), before[city.schema])
    assert_same_schema(
        schema_catalog(replayed.schema, data_tables=DATA),
        schema_catalog(pilot.schema, data_tables=DATA),
    )


def test_migrate_schemas_replays_a_real_migration_into_cities_behind(make_city, capsys):
    untouched = make_city()
    behind = [make_city(), make_city(), make_city()]
    for city in behind:
        forget_migration(city.schema, drop_table=True)

    call_command("migrate_schemas", verbosity=1, jobs=2)

    out = capsys.readouterr().out
    assert "3 with pending migrations" in out
    assert "3 migrated, 0 failed (2 by replaying a pilot city's SQL)" in out
    pilot, *replayed = behind
    assert f"migrate {pilot.schema}: ok (1 applied" in out
    assert ", pilot)" in out and out.count(", replay)") == 2
    expected = schema_catalog(pilot.schema)
    for city in behind:
        assert records(city.schema, LEAF_APP) == [LEAF_MIGRATION]
    for city in replayed:
        assert_same_schema(schema_catalog(city.schema), expected)
    # The city that never fell behind has the same tables (definitions may be spelled
    # differently: it was provisioned from the blueprint, a rendering of the catalog).
    assert sorted(schema_catalog(untouched.schema)) == sorted(expected)


def title_indexes(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s "
            "AND tablename = 'replayapp_book' AND indexdef LIKE %s ORDER BY 1",
            [schema, "%(title%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_city_whose_index_names_differ_is_migrated_as_django_would(make_city, replayapp):
    # 0004 drops the index on book.title, which Django finds by name in the catalog: the
    # pilot's DROP INDEX IF EXISTS "<its name>" would silently do nothing in a city whose index
    # is named otherwise, so the plan must not be replayed.
    pilot, renamed, by_django = make_city(), make_city(), make_city()
    for city in (pilot, renamed, by_django):
        at_0001_with_rows(city.schema)
        result = sm.migrate_schema(city.schema, TO_0003)
        assert result.ok, result.error
    assert len(title_indexes(pilot.schema)) == 2  # the index and its LIKE twin
    for city in (renamed, by_django):
        with connection.cursor() as cursor:
            for number, name in enumerate(title_indexes(city.schema)):
                cursor.execute(f'ALTER INDEX "{city.schema}"."{name}" RENAME TO title_idx_{number}')
    assert title_indexes(renamed.schema) == ["title_idx_0", "title_idx_1"]

    reference = sm.migrate_schema(by_django.schema, TO_0004)
    results = by_schema(
        sm.migrate_fleet([pilot.schema, renamed.schema], jobs=1, migrate_options=TO_0004)
    )

    assert reference.ok, reference.error
    assert (results[pilot.schema].path, results[renamed.schema].path) == ("pilot", "django")
    assert all(result.ok for result in results.values())
    assert title_indexes(by_django.schema) == [] == title_indexes(renamed.schema)
    assert title_indexes(pilot.schema) == []
    assert_same_schema(
        schema_catalog(renamed.schema, data_tables=DATA),
        schema_catalog(by_django.schema, data_tables=DATA),
    )


def test_statements_that_may_name_objects_from_the_pilots_catalog_are_not_replayed():
    for statement in (
        'DROP INDEX IF EXISTS "replayapp_book_title_2c1d8b6a"',
        'ALTER TABLE "replayapp_book" DROP CONSTRAINT "replayapp_book_isbn_key"',
        'ALTER INDEX "a" RENAME TO "b"',
        'ALTER TABLE "t" RENAME CONSTRAINT "a" TO "b"',
        'ALTER SEQUENCE IF EXISTS "t_id_seq" AS bigint',
        'DROP SEQUENCE "t_id_seq" CASCADE',
        "CREATE INDEX IF NOT EXISTS x ON t (y)",
    ):
        recording = Recording(pilot="gdansk")
        recording.statements = ["ALTER TABLE t ADD COLUMN y int", statement]
        recording.check_statements()
        assert "pilot's catalog" in recording.obstacle, statement
    fine = Recording(pilot="gdansk")
    fine.statements = [
        'ALTER TABLE "t" RENAME COLUMN "a" TO "b"',
        'CREATE INDEX "t_y_1a2b3c4d" ON "t" ("y")',
        'ALTER TABLE "t" ALTER COLUMN "y" DROP NOT NULL',
    ]
    fine.check_statements()
    assert fine.replayable


def _migration(*operations: Operation, atomic: bool = True) -> migrations.Migration:
    probe = type(
        "Migration", (migrations.Migration,), {"operations": list(operations), "atomic": atomic}
    )
    return probe("0009_probe", "replayapp")


def test_only_migrations_that_write_through_the_schema_editor_are_replayable():
    field: models.CharField = models.CharField(max_length=5, default="")
    assert why_not_replayable(_migration(migrations.AddField("book", "code", field))) == ""
    assert why_not_replayable(_migration(TrigramExtension(), migrations.RunSQL("SELECT 1"))) == ""
    assert "RunPython" in why_not_replayable(
        _migration(migrations.RunPython(migrations.RunPython.noop))
    )
    hidden = migrations.SeparateDatabaseAndState(
        database_operations=[migrations.RunPython(migrations.RunPython.noop)]
    )
    assert "RunPython" in why_not_replayable(_migration(hidden))
    # Existing rows get a default computed once: fine for the time, not for a UUID per row.
    stamped: models.DateTimeField = models.DateTimeField(default=timezone.now)
    assert why_not_replayable(_migration(migrations.AddField("book", "at", stamped))) == ""
    bare: models.DateField = models.DateField(null=True)
    assert why_not_replayable(_migration(migrations.AddField("book", "on", bare))) == ""
    token: models.UUIDField = models.UUIDField(default=uuid.uuid4)
    assert "uuid4" in why_not_replayable(_migration(migrations.AddField("book", "token", token)))
    index = models.Index(fields=["code"], name="probe_code")
    assert "not atomic" in why_not_replayable(
        _migration(AddIndexConcurrently("book", index), atomic=False)
    )


def test_a_statement_naming_the_pilots_schema_is_not_replayed():
    recording = Recording(pilot="gdansk")
    recording.statements = ['ALTER TABLE "gdansk"."replayapp_book" ADD COLUMN x int']
    recording.check_statements()
    assert not recording.replayable
    fine = Recording(pilot="gdansk")
    fine.statements = ["ALTER TABLE replayapp_book ADD COLUMN gdansk int"]
    fine.check_statements()
    assert fine.replayable
