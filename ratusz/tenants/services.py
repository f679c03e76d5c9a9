"""Writes on the city registry: provisioning, lifecycle, removal."""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import quote_schema_name

from ratusz.accounts.models import Role
from ratusz.accounts.services import create_invitation
from ratusz.errors import Refused
from ratusz.tenants import routing
from ratusz.tenants.blueprint import create_schema_from_blueprint, current_blueprint
from ratusz.tenants.cache import forget_city_cache
from ratusz.tenants.context import CityRef, city_context, schema_context
from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.initializers import NewCity, city_initializers
from ratusz.tenants.links import city_url
from ratusz.tenants.models import City, CityStatus, Domain, SlugRedirect
from ratusz.tenants.slugs import SlugRefused, check_slug_format, schema_name_for, suggest_slug
from ratusz.tenants.spares import build_spare, refill_after_commit, take_spare

logger = logging.getLogger(__name__)


class ProvisioningRefused(Refused, ValueError):
    """Input that cannot make a city; `errors` maps each field to a reason for a person."""

    code = "provisioning_refused"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ProvisionedCity:
    city: City
    ref: CityRef
    portal_url: str
    invitation_url: str


def supported_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def validate_new_city(
    *,
    name: str,
    slug: str,
    country: str,
    default_language: str,
    languages: list[str],
    time_zone: str,
    admin_email: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Enter the city's name.")
    elif len(name) > 200:
        errors["name"] = _("The name is too long: use at most 200 characters.")
    try:
        check_slug_format(slug)
    except SlugRefused as refused:
        errors["slug"] = refused.reason
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        errors["country"] = _("Give the country as a two-letter code, for example PL.")
    unknown = [code for code in languages if code not in supported_languages()]
    if not languages:
        errors["languages"] = _("Choose at least one language.")
    elif unknown:
        errors["languages"] = _("These languages are not available: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    elif default_language not in languages:
        errors["default_language"] = _("The default language must be one of the city's languages.")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("“%(tz)s” is not a known time zone.") % {"tz": time_zone}
    try:
        validate_email(admin_email)
    except ValidationError:
        errors["admin_email"] = _("Enter a valid e-mail address for the administrator.")
    return errors


@without_statement_timeout()
def provision_city(
    *,
    name: str,
    admin_email: str,
    slug: str | None = None,
    admin_name: str = "",
    country: str = "PL",
    default_language: str = "pl",
    languages: list[str] | None = None,
    time_zone: str = "Europe/Warsaw",
    status: str = CityStatus.TRIAL,
    open_now: bool = True,
) -> ProvisionedCity:
    """Create a city, its schema, its primary domain, its defaults and its first
    administrator's invitation: all of it, or nothing. With `open_now=False` residents see a
    "coming soon" page until `open_city` (self-signup opens once the e-mail is confirmed)."""
    slug = (slug or suggest_slug(name)).strip()
    languages = list(dict.fromkeys(languages or [default_language]))
    errors = validate_new_city(
        name=name,
        slug=slug,
        country=country,
        default_language=default_language,
        languages=languages,
        time_zone=time_zone,
        admin_email=admin_email,
    )
    if errors:
        raise ProvisioningRefused(errors)
    taken = ProvisioningRefused({"slug": _("The subdomain “%(slug)s” is taken.") % {"slug": slug}})
    schema = schema_name_for(slug)
    blueprint = current_blueprint()
    host = f"{slug}.{settings.BASE_DOMAIN}"
    try:
        with transaction.atomic():
            if (
                City.objects.filter(slug=slug).exists()
                or _schema_exists(schema)
                or SlugRedirect.objects.filter(host=host).exists()
            ):
                raise taken
            city = City(
                schema_name=schema,
                slug=slug,
                name=name.strip(),
                country=country,
                default_language=default_language,
                languages=languages,
                time_zone=time_zone,
                status=status,
                opened_at=timezone.now() if open_now else None,
            )
            city.save(verbosity=0)
            Domain.objects.create(
                domain=host, tenant=city, is_primary=True, verified_at=timezone.now()
            )
            # A spare schema built ahead of time is a rename away. With the pool empty, one is
            # built now over several connections and taken; the one-connection script in this
            # transaction is the last resort.
            if take_spare(schema, blueprint):
                refill_after_commit()
            else:
                spare = build_spare(blueprint)
                if spare is None or not take_spare(schema, blueprint, name=spare):
                    create_schema_from_blueprint(schema, blueprint)
                refill_after_commit()
            ref = CityRef.from_city(city, host)
            with city_context(ref):
                for initializer in city_initializers():
                    initializer(NewCity(city=ref, admin_email=admin_email, admin_name=admin_name))
                issued = create_invitation(
                    email=admin_email,
                    full_name=admin_name,
                    role=Role.ADMINISTRATOR,
                    valid_days=settings.INVITATION_VALID_DAYS,
                )
            transaction.on_commit(lambda: routing.forget_hosts([host]))
    except IntegrityError as exc:
        # Another request took the slug between our check and our insert.
        raise taken from exc
    logger.info("provisioned city %s (schema %s)", slug, schema)
    return ProvisionedCity(
        city=city,
        ref=ref,
        portal_url=city_url(host),
        invitation_url=city_url(host, f"/invitation/{issued.token}/"),
    )


def _schema_exists(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        return cursor.fetchone() is not None


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


# --- Soft deletion, renaming, domains (operators call these through ratusz.platform) ---------

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


def rename_city_slug(*, city: City, slug: str) -> City:
    """Give the city a new subdomain. Its schema keeps its name; the old subdomain answers
    with a permanent redirect to the new one. Raises SlugRefused with the reason."""
    slug = slug.strip()
    check_slug_format(slug)
    new_host = f"{slug}.{settings.BASE_DOMAIN}"
    with transaction.atomic():
        locked = City.objects.select_for_update().get(pk=city.pk)
        if slug == locked.slug:
            raise SlugRefused(slug, _("The city already uses this subdomain."))
        own_redirect = SlugRedirect.objects.filter(host=new_host, city=locked)
        if (
            City.objects.filter(slug=slug).exclude(pk=locked.pk).exists()
            or Domain.objects.filter(domain__iexact=new_host).exists()
            or SlugRedirect.objects.filter(host=new_host).exclude(city=locked).exists()
            or (
                _schema_exists(schema_name_for(slug))
                and schema_name_for(slug) != locked.schema_name
            )
        ):
            raise SlugRefused(slug, _("The subdomain “%(slug)s” is taken.") % {"slug": slug})
        old_host = f"{locked.slug}.{settings.BASE_DOMAIN}"
        # Taking back one's own earlier subdomain removes its redirect.
        own_redirect.delete()
        old_domain = Domain.objects.filter(tenant=locked, domain__iexact=old_host).first()
        was_primary = old_domain is None or old_domain.is_primary
        if old_domain is not None:
            old_domain.delete()
        SlugRedirect.objects.update_or_create(host=old_host, defaults={"city": locked})
        Domain.objects.create(
            domain=new_host, tenant=locked, is_primary=was_primary, verified_at=timezone.now()
        )
        locked.slug = slug
        locked.save(update_fields=["slug", "updated_at"])
        hosts = [old_host, new_host]
        transaction.on_commit(lambda: routing.forget_hosts(hosts))
        transaction.on_commit(lambda: routing.forget_city(locked.pk))
    return locked


def redirect_target(host: str) -> str | None:
    """The primary host of the city that `host` belonged to before a rename, if any."""
    from django.core.cache import caches

    key = f"slug-redirect:{routing.normalise_host(host)}"
    cache = caches["control"]
    cached = cache.get(key)
    if cached is None:
        redirect = (
            SlugRedirect.objects.filter(host=routing.normalise_host(host))
            .values_list("city_id", flat=True)
            .first()
        )
        target = ""
        if redirect is not None:
            target = (
                Domain.objects.filter(tenant_id=redirect, is_primary=True)
                .values_list("domain", flat=True)
                .first()
                or ""
            )
        cache.set(key, target, 60)
        cached = target
    return cached or None


def remove_domain(*, domain: Domain) -> None:
    """Remove one of a city's host names; a city keeps at least one, and its primary one."""
    with transaction.atomic():
        City.objects.select_for_update().get(pk=domain.tenant_id)
        remaining = Domain.objects.filter(tenant_id=domain.tenant_id).exclude(pk=domain.pk)
        if not remaining.exists():
            raise CityChangeRefused(
                _("A city needs at least one address: “%(domain)s” is its last one.")
                % {"domain": domain.domain}
            )
        if domain.is_primary:
            raise CityChangeRefused(
                _("“%(domain)s” is the city's main address; make another one main first.")
                % {"domain": domain.domain}
            )
        host = domain.domain
        domain.delete()
        transaction.on_commit(lambda: routing.forget_hosts([host]))
