"""How stored files are handed to a browser: as their type, never as a page.

Every answer carrying a stored file says `X-Content-Type-Options: nosniff` (the browser must
not guess a type from the bytes), takes its type from the stored name's extension (which
ratusz.tenants.uploads gave from the detected content), and offers anything but an image as a
download (`Content-Disposition: attachment`). A stored name of an unknown type (files stored
before names were made safe) goes out as `application/octet-stream`, a download.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from ratusz.tenants.storage import city_folder
from ratusz.tenants.uploads import content_type_of

# Folders of a city whose files are personal data or exports: only views that check who asks
# hand them out (survey answers: surveys' staff view; exports: reports' download view).
PRIVATE_FOLDERS = frozenset({"exports", "survey-answers"})
# One segment of a stored name, as Django's get_valid_name leaves it: letters, digits, "_",
# "-" and "." (no separators, no "%", no spaces, no control characters).
_SEGMENT = re.compile(r"^[\w.-]+$")


def protect(
    response: HttpResponse | FileResponse,
    *,
    stored_name: str,
    download_name: str = "",
    download: bool = False,
) -> None:
    """Set the headers that keep a stored file from being shown as a page (`download`: not
    even an image is shown)."""
    file_type = content_type_of(stored_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Type"] = file_type.content_type if file_type else "application/octet-stream"
    disposition = "inline" if file_type and file_type.is_image and not download else "attachment"
    name = download_name or os.path.basename(stored_name)
    # RFC 6266: a plain ASCII fallback, and the real name in UTF-8.
    fallback = name.encode("ascii", "ignore").decode().replace('"', "") or "file"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )


def stored_file_response(
    opened: IO[bytes], *, stored_name: str, download_name: str = "", download: bool = False
) -> FileResponse:
    response = FileResponse(opened)
    protect(response, stored_name=stored_name, download_name=download_name, download=download)
    return response


def city_media_path(path: str) -> str | None:
    """The file on disk for a public media URL's path, or None when the path is not one of
    the current city's public stored files. Every check is on the path's segments, as they
    arrive (a "%" left after the one decoding Django does means a second encoding, never in
    a stored name), and again on the real path on disk."""
    segments = path.split("/")
    for segment in segments:
        normal = unicodedata.normalize("NFKC", segment)
        if (
            not _SEGMENT.match(segment)
            or not _SEGMENT.match(normal)
            or normal.startswith(".")
            or segment.startswith(".")
        ):
            return None
    own = city_folder().split("/")
    if len(segments) <= len(own) + 1 or segments[: len(own)] != own:
        return None
    if segments[len(own)] in PRIVATE_FOLDERS:
        return None
    root = os.path.realpath(os.path.join(settings.MEDIA_ROOT, *own))
    target = os.path.realpath(os.path.join(root, *segments[len(own) :]))
    if not target.startswith(root + os.sep) or not os.path.isfile(target):
        return None
    private = {os.path.join(root, folder) + os.sep for folder in PRIVATE_FOLDERS}
    if any(target.startswith(folder) for folder in private):
        return None
    return target


def serve_city_media(request: HttpRequest, path: str) -> FileResponse:
    """The development server's media route (in production files come from the bucket)."""
    target = city_media_path(path)
    if target is None:
        raise Http404
    return stored_file_response(open(target, "rb"), stored_name=target)  # FileResponse closes it
