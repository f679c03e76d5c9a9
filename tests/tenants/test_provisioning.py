"""provision_city: one service, all or nothing, from the template's blueprint."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import CaptureQueriesContext

from ratusz.accounts.models import Invitation, Role
from ratusz.accounts.services import find_open_invitation
from ratusz.consultations.core.models import PortalSettings
from ratusz.tenants import initializers
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.models import City, Domain
from ratusz.tenants.services import ProvisioningRefused, provision_city


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def structure(schema: str) -> dict[str, list]:
    """Tables, columns, constraints and indexes of a schema, by name."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
            FROM information_schema.columns WHERE table_schema = %s
            ORDER BY table_name, ordinal_position
            """,
            [schema],
        )
        columns = cursor.fetchall()
        cursor.execute(
            """
            SELECT t.relname, c.conname, c.contype,
                   pg_get_constraintdef(c.oid) FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = %s ORDER BY 1, 2
            """,
            [schema],
        )
        # A CHECK rendered by PostgreSQL and parsed again may print its casts differently
        # (same meaning), so checks are compared by name; every other kind by definition.
        constraints = [
            (
                table,
                name,
                kind,
                "" if kind == "c" else definition.replace(f"REFERENCES {schema}.", "REFERENCES "),
            )
            for table, name, kind, definition in cursor.fetchall()
        ]
        cursor.execute(
            """
            SELECT tablename, indexname,
                   regexp_replace(indexdef, ' ON [^ ]+\\.', ' ON ') FROM pg_indexes
            WHERE schemaname = %s ORDER BY 1, 2
            """,
            [schema],
        )
        # Partial-index predicates, like CHECKs, may print their casts differently.
        indexes = [
            (table, name, definition.split(" WHERE ")[0], " WHERE " in definition)
            for table, name, definition in cursor.fetchall()
        ]
    # Column defaults mention the schema only through sequences, which identity columns avoid.
    return {"columns": columns, "constraints": constraints, "indexes": indexes}


def migration_records(schema: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')
        return cursor.fetchall()


def test_a_new_city_has_its_schema_domain_settings_and_invitation(db):
    made = provision_city(name="Łódź", admin_email="Prezydent@Lodz.example", languages=["pl", "en"])
    assert made.city.slug == "lodz"
    assert made.city.schema_name == "lodz"
    assert made.city.status == "trial"
    assert schema_exists("lodz")
    domain = Domain.objects.get(tenant=made.city)
    assert domain.domain == f"lodz.{settings.BASE_DOMAIN}" and domain.is_primary
    assert made.portal_url == f"http://lodz.{settings.BASE_DOMAIN}/"
    token = made.invitation_url.rstrip("/").rsplit("/", 1)[1]
    with city_context(made.ref):
        portal = PortalSettings.objects.get()
        assert portal.city_id == made.city.pk
        assert "Łódź" in portal.welcome_title["pl"] and "Łódź" in portal.welcome_title["en"]
        invitation = find_open_invitation(token)
        assert invitation.email == "prezydent@lodz.example"
        assert invitation.role == Role.ADMINISTRATOR
        # Only a hash of the token is stored.
        assert not Invitation.objects.filter(token_hash=token).exists()


def test_a_new_city_has_exactly_the_template_structure_and_migration_records(db):
    made = provision_city(name="Sopot", admin_email="a@sopot.example")
    assert structure("sopot") == structure(settings.TEMPLATE_SCHEMA_NAME)
    assert migration_records("sopot") == migration_records(settings.TEMPLATE_SCHEMA_NAME)
    assert len(migration_records("sopot")) > 10
    # Identity sequences continue after the copied rows (content types, permissions).
    with city_context(made.ref):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        created = ContentType.objects.create(app_label="probe", model="probe")
        assert created.pk > ContentType.objects.exclude(pk=created.pk).order_by("-pk")[0].pk


def test_provisioning_replays_no_migrations(db):
    """A handful of statements, not the hundreds a migration run issues."""
    provision_city(name="Warmup", admin_email="a@warm.example")  # blueprint in memory
    with CaptureQueriesContext(connection) as queries:
        provision_city(name="Gdynia", admin_email="a@gdynia.example")
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= 25, sql
    assert not any(
        "django_migrations" in s
        and s.lstrip().upper().startswith("SELECT")
        and "to_regclass" not in s
        and "string_agg" not in s
        for s in sql
    )
    assert sum("CREATE TABLE" in s for s in sql) == 1  # the whole DDL is one script


def test_failure_in_any_step_leaves_nothing_behind_and_the_slug_can_be_retried(db):
    def broken(new_city):
        raise RuntimeError("disk full")

    initializers.register_city_initializer(broken)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            provision_city(name="Elbląg", admin_email="a@elblag.example")
    finally:
        initializers._initializers.remove(broken)
    assert not schema_exists("elblag")
    assert not City.objects.filter(slug="elblag").exists()
    assert not Domain.objects.filter(domain__startswith="elblag.").exists()

    made = provision_city(name="Elbląg", admin_email="a@elblag.example")
    assert made.city.slug == "elblag" and schema_exists("elblag")


def test_a_taken_slug_is_refused_with_a_reason(city):
    with pytest.raises(ProvisioningRefused) as refused:
        provision_city(name="Gdańsk", slug=city.model.slug, admin_email="x@example.com")
    assert "taken" in refused.value.errors["slug"]
    assert City.objects.filter(slug=city.model.slug).count() == 1


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("ab", "too short"),
        ("a" * 41, "too long"),
        ("Gdansk", "lowercase"),
        ("gdańsk", "without accents"),
        ("-gdansk", "start or end with a hyphen"),
        ("gdansk-", "start or end with a hyphen"),
        ("gd--ansk", "two hyphens"),
        ("gd_ansk", "only lowercase letters"),
        ("www", "reserved"),
        ("admin", "reserved"),
        ("api", "reserved"),
        ("public", "reserved"),
        ("ratusz-template", "reserved"),
    ],
)
def test_bad_slugs_are_refused_with_words_a_person_understands(db, slug, reason):
    with pytest.raises(ProvisioningRefused) as refused:
        provision_city(name="Somewhere", slug=slug, admin_email="a@example.com")
    assert reason in refused.value.errors["slug"]
    assert not City.objects.filter(slug=slug).exists()


def test_other_bad_input_is_refused_field_by_field(db):
    with pytest.raises(ProvisioningRefused) as refused:
        provision_city(
            name=" ",
            slug="fine-slug",
            admin_email="not-an-email",
            country="Poland",
            default_language="de",
            languages=["pl"],
            time_zone="Mars/Olympus",
        )
    assert set(refused.value.errors) == {
        "name",
        "admin_email",
        "country",
        "default_language",
        "time_zone",
    }
    with pytest.raises(ProvisioningRefused) as refused:
        provision_city(name="X", slug="xx-x", admin_email="a@b.pl", languages=["pl", "xx"])
    assert "xx" in refused.value.errors["languages"]
    assert not City.objects.filter(slug="fine-slug").exists()


def test_two_simultaneous_signups_for_one_slug_make_one_city(make_city, live_db):
    results: list[object] = []
    barrier = threading.Barrier(2)

    def attempt() -> None:
        from django.db import connections

        try:
            barrier.wait()
            results.append(provision_city(name="Toruń", admin_email="a@torun.example"))
        except ProvisioningRefused as refused:
            results.append(refused)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made = [r for r in results if not isinstance(r, ProvisioningRefused)]
    refused = [r for r in results if isinstance(r, ProvisioningRefused)]
    assert len(made) == 1 and len(refused) == 1
    assert "taken" in refused[0].errors["slug"]
    assert City.objects.filter(slug="torun").count() == 1


def test_create_city_command_prints_the_portal_and_the_invitation(db, capsys):
    call_command(
        "create_city", "Kraków", "--admin-email", "a@krakow.example", "--languages", "pl,en"
    )
    out = capsys.readouterr().out
    assert f"http://krakow.{settings.BASE_DOMAIN}/" in out
    assert f"http://krakow.{settings.BASE_DOMAIN}/invitation/" in out
    call_command("list_cities")
    listing = capsys.readouterr().out
    assert "krakow" in listing and "Kraków" in listing and "pl,en" in listing


def test_create_city_command_refuses_bad_input_clearly(db):
    with pytest.raises(CommandError) as error:
        call_command("create_city", "Kraków", "--slug", "www", "--admin-email", "nope")
    message = str(error.value)
    assert "reserved" in message and "admin_email" in message
    assert not City.objects.filter(name="Kraków").exists()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Łódź", "lodz"),
        ("Gdańsk", "gdansk"),
        ("Bielsko-Biała", "bielsko-biala"),
        ("Kędzierzyn-Koźle", "kedzierzyn-kozle"),
        ("Zielona Góra", "zielona-gora"),
        ("Gmina Świętochłowice (miasto)", "gmina-swietochlowice-miasto"),
        ("Ełk", "elk"),
        ("Oś", "os-city"),
        ("Www", "www-city"),
    ],
)
def test_a_slug_is_suggested_from_the_name_with_polish_letters_transliterated(name, slug):
    from ratusz.tenants.slugs import check_slug_format, suggest_slug

    assert suggest_slug(name) == slug
    check_slug_format(slug)  # every suggestion is itself acceptable
