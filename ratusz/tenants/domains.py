"""A city's own domain (e.g. konsultacje.gdansk.pl): added, verified, removed.

A custom domain serves only once the city proved it owns it, in one of two ways:
- a TXT record `_ratusz-challenge.<domain>` holding the token Ratusz made for this city and
  this domain (shown on the domain pages), or
- a CNAME record from the domain to the city's own subdomain of BASE_DOMAIN.
Resolving to our ingress is not enough: every city's subdomain resolves there, so any city
could otherwise verify (and take over) a domain another city points at us.

Two cities may both claim a name they have not proved; the first to prove it gets it, and a
name verified for one city cannot be claimed or verified by another (a unique index on the
verified rows holds this even for two verifications at once). Routing ignores unverified
domains (ratusz.tenants.routing), and every change forgets the cached routes on commit so it
takes effect on the next request. DNS is asked through ratusz.tenants.dns.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.errors import Refused
from ratusz.tenants import dns
from ratusz.tenants.entitlements import FeatureNotAllowed, entitlements_for
from ratusz.tenants.models import City, Domain
from ratusz.tenants.routing import forget_city, forget_hosts, normalise_host

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOST_PATTERN = re.compile(rf"^(?:{_LABEL}\.)+[a-z]{{2,63}}$")
MAX_CUSTOM_DOMAINS = 5
CHALLENGE_LABEL = "_ratusz-challenge"


class DomainRefused(Refused, ValueError):
    """A domain we cannot add, verify or remove; the message says why, for a person."""

    code = "domain_refused"


@dataclass(frozen=True)
class Verification:
    domain: Domain
    verified: bool
    message: str


@dataclass(frozen=True)
class Challenge:
    """The DNS records that prove a city owns a domain: either one is enough."""

    txt_name: str  # _ratusz-challenge.konsultacje.gdansk.pl
    txt_value: str  # ratusz-verification=<token>
    cname_target: str  # gdansk.ratusz.example


def city_subdomain(city: City) -> str:
    return f"{city.slug}.{settings.BASE_DOMAIN}"


def is_custom(domain: Domain) -> bool:
    base = settings.BASE_DOMAIN
    return not (domain.domain == base or domain.domain.endswith("." + base))


def challenge(domain: Domain) -> Challenge:
    return Challenge(
        txt_name=f"{CHALLENGE_LABEL}.{domain.domain}",
        txt_value=f"ratusz-verification={domain.verification_token}",
        cname_target=city_subdomain(domain.tenant),
    )


def _check_allowed(city_id: int) -> None:
    if not entitlements_for(city_id).allows("custom_domain"):
        raise FeatureNotAllowed("custom_domain")


def _verified_elsewhere(host: str, city_id: int) -> bool:
    return (
        Domain.objects.filter(domain__iexact=host, verified_at__isnull=False)
        .exclude(tenant_id=city_id)
        .exists()
    )


def _taken_message(host: str) -> str:
    return _(
        "“%(domain)s” is already verified for another city on Ratusz. If it is yours, write to "
        "us and we will help."
    ) % {"domain": host}


def add_custom_domain(*, city_id: int, domain: str) -> Domain:
    """Register `domain` for the city, unverified, with its own ownership token: it serves
    once `verify_custom_domain` finds the proof in DNS. Raises FeatureNotAllowed or
    DomainRefused."""
    _check_allowed(city_id)
    host = normalise_host(domain.strip().removeprefix("https://").removeprefix("http://"))
    host = host.split("/", 1)[0]
    if not HOST_PATTERN.match(host):
        raise DomainRefused(
            _("“%(domain)s” is not a domain name. Write it like konsultacje.gdansk.pl.")
            % {"domain": domain}
        )
    base = settings.BASE_DOMAIN
    if host == base or host.endswith("." + base):
        raise DomainRefused(
            _("Addresses under %(base)s are ours; enter a domain of your own.") % {"base": base}
        )
    with transaction.atomic():
        city = City.objects.select_for_update().get(pk=city_id)
        if _verified_elsewhere(host, city_id):
            raise DomainRefused(_taken_message(host))
        if Domain.objects.filter(domain__iexact=host, tenant=city).exists():
            raise DomainRefused(
                _("“%(domain)s” is one of your domains already.") % {"domain": host}
            )
        custom = [d for d in Domain.objects.filter(tenant=city) if is_custom(d)]
        if len(custom) >= MAX_CUSTOM_DOMAINS:
            raise DomainRefused(
                _("A city can have at most %(count)s domains of its own; remove one first.")
                % {"count": MAX_CUSTOM_DOMAINS}
            )
        added = Domain.objects.create(
            tenant=city,
            domain=host,
            is_primary=False,
            verification_token=secrets.token_urlsafe(24),
        )
        # An unknown host may be cached as unknown for a few seconds; forget it.
        transaction.on_commit(lambda: forget_hosts([host]))
    return added


def configured_ingress() -> list[str]:
    """The ingress addresses from the settings (shown in the DNS instructions), or []."""
    return sorted(getattr(settings, "INGRESS_ADDRESSES", ()) or ())


def ingress_addresses(city: City) -> set[str]:
    """The addresses we answer on: the configured ingress, else what our names resolve to."""
    configured = set(getattr(settings, "INGRESS_ADDRESSES", ()) or ())
    if configured:
        return configured
    return dns.addresses(city_subdomain(city)) | dns.addresses(settings.BASE_DOMAIN)


def _proof(domain: Domain, expected: Challenge) -> str:
    """How the city proved it owns the domain ("txt", "cname"), or "" when it did not."""
    if domain.verification_token and expected.txt_value in dns.txt(expected.txt_name):
        return "txt"
    if dns.cname(domain.domain) == expected.cname_target:
        return "cname"
    return ""


def verify_custom_domain(*, city_id: int, domain_id: int) -> Verification:
    """Look for the city's proof of ownership in DNS; found, the domain is verified and serves
    the city's portal wherever it points to us. Raises DomainRefused or FeatureNotAllowed."""
    _check_allowed(city_id)
    domain = Domain.objects.select_related("tenant").filter(pk=domain_id, tenant_id=city_id).first()
    if domain is None or not is_custom(domain):
        raise DomainRefused(_("This domain is not one of your own domains."))
    host = domain.domain
    if domain.verified_at is not None:
        return Verification(domain, True, _serving_message(domain))
    if _verified_elsewhere(host, city_id):
        raise DomainRefused(_taken_message(host))
    expected = challenge(domain)
    if not _proof(domain, expected):
        return Verification(domain, False, _not_proved_message(domain, expected))
    try:
        with transaction.atomic():
            Domain.objects.filter(pk=domain.pk, verified_at__isnull=True).update(
                verified_at=timezone.now()
            )
            transaction.on_commit(lambda: forget_hosts([host]))
    except IntegrityError:  # another city proved it in the same instant
        raise DomainRefused(_taken_message(host)) from None
    domain.refresh_from_db()
    return Verification(domain, True, _serving_message(domain))


def _serving_message(domain: Domain) -> str:
    city = domain.tenant
    if dns.cname(domain.domain) == city_subdomain(city) or (
        dns.addresses(domain.domain) & ingress_addresses(city)
    ):
        return _("%(domain)s is verified and serves your portal.") % {"domain": domain.domain}
    return _(
        "%(domain)s is verified as yours. It will show your portal once it points to Ratusz: "
        "a CNAME record to %(target)s."
    ) % {"domain": domain.domain, "target": city_subdomain(city)}


def _not_proved_message(domain: Domain, expected: Challenge) -> str:
    pointed = dns.cname(domain.domain)
    if pointed:
        return _(
            "%(domain)s points to %(found)s, not to %(target)s, and no TXT record "
            "%(txt_name)s with your code was found. Add one of the two records below; changes "
            "can take up to a few hours to spread."
        ) % {
            "domain": domain.domain,
            "found": pointed,
            "target": expected.cname_target,
            "txt_name": expected.txt_name,
        }
    return _(
        "No record proving that %(domain)s is yours was found yet: neither a TXT record "
        "%(txt_name)s with your code nor a CNAME record to %(target)s. Add one of them as shown "
        "below; changes can take up to a few hours to spread."
    ) % {
        "domain": domain.domain,
        "txt_name": expected.txt_name,
        "target": expected.cname_target,
    }


def remove_custom_domain(*, city_id: int, domain_id: int) -> None:
    """Remove one of the city's own domains; its subdomain of BASE_DOMAIN always stays."""
    with transaction.atomic():
        domain = Domain.objects.select_for_update().filter(pk=domain_id, tenant_id=city_id).first()
        if domain is None:
            raise DomainRefused(_("This domain is not one of your own domains."))
        if domain.is_primary or not is_custom(domain):
            raise DomainRefused(
                _("%(domain)s is your portal's main address and cannot be removed.")
                % {"domain": domain.domain}
            )
        host = domain.domain
        domain.delete()

        def forget() -> None:
            forget_hosts([host])
            forget_city(city_id)

        transaction.on_commit(forget)


def custom_domains(*, city_id: int) -> list[Domain]:
    domains = Domain.objects.filter(tenant_id=city_id).select_related("tenant").order_by("domain")
    return [d for d in domains if is_custom(d)]
