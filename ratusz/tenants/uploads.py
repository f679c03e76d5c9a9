"""Every file a person uploads is checked and stored through here, and only here.

A stored file never keeps the name or the bytes it was sent with:
- its type is detected from its content (never from its name or the browser's word), and only
  the types listed in FILE_TYPES are accepted; SVG is refused, because an SVG is a document that
  may carry scripts, and no page here needs one (a PNG of the logo does the same job);
- images are decoded and encoded again by Pillow, which drops whatever was appended to them
  (a PNG followed by HTML becomes a plain PNG) and their metadata (EXIF, with the GPS location
  of a phone's photo); an image over settings.MAX_IMAGE_PIXELS is refused from its header,
  before it is decoded;
- the stored name is random, with the extension of the detected type, so a name like
  `poly.html` or `../../x` never reaches the storage, and the type a server derives from the
  name is the detected one.

Model fields holding uploads are `UploadedImageField` / `UploadedDocumentField`: their files go
through `store_safely` whenever they are saved, whatever form or service sent them. Forms call
`inspect_upload` first, so a person gets a message in their language instead of an error.
`tests/tenants/test_uploads.py` fails for a model field holding files that is neither.
"""

from __future__ import annotations

import io
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from ratusz.errors import Refused


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str
    image_format: str = ""  # Pillow's name for the format; empty for documents

    @property
    def is_image(self) -> bool:
        return bool(self.image_format)


FILE_TYPES: dict[str, FileType] = {
    t.extension: t
    for t in (
        FileType("jpg", "image/jpeg", "JPEG", "JPEG"),
        FileType("png", "image/png", "PNG", "PNG"),
        FileType("webp", "image/webp", "WebP", "WEBP"),
        FileType("ico", "image/vnd.microsoft.icon", "ICO", "ICO"),
        FileType("pdf", "application/pdf", "PDF"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "DOCX",
        ),
        FileType(
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
        ),
        FileType("odt", "application/vnd.oasis.opendocument.text", "ODT"),
        FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS"),
        FileType("txt", "text/plain; charset=utf-8", "TXT"),
        FileType("csv", "text/csv; charset=utf-8", "CSV"),
    )
}
IMAGE_TYPES = frozenset(e for e, t in FILE_TYPES.items() if t.is_image)
DOCUMENT_TYPES = frozenset(FILE_TYPES)
_BY_IMAGE_FORMAT = {t.image_format: t for t in FILE_TYPES.values() if t.is_image}
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
# Characters that make a name read differently from what it is: controls, bidirectional
# overrides (an RTL override turns "gpj.exe" into "exe.jpg" on screen), and path separators.
_NAME_UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MAX_DISPLAY_NAME = 120


def extension_of(name: str) -> str:
    """The canonical extension a person means by a file name's ending (".JPEG" -> "jpg")."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return "jpg" if extension == "jpeg" else extension


def type_labels(accept: frozenset[str] | set[str]) -> str:
    return ", ".join(sorted(FILE_TYPES[e].label for e in accept if e in FILE_TYPES))


def display_name(name: str | None, fallback: str = "file") -> str:
    """A sent file's name made safe to show and to offer as a download name: no folders, no
    control or direction characters, no leading dots, at most MAX_DISPLAY_NAME characters."""
    text = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    text = "".join(c for c in text if unicodedata.category(c) not in _NAME_UNSAFE)
    text = " ".join(text.split()).lstrip(".").strip()
    if len(text) > MAX_DISPLAY_NAME:
        stem, dot, extension = text.rpartition(".")
        keep = extension[:10] if dot and stem else ""
        text = text[: MAX_DISPLAY_NAME - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return text or fallback


@dataclass(frozen=True)
class Detected:
    type: FileType
    width: int = 0
    height: int = 0


# A form's ValidationError first (its `message` is a template that `messages` fills with
# `params`), a Refused too: mypy sees the two kinds of `message`.
class UploadRefused(forms.ValidationError, Refused):  # type: ignore[misc]
    """A file that cannot be accepted; the message says why, in the person's language."""

    code = "upload_refused"


def _name(upload: Any) -> str:
    return display_name(getattr(upload, "name", None))


def _read(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _refuse_type(upload: Any, accept: frozenset[str]) -> UploadRefused:
    return UploadRefused(
        _("“%(name)s” is not a file of an accepted type. Use: %(types)s."),
        code="file_type",
        params={"name": _name(upload), "types": type_labels(accept)},
    )


def _too_many_pixels(upload: Any) -> UploadRefused:
    megapixels = settings.MAX_IMAGE_PIXELS // 1_000_000
    return UploadRefused(
        ngettext(
            "“%(name)s” has too many pixels: an image can have at most %(megapixels)s million "
            "pixels. Make it smaller and send it again.",
            "“%(name)s” has too many pixels: an image can have at most %(megapixels)s million "
            "pixels. Make it smaller and send it again.",
            megapixels,
        ),
        code="too_many_pixels",
        params={"name": _name(upload), "megapixels": megapixels},
    )


def _open_image(data: bytes, upload: Any) -> Image.Image:
    """Open an image from its header only, refusing it if it has too many pixels."""
    with warnings.catch_warnings():
        # Pillow warns past its own limit and raises past twice that; ours is the one that
        # counts, checked below from the header, so neither may escape as a 500.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels(upload) from exc
    width, height = image.size
    if width * height > settings.MAX_IMAGE_PIXELS:
        image.close()
        raise _too_many_pixels(upload)
    return image


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in text


def _detect_document(data: bytes, name: str) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    return _ODF.get(archive.read("mimetype").strip(), "")
                if "[Content_Types].xml" in names:
                    return next((e for member, e in _OOXML.items() if member in names), "")
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return ""
        return ""
    if b"\x00" in data[:65536]:
        return ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1250")  # Polish Windows text, as office programs still save it
        except UnicodeDecodeError:
            return ""
    return "csv" if extension_of(name) == "csv" else "txt"


def inspect_upload(upload: Any, *, accept: frozenset[str] | set[str]) -> Detected:
    """Detect what `upload` really is; refuse it (UploadRefused) unless its type is in
    `accept` (extensions of FILE_TYPES) and, for an image, it is within the pixel limit."""
    accept = frozenset(accept)
    data = _read(upload)
    if _looks_like_svg(data[:1024]):
        raise UploadRefused(
            _("“%(name)s” is an SVG drawing, which is not accepted. Use: %(types)s."),
            code="svg",
            params={"name": _name(upload), "types": type_labels(accept)},
        )
    image: Image.Image | None = None
    try:
        image = _open_image(data, upload)
    except UnidentifiedImageError:
        image = None
    except (OSError, SyntaxError, ValueError) as exc:
        raise _refuse_type(upload, accept) from exc
    if image is not None:
        with image:
            found = _BY_IMAGE_FORMAT.get(image.format or "")
            if found is None or found.extension not in accept:
                raise _refuse_type(upload, accept)
            try:
                # Decoded whole (within the pixel limit): a header with no pixels behind it,
                # which verify() lets pass, is refused here rather than failing when stored.
                image.load()
            except Exception as exc:  # Pillow raises many kinds for a damaged file
                raise _refuse_type(upload, accept) from exc
            return Detected(found, *image.size)
    extension = _detect_document(data, getattr(upload, "name", "") or "")
    if not extension or extension not in accept:
        raise _refuse_type(upload, accept)
    return Detected(FILE_TYPES[extension])


def _reencode(data: bytes, found: FileType, upload: Any) -> bytes:
    with _open_image(data, upload) as opened:
        opened.load()
        # The orientation lives in the EXIF that is dropped: turn the pixels instead.
        image = ImageOps.exif_transpose(opened) or opened
        if found.image_format == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        elif image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
            image = image.convert("RGBA")
        out = io.BytesIO()
        options: dict[str, Any] = {}
        if found.image_format == "JPEG":
            options = {"quality": 90, "optimize": True}
        elif found.image_format == "WEBP":
            options = {"quality": 90}
        elif found.image_format == "ICO":
            options = {"sizes": [image.size]}
        # Nothing but the pixels is written: Pillow carries some of `info` (a JPEG's comment,
        # XMP) into what it saves, so only what says how to show the pixels is kept.
        icc = image.info.get("icc_profile") if found.image_format != "ICO" else None
        if icc:
            options["icc_profile"] = icc
        image.info = {k: v for k, v in image.info.items() if k == "transparency"}
        image.save(out, format=found.image_format, **options)
        return out.getvalue()


def safe_content(upload: Any, *, accept: frozenset[str] | set[str]) -> tuple[Detected, bytes]:
    """What is stored for `upload`: its detected type and its bytes (images re-encoded)."""
    detected = inspect_upload(upload, accept=accept)
    data = _read(upload)
    if detected.type.is_image:
        try:
            data = _reencode(data, detected.type, upload)
        except (OSError, ValueError, SyntaxError) as exc:
            raise _refuse_type(upload, frozenset(accept)) from exc
    return detected, data


def random_name(file_type: FileType) -> str:
    return f"{uuid.uuid4().hex}.{file_type.extension}"


def content_type_of(name: str) -> FileType | None:
    """The type a stored file is served as, from the extension its stored name was given."""
    return FILE_TYPES.get(extension_of(name))


class _SafeFieldFileMixin:
    """Saving a file through the field stores the safe copy under a random name."""

    field: Any
    accept: frozenset[str]

    def save(self, name: str, content: File, save: bool = True) -> None:
        detected, data = safe_content(content, accept=self.field.accept)
        super().save(  # type: ignore[misc]  # FieldFile.save, after this mixin in the MRO
            random_name(detected.type), ContentFile(data), save
        )


class SafeFieldFile(_SafeFieldFileMixin, FieldFile):
    pass


class SafeImageFieldFile(_SafeFieldFileMixin, ImageFieldFile):
    pass


class UploadedDocumentField(models.FileField):
    """A file a person uploads: a document or an image of FILE_TYPES, stored safely."""

    attr_class = SafeFieldFile
    accept = DOCUMENT_TYPES

    def deconstruct(self) -> Any:
        # The column is Django's own: how a file is stored is no matter for migrations, which
        # then need neither this class nor a change when a model starts to use it.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class UploadedImageField(models.ImageField):
    """An image a person uploads: JPEG, PNG, WebP or ICO, re-encoded and stored safely."""

    attr_class = SafeImageFieldFile
    accept = IMAGE_TYPES

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # see UploadedDocumentField
        return name, "django.db.models.ImageField", args, kwargs


SAFE_FIELD_FILES = (SafeFieldFile, SafeImageFieldFile)
