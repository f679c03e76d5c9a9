"""Spare schemas: built ahead from the blueprint, renamed into place for a new city, dropped
when the migration state moves on, and put back when a provisioning fails; built over several
connections when the pool is empty; the pool sized from the recent sign-up rate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratusz.consultations.core.models import PortalSettings
from ratusz.tenants import initializers
from ratusz.tenants.blueprint import create_schema_from_blueprint, current_blueprint
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.models import City, SpareSchema
from ratusz.tenants.services import provision_city
from ratusz.tenants.spares import (
    SignUpRate,
    build_spare,
    drop_spare,
    fill_spare_pool,
    recent_sign_up_rate,
    target_size,
)
from tests.tenants.test_provisioning import migration_records, schema_exists, structure


def test_a_new_city_takes_a_ready_spare_and_works_like_any_other(db):
    assert fill_spare_pool(2) == 2
    assert fill_spare_pool(2) == 0  # full already
    spares = set(SpareSchema.objects.values_list("name", flat=True))
    assert all(name.startswith("_spare_") and schema_exists(name) for name in spares)

    with CaptureQueriesContext(connection) as queries:
        made = provision_city(name="Puck", admin_email="a@puck.example")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "RENAME TO" in sql and "CREATE TABLE" not in sql  # a rename, not a build
    left = set(SpareSchema.objects.values_list("name", flat=True))
    assert len(left) == 1 and left < spares
    [taken] = spares - left
    assert not schema_exists(taken) and schema_exists("puck")
    assert structure("puck") == structure(settings.TEMPLATE_SCHEMA_NAME)
    assert migration_records("puck") == migration_records(settings.TEMPLATE_SCHEMA_NAME)
    with city_context(made.ref):  # the city's own rows were written into the spare
        assert PortalSettings.objects.get().city_id == made.city.pk


def test_spares_of_an_old_migration_state_are_never_used_and_get_dropped(db):
    blueprint = current_blueprint()
    create_schema_from_blueprint("_spare_old", blueprint)
    SpareSchema.objects.create(name="_spare_old", state="an-older-state")
    made = provision_city(name="Hel", admin_email="a@hel.example")
    assert schema_exists("hel") and schema_exists("_spare_old")  # built, not taken
    assert made.city.schema_name == "hel"
    fill_spare_pool(1)
    assert not schema_exists("_spare_old")
    assert list(SpareSchema.objects.values_list("state", flat=True)) == [blueprint.state]


def test_a_failed_provisioning_puts_the_spare_back(db):
    fill_spare_pool(1)
    [spare] = SpareSchema.objects.values_list("name", flat=True)

    def broken(new_city):
        raise RuntimeError("disk full")

    initializers.register_city_initializer(broken)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            provision_city(name="Łeba", admin_email="a@leba.example")
    finally:
        initializers._initializers.remove(broken)
    assert schema_exists(spare) and not schema_exists("leba")
    assert SpareSchema.objects.filter(name=spare).exists()


def test_no_slug_can_ever_name_a_spare():
    from ratusz.tenants.slugs import SlugRefused, check_slug_format, schema_name_for

    with pytest.raises(SlugRefused):
        check_slug_format("_spare_abc")
    assert not schema_name_for("spare-abc").startswith("_spare_")


# --- the pool's size follows the sign-ups ------------------------------------------------------


@override_settings(SPARE_SCHEMAS=2, SPARE_SCHEMAS_MAX=12)
def test_the_pool_holds_what_the_recent_sign_up_rate_takes_until_the_next_top_up():
    # Quiet: the smallest pool.
    assert target_size(SignUpRate((0, 0))) == 2
    # 20 sign-ups in the last ten minutes: 2 a minute, 10 before the 5-minute top-up.
    assert target_size(SignUpRate((20, 20))) == 10
    # An hour's steady stream (60: 1 a minute) is not forgotten when the last minutes were
    # quiet.
    assert target_size(SignUpRate((0, 60))) == 5
    # A rush is bounded by the largest pool.
    assert target_size(SignUpRate((200, 200))) == 12
    with override_settings(SPARE_SCHEMAS=0):
        assert target_size(SignUpRate((200, 200))) == 0  # the pool is switched off


def test_the_sign_up_rate_counts_the_cities_created_in_each_window(db):
    now = timezone.now()
    ages = [timedelta(minutes=1)] * 3 + [timedelta(minutes=30)] * 2 + [timedelta(hours=3)]
    made = [
        City.objects.create(schema_name=f"rate_{n}", slug=f"rate-{n}", name="R", languages=["pl"])
        for n in range(len(ages))
    ]
    for city, age in zip(made, ages, strict=True):
        City.objects.filter(pk=city.pk).update(created_at=now - age)
    before = recent_sign_up_rate()  # whatever else the test database holds
    assert before.counts[0] >= 3 and before.counts[1] >= 5
    City.objects.filter(pk__in=[c.pk for c in made]).delete()
    after = recent_sign_up_rate()
    assert (before.counts[0] - after.counts[0], before.counts[1] - after.counts[1]) == (3, 5)


@override_settings(SPARE_SCHEMAS=1, SPARE_SCHEMAS_MAX=1)
def test_filling_the_pool_builds_the_size_the_rate_asks_for(db):
    assert fill_spare_pool() == 1  # the quiet rate of a test database: the smallest pool
    assert SpareSchema.objects.count() == 1


# --- with the pool empty, a spare is built over several connections, then taken ---------------


@override_settings(SPARE_BUILD_CONNECTIONS=4)
def test_with_the_pool_empty_a_schema_built_side_by_side_becomes_the_city(make_city):
    assert not SpareSchema.objects.exists()
    city = make_city()
    assert structure(city.schema) == structure(settings.TEMPLATE_SCHEMA_NAME)
    assert migration_records(city.schema) == migration_records(settings.TEMPLATE_SCHEMA_NAME)
    assert not SpareSchema.objects.exists()  # built for this city, and taken by it
    with city_context(city.ref):
        assert PortalSettings.objects.get().city_id == city.model.pk
    assert city.client().get("/").status_code == 200


@override_settings(SPARE_BUILD_CONNECTIONS=3)
def test_a_spare_built_side_by_side_is_in_the_pool_and_like_the_template(live_db):
    blueprint = current_blueprint()
    name = build_spare(blueprint)
    try:
        assert name is not None and schema_exists(name)
        assert SpareSchema.objects.get(name=name).state == blueprint.state
        assert structure(name) == structure(settings.TEMPLATE_SCHEMA_NAME)
        assert migration_records(name) == migration_records(settings.TEMPLATE_SCHEMA_NAME)
    finally:
        for spare in SpareSchema.objects.all():
            drop_spare(spare)
    assert not schema_exists(name)


@override_settings(SPARE_BUILD_CONNECTIONS=1)
def test_with_one_build_connection_the_schema_is_built_in_the_provisioning_transaction(db):
    assert build_spare(current_blueprint()) is None
    with CaptureQueriesContext(connection) as queries:
        provision_city(name="Reda", admin_email="a@reda.example")
    assert any("CREATE TABLE" in q["sql"] for q in queries.captured_queries)
    assert schema_exists("reda") and not SpareSchema.objects.exists()
