"""PostgreSQL backend: django-tenants' search-path handling, hardened and made measurable.

- The search path is set lazily, once after each change of city, not before every cursor
  (TENANT_LIMIT_SET_CALLS), and forgotten whenever PostgreSQL may have reverted it: rollback,
  savepoint rollback, reconnection (django-tenants does the first two; tests pin all three).
- With PgBouncer in transaction mode (DB_POOL_MODE=transaction) a pooled server connection may
  change between transactions, so the path is set again at the start of every transaction.
- A backend keeps about 1 MB of catalog cache for every schema it has touched and never frees
  it, so a connection that has served DB_MAX_SCHEMAS_PER_CONNECTION distinct cities is closed
  at the next request or task boundary (as CONN_MAX_AGE closes it after a time).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tenants.postgresql_backend import base as tenants_base
from psycopg.pq import TransactionStatus

from ratusz.tenants.db.introspection import CitySchemaIntrospection


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Statistics read by tests, benchmarks and the operator console.
        self.search_path_sets = 0
        self.schemas_touched: set[str] = set()
        super().__init__(*args, **kwargs)
        self.introspection = CitySchemaIntrospection(self)

    # --- search path ---------------------------------------------------------------------------
    def _handle_search_path(self, cursor: Any = None) -> None:
        if self._transaction_pooling() and self._outside_transaction():
            # Each new transaction may land on another server connection.
            self.search_path_set_schemas = None
        before = self.search_path_set_schemas
        super()._handle_search_path(cursor)
        if self.search_path_set_schemas and self.search_path_set_schemas is not before:
            self.search_path_sets += 1
            self.schemas_touched.add(self.schema_name)

    def _transaction_pooling(self) -> bool:
        return getattr(settings, "DB_POOL_MODE", "session") == "transaction"

    def _outside_transaction(self) -> bool:
        raw = self.connection
        if raw is None:
            return True
        status = raw.info.transaction_status
        # INTRANS right after the cursor was created means the driver has not begun yet.
        return bool(status == TransactionStatus.IDLE)

    def connect(self) -> None:
        self.search_path_set_schemas = None
        self.schemas_touched = set()
        super().connect()

    # --- connection recycling --------------------------------------------------------------------
    def close_if_unusable_or_obsolete(self) -> None:
        limit = getattr(settings, "DB_MAX_SCHEMAS_PER_CONNECTION", 0)
        if (
            self.connection is not None
            and limit
            and len(self.schemas_touched) > limit
            and not self.in_atomic_block
        ):
            self.close()
            return
        super().close_if_unusable_or_obsolete()
