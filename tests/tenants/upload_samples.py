"""Files to upload in tests: real images, and hostile ones made the way attackers make them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image(size: tuple[int, int] = (40, 30), image_format: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if image_format == "ICO" else "RGB"
    Image.new(mode, size, (31, 78, 140)).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def jpeg_with_location() -> bytes:
    """A phone's photo: EXIF with a GPS position (Gdańsk), a camera name and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (54.0, 21.0, 7.0), 3: "E", 4: (18.0, 38.0, 3.0)}  # GPSInfo
    return image((64, 48), "JPEG", exif=exif.tobytes(), comment=b"my home")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A small file whose header says `width`×`height` pixels: what a decompression bomb
    looks like before it is decoded (the pixels would never be read)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


# Hostile content: each either refused or stored as a harmless file of its real type.
HOSTILE_CONTENTS: dict[str, bytes] = {
    "png+html": image((200, 80)) + HTML,
    "jpeg+html": image((40, 30), "JPEG") + HTML,
    "gif+js": b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;alert(document.cookie);//" + b"\x00" * 8,
    "svg+script": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>",
    "bare svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "html": HTML,
    "pdf+html": b"%PDF-1.4\n" + HTML,
    "zip+html": _zip({"index.html": HTML}),
    "docx+html": _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": HTML}),
    "nul bytes": b"\x00\x01\x02" * 40,
    "30000x30000 png": png_claiming(30_000, 30_000),
    "10000x10000 png": png_claiming(10_000, 10_000),
    "empty": b"",
}

HOSTILE_NAMES: list[str] = [
    "poly.html",
    "poly.png.html",
    "../../../etc/passwd.png",
    "..\\..\\windows\\win.ini.png",
    "photo\x00.html",
    "a" * 300 + ".png",
    "invoice\u202egpj.exe",  # shows as "invoiceexe.jpg"
    "/absolute/path.png",
    ".htaccess",
    "ﾠ．．／x.png",
    "",
]
