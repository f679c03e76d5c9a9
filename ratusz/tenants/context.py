"""Which city the current code works for: the one visible crossing from control plane to city."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

from ratusz.tenants.db import connection

if TYPE_CHECKING:
    from ratusz.tenants.models import City


class HasSchema(Protocol):
    @property
    def schema_name(self) -> str: ...


@dataclass(frozen=True)
class CityRef:
    """What a request or a task needs to know about its city, without touching the database."""

    id: int
    schema_name: str
    slug: str
    name: str
    status: str
    default_language: str
    languages: tuple[str, ...]
    time_zone: str
    primary_domain: str
    is_open: bool = True  # False: residents see "coming soon" (self-signup not confirmed yet)
    # Soft-deleted: closed to everyone but an operator's support visit until it is purged.
    is_deleted: bool = False
    tenant_type: None = field(default=None, compare=False)

    def get_tenant_type(self) -> None:  # django-tenants asks tenants for their type
        return None

    @property
    def is_public(self) -> bool:
        return False

    @classmethod
    def from_city(cls, city: City, primary_domain: str) -> CityRef:
        return cls(
            id=city.pk,
            schema_name=city.schema_name,
            slug=city.slug,
            name=city.name,
            status=city.status,
            default_language=city.default_language,
            languages=tuple(city.languages),
            time_zone=city.time_zone,
            primary_domain=primary_domain,
            is_open=city.opened_at is not None,
            is_deleted=city.deleted_at is not None,
        )


def current_schema() -> str:
    return str(connection.schema_name)


def in_city() -> bool:
    return current_schema() not in (settings.PUBLIC_SCHEMA_NAME,)


@contextmanager
def city_context(city: HasSchema) -> Iterator[None]:
    """Run the block in `city`'s schema, then return to where we were, even on error."""
    previous = connection.tenant
    connection.set_tenant(city)
    try:
        yield
    finally:
        connection.set_tenant(previous)


@contextmanager
def schema_context(schema_name: str) -> Iterator[None]:
    previous = connection.tenant
    connection.set_schema(schema_name)
    try:
        yield
    finally:
        connection.set_tenant(previous)


@contextmanager
def control_plane() -> Iterator[None]:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        yield
