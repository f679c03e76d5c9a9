"""Reads of the console: the fleet list (constant number of queries), a city's record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ratusz.onboarding.models import PartnerCity
from ratusz.platform.models import AuditEntry, CityExport, FleetMigration
from ratusz.tenants import schema_migrations as sm
from ratusz.tenants.models import City, Domain

SORTS = {
    "name": "name",
    "-name": "-name",
    "slug": "slug",
    "-slug": "-slug",
    "created": "created_at",
    "-created": "-created_at",
    "activity": "updated_at",
    "-activity": "-updated_at",
    "status": "status",
    "plan": "plan",
}
PAGE_SIZE = 50
LIFECYCLE_ACTIONS = (
    "city.suspend",
    "city.reactivate",
    "city.archive",
    "city.delete",
    "city.restore",
    "city.purge",
    "city.rename",
)


@dataclass(frozen=True)
class FleetFilters:
    q: str = ""
    status: str = ""
    plan: str = ""
    country: str = ""
    language: str = ""
    active_within_days: int | None = None
    partner: int | None = None  # a partner organisation's id: the cities it set up
    sort: str = "name"


def fleet(filters: FleetFilters) -> QuerySet[City]:
    """Cities matching the filters, each with its primary domain, in one query."""
    primary = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")[:1]
    cities = City.objects.annotate(primary_domain=Subquery(primary))
    if filters.q:
        term = filters.q.strip()
        cities = cities.filter(
            Q(name__icontains=term)
            | Q(slug__icontains=term)
            | Exists(Domain.objects.filter(tenant=OuterRef("pk"), domain__icontains=term))
        )
    if filters.status == "deleted":
        cities = cities.filter(deleted_at__isnull=False)
    elif filters.status:
        cities = cities.filter(status=filters.status, deleted_at__isnull=True)
    if filters.plan:
        cities = cities.filter(plan=filters.plan)
    if filters.country:
        cities = cities.filter(country=filters.country.upper())
    if filters.language:
        cities = cities.filter(languages__contains=[filters.language])
    if filters.partner is not None:
        cities = cities.filter(
            Exists(
                PartnerCity.objects.filter(city_id=OuterRef("pk"), organisation_id=filters.partner)
            )
        )
    if filters.active_within_days is not None:
        since = timezone.now() - timedelta(days=filters.active_within_days)
        cities = cities.filter(updated_at__gte=since)
    return cities.order_by(SORTS.get(filters.sort, "name"), "pk")


def fleet_page(filters: FleetFilters, page: str | int | None) -> Page[City]:
    return Paginator(fleet(filters), PAGE_SIZE).get_page(page)


def fleet_choices() -> dict[str, list[str]]:
    """Values offered by the filters (plans and countries in use)."""
    return {
        "plans": sorted(p for p in City.objects.values_list("plan", flat=True).distinct() if p),
        "countries": sorted(City.objects.values_list("country", flat=True).distinct()),
    }


def audit_entries(
    *, q: str = "", action: str = "", city: str = "", actor: str = ""
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if q:
        entries = entries.filter(
            Q(city_slug__icontains=q)
            | Q(actor_email__icontains=q)
            | Q(action__icontains=q)
            | Q(reason__icontains=q)
        )
    if action:
        entries = entries.filter(action=action)
    if city:
        entries = entries.filter(Q(city_slug=city) | Q(city_id=int(city) if city.isdigit() else -1))
    if actor:
        entries = entries.filter(actor_email__icontains=actor)
    return entries.order_by("-created_at", "-id")


def city_record(city: City) -> dict[str, Any]:
    """Everything the city page shows from the control plane."""
    entries = AuditEntry.objects.filter(city_id=city.pk)
    pending = sorted(
        f"{app}.{name}"
        for app, name in sm.expected_migrations() - sm.applied_migrations(city.schema_name)
    )
    return {
        "domains": list(Domain.objects.filter(tenant=city).order_by("-is_primary", "domain")),
        "lifecycle": list(entries.filter(action__in=LIFECYCLE_ACTIONS)[:50]),
        "recent": list(entries[:20]),
        "pending_migrations": pending,
        "support_grants": list(city.support_grants.all()[:20]),
        "exports": list(CityExport.objects.filter(city_id=city.pk)[:10]),
        "last_fleet_migration": FleetMigration.objects.first(),
    }
