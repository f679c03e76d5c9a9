"""Migrate the public schema, the template schema and every city (cities in parallel)."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.migrate import Command as DjangoMigrate

from ratusz.tenants import schema_migrations as sm
from ratusz.tenants.blueprint import refresh_blueprint
from ratusz.tenants.models import City
from ratusz.tenants.spares import fill_spare_pool


class Command(DjangoMigrate):
    verbosity = 1
    help = (
        "Migrate the public schema, then the template schema (and re-render the blueprint new "
        "cities are created from), then every city with pending migrations, in parallel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
        parser.add_argument("--schema", dest="only_schema", help="Only this city's schema.")
        parser.add_argument("--shared-only", action="store_true", help="Public and template only.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = self.verbosity = int(options["verbosity"])
        if options.get("database", "default") != "default":
            raise CommandError("Ratusz keeps every schema in the 'default' database.")
        for unsupported in ("plan", "prune"):
            if options.get(unsupported):
                raise CommandError(
                    f"--{unsupported} is not supported across schemas; use --check to list "
                    "the schemas with pending migrations."
                )
        if options.get("check_unapplied"):
            self._check(options.get("only_schema"))
            return
        passthrough = {
            key: options[key]
            for key in ("app_label", "migration_name", "fake", "fake_initial", "run_syncdb")
            if options.get(key)
        }
        started = time.monotonic()
        if not options.get("only_schema"):
            self._step("public", sm.migrate_schema(settings.PUBLIC_SCHEMA_NAME, passthrough))
            sm.ensure_schema(settings.TEMPLATE_SCHEMA_NAME)
            self._step("template", sm.migrate_schema(settings.TEMPLATE_SCHEMA_NAME, passthrough))
            step = time.monotonic()
            blueprint = refresh_blueprint()
            if verbosity:
                self.stdout.write(
                    f"template blueprint {blueprint.state[:12]}: {blueprint.tables} tables "
                    f"({time.monotonic() - step:.1f} s)"
                )
            # Spares of the previous state are useless now: rebuild them for the new one.
            step = time.monotonic()
            built = fill_spare_pool()
            if verbosity and built:
                seconds = time.monotonic() - step
                self.stdout.write(f"{built} spare schema(s) ready for new cities ({seconds:.1f} s)")
        if options["shared_only"]:
            return
        all_schemas = list(City.objects.order_by("pk").values_list("schema_name", flat=True))
        if options.get("only_schema"):
            if options["only_schema"] not in all_schemas:
                raise CommandError(f"No city has the schema {options['only_schema']!r}.")
            all_schemas = [options["only_schema"]]
        states = sm.applied_states(all_schemas)
        if passthrough:
            pending = all_schemas  # the targets decide what each city needs
        else:
            expected = sm.expected_migrations()
            pending = [schema for schema in all_schemas if expected - states[schema]]
        if verbosity:
            self.stdout.write(
                f"{len(all_schemas)} cities, {len(pending)} with pending migrations "
                f"(checked in {time.monotonic() - started:.1f} s)"
            )
        progress = _Progress(self, total=len(pending), verbosity=verbosity)
        results = sm.migrate_fleet(
            pending,
            states=states,
            jobs=options["jobs"],
            migrate_options=passthrough,
            on_result=progress.update,
            log=progress.log,
        )
        progress.finish()
        failed = [r for r in results if not r.ok]
        replayed = sum(1 for r in results if r.ok and r.path == "replay")
        if verbosity:
            self.stdout.write(
                f"done in {time.monotonic() - started:.1f} s: "
                f"{len(results) - len(failed)} migrated, {len(failed)} failed "
                f"({replayed} by replaying a pilot city's SQL)"
            )
        if failed:
            for result in failed:
                self.stderr.write(f"  {result.schema}: {result.error.splitlines()[-1]}")
            raise CommandError(
                f"{len(failed)} cities failed to migrate; fix the cause and run the command "
                "again to finish them (cities already migrated are skipped)."
            )

    def _check(self, only_schema: str | None) -> None:
        schemas = list(City.objects.order_by("pk").values_list("schema_name", flat=True))
        if only_schema:
            schemas = [s for s in schemas if s == only_schema]
        else:
            schemas = [settings.PUBLIC_SCHEMA_NAME, settings.TEMPLATE_SCHEMA_NAME, *schemas]
        pending = sm.schemas_with_pending(schemas)
        for schema in pending:
            self.stdout.write(f"{schema}: migrations pending")
        if pending:
            sys.exit(1)
        self.stdout.write(f"{len(schemas)} schemas, nothing pending")

    def _step(self, name: str, result: sm.SchemaResult) -> None:
        if not result.ok:
            raise CommandError(f"Migrating the {name} schema failed: {result.error}")
        if self.verbosity and result.applied:
            self.stdout.write(
                f"{name}: applied {len(result.applied)} migrations ({result.seconds:.1f} s)"
            )


class _Progress:
    def __init__(self, command: Command, *, total: int, verbosity: int) -> None:
        self.command = command
        self.total = total
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self.tty = sys.stdout.isatty() and verbosity > 0
        self.verbosity = verbosity

    def update(self, result: sm.SchemaResult) -> None:
        self.done += 1
        self.failed += 0 if result.ok else 1
        if self.tty:
            elapsed = time.monotonic() - self.started
            left = elapsed / self.done * (self.total - self.done)
            self.command.stdout.write(
                f"\r{self.done}/{self.total} cities, {self.failed} failed, ~{left:.0f} s left ",
                ending="",
            )
            self.command.stdout.flush()
        elif self.verbosity:
            state = "ok" if result.ok else "FAILED " + result.error.splitlines()[-1]
            self.command.stdout.write(
                f"migrate {result.schema}: {state} ({len(result.applied)} applied, "
                f"{result.seconds:.2f} s, {result.path})"
            )

    def log(self, message: str) -> None:
        if self.verbosity:
            if self.tty and self.done:
                self.command.stdout.write("")
            self.command.stdout.write(message)

    def finish(self) -> None:
        if self.tty and self.total:
            self.command.stdout.write("")
