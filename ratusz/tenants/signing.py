"""Signed values bound to one city, for links that work without signing in (one-click
unsubscribe).

A city is named by its schema *and* its registry id. The schema alone is not enough: it is
named after the subdomain, and a removed city's subdomain is free again, so a new city there
gets the same schema name (and counts its accounts from 1 again). Registry ids are never
reused, so a link made by the removed city means nothing in the new one.
"""

from __future__ import annotations

from typing import Any

from django.core import signing

from ratusz.tenants.context import CityRef
from ratusz.tenants.db import connection


def _current_city() -> CityRef:
    city = connection.tenant
    if not isinstance(city, CityRef):
        raise LookupError("a city-bound value needs the city's CityRef (a request or city_context)")
    return city


def sign_for_city(value: dict[str, Any], *, salt: str, city: CityRef | None = None) -> str:
    """`value`, signed, for `city` (the current city when not given)."""
    city = city or _current_city()
    return signing.dumps({**value, "c": city.schema_name, "i": city.id}, salt=salt)


def unsign_for_current_city(token: str, *, salt: str) -> dict[str, Any] | None:
    """The value signed into `token` if it is genuine and was made for the current city."""
    try:
        payload = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    city = connection.tenant
    if not isinstance(payload, dict) or not isinstance(city, CityRef):
        return None
    if payload.get("c") != city.schema_name or payload.get("i") != city.id:
        return None
    return payload
