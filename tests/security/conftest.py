"""A city full of content (the demo's Gdańsk, under its own address) for the tests that walk
every page: maps, charts, surveys, votes, events. Built once per test run with committed data
and purged afterwards; tests that use it take `live_db` for their own committed access."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from django.conf import settings

from ratusz.accounts.models import Role, User
from ratusz.demo.cities import GDANSK, seed_demo_city
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.models import City
from ratusz.tenants.services import purge_city


@dataclass(frozen=True)
class ContentCity:
    city: City
    ref: CityRef
    host: str
    admin_email: str
    resident_email: str


@pytest.fixture(scope="session")
def content_city(django_db_setup, django_db_blocker) -> Iterator[ContentCity]:
    demo = replace(GDANSK, slug="tresc-gdansk", name="Gdańsk (treść)")
    with django_db_blocker.unblock():
        seed_demo_city(demo)
        city = City.objects.get(slug=demo.slug)
        host = f"{demo.slug}.{settings.BASE_DOMAIN}"
        ref = CityRef.from_city(city, host)
        with city_context(ref):
            resident = User.objects.filter(role=Role.RESIDENT).order_by("pk").first()
            assert resident is not None
        yield ContentCity(city, ref, host, demo.admin_email, resident.email)
        purge_city(city=City.objects.get(pk=city.pk))


# The browser tests of this folder run on the e2e folder's live server and Chromium.
from tests.e2e.conftest import live_server_url, page  # noqa: E402, F401
