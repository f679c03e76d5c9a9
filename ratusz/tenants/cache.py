"""Cache keys carry the schema of the city they were made in, so cities never share entries."""

from __future__ import annotations

from ratusz.tenants.db import connection


def city_key(key: str, key_prefix: str, version: int) -> str:
    return f"{connection.schema_name}:{key_prefix}:{version}:{key}"
