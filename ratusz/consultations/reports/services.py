"""Writes of the reports area: asking for an export, making it, and removing expired ones."""

from __future__ import annotations

import logging
import posixpath
import uuid
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.accounts.rules import is_administrator
from ratusz.consultations.core.export_files import write_csv, write_xlsx
from ratusz.consultations.core.models import Project
from ratusz.consultations.reports import registry
from ratusz.consultations.reports.models import Export, ExportFormat, ExportStatus
from ratusz.consultations.reports.selectors import scope_for
from ratusz.errors import Refused
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.tenants.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

# How long a finished export can be downloaded; after that a periodic task deletes the file.
EXPORT_VALIDITY = timedelta(hours=24)
# Progress is written at most this many times per export (each write is one UPDATE).
PROGRESS_STEPS = 20


class ExportRefused(Refused, ValueError):
    """The export cannot be made as asked; the message says why."""

    code = "export_refused"


def request_export(
    *, requested_by: User, kind: str, file_format: str, project: Project | None
) -> Export:
    """Queue an export of `kind` (a registered dataset) for the requester; the file is made in
    the background (`reports.make_export`) once this transaction commits."""

    dataset = registry.dataset(kind)
    if dataset is None or not dataset.allowed_for(administrator=is_administrator(requested_by)):
        raise ExportRefused(_("You cannot export this data."))
    if file_format not in ExportFormat.values:
        raise ExportRefused(_("Choose CSV or XLSX."))
    with transaction.atomic():
        export = Export.objects.create(
            requested_by=requested_by,
            kind=kind,
            file_format=file_format,
            project=project,
            expires_at=timezone.now() + EXPORT_VALIDITY,
        )
        enqueue_on_commit("reports.make_export", export.pk)
    return export


def _file_name(export: Export, stamp: datetime) -> str:
    parts = [
        export.kind,
        export.project.slug if export.project else "",
        stamp.strftime("%Y%m%d-%H%M"),
    ]
    base = slugify("-".join(p for p in parts if p)) or "export"
    # A random folder: the stored name cannot be guessed, even where media are served.
    return posixpath.join("exports", uuid.uuid4().hex, f"{base}.{export.file_format}")


def _fail(export: Export, message: str) -> Export:
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED, error=message[:300], finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


@without_statement_timeout()
def make_export(*, export_id: int, city_time_zone: str, city_language: str) -> Export | None:
    """Write the export's file to the city's storage, reporting progress as it goes.

    Safe to run twice: a finished (or failed) export is left alone. Runs outside one big
    transaction on purpose, so that the progress page sees each step."""
    export = Export.objects.select_related("project", "requested_by").filter(pk=export_id).first()
    if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return export
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=0)
    requester = export.requested_by
    dataset = registry.dataset(export.kind)
    with translation.override(
        (requester.language if requester and requester.language else None) or city_language
    ):
        if requester is None or dataset is None:
            return _fail(export, _("The person who asked for this export no longer has access."))
        administrator = is_administrator(requester)
        if not dataset.allowed_for(administrator=administrator):
            return _fail(export, _("Only administrators can export this data."))
        scope = scope_for(
            requester,
            project=export.project,
            time_zone=city_time_zone,
            default_language=city_language,
        )
        if export.project is not None and not scope.projects.exists():
            return _fail(export, _("You no longer manage this project."))
        try:
            total = dataset.count(scope)
            every = max(1, total // PROGRESS_STEPS)

            def progress(done: int) -> None:
                if done % every == 0:
                    Export.objects.filter(pk=export.pk).update(
                        progress=min(99, done * 100 // max(total, 1))
                    )

            headers = [str(c.label) for c in dataset.columns(scope)]
            note = str(dataset.empty_note) if total == 0 else ""
            if export.file_format == ExportFormat.XLSX:
                content, written = write_xlsx(
                    headers=headers,
                    rows=dataset.rows(scope),
                    title=str(dataset.label),
                    notes=[note] if note else [],
                    notes_title=_("Notes"),
                    progress=progress,
                )
            else:
                content, written = write_csv(
                    headers=headers, rows=dataset.rows(scope), progress=progress
                )
            now = timezone.now()
            name = default_storage.save(_file_name(export, now), ContentFile(content))
        except Exception:
            logger.exception("export %s failed", export.pk)
            return _fail(export, _("Something went wrong while preparing the file. Try again."))
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.DONE,
            progress=100,
            row_count=written,
            file=name,
            note=str(dataset.empty_note) if written == 0 else "",
            finished_at=now,
            expires_at=now + EXPORT_VALIDITY,
        )
    export.refresh_from_db()
    return export


def delete_expired_exports(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their validity (the rows stay, so that a link to one
    says it expired); returns how many files were deleted."""
    now = now or timezone.now()
    deleted = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(file=""):
        if default_storage.exists(export.file.name):
            default_storage.delete(export.file.name)
        Export.objects.filter(pk=export.pk).update(file="")
        deleted += 1
    return deleted
