"""A city's lifecycle: trial, active, suspended, archived, deleted (with a grace period) and
purged. Its status changes only here, whoever asks (operators, billing, onboarding)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import quote_schema_name

from ratusz.errors import Refused
from ratusz.tenants import routing
from ratusz.tenants.cache import forget_city_cache
from ratusz.tenants.context import schema_context
from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.models import City, CityStatus, Domain, SlugRedirect

# Lifecycle moves a city may make. Billing, operators and onboarding all go through here.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CityStatus.TRIAL: {CityStatus.ACTIVE, CityStatus.SUSPENDED, CityStatus.ARCHIVED},
    CityStatus.ACTIVE: {CityStatus.SUSPENDED, CityStatus.ARCHIVED},
    CityStatus.SUSPENDED: {CityStatus.ACTIVE, CityStatus.TRIAL, CityStatus.ARCHIVED},
    CityStatus.ARCHIVED: {CityStatus.ACTIVE, CityStatus.TRIAL, CityStatus.SUSPENDED},
}


# Open states (the city runs, in trial or paid for) and closed ones (the lifecycle shut it). A
# closed city remembers the open state it left (`City.resumes_as`) and returns to it when
# reactivated: the lifecycle never decides whether a city has paid, billing does.
OPEN_STATES = frozenset({CityStatus.TRIAL, CityStatus.ACTIVE})


CLOSED_STATES = frozenset({CityStatus.SUSPENDED, CityStatus.ARCHIVED})


def open_city(*, city: City) -> City:
    """Open the portal to the public (idempotent: the first opening time is kept)."""
    with transaction.atomic():
        opened = City.objects.filter(pk=city.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        city.refresh_from_db(fields=["opened_at"])
        if opened:
            city_id = city.pk
            transaction.on_commit(lambda: routing.forget_city(city_id))
    return city


class TransitionRefused(Refused, ValueError):
    code = "transition_refused"


def change_city_status(*, city: City, status: str) -> City:
    """Move a city through its lifecycle; the change reaches every host at once."""
    if status not in CityStatus.values:
        raise TransitionRefused(_("“%(status)s” is not a city status.") % {"status": status})
    with transaction.atomic():
        locked = City.objects.select_for_update().get(pk=city.pk)
        if locked.status == status:
            return locked
        if status not in ALLOWED_TRANSITIONS[locked.status]:
            raise TransitionRefused(
                _("A city cannot go from %(old)s to %(new)s.")
                % {"old": locked.get_status_display(), "new": CityStatus(status).label}
            )
        _move(locked, status)
        locked.save(update_fields=["status", "resumes_as", "updated_at"])
        transaction.on_commit(lambda: routing.forget_city(locked.pk))
    return locked


def _move(city: City, status: str) -> None:
    """Set the status, remembering the open state a city leaves when it is closed (closing it
    again, suspended to archived, keeps what it left first)."""
    if status in CLOSED_STATES and city.status in OPEN_STATES:
        city.resumes_as = city.status
    elif status in OPEN_STATES:
        city.resumes_as = ""
    city.status = status


def reactivate_city(*, city: City) -> City:
    """Reopen a suspended or archived city in the open state it left: a trial stays a trial
    (with its end date, which billing keeps), an active city is active again. Cities closed
    before the lifecycle remembered this reopen as active."""
    with transaction.atomic():
        locked = City.objects.select_for_update().get(pk=city.pk)
        if locked.deleted_at is not None:
            raise TransitionRefused(_("This city is deleted: restore it first."))
        if locked.status not in CLOSED_STATES:
            raise TransitionRefused(_("Only a suspended or archived city can be reactivated."))
        return change_city_status(city=locked, status=locked.resumes_as or CityStatus.ACTIVE)


def end_trial(*, city: City) -> City:
    """The city pays now (billing says so): a city in trial becomes active, and a suspended or
    archived one that left a trial will reopen as active. Other states are left as they are."""
    with transaction.atomic():
        locked = City.objects.select_for_update().get(pk=city.pk)
        if locked.status == CityStatus.TRIAL:
            return change_city_status(city=locked, status=CityStatus.ACTIVE)
        if locked.status in CLOSED_STATES and locked.resumes_as == CityStatus.TRIAL:
            locked.resumes_as = CityStatus.ACTIVE
            # A trial city paying while deleted is restored as active.
            if locked.restores_as == CityStatus.TRIAL:
                locked.restores_as = CityStatus.ACTIVE
            locked.save(update_fields=["resumes_as", "restores_as", "updated_at"])
    return locked


@without_statement_timeout()
def purge_city(*, city: City, remove_files: bool = False) -> None:
    """Remove a city for good: its schema, its domains, its registry row (and, when asked,
    its stored files)."""
    hosts = list(Domain.objects.filter(tenant=city).values_list("domain", flat=True))
    hosts += list(SlugRedirect.objects.filter(city=city).values_list("host", flat=True))
    schema_name = city.schema_name
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_schema_name(city.schema_name)} CASCADE")
        Domain.objects.filter(tenant=city).delete()
        City.objects.filter(pk=city.pk).delete()
        transaction.on_commit(lambda: routing.forget_hosts(hosts))
        # Its schema name may go to a new city at the same address: nothing cached may be left.
        transaction.on_commit(lambda: forget_city_cache(schema_name))
        if remove_files:
            transaction.on_commit(lambda: remove_city_files(schema_name=schema_name))


DELETION_GRACE = timedelta(days=30)


class CityChangeRefused(Refused, ValueError):
    """A change to a city that cannot be made; the message says why, for a person."""

    code = "city_change_refused"


def soft_delete_city(*, city: City, grace: timedelta = DELETION_GRACE) -> City:
    """Close the city at once (suspended, so its portal and its tasks stop) and schedule the
    purge after `grace`; `restore_deleted_city` undoes it until then, back to the state the
    city had (kept in `restores_as`)."""
    with transaction.atomic():
        locked = City.objects.select_for_update().get(pk=city.pk)
        if locked.deleted_at is not None:
            raise CityChangeRefused(_("This city is already deleted."))
        now = timezone.now()
        locked.restores_as = locked.status
        _move(locked, CityStatus.SUSPENDED)
        locked.deleted_at = now
        locked.purge_after = now + grace
        locked.save(
            update_fields=[
                "status", "resumes_as", "restores_as", "deleted_at", "purge_after", "updated_at"
            ]
        )  # fmt: skip
        transaction.on_commit(lambda: routing.forget_city(locked.pk))
    return locked


def restore_deleted_city(*, city: City) -> City:
    """Cancel a soft deletion: the city is again what it was when deleted (an archived city
    archived, a trial a trial). A city deleted before this was remembered stays suspended
    until someone reactivates it."""
    with transaction.atomic():
        locked = City.objects.select_for_update().get(pk=city.pk)
        if locked.deleted_at is None:
            raise CityChangeRefused(_("This city is not deleted."))
        # Through _move, so that reopening clears what a closed city remembers (resumes_as),
        # and closing again keeps it.
        _move(locked, locked.restores_as or CityStatus.SUSPENDED)
        locked.restores_as = ""
        locked.deleted_at = None
        locked.purge_after = None
        locked.save(
            update_fields=[
                "status", "resumes_as", "restores_as", "deleted_at", "purge_after", "updated_at"
            ]
        )  # fmt: skip
        transaction.on_commit(lambda: routing.forget_city(locked.pk))
    return locked


def cities_due_for_purge() -> list[City]:
    return list(City.objects.filter(purge_after__lte=timezone.now()).order_by("purge_after"))


def remove_city_files(*, schema_name: str) -> None:
    """Delete every file stored for the city (its folder, or its S3 prefix)."""

    def remove_tree(path: str) -> None:
        folders, files = default_storage.listdir(path)
        for name in files:
            default_storage.delete(f"{path}/{name}" if path else name)
        for folder in folders:
            remove_tree(f"{path}/{folder}" if path else folder)

    with schema_context(schema_name):
        try:
            remove_tree("")
        except FileNotFoundError:
            return
        location = getattr(default_storage, "location", "")
    if location:
        import shutil

        shutil.rmtree(location, ignore_errors=True)
