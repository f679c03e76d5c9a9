"""Cache entries and files belong to one city each."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import boto3
import pytest
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer

from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.storage import CityFileSystemStorage, CityS3Storage


def test_cache_keys_are_namespaced_per_city(city, other_city):
    with city_context(city.ref):
        cache.set("home-page", "Gdańsk's page")
        assert cache.get("home-page") == "Gdańsk's page"
    with city_context(other_city.ref):
        assert cache.get("home-page") is None
        cache.set("home-page", "Springfield's page")
    with city_context(city.ref):
        assert cache.get("home-page") == "Gdańsk's page"
    assert cache.get("home-page") is None  # nor in the control plane


def test_files_are_stored_under_the_citys_folder(city, other_city, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    storage = CityFileSystemStorage()
    with city_context(city.ref):
        name = storage.save("ideas/plan.txt", ContentFile(b"plan for Gdansk"))
        assert (tmp_path / "cities" / city.schema / name).read_bytes() == b"plan for Gdansk"
        assert storage.url(name) == f"/media/cities/{city.schema}/{name}"
        assert storage.exists(name)
    with city_context(other_city.ref):
        # The same name resolves inside Springfield's folder: Gdańsk's file is out of reach.
        assert not storage.exists(name)
        with pytest.raises(SuspiciousFileOperation):
            storage.path(f"../{city.schema}/{name}")
    assert default_storage.__class__ is CityFileSystemStorage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A local S3 stand-in server, spoken to over HTTP by boto3 like the real one."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-central-1",
    ).create_bucket(
        Bucket="ratusz-media", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    yield endpoint
    server.stop()


def test_s3_storage_keeps_one_prefix_per_city(city, other_city, s3_endpoint):
    storage = CityS3Storage(
        bucket_name="ratusz-media",
        endpoint_url=s3_endpoint,
        access_key="test",
        secret_key="test",
        region_name="eu-central-1",
        file_overwrite=False,
    )
    with city_context(city.ref):
        name = storage.save("ideas/photo.txt", ContentFile(b"gdansk photo"))
        assert storage.open(name).read() == b"gdansk photo"
        assert f"/cities/{city.schema}/" in storage.url(name)
    with city_context(other_city.ref):
        assert not storage.exists(name)
        storage.save("ideas/photo.txt", ContentFile(b"springfield photo"))
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-central-1",
    )
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket="ratusz-media")["Contents"])
    assert keys == [
        f"cities/{city.schema}/ideas/photo.txt",
        f"cities/{other_city.schema}/ideas/photo.txt",
    ]
    assert connection.schema_name == "public"


def test_files_in_the_bucket_are_served_as_their_stored_type(city, s3_endpoint):
    """The bucket answers with the type the stored name says, and anything but an image as a
    download: never as a page, whatever was stored."""
    storage = CityS3Storage(
        bucket_name="ratusz-media",
        endpoint_url=s3_endpoint,
        access_key="test",
        secret_key="test",
        region_name="eu-central-1",
        file_overwrite=False,
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-central-1",
    )
    expected = {
        "ideas/images/a.png": ("image/png", None),
        "ideas/files/a.pdf": ("application/pdf", "attachment"),
        "ideas/files/legacy.html": ("application/octet-stream", "attachment"),
    }
    with city_context(city.ref):
        for name, (content_type, disposition) in expected.items():
            stored = storage.save(name, ContentFile(b"<html><script>alert(1)</script>"))
            head = client.head_object(Bucket="ratusz-media", Key=f"cities/{city.schema}/{stored}")
            assert head["ContentType"] == content_type
            assert head.get("ContentDisposition") == disposition
