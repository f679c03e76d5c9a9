from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ratusz.tenants.links import city_url
from ratusz.tenants.models import City, Domain


class Command(BaseCommand):
    help = "List the cities with their status, languages and portal address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--status", help="Only cities with this status.")

    def handle(self, *args: Any, **options: Any) -> None:
        cities = City.objects.order_by("slug")
        if options.get("status"):
            cities = cities.filter(status=options["status"])
        primary = dict(Domain.objects.filter(is_primary=True).values_list("tenant_id", "domain"))
        rows = [
            (c.slug, c.name, c.status, ",".join(c.languages), city_url(primary.get(c.pk, "?")))
            for c in cities
        ]
        header = ("SLUG", "NAME", "STATUS", "LANGUAGES", "PORTAL")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
        self.stdout.write(f"{len(rows)} cities")
