"""An export runs through the real Redis broker and a real Celery worker, in its own city."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.storage import default_storage
from django.db import transaction

from ratusz.accounts.models import Role, User
from ratusz.celery import app
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.consultations.reports import services
from ratusz.consultations.reports.models import Export, ExportStatus
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project


def wait_until(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def worker(live_db, settings, tmp_path) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_an_export_is_made_by_a_worker_in_the_city_that_asked(make_city, worker):
    gdansk, sopot = make_city(), make_city()
    for city, title in ((gdansk, "Ławki"), (sopot, "Molo")):
        with city_context(city.ref):
            project = make_project("park")
            author = User.objects.create_user(f"autor@{city.ref.slug}.example", "pass-word-123")
            post_idea(
                author=author,
                phase=project.phases.get(method="ideation"),
                title=title,
                body="<p>Tak.</p>",
            )
    with city_context(gdansk.ref):
        admin = User.objects.create_user(
            "admin-export@example.com", "pass-word-123", role=Role.ADMINISTRATOR, is_staff=True
        )
        with transaction.atomic():
            export = services.request_export(
                requested_by=admin, kind="ideas", file_format="csv", project=None
            )

    def finished() -> bool:
        with city_context(gdansk.ref):
            return Export.objects.get(pk=export.pk).status in (
                ExportStatus.DONE,
                ExportStatus.FAILED,
            )

    assert wait_until(finished)
    with city_context(gdansk.ref):
        export.refresh_from_db()
        assert export.status == ExportStatus.DONE
        assert export.row_count == 1
        with default_storage.open(export.file.name, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
    assert "Ławki" in text and "Molo" not in text
    with city_context(sopot.ref):
        assert not Export.objects.exists()
