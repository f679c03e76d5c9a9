"""A new city: its registry row, its domain, its schema (from a spare or the blueprint), its
first content and its administrator's invitation, all in one transaction."""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.accounts.models import Role
from ratusz.accounts.services import create_invitation
from ratusz.errors import Refused
from ratusz.tenants import routing
from ratusz.tenants.blueprint import create_schema_from_blueprint, current_blueprint
from ratusz.tenants.context import CityRef, city_context
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
