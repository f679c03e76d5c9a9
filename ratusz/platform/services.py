"""Operator actions. Each one changes the fleet through the owning service (tenants'
lifecycle, entitlements...) and records itself in the audit log in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.platform.audit import Actor, city_snapshot, record
from ratusz.platform.models import FleetMigration, FleetMigrationCity, RunStatus
from ratusz.tenants import services as tenants
from ratusz.tenants.announcements import forget_announcements
from ratusz.tenants.entitlements import set_entitlements
from ratusz.tenants.models import Announcement, City, CityStatus, Domain
from ratusz.tenants.support import IssuedGrant, grant_support_access
from ratusz.tenants.tasks import enqueue_for_city


class ActionRefused(ValueError):
    """An operator action that cannot be done; the message says why."""


def _locked(city: City) -> City:
    return City.objects.select_for_update().get(pk=city.pk)


def _change_status(*, actor: Actor, city: City, status: str, action: str, reason: str) -> City:
    with transaction.atomic():
        before = city_snapshot(_locked(city))
        if before["deleted_at"] is not None:
            raise ActionRefused(_("This city is deleted: restore it first."))
        try:
            changed = tenants.change_city_status(city=city, status=status)
        except tenants.TransitionRefused as refused:
            raise ActionRefused(str(refused)) from refused
        record(
            actor=actor,
            action=action,
            city=changed,
            before=before,
            after=city_snapshot(changed),
            reason=reason,
        )
    return changed


def suspend_city(*, actor: Actor, city: City, reason: str = "") -> City:
    return _change_status(
        actor=actor, city=city, status=CityStatus.SUSPENDED, action="city.suspend", reason=reason
    )


def reactivate_city(*, actor: Actor, city: City, reason: str = "") -> City:
    return _change_status(
        actor=actor, city=city, status=CityStatus.ACTIVE, action="city.reactivate", reason=reason
    )


def archive_city(*, actor: Actor, city: City, reason: str = "") -> City:
    return _change_status(
        actor=actor, city=city, status=CityStatus.ARCHIVED, action="city.archive", reason=reason
    )


def delete_city(
    *, actor: Actor, city: City, reason: str = "", grace: timedelta = tenants.DELETION_GRACE
) -> City:
    with transaction.atomic():
        before = city_snapshot(_locked(city))
        try:
            deleted = tenants.soft_delete_city(city=city, grace=grace)
        except tenants.CityChangeRefused as refused:
            raise ActionRefused(str(refused)) from refused
        record(
            actor=actor,
            action="city.delete",
            city=deleted,
            before=before,
            after=city_snapshot(deleted),
            reason=reason,
        )
    return deleted


def restore_city(*, actor: Actor, city: City, reason: str = "") -> City:
    with transaction.atomic():
        before = city_snapshot(_locked(city))
        try:
            restored = tenants.restore_deleted_city(city=city)
        except tenants.CityChangeRefused as refused:
            raise ActionRefused(str(refused)) from refused
        record(
            actor=actor,
            action="city.restore",
            city=restored,
            before=before,
            after=city_snapshot(restored),
            reason=reason,
        )
    return restored


def purge_deleted_city(*, actor: Actor, city: City, reason: str = "") -> None:
    """Remove a soft-deleted city for good, grace period or not (operators decide)."""
    with transaction.atomic():
        locked = _locked(city)
        if locked.deleted_at is None:
            raise ActionRefused(_("Only a deleted city can be purged: delete it first."))
        record(
            actor=actor,
            action="city.purge",
            city=locked,
            before=city_snapshot(locked),
            after={},
            reason=reason,
        )
        tenants.purge_city(city=locked, remove_files=True)


def purge_due_cities(*, actor: Actor) -> list[str]:
    """Purge every city whose grace period is over; returns their slugs."""
    purged = []
    for city in tenants.cities_due_for_purge():
        purge_deleted_city(actor=actor, city=city, reason="grace period over")
        purged.append(city.slug)
    return purged


def change_entitlements(
    *,
    actor: Actor,
    city: City,
    plan: str,
    limits: Mapping[str, int | None],
    features: Mapping[str, bool],
    reason: str = "",
) -> City:
    with transaction.atomic():
        locked = _locked(city)
        before = city_snapshot(locked)
        changed = set_entitlements(city=locked, plan=plan, limits=limits, features=features)
        record(
            actor=actor,
            action="city.entitlements",
            city=changed,
            before=before,
            after=city_snapshot(changed),
            reason=reason,
        )
    return changed


def rename_city(*, actor: Actor, city: City, slug: str, reason: str = "") -> City:
    """Raises ratusz.tenants.slugs.SlugRefused with the reason (taken, reserved, malformed)."""
    with transaction.atomic():
        before = city_snapshot(_locked(city))
        renamed = tenants.rename_city_slug(city=city, slug=slug)
        record(
            actor=actor,
            action="city.rename",
            city=renamed,
            before=before,
            after=city_snapshot(renamed),
            reason=reason,
        )
    return renamed


def remove_city_domain(*, actor: Actor, domain: Domain, reason: str = "") -> None:
    with transaction.atomic():
        city = _locked(domain.tenant)
        try:
            tenants.remove_domain(domain=domain)
        except tenants.CityChangeRefused as refused:
            raise ActionRefused(str(refused)) from refused
        record(
            actor=actor,
            action="domain.remove",
            city=city,
            before={"domain": domain.domain},
            reason=reason,
        )


def grant_support(
    *, actor: Actor, city: City, reason: str, duration: timedelta = timedelta(hours=1)
) -> IssuedGrant:
    """Raises ratusz.tenants.support.SupportAccessRefused (no reason, duration out of range)."""
    if actor.id is None:
        raise ActionRefused(_("Support access is given to a person."))
    with transaction.atomic():
        issued = grant_support_access(
            city=city,
            operator_id=actor.id,
            operator_email=actor.email,
            reason=reason,
            duration=duration,
        )
        record(
            actor=actor,
            action="city.support_access",
            city=city,
            after={"grant": issued.grant.pk, "expires_at": issued.grant.expires_at},
            reason=reason,
        )
    return issued


# --- Fleet migrations --------------------------------------------------------------------


def start_fleet_migration(*, actor: Actor) -> FleetMigration:
    """Queue a migration of the public and template schemas and then of every city."""
    from ratusz.platform import tasks

    with transaction.atomic():
        if FleetMigration.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            raise ActionRefused(_("A fleet migration is already running."))
        run = FleetMigration.objects.create(started_by_id=actor.id, started_by_email=actor.email)
        record(actor=actor, action="fleet.migrate", after={"run": run.pk})
        run_id = run.pk
        transaction.on_commit(
            lambda: enqueue_for_city(settings.PUBLIC_SCHEMA_NAME, tasks.run_fleet_migration, run_id)
        )
    return run


def retry_city_migration(*, actor: Actor, row: FleetMigrationCity) -> FleetMigrationCity:
    from ratusz.platform import tasks

    with transaction.atomic():
        locked = FleetMigrationCity.objects.select_for_update().get(pk=row.pk)
        if locked.status != RunStatus.FAILED:
            raise ActionRefused(_("Only a city whose migration failed can be retried."))
        locked.status = RunStatus.QUEUED
        locked.error = ""
        locked.save(update_fields=["status", "error", "updated_at"])
        city = City.objects.filter(pk=locked.city_id).first()
        record(
            actor=actor,
            action="fleet.migrate_retry",
            city=city,
            after={"run": locked.run_id, "schema": locked.schema_name},
        )
        row_id = locked.pk
        transaction.on_commit(
            lambda: enqueue_for_city(settings.PUBLIC_SCHEMA_NAME, tasks.migrate_one_city, row_id)
        )
    return locked


# --- Announcements -------------------------------------------------------------------------


def broadcast_announcement(
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
    with transaction.atomic():
        announcement = Announcement.objects.create(
            message=texts,
            level=level,
            all_cities=city_ids is None,
            city_ids=sorted(city_ids or []),
            starts_at=starts_at,
            ends_at=ends_at,
            created_by_id=actor.id,
        )
        record(
            actor=actor,
            action="announcement.broadcast",
            after={
                "announcement": announcement.pk,
                "message": texts,
                "cities": "all" if city_ids is None else len(city_ids),
                "starts_at": starts_at,
                "ends_at": ends_at,
            },
        )
        transaction.on_commit(forget_announcements)
    return announcement


def withdraw_announcement(*, actor: Actor, announcement: Announcement) -> Announcement:
    with transaction.atomic():
        if announcement.withdrawn_at is None:
            announcement.withdrawn_at = timezone.now()
            announcement.save(update_fields=["withdrawn_at"])
            record(
                actor=actor,
                action="announcement.withdraw",
                after={"announcement": announcement.pk},
            )
            transaction.on_commit(forget_announcements)
    return announcement
