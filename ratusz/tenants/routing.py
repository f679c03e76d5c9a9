"""Host name -> city, served from the cache so that a request costs no routing query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches

from ratusz.tenants.context import CityRef
from ratusz.tenants.models import Domain

FOUND_TTL = 600  # entries are also deleted whenever a city or a domain changes
UNKNOWN_TTL = 30


@dataclass(frozen=True)
class Route:
    kind: str  # "control" | "city" | "unknown"
    city: CityRef | None = None


CONTROL_ROUTE = Route("control")
UNKNOWN_ROUTE = Route("unknown")


def normalise_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):  # IPv6 literal
        return host.split("]")[0] + "]"
    return host.split(":", 1)[0]


def _cache_key(host: str) -> str:
    return f"route:{host}"


def resolve_host(host: str) -> Route:
    host = normalise_host(host)
    base = settings.BASE_DOMAIN
    if host in (base, f"www.{base}"):
        return CONTROL_ROUTE
    cache = caches["control"]
    cached: dict[str, Any] | None = cache.get(_cache_key(host))
    if cached is None:
        cached = _lookup(host)
        cache.set(_cache_key(host), cached, FOUND_TTL if cached else UNKNOWN_TTL)
    if not cached:
        return UNKNOWN_ROUTE
    return Route("city", CityRef(**{**cached, "languages": tuple(cached["languages"])}))


def _lookup(host: str) -> dict[str, Any]:
    # A custom domain answers only once verified (it resolves to us); see ratusz.tenants.domains.
    domain = (
        Domain.objects.select_related("tenant")
        .filter(domain__iexact=host, verified_at__isnull=False)
        .first()
    )
    if domain is None:
        return {}
    city = domain.tenant
    primary = (
        domain.domain
        if domain.is_primary
        else Domain.objects.filter(tenant=city, is_primary=True)
        .values_list("domain", flat=True)
        .first()
        or domain.domain
    )
    ref = CityRef.from_city(city, primary)
    return {
        "id": ref.id,
        "schema_name": ref.schema_name,
        "slug": ref.slug,
        "name": ref.name,
        "status": ref.status,
        "default_language": ref.default_language,
        "languages": list(ref.languages),
        "time_zone": ref.time_zone,
        "primary_domain": ref.primary_domain,
        "is_open": ref.is_open,
        "is_deleted": ref.is_deleted,
    }


def forget_hosts(hosts: Iterable[str]) -> None:
    caches["control"].delete_many([_cache_key(normalise_host(h)) for h in hosts])


def forget_city(city_id: int) -> None:
    forget_hosts(Domain.objects.filter(tenant_id=city_id).values_list("domain", flat=True))
