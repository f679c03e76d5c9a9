"""File storage with one folder (or S3 prefix) per city, chosen by the current schema.

A stored name is relative to its city's folder, so a name from one city resolves inside the
current city's folder and can never reach another city's files.
"""

from __future__ import annotations

import os
import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from ratusz.tenants.db import connection
from ratusz.tenants.uploads import content_type_of

CITIES_FOLDER = "cities"


def city_folder() -> str:
    schema = str(connection.schema_name)
    if not schema or "/" in schema or schema.startswith("."):
        raise SuspiciousFileOperation(f"No valid city context for file storage: {schema!r}")
    if schema == settings.PUBLIC_SCHEMA_NAME:
        return "control"
    return posixpath.join(CITIES_FOLDER, schema)


class CityFileSystemStorage(FileSystemStorage):
    """MEDIA_ROOT/cities/<schema>/..., served at MEDIA_URL/cities/<schema>/..."""

    # Django caches these per instance; here they follow the current city.
    @property
    def base_location(self) -> str:
        root = str(self._value_or_setting(getattr(self, "_location", None), settings.MEDIA_ROOT))
        return os.path.join(root, city_folder())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> str:
        root = str(self._value_or_setting(getattr(self, "_base_url", None), settings.MEDIA_URL))
        if not root.endswith("/"):
            root += "/"
        return f"{root}{city_folder()}/"


class CityS3Storage(S3Storage):
    """<bucket>/cities/<schema>/... : one prefix per city in one bucket."""

    _root_location: str = ""

    @property  # the location follows the current city
    def location(self) -> str:
        return posixpath.join(self._root_location or "", city_folder())

    @location.setter
    def location(self, value: str) -> None:
        self._root_location = value

    def get_object_parameters(self, name: str) -> dict[str, str]:
        """A file is served from the bucket as the type its stored name says (given from its
        detected content), and anything but an image as a download, never as a page."""
        params: dict[str, str] = super().get_object_parameters(name)
        file_type = content_type_of(name)
        params["ContentType"] = file_type.content_type if file_type else "application/octet-stream"
        if not (file_type and file_type.is_image):
            params["ContentDisposition"] = "attachment"
        return params
