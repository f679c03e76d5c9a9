"""Spare schemas: built ahead from the blueprint, renamed into place for a new city, dropped
when the migration state moves on, and put back when a provisioning fails."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test.utils import CaptureQueriesContext

from ratusz.consultations.models import PortalSettings
from ratusz.tenants import initializers
from ratusz.tenants.blueprint import create_schema_from_blueprint, current_blueprint
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.models import SpareSchema
from ratusz.tenants.services import provision_city
from ratusz.tenants.spares import fill_spare_pool
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
