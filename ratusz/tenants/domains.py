"""A city's own domain (e.g. konsultacje.gdansk.pl): added, verified, removed.

A custom domain serves only once verified: its name must resolve to the addresses we answer
on (the city asks its DNS provider for a CNAME to its subdomain of BASE_DOMAIN). Routing
ignores unverified domains (ratusz.tenants.routing), and every change forgets the cached
routes on commit so it takes effect on the next request.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratusz.tenants.entitlements import FeatureNotAllowed, entitlements_for
from ratusz.tenants.models import City, Domain
from ratusz.tenants.routing import forget_city, forget_hosts, normalise_host

# socket.getaddrinfo's shape; tests pass their own table of names.
Resolver = Callable[..., list[tuple[Any, ...]]]

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOST_PATTERN = re.compile(rf"^(?:{_LABEL}\.)+[a-z]{{2,63}}$")
MAX_CUSTOM_DOMAINS = 5


class DomainRefused(ValueError):
    """A domain we cannot add, verify or remove; the message says why, for a person."""


@dataclass(frozen=True)
class Verification:
    domain: Domain
    verified: bool
    message: str


def city_subdomain(city: City) -> str:
    return f"{city.slug}.{settings.BASE_DOMAIN}"


def is_custom(domain: Domain) -> bool:
    base = settings.BASE_DOMAIN
    return not (domain.domain == base or domain.domain.endswith("." + base))


def _check_allowed(city_id: int) -> None:
    if not entitlements_for(city_id).allows("custom_domain"):
        raise FeatureNotAllowed("custom_domain")


def add_custom_domain(*, city_id: int, domain: str) -> Domain:
    """Register `domain` for the city, unverified: it serves once `verify_custom_domain` sees
    it resolve to us. Raises FeatureNotAllowed or DomainRefused."""
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
        if Domain.objects.filter(domain__iexact=host).exists():
            raise DomainRefused(_("“%(domain)s” is already in use on Ratusz.") % {"domain": host})
        custom = [d for d in Domain.objects.filter(tenant=city) if is_custom(d)]
        if len(custom) >= MAX_CUSTOM_DOMAINS:
            raise DomainRefused(
                _("A city can have at most %(count)s domains of its own; remove one first.")
                % {"count": MAX_CUSTOM_DOMAINS}
            )
        added = Domain.objects.create(tenant=city, domain=host, is_primary=False)
        # An unknown host may be cached as unknown for a few seconds; forget it.
        transaction.on_commit(lambda: forget_hosts([host]))
    return added


def _addresses(name: str, resolver: Resolver) -> set[str]:
    try:
        answers = resolver(name, None)
    except (OSError, UnicodeError):
        return set()
    return {str(answer[4][0]) for answer in answers}


def ingress_addresses(city: City, resolver: Resolver) -> set[str]:
    """The addresses we answer on: the configured ingress, else what our names resolve to."""
    configured = set(getattr(settings, "INGRESS_ADDRESSES", ()) or ())
    if configured:
        return configured
    return _addresses(city_subdomain(city), resolver) | _addresses(settings.BASE_DOMAIN, resolver)


def verify_custom_domain(
    *, city_id: int, domain_id: int, resolver: Resolver = socket.getaddrinfo
) -> Verification:
    """Check that the domain resolves to us; if it does, it starts serving."""
    _check_allowed(city_id)
    domain = Domain.objects.select_related("tenant").filter(pk=domain_id, tenant_id=city_id).first()
    if domain is None or not is_custom(domain):
        raise DomainRefused(_("This domain is not one of your own domains."))
    if domain.verified_at is not None:
        return Verification(
            domain,
            True,
            _("%(domain)s is verified and serves your portal.") % {"domain": domain.domain},
        )
    city = domain.tenant
    found = _addresses(domain.domain, resolver)
    ours = ingress_addresses(city, resolver)
    if not found:
        return Verification(
            domain,
            False,
            _(
                "%(domain)s does not resolve yet. Add the DNS record below; changes can take "
                "up to a few hours to spread."
            )
            % {"domain": domain.domain},
        )
    if not (found & ours):
        return Verification(
            domain,
            False,
            _(
                "%(domain)s resolves to %(found)s, not to Ratusz (%(ours)s). Check that the "
                "CNAME record points to %(target)s."
            )
            % {
                "domain": domain.domain,
                "found": ", ".join(sorted(found)),
                "ours": ", ".join(sorted(ours)) or "?",
                "target": city_subdomain(city),
            },
        )
    with transaction.atomic():
        Domain.objects.filter(pk=domain.pk).update(verified_at=timezone.now())
        host = domain.domain
        transaction.on_commit(lambda: forget_hosts([host]))
    domain.refresh_from_db()
    return Verification(
        domain, True, _("%(domain)s is verified and serves your portal.") % {"domain": host}
    )


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
    return [d for d in Domain.objects.filter(tenant_id=city_id).order_by("domain") if is_custom(d)]
