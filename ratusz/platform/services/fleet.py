"""Operator actions on the whole fleet: migrations and announcements."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.platform.audit import ActionRefused, Actor, Audit, audited
from ratusz.platform.models import FleetMigration, FleetMigrationCity, RunStatus
from ratusz.tenants.announcements import forget_announcements
from ratusz.tenants.models import Announcement, City
from ratusz.tenants.queue import enqueue_for_city


@audited("fleet.migrate")
def start_fleet_migration(audit: Audit, *, actor: Actor) -> FleetMigration:
    """Queue a migration of the public and template schemas and then of every city."""
    if FleetMigration.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise ActionRefused(_("A fleet migration is already running."))
    run = FleetMigration.objects.create(started_by_id=actor.id, started_by_email=actor.email)
    audit.after = {"run": run.pk}
    run_id = run.pk
    transaction.on_commit(
        lambda: enqueue_for_city(
            settings.PUBLIC_SCHEMA_NAME, "platform.run_fleet_migration", run_id
        )
    )
    return run


@audited("fleet.migrate_retry")
def retry_city_migration(
    audit: Audit, *, actor: Actor, row: FleetMigrationCity
) -> FleetMigrationCity:
    locked = FleetMigrationCity.objects.select_for_update().get(pk=row.pk)
    if locked.status != RunStatus.FAILED:
        raise ActionRefused(_("Only a city whose migration failed can be retried."))
    locked.status = RunStatus.QUEUED
    locked.error = ""
    locked.save(update_fields=["status", "error", "updated_at"])
    audit.city = City.objects.filter(pk=locked.city_id).first()
    audit.after = {"run": locked.run_id, "schema": locked.schema_name}
    row_id = locked.pk
    transaction.on_commit(
        lambda: enqueue_for_city(settings.PUBLIC_SCHEMA_NAME, "platform.migrate_one_city", row_id)
    )
    return locked


@audited("announcement.broadcast")
def broadcast_announcement(
    audit: Audit,
    *,
    actor: Actor,
    message: dict[str, str],
    starts_at: datetime,
    ends_at: datetime,
    level: str = "info",
    city_ids: list[int] | None = None,
) -> Announcement:
    """Show a banner on every city portal (city_ids None) or on the cities given."""
    texts = {code: text.strip() for code, text in message.items() if text.strip()}
    if not texts:
        raise ActionRefused(_("Write the announcement in at least one language."))
    if ends_at <= starts_at:
        raise ActionRefused(_("The announcement must end after it starts."))
    if city_ids is not None and not city_ids:
        raise ActionRefused(_("No city matches the chosen filters."))
    announcement = Announcement.objects.create(
        message=texts,
        level=level,
        all_cities=city_ids is None,
        city_ids=sorted(city_ids or []),
        starts_at=starts_at,
        ends_at=ends_at,
        created_by_id=actor.id,
    )
    audit.after = {
        "announcement": announcement.pk,
        "message": texts,
        "cities": "all" if city_ids is None else len(city_ids),
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    transaction.on_commit(forget_announcements)
    return announcement


@audited("announcement.withdraw")
def withdraw_announcement(
    audit: Audit, *, actor: Actor, announcement: Announcement
) -> Announcement:
    if announcement.withdrawn_at is not None:
        audit.skip()  # withdrawn already: nothing to do, nothing to record
        return announcement
    announcement.withdrawn_at = timezone.now()
    announcement.save(update_fields=["withdrawn_at"])
    audit.after = {"announcement": announcement.pk}
    transaction.on_commit(forget_announcements)
    return announcement
