"""A city as one archive: its schema's rows and its files, with a manifest of checksums.

Format (zip): `manifest.json`, `tables/<table>.copy` (PostgreSQL COPY text format) and
`files/<path>`. Table data is copied table by table (Django's foreign keys are deferrable,
so the order of loading does not matter inside the one transaction of a restore); the
manifest names the migration state, and a restore refuses an archive from another state.
Restoring makes a new city from the current blueprint, replaces every row with the archive's
and writes the files, all or nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import quote_schema_name as q

from ratusz.errors import Refused
from ratusz.platform.audit import Actor, Audit, audited, record
from ratusz.platform.models import CityExport, RunStatus
from ratusz.tenants import routing
from ratusz.tenants.blueprint import create_schema_from_blueprint, current_blueprint
from ratusz.tenants.context import schema_context
from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.models import City, CityStatus, Domain
from ratusz.tenants.queue import enqueue_for_city
from ratusz.tenants.schema_migrations import applied_migrations, expected_migrations
from ratusz.tenants.services import remove_city_files
from ratusz.tenants.slugs import SlugRefused, check_slug_format, schema_name_for

logger = logging.getLogger(__name__)

FORMAT = "ratusz-city-archive"
VERSION = 1
DOWNLOAD_FOR = timedelta(hours=48)
# Control-plane ids stored in city rows (plain ids, no foreign key): rewritten on restore.
CITY_ID_COLUMNS = [("consultations_portalsettings", "city_id")]


class ArchiveRefused(Refused, ValueError):
    """An archive that cannot be restored; the message says why, for a person."""

    code = "archive_refused"


def exports_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def schema_tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_out(schema: str, table: str) -> bytes:
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {q(schema)}.{q(table)} TO STDOUT") as copy,
    ):
        for chunk in copy:
            buffer.write(bytes(chunk))
    return buffer.getvalue()


def _stored_files(path: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{path}/{name}" if path else name for name in files]
    for folder in folders:
        names += _stored_files(f"{path}/{folder}" if path else folder)
    return sorted(names)


def write_archive(city: City, target: IO[bytes]) -> dict[str, Any]:
    """Write the city's archive to `target`; returns the manifest."""
    schema = city.schema_name
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "city": {
            "id": city.pk,
            "slug": city.slug,
            "name": city.name,
            "schema_name": schema,
            "country": city.country,
            "default_language": city.default_language,
            "languages": list(city.languages),
            "time_zone": city.time_zone,
            "plan": city.plan,
            "limits": city.limits,
            "features": city.features,
        },
        "migrations": sorted(f"{app}.{name}" for app, name in applied_migrations(schema)),
        "tables": [],
        "files": [],
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # One snapshot of every table: a repeatable-read transaction.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for table in schema_tables(schema):
                data = _copy_out(schema, table)
                member = f"tables/{table}.copy"
                archive.writestr(member, data)
                manifest["tables"].append(
                    {"name": table, "member": member, "sha256": _sha(data), "bytes": len(data)}
                )
        with schema_context(schema):
            for name in _stored_files():
                with default_storage.open(name, "rb") as handle:
                    data = handle.read()
                member = f"files/{name}"
                archive.writestr(member, data)
                manifest["files"].append(
                    {"path": name, "member": member, "sha256": _sha(data), "bytes": len(data)}
                )
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


@audited("city.export")
def request_export(audit: Audit, *, actor: Actor, city: City) -> CityExport:
    export = CityExport.objects.create(
        city_id=city.pk, city_slug=city.slug, requested_by_id=actor.id
    )
    audit.after = {"export": export.pk}
    export_id = export.pk
    transaction.on_commit(
        lambda: enqueue_for_city(settings.PUBLIC_SCHEMA_NAME, "platform.export_city", export_id)
    )
    return export


@without_statement_timeout()
def build_export(export_id: int) -> str:
    """The task's body: write the archive file and mark the export ready (or failed)."""
    export = CityExport.objects.filter(pk=export_id, status=RunStatus.QUEUED).first()
    if export is None:
        return "skipped"
    city = City.objects.filter(pk=export.city_id).first()
    if city is None:
        CityExport.objects.filter(pk=export_id).update(
            status=RunStatus.FAILED, error=_("The city no longer exists.")
        )
        return "failed"
    CityExport.objects.filter(pk=export_id).update(status=RunStatus.RUNNING)
    path = exports_folder() / f"{export_id}-{city.slug}.zip"
    try:
        with path.open("wb") as target:
            write_archive(city, target)
    except Exception as exc:  # recorded on the export for the operator to see
        logger.exception("export %s of %s failed", export_id, city.slug)
        path.unlink(missing_ok=True)
        CityExport.objects.filter(pk=export_id).update(
            status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"
        )
        return "failed"
    data = path.read_bytes()
    now = timezone.now()
    CityExport.objects.filter(pk=export_id).update(
        status=RunStatus.DONE,
        path=str(path),
        size=len(data),
        sha256=_sha(data),
        finished_at=now,
        expires_at=now + DOWNLOAD_FOR,
    )
    return "done"


def export_file(export: CityExport) -> Path | None:
    """The archive's file while it may be downloaded."""
    if export.status != RunStatus.DONE or not export.path:
        return None
    if export.expires_at is None or export.expires_at <= timezone.now():
        return None
    path = Path(export.path)
    return path if path.is_file() else None


# --- Restore -------------------------------------------------------------------------------


def read_archive(source: IO[bytes]) -> tuple[dict[str, Any], zipfile.ZipFile]:
    """Open and check an archive: its manifest, the checksum of every member, and that it
    matches this installation's migration state. Raises ArchiveRefused."""
    try:
        archive = zipfile.ZipFile(source)
        raw = archive.read("manifest.json")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise ArchiveRefused(_("This file is not a Ratusz city archive.")) from exc
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise ArchiveRefused(_("The archive's manifest is unreadable.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused(_("This file is not a Ratusz city archive."))
    if manifest.get("version") != VERSION:
        raise ArchiveRefused(_("This archive was made by another version of Ratusz."))
    for entry in [*manifest.get("tables", []), *manifest.get("files", [])]:
        try:
            data = archive.read(entry["member"])
        except (KeyError, zipfile.BadZipFile, OSError) as exc:
            raise ArchiveRefused(
                _("The archive is incomplete: %(member)s is missing.")
                % {"member": entry.get("member", "?")}
            ) from exc
        if _sha(data) != entry["sha256"]:
            raise ArchiveRefused(
                _("The archive is damaged: %(member)s does not match its checksum.")
                % {"member": entry["member"]}
            )
    expected = sorted(f"{app}.{name}" for app, name in expected_migrations())
    if manifest.get("migrations") != expected:
        raise ArchiveRefused(
            _(
                "The archive comes from a different database version; migrate the source "
                "city and export it again."
            )
        )
    return manifest, archive


def _reset_sequences(cursor: Any, schema: str) -> None:
    cursor.execute(
        """
        SELECT c.relname, a.attname,
               pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), a.attname)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), a.attname) IS NOT NULL
        """,
        [schema],
    )
    for table, column, sequence in cursor.fetchall():
        cursor.execute(
            f"SELECT setval(%s, COALESCE((SELECT MAX({q(column)}) FROM {q(schema)}.{q(table)}), 0) + 1, false)",  # noqa: E501, S608
            [sequence],
        )


@without_statement_timeout()
def restore_export(*, actor: Actor, archive: IO[bytes], slug: str, name: str) -> City:
    """Make a new city `slug` from an archive: every row and every file, or nothing."""
    manifest, opened = read_archive(archive)
    check_slug_format(slug)
    schema = schema_name_for(slug)
    host = f"{slug}.{settings.BASE_DOMAIN}"
    meta = manifest["city"]
    blueprint = current_blueprint()
    written: list[str] = []
    try:
        with transaction.atomic():
            if (
                City.objects.filter(slug=slug).exists()
                or Domain.objects.filter(domain__iexact=host).exists()
            ):
                raise SlugRefused(slug, _("The subdomain “%(slug)s” is taken.") % {"slug": slug})
            city = City(
                schema_name=schema,
                slug=slug,
                name=name.strip() or meta["name"],
                country=meta["country"],
                default_language=meta["default_language"],
                languages=meta["languages"],
                time_zone=meta["time_zone"],
                plan=meta.get("plan", ""),
                limits=meta.get("limits", {}),
                features=meta.get("features", {}),
                status=CityStatus.SUSPENDED,  # an operator opens it once checked
            )
            city.save(verbosity=0)
            Domain.objects.create(
                domain=host, tenant=city, is_primary=True, verified_at=timezone.now()
            )
            create_schema_from_blueprint(schema, blueprint)
            tables = schema_tables(schema)
            archived = {entry["name"]: entry for entry in manifest["tables"]}
            if set(archived) != set(tables):
                raise ArchiveRefused(_("The archive's tables do not match this version."))
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(
                    "TRUNCATE " + ", ".join(f"{q(schema)}.{q(t)}" for t in tables) + " CASCADE"
                )
                for table in tables:
                    data = opened.read(archived[table]["member"])
                    with cursor.copy(f"COPY {q(schema)}.{q(table)} FROM STDIN") as copy:
                        copy.write(data)
                for table, column in CITY_ID_COLUMNS:
                    if table in archived:
                        cursor.execute(
                            f"UPDATE {q(schema)}.{q(table)} SET {q(column)} = %s",  # noqa: S608
                            [city.pk],
                        )
                _reset_sequences(cursor, schema)
            with schema_context(schema):
                for entry in manifest["files"]:
                    saved = default_storage.save(
                        entry["path"], ContentFile(opened.read(entry["member"]))
                    )
                    written.append(saved)
                    if saved != entry["path"]:
                        raise ArchiveRefused(_("The restored city's folder is not empty."))
            record(
                actor=actor,
                action="city.restore_archive",
                city=city,
                after={"from": meta["slug"], "tables": len(tables), "files": len(written)},
            )
            transaction.on_commit(lambda: routing.forget_hosts([host]))
    except BaseException:
        if written:
            remove_city_files(schema_name=schema)
        raise
    return city
