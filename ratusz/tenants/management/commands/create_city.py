from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ratusz.tenants.blueprint import TemplateSchemaMissing
from ratusz.tenants.services import ProvisioningRefused, provision_city


class Command(BaseCommand):
    help = "Provision a city: its schema, subdomain, defaults and its administrator's invitation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The city's name, e.g. 'Gdańsk'.")
        parser.add_argument("--slug", help="Subdomain; suggested from the name when omitted.")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--country", default="PL")
        parser.add_argument("--language", default="pl", help="Default language.")
        parser.add_argument(
            "--languages", default="", help="Comma-separated, e.g. 'pl,en' (default: --language)."
        )
        parser.add_argument("--time-zone", default="Europe/Warsaw")
        parser.add_argument("--status", default="trial", choices=["trial", "active"])

    def handle(self, *args: Any, **options: Any) -> None:
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        try:
            made = provision_city(
                name=options["name"],
                slug=options["slug"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                country=options["country"],
                default_language=options["language"],
                languages=languages or [options["language"]],
                time_zone=options["time_zone"],
                status=options["status"],
            )
        except ProvisioningRefused as refused:
            lines = "\n".join(f"  {field}: {reason}" for field, reason in refused.errors.items())
            raise CommandError(f"The city was not created:\n{lines}") from refused
        except TemplateSchemaMissing as missing:
            raise CommandError(str(missing)) from missing
        self.stdout.write(self.style.SUCCESS(f"Created {made.city.name} ({made.city.slug})"))
        self.stdout.write(f"Portal:     {made.portal_url}")
        self.stdout.write(f"Invitation: {made.invitation_url}")
