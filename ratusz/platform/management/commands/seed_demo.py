"""Create the demo cities (Gdańsk, Springfield) with sample content; run it as often as you like."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import ProgrammingError

from ratusz.platform.demo import SeededCity, seed_demo_cities
from ratusz.tenants.blueprint import TemplateSchemaMissing
from ratusz.tenants.links import control_url
from ratusz.tenants.services import ProvisioningRefused


class Command(BaseCommand):
    help = (
        "Create the demo cities Gdańsk and Springfield with sample content. Cities that exist "
        "already are skipped, so the command can run on every start."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--summary",
            metavar="PATH",
            help="Also write the cities, their addresses and invitation links to PATH as JSON "
            "(ratusz.devserver reads it).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when RATUSZ_ENV is production (a demonstration instance).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENVIRONMENT == "production" and not options["allow_production"]:
            raise CommandError(
                "Refusing to create demo cities in production; pass --allow-production for a "
                "demonstration instance."
            )
        try:
            seeded = seed_demo_cities()
        except TemplateSchemaMissing as missing:
            raise CommandError(str(missing)) from missing
        except ProgrammingError as error:  # the registry's tables do not exist yet
            raise CommandError(
                f"The database is not migrated ({error}); run `python -m ratusz migrate_schemas` "
                "first."
            ) from error
        except ProvisioningRefused as refused:
            raise CommandError(f"A demo city was not created: {refused}") from refused
        for city in seeded:
            self._report(city)
        if options["summary"]:
            summary = {"control_url": control_url(), "cities": [c.as_dict() for c in seeded]}
            Path(options["summary"]).write_text(json.dumps(summary, indent=2))

    def _report(self, city: SeededCity) -> None:
        if city.created:
            self.stdout.write(self.style.SUCCESS(f"Created demo city {city.name} ({city.slug})"))
        else:
            self.stdout.write(f"Demo city {city.name} ({city.slug}) exists already: skipped")
        self.stdout.write(f"  Portal:     {city.portal_url}")
        if city.invitation_url:
            self.stdout.write(f"  Invitation: {city.invitation_url}  (for {city.admin_email})")
        elif city.admin_has_account:
            self.stdout.write(f"  Administrator: {city.admin_email} has an account; sign in.")
        else:
            self.stdout.write(
                f"  Administrator: {city.admin_email}; the invitation link was shown when the "
                "city was created."
            )
