"""Uploaded files: every model field holding them stores through the safe path, hostile files
are refused or made harmless, and the media route serves only the current city's public files,
each as its type and never as a page."""

from __future__ import annotations

import io
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http.multipartparser import MultiPartParser
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from ratusz.tenants.context import city_context
from ratusz.tenants.uploads import (
    FILE_TYPES,
    SAFE_FIELD_FILES,
    UploadRefused,
    display_name,
    inspect_upload,
    safe_content,
)
from tests.tenants.upload_samples import (
    HOSTILE_CONTENTS,
    HOSTILE_NAMES,
    docx,
    image,
    jpeg_with_location,
    png_claiming,
)

# Model fields holding files that no person uploads: the server writes them itself.
SERVER_WRITTEN = {
    ("reports", "Export", "file"): "exports the server writes (CSV, XLSX, ZIP), staff-only",
}


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def uploaded_fields() -> list[models.FileField]:
    return [
        field
        for model, field in file_fields()
        if (model._meta.app_label, model.__name__, field.name) not in SERVER_WRITTEN
    ]


def test_every_model_field_holding_files_stores_them_through_the_safe_path():
    unsafe = [
        f"{model._meta.label}.{field.name}"
        for model, field in file_fields()
        if (model._meta.app_label, model.__name__, field.name) not in SERVER_WRITTEN
        and not issubclass(field.attr_class, SAFE_FIELD_FILES)  # type: ignore[attr-defined]  # set on every FileField, missing from the stubs
    ]
    assert not unsafe, (
        "These fields store uploads as sent; use UploadedImageField or UploadedDocumentField "
        f"(ratusz.tenants.uploads), or list a server-written field in SERVER_WRITTEN: {unsafe}"
    )
    known = {(m._meta.app_label, m.__name__, f.name) for m, f in file_fields()}
    assert set(SERVER_WRITTEN) <= known, "SERVER_WRITTEN names a field that no longer exists"
    assert len(uploaded_fields()) >= 9  # branding ×4, idea image and file, cover, files, answers


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def sent(name: str, content: bytes) -> SimpleUploadedFile | None:
    """The file a view receives for a file sent under `name` (None: Django drops it)."""
    parsed = MultiPartParser.sanitize_file_name(MultiPartParser, name)  # type: ignore[arg-type]  # a static helper in all but name
    return SimpleUploadedFile(parsed, content) if parsed else None


def store(field: models.FileField, upload: SimpleUploadedFile) -> str:
    """Save `upload` through `field` as a form's service would, without a row: the stored
    name."""
    instance = field.model()
    field_file = getattr(instance, field.attname)
    field_file.save(upload.name, upload, save=False)
    return str(field_file.name)


# Types a browser renders as a document that can run scripts.
RENDERED_AS_PAGES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
}
STORED_NAME = re.compile(r"^(?P<folder>[\w/-]+/)(?P<stem>[0-9a-f]{32})\.(?P<extension>[a-z]+)$")


def assert_served_safely(client, city, stored: str, media) -> None:
    response = client.get(f"/media/cities/{city.schema}/{stored}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    content_type = response["Content-Type"]
    assert content_type.split(";")[0] not in RENDERED_AS_PAGES
    if not content_type.startswith("image/"):
        assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert (media / "cities" / city.schema / stored).read_bytes() == body


@pytest.mark.parametrize("field", uploaded_fields(), ids=lambda f: f"{f.model.__name__}.{f.name}")
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.sampled_from(sorted(HOSTILE_CONTENTS)),
    junk=st.binary(max_size=64),
    name=st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=300)),
)
def test_a_hostile_file_is_refused_or_stored_harmless_by_every_field(
    city, media, field, content, junk, name
):
    upload = sent(name, HOSTILE_CONTENTS[content] + junk)
    assume(upload is not None)
    assert upload is not None
    with city_context(city.ref):
        try:
            stored = store(field, upload)
        except UploadRefused as refused:
            problem: UploadRefused | None = refused
        else:
            problem = None
    if problem is not None:
        assert problem.messages and all(m.strip() for m in problem.messages)
        return
    match = STORED_NAME.match(stored)
    assert match, stored
    assert match["folder"] == field.upload_to
    assert match["extension"] in field.accept
    saved = (media / "cities" / city.schema / stored).read_bytes()
    if FILE_TYPES[match["extension"]].is_image:
        assert b"<html" not in saved and b"alert(" not in saved  # re-encoded: pixels only
        Image.open(io.BytesIO(saved)).verify()
    if not field.upload_to.startswith("survey-answers"):
        assert_served_safely(city.client(), city, stored, media)


@pytest.mark.parametrize(
    ("sample", "accepted"),
    [
        ("png+html", True),
        ("jpeg+html", True),
        ("gif+js", False),
        ("svg+script", False),
        ("bare svg", False),
        ("html", False),
        ("zip+html", False),
        ("nul bytes", False),
        ("30000x30000 png", False),
        ("10000x10000 png", False),
        ("empty", False),
    ],
)
def test_images_are_detected_from_their_content(sample, accepted):
    upload = SimpleUploadedFile("poly.html", HOSTILE_CONTENTS[sample])
    if accepted:
        assert inspect_upload(upload, accept={"png", "jpg"}).type.is_image
    else:
        with pytest.raises(UploadRefused):
            inspect_upload(upload, accept={"png", "jpg", "webp", "ico"})


def test_documents_are_detected_from_their_content():
    accept = frozenset(FILE_TYPES)
    assert inspect_upload(SimpleUploadedFile("x.png", docx()), accept=accept).type.extension == (
        "docx"
    )
    pdf = SimpleUploadedFile("x.html", b"%PDF-1.4\n%...")
    assert inspect_upload(pdf, accept=accept).type.extension == "pdf"
    notes = SimpleUploadedFile("notatki.csv", "Ławka;park\n".encode("cp1250"))
    assert inspect_upload(notes, accept=accept).type.extension == "csv"
    with pytest.raises(UploadRefused):  # a PDF where only images are accepted
        inspect_upload(pdf, accept={"png"})


@pytest.mark.parametrize(
    ("size", "accepted"),
    [((10_000, 10_000), False), ((30_000, 30_000), False), ((7_000, 5_000), True)],
)
def test_the_pixel_limit_is_checked_from_the_header(settings, size, accepted):
    settings.MAX_IMAGE_PIXELS = 40_000_000
    upload = SimpleUploadedFile("big.png", png_claiming(*size))
    if accepted:
        with pytest.raises(UploadRefused) as refused:  # the header passes, the pixels are absent
            inspect_upload(upload, accept={"png"})
        assert refused.value.code != "too_many_pixels"
    else:
        with pytest.raises(UploadRefused) as refused:
            inspect_upload(upload, accept={"png"})
        assert refused.value.code == "too_many_pixels"
        assert "at most 40 million pixels" in refused.value.messages[0]


def test_a_photo_loses_its_location_and_metadata_but_not_its_pixels():
    original = jpeg_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # it has a location
    detected, data = safe_content(
        SimpleUploadedFile("IMG_0001.JPG", original), accept={"jpg", "png"}
    )
    cleaned = Image.open(io.BytesIO(data))
    assert detected.type.extension == "jpg"
    assert cleaned.size == (64, 48)
    assert not cleaned.getexif()
    assert "exif" not in cleaned.info and "comment" not in cleaned.info
    assert b"PhoneMaker" not in data and b"my home" not in data


def test_icons_and_webp_survive_reencoding():
    for image_format, extension in (("ICO", "ico"), ("WEBP", "webp"), ("PNG", "png")):
        upload = SimpleUploadedFile("x", image((64, 64), image_format))
        detected, data = safe_content(upload, accept={extension})
        assert detected.type.extension == extension
        assert Image.open(io.BytesIO(data)).format == image_format


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_sent_name_is_made_safe_to_show(name):
    shown = display_name(name)
    assert shown and len(shown) <= 120
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown
    assert "\u202e" not in shown and not shown.startswith(".")
