"""Fixtures of the branding and site tests."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.tenants.fake_dns import fake_dns  # noqa: F401  # the custom-domain tests' DNS server


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded logos land in a folder of this test, not in the development media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def image_bytes(size: tuple[int, int] = (200, 80), image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 78, 140)).save(buffer, format=image_format)
    return buffer.getvalue()
