"""Create the demo cities (Gdańsk, Springfield) with sample content; run it as often as you like.

Every demo account (administrator, project manager, residents) signs in with the demo password,
printed here: `ratusz-demo` unless `--password` says otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import ProgrammingError

from ratusz.demo.cities import (
    DEMO_PASSWORD,
    SeededCity,
    remove_demo_cities,
    seed_demo_cities,
    seed_demo_operator,
)
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
            help="Seed even when RATUSZ_ENV is production (a demonstration instance; then "
            "--password is required).",
        )
        parser.add_argument(
            "--password",
            help=f"The password of the demo accounts of newly created cities (default: "
            f"{DEMO_PASSWORD}).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo cities first (all their data) and create them afresh; not in "
            "production.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENVIRONMENT == "production" and not options["allow_production"]:
            raise CommandError(
                "Refusing to create demo cities in production; pass --allow-production for a "
                "demonstration instance."
            )
        if settings.ENVIRONMENT == "production" and options["reset"]:
            raise CommandError(
                "--reset removes the cities named gdansk and springfield with all their data; "
                "it is not available in production."
            )
        password = options["password"]
        if password is not None and not password.strip():
            raise CommandError("The demo password cannot be empty.")
        if settings.ENVIRONMENT == "production" and password is None:
            raise CommandError(
                f"The default demo password ({DEMO_PASSWORD}) is public; choose another one for "
                "a demonstration instance with --password."
            )
        try:
            if options["reset"]:
                for slug in remove_demo_cities():
                    self.stdout.write(f"Removed demo city {slug}")
            seeded = seed_demo_cities(password=password)
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
        operator, created = seed_demo_operator(password=password)
        self.stdout.write(
            f"Operators' console: {control_url('/console/')}  sign in as {operator}"
            + (" (created; " if created else " (")
            + "two-factor set-up is asked at first sign-in)"
        )
        if options["summary"]:
            summary = {"control_url": control_url(), "cities": [c.as_dict() for c in seeded]}
            Path(options["summary"]).write_text(json.dumps(summary, indent=2))

    def _report(self, city: SeededCity) -> None:
        if city.created:
            self.stdout.write(self.style.SUCCESS(f"Created demo city {city.name} ({city.slug})"))
        else:
            self.stdout.write(f"Demo city {city.name} ({city.slug}) exists already: skipped")
        self.stdout.write(f"  Portal:     {city.portal_url}")
        if city.accounts:
            self._report_accounts(city)
        elif city.invitation_url:
            self.stdout.write(f"  Invitation: {city.invitation_url}  (for {city.admin_email})")
        elif city.admin_has_account:
            self.stdout.write(f"  Administrator: {city.admin_email} has an account; sign in.")
        else:
            self.stdout.write(
                f"  Administrator: {city.admin_email}; the invitation link was shown when the "
                "city was created."
            )

    def _report_accounts(self, city: SeededCity) -> None:
        if city.password is not None:
            self.stdout.write(f"  Demo accounts, all with the password {city.password}:")
        else:
            self.stdout.write("  Demo accounts, with the password chosen when the city was made:")
        residents = [a.email for a in city.accounts if a.role == "resident"]
        for account in city.accounts:
            if account.role != "resident":
                self.stdout.write(f"    {account.role + ':':<17}{account.email}")
        if residents:
            others = len(residents) - 1
            more = f" (and {others} more residents)" if others else ""
            self.stdout.write(f"    {'resident:':<17}{residents[0]}{more}")
