"""Operator actions on one city: its lifecycle, entitlements, subdomain, own domains and
support access."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.utils.translation import gettext as _

from ratusz.platform.audit import ActionRefused, Actor, Audit, audited
from ratusz.tenants import domains as custom_domains
from ratusz.tenants import services as tenants
from ratusz.tenants.entitlements import set_entitlements
from ratusz.tenants.models import City, CityStatus, Domain
from ratusz.tenants.support import IssuedGrant, grant_support_access


def _change_status(audit: Audit, *, city: City, status: str | None) -> City:
    """Move the city to `status` (None: reactivate it in the open state it left)."""
    if audit.lock_city(city).deleted_at is not None:
        raise ActionRefused(_("This city is deleted: restore it first."))
    if status is None:
        return audit.changed(tenants.reactivate_city(city=city))
    return audit.changed(tenants.change_city_status(city=city, status=status))


@audited("city.suspend")
def suspend_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    return _change_status(audit, city=city, status=CityStatus.SUSPENDED)


@audited("city.reactivate")
def reactivate_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    """Reopen a suspended or archived city as it was: a trial stays a trial."""
    return _change_status(audit, city=city, status=None)


@audited("city.archive")
def archive_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    return _change_status(audit, city=city, status=CityStatus.ARCHIVED)


@audited("city.delete")
def delete_city(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    reason: str = "",
    grace: timedelta = tenants.DELETION_GRACE,
) -> City:
    audit.lock_city(city)
    return audit.changed(tenants.soft_delete_city(city=city, grace=grace))


@audited("city.restore")
def restore_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> City:
    audit.lock_city(city)
    return audit.changed(tenants.restore_deleted_city(city=city))


@audited("city.purge")
def purge_deleted_city(audit: Audit, *, actor: Actor, city: City, reason: str = "") -> None:
    """Remove a soft-deleted city for good, grace period or not (operators decide)."""
    locked = audit.lock_city(city)
    if locked.deleted_at is None:
        raise ActionRefused(_("Only a deleted city can be purged: delete it first."))
    tenants.purge_city(city=locked, remove_files=True)


def purge_due_cities(*, actor: Actor) -> list[str]:
    """Purge every city whose grace period is over; returns their slugs."""
    purged = []
    for city in tenants.cities_due_for_purge():
        purge_deleted_city(actor=actor, city=city, reason="grace period over")
        purged.append(city.slug)
    return purged


@audited("city.entitlements")
def change_entitlements(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    plan: str,
    limits: Mapping[str, int | None],
    features: Mapping[str, bool],
    reason: str = "",
) -> City:
    locked = audit.lock_city(city)
    return audit.changed(set_entitlements(city=locked, plan=plan, limits=limits, features=features))


@audited("city.rename")
def rename_city(audit: Audit, *, actor: Actor, city: City, slug: str, reason: str = "") -> City:
    """Raises ratusz.tenants.slugs.SlugRefused with the reason (taken, reserved, malformed)."""
    audit.lock_city(city)
    return audit.changed(tenants.rename_city_slug(city=city, slug=slug))


@audited("domain.remove")
def remove_city_domain(audit: Audit, *, actor: Actor, domain: Domain, reason: str = "") -> None:
    audit.lock_city(domain.tenant)
    audit.before = {"domain": domain.domain}
    tenants.remove_domain(domain=domain)


@audited("domain.add")
def add_city_domain(
    audit: Audit, *, actor: Actor, city: City, host: str, reason: str = ""
) -> Domain:
    """Add one of the city's own domains, unverified. Raises
    ratusz.tenants.domains.DomainRefused or ratusz.tenants.entitlements.FeatureNotAllowed."""
    added = custom_domains.add_custom_domain(city_id=city.pk, domain=host)
    audit.after = {"domain": added.domain}
    return added


@audited("domain.verify")
def verify_city_domain(
    audit: Audit,
    *,
    actor: Actor,
    domain: Domain,
    reason: str = "",
) -> custom_domains.Verification:
    """Look for the city's proof of ownership in DNS; found, the domain serves. Every check is
    audited with its outcome, verified or not. Raises DomainRefused or FeatureNotAllowed.

    The DNS lookups run inside the transaction: tenants' verify_custom_domain both looks up
    and marks the domain verified, with no separate lookup step to call first. It takes no
    row lock before its lookups, so the open transaction blocks nobody while they run."""
    city = audit.city = domain.tenant
    audit.before = {"domain": domain.domain, "verified_at": domain.verified_at}
    result = custom_domains.verify_custom_domain(city_id=city.pk, domain_id=domain.pk)
    audit.after = {
        "domain": domain.domain,
        "verified": result.verified,
        "verified_at": result.domain.verified_at,
    }
    return result


@audited("city.support_access")
def grant_support(
    audit: Audit,
    *,
    actor: Actor,
    city: City,
    reason: str,
    duration: timedelta = timedelta(hours=1),
) -> IssuedGrant:
    """Raises ratusz.tenants.support.SupportAccessRefused (no reason, duration out of range)."""
    if actor.id is None:
        raise ActionRefused(_("Support access is given to a person."))
    issued = grant_support_access(
        city=city,
        operator_id=actor.id,
        operator_email=actor.email,
        reason=reason,
        duration=duration,
    )
    audit.after = {"grant": issued.grant.pk, "expires_at": issued.grant.expires_at}
    return issued
