"""Control-plane background work of the console: fleet migrations, exports, clean-ups.

They are queued from the control plane (public schema) and take ids, never objects.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ratusz.platform.archive import build_export
from ratusz.platform.audit import SYSTEM
from ratusz.platform.models import FleetMigration, FleetMigrationCity, RunStatus
from ratusz.platform.services import purge_due_cities as purge
from ratusz.tenants import schema_migrations as sm
from ratusz.tenants.blueprint import refresh_blueprint
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.models import City
from ratusz.tenants.support import end_expired_support_access as end

logger = logging.getLogger(__name__)


def _migrate_row(row: FleetMigrationCity) -> None:
    FleetMigrationCity.objects.filter(pk=row.pk).update(
        status=RunStatus.RUNNING, updated_at=timezone.now()
    )
    result = sm.migrate_schema(row.schema_name)
    FleetMigrationCity.objects.filter(pk=row.pk).update(
        status=RunStatus.DONE if result.ok else RunStatus.FAILED,
        error=result.error,
        applied=result.applied,
        seconds=result.seconds,
        updated_at=timezone.now(),
    )


@shared_task(name="platform.run_fleet_migration")
@without_statement_timeout()
def run_fleet_migration(run_id: int) -> str:
    """Migrate public, then the template (re-rendering the blueprint), then each city with
    pending migrations, one at a time, recording each city's outcome as it goes."""
    run = FleetMigration.objects.filter(pk=run_id).first()
    if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return "skipped"
    run.status = RunStatus.RUNNING
    run.save(update_fields=["status"])
    for schema in (settings.PUBLIC_SCHEMA_NAME, settings.TEMPLATE_SCHEMA_NAME):
        sm.ensure_schema(schema)
        shared = sm.migrate_schema(schema)
        if not shared.ok:
            FleetMigration.objects.filter(pk=run_id).update(
                status=RunStatus.FAILED,
                error=f"{schema}: {shared.error}",
                finished_at=timezone.now(),
            )
            return "failed"
    refresh_blueprint()
    cities = list(City.objects.order_by("slug").values_list("pk", "slug", "schema_name"))
    pending = set(sm.schemas_with_pending([schema for _pk, _slug, schema in cities]))
    with transaction.atomic():
        FleetMigrationCity.objects.bulk_create(
            [
                FleetMigrationCity(
                    run_id=run_id,
                    city_id=pk,
                    city_slug=slug,
                    schema_name=schema,
                    status=RunStatus.QUEUED if schema in pending else RunStatus.DONE,
                )
                for pk, slug, schema in cities
            ],
            ignore_conflicts=True,
        )
    for row in FleetMigrationCity.objects.filter(run_id=run_id, status=RunStatus.QUEUED):
        _migrate_row(row)
    failed = FleetMigrationCity.objects.filter(run_id=run_id, status=RunStatus.FAILED).exists()
    FleetMigration.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED if failed else RunStatus.DONE, finished_at=timezone.now()
    )
    return "failed" if failed else "done"


@shared_task(name="platform.migrate_one_city")
def migrate_one_city(row_id: int) -> str:
    """Retry one city of a run alone."""
    row = FleetMigrationCity.objects.filter(pk=row_id).first()
    if row is None or row.status != RunStatus.QUEUED:
        return "skipped"
    _migrate_row(row)
    row.refresh_from_db()
    if row.status == RunStatus.DONE and not row.run.cities.filter(status=RunStatus.FAILED).exists():
        FleetMigration.objects.filter(pk=row.run_id).update(status=RunStatus.DONE)
    return str(row.status)


@shared_task(name="platform.export_city")
def export_city(export_id: int) -> str:
    return build_export(export_id)


@shared_task(name="platform.purge_due_cities")
def purge_due_cities() -> int:
    return len(purge(actor=SYSTEM))


@shared_task(name="platform.end_expired_support_access")
def end_expired_support_access() -> int:
    return end()
