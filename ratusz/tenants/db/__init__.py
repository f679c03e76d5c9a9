"""The database backend (`ENGINE = "ratusz.tenants.db"`) and a typed handle on its connection."""

from typing import TYPE_CHECKING, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from ratusz.tenants.db.base import DatabaseWrapper

# The same thread-local proxy as django.db.connection, typed as our backend so that its
# schema-switching methods (set_tenant, set_schema, schema_name...) are known to mypy.
connection = cast("DatabaseWrapper", _connection)
