"""A city exported to one archive and restored under a new slug: every row and file."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection as dj_connection

from ratusz.platform.archive import (
    CITY_ID_COLUMNS,
    ArchiveRefused,
    build_export,
    export_file,
    request_export,
    restore_export,
    schema_tables,
    write_archive,
)
from ratusz.platform.audit import Actor
from ratusz.platform.models import CityExport
from ratusz.tenants.context import city_context, schema_context
from ratusz.tenants.models import City
from ratusz.tenants.slugs import SlugRefused
from tests.conftest import force_login_with_second_factor

ACTOR = Actor(id=1, email="op@ratusz.example")


def table_rows(schema: str, table: str, skip: set[str]) -> list[tuple]:
    with dj_connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{schema}"."{table}"')
        columns = [c.name for c in cursor.description]
        keep = [i for i, name in enumerate(columns) if name not in skip]
        return sorted((tuple(row[i] for i in keep) for row in cursor.fetchall()), key=repr)


def files_of(schema: str) -> dict[str, bytes]:
    from ratusz.platform.archive import _stored_files

    with schema_context(schema):
        return {name: default_storage.open(name).read() for name in _stored_files()}


@pytest.fixture
def city_with_file(city, resident):
    with city_context(city.ref):
        default_storage.save("ideas/photo.txt", ContentFile(b"a photo"))
    yield city
    from ratusz.tenants.services import remove_city_files

    remove_city_files(schema_name=city.schema)


def test_export_then_restore_reproduces_every_row_and_file(city_with_file, settings):
    city = city_with_file
    buffer = io.BytesIO()
    manifest = write_archive(city.model, buffer)
    assert {t["name"] for t in manifest["tables"]} == set(schema_tables(city.schema))
    buffer.seek(0)
    restored = restore_export(actor=ACTOR, archive=buffer, slug="gdansk-kopia", name="Kopia")
    try:
        assert restored.status == "suspended"
        for table in schema_tables(city.schema):
            skip = {col for t, col in CITY_ID_COLUMNS if t == table}
            assert table_rows(city.schema, table, skip) == table_rows(
                restored.schema_name, table, skip
            ), table
        assert files_of(restored.schema_name) == files_of(city.schema) != {}
        with schema_context(restored.schema_name):
            from ratusz.consultations.core.models import PortalSettings

            assert PortalSettings.objects.get().city_id == restored.pk
    finally:
        from ratusz.tenants.services import remove_city_files

        remove_city_files(schema_name=restored.schema_name)


def _archive_bytes(city) -> bytes:
    buffer = io.BytesIO()
    write_archive(city.model, buffer)
    return buffer.getvalue()


def test_a_corrupt_or_foreign_archive_is_refused_and_nothing_is_made(city):
    before = City.objects.count()
    with pytest.raises(ArchiveRefused, match="not a Ratusz city archive"):
        restore_export(actor=ACTOR, archive=io.BytesIO(b"not a zip"), slug="kopia-a", name="A")
    foreign = io.BytesIO()
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something-else"}))
    with pytest.raises(ArchiveRefused, match="not a Ratusz city archive"):
        restore_export(actor=ACTOR, archive=foreign, slug="kopia-b", name="B")
    # One byte changed in a table: the checksum catches it.
    original = zipfile.ZipFile(io.BytesIO(_archive_bytes(city)))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "tables/accounts_user.copy":
                data = data.replace(b"@", b"#", 1) + b"x"
            archive.writestr(info.filename, data)
    with pytest.raises(ArchiveRefused, match="damaged"):
        restore_export(actor=ACTOR, archive=damaged, slug="kopia-c", name="C")
    with pytest.raises(SlugRefused):
        restore_export(
            actor=ACTOR, archive=io.BytesIO(_archive_bytes(city)), slug=city.model.slug, name="D"
        )
    assert City.objects.count() == before
    with dj_connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'kopia%%'")
        assert cursor.fetchone()[0] == 0


def test_the_export_task_writes_a_downloadable_archive(city, operator, control_client):
    from allauth.mfa.models import Authenticator

    export = request_export(actor=ACTOR, city=city.model)
    assert build_export(export.pk) == "done"
    export.refresh_from_db()
    path = export_file(export)
    assert path is not None and path.stat().st_size == export.size
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    force_login_with_second_factor(control_client, operator)
    response = control_client.get(f"/console/exports/{export.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    CityExport.objects.filter(pk=export.pk).update(expires_at=export.created_at)
    assert control_client.get(f"/console/exports/{export.pk}/download/").status_code == 404
    bad = control_client.post(
        "/console/restore/",
        {"archive": SimpleUploadedFile("x.zip", b"garbage"), "slug": "kopia-e", "name": "E"},
    )
    assert bad.status_code == 400 and "not a Ratusz city archive" in bad.content.decode()
    path.unlink()
