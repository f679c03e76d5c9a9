"""PostgreSQL backend: django-tenants' search-path handling, hardened and made measurable.

- Direct connections (DB_POOL_MODE=session, the default): the search path is set lazily, once
  after each change of city, not before every cursor (TENANT_LIMIT_SET_CALLS), and forgotten
  whenever PostgreSQL may have reverted it: rollback, savepoint rollback, reconnection.
- PgBouncer in transaction mode (DB_POOL_MODE=transaction): consecutive transactions may run on
  different server connections, and a session-level SET would outlive its client on a pooled
  one. So the path is set with SET LOCAL inside every transaction, and a statement run outside
  any transaction gets a transaction of its own (BEGIN; SET LOCAL; statement; COMMIT), so the
  path and the statement always reach the same server connection and nothing leaks.
- A backend keeps catalog caches for every schema it has touched and never frees them. Each
  time a connection has touched another DB_MAX_SCHEMAS_PER_CONNECTION distinct schemas, its
  backend's memory is read at the next request or task boundary, and the connection is closed
  there if it holds more than DB_BACKEND_MEMORY_MB (as CONN_MAX_AGE closes it after a time).
  Closing it after a fixed number of schemas whatever it holds would make every request of a
  large fleet pay for a cold catalog (its tables looked up again, ~2-6 ms): a resident's page
  touches a few tables per city, ~50 KB of cache, so a thousand cities fit in a budget that
  the schemas of a back office or a migration (all ~85 tables, ~1 MB each) soon exceed.
- With psycopg's pool (DB_POOL_SIZE), a connection outlives the request that took it: the
  schemas it served are counted on the pooled connection itself, the search path is set again
  by whoever takes it next (the path it carries belongs to its previous user), and one that has
  served too many schemas is retired instead of going back to the pool.
- A statement timeout (ratusz.tenants.db.statement_timeout) is the wish of whoever uses the
  connection now (a request, a task, nobody). With direct connections it is set lazily with a
  session-level SET when the wish differs from what the connection carries, and what a
  connection carries is recorded on the connection itself, so a pooled connection's next user
  sets its own value (or the server's default) before its first statement: a request's limit
  never reaches a management command, nor an exempt operation's "no limit" the next request.
  With transaction pooling it travels with the search path as SET LOCAL in every transaction,
  so PgBouncer's server connections never keep it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import psycopg
from django.conf import settings
from django.db import transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django_tenants.postgresql_backend import base as tenants_base
from django_tenants.utils import quote_schema_name
from psycopg import sql
from psycopg.pq import TransactionStatus

from ratusz.tenants.db.introspection import CitySchemaIntrospection


class _OwnTransactionWhenPooled:
    """With transaction pooling, a statement outside any transaction runs in its own."""

    db: DatabaseWrapper
    cursor: Any

    def execute(self, sql: Any, params: Any = None) -> Any:
        if not self.db.statement_needs_own_transaction():
            return super().execute(sql, params)  # type: ignore[misc]  # cooperative mixin
        with transaction.atomic(using=self.db.alias):
            self.db.set_local_search_path(self.cursor)
            return super().execute(sql, params)  # type: ignore[misc]  # as above

    def executemany(self, sql: Any, param_list: Any) -> Any:
        if not self.db.statement_needs_own_transaction():
            return super().executemany(sql, param_list)  # type: ignore[misc]  # as above
        with transaction.atomic(using=self.db.alias):
            self.db.set_local_search_path(self.cursor)
            return super().executemany(sql, param_list)  # type: ignore[misc]  # as above


# What may precede a statement's first word: whitespace and comments.
_LEADING_NOISE = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)*", re.S)
_FIRST_WORD = re.compile(r"[A-Za-z]+")
# Statements that change rows by their first word; CALL, DO and EXECUTE may run anything.
_WRITE_VERBS = frozenset(
    {"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "CALL", "DO", "EXECUTE"}
)
# A WITH whose CTEs (or main statement) change rows names one of these as a word somewhere; a
# word in a string or a name (a column "update") makes a needless bump, never a missed one.
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.I)
_FROM_WORD = re.compile(r"\bFROM\b", re.I)
# Tables written while pages are only read, whose rows no page shows: no change of the city.
_QUIET_TABLES = ('"django_session"',)


def statement_text(statement: Any, context: Any = None) -> str | None:
    """The SQL of `statement` (a str, bytes, or psycopg's `sql.Composable`), None if unknown."""
    if isinstance(statement, str):
        return statement
    if isinstance(statement, bytes):
        return statement.decode(errors="replace")
    if isinstance(statement, sql.Composable):
        try:
            return statement.as_string(context)
        except Exception:  # unknown: the caller treats it as a write
            return None
    return None


def changes_rows(statement: Any, context: Any = None) -> bool:
    """Whether `statement` may change rows (conservative: a doubt counts as a change).

    Leading whitespace and comments are skipped; INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY
    ... FROM, CALL, DO and EXECUTE change rows, and so does a WITH naming a data-modifying
    verb anywhere. A statement whose text cannot be read counts as a change."""
    text = statement_text(statement, context)
    if text is None:
        return True
    head = text[_LEADING_NOISE.match(text).end() :]  # type: ignore[union-attr]  # always matches
    word_match = _FIRST_WORD.match(head)
    word = word_match.group(0).upper() if word_match else ""
    if word in _WRITE_VERBS:
        return True
    if word == "COPY":
        return _FROM_WORD.search(head) is not None
    if word == "WITH":
        return _WRITE_WORD.search(head) is not None
    return False


def _quiet(statement: Any, context: Any) -> bool:
    """A plain write to a table no page shows (sessions)."""
    text = statement_text(statement, context) or ""
    head = text[_LEADING_NOISE.match(text).end() :][:80]  # type: ignore[union-attr]  # as above
    if head[:4].upper() == "WITH":
        return False
    return any(table in head for table in _QUIET_TABLES)


class _NotesCityWrites:
    """Tells `city_write_listeners` the schema of a city whose rows a statement changed, so that
    what is cached of the city (ratusz.tenants.page_cache) goes stale whoever wrote, however
    (`save()`, `QuerySet.update()`, `bulk_create()`, raw SQL, psycopg's COPY)."""

    db: DatabaseWrapper
    cursor: Any

    def execute(self, sql: Any, params: Any = None) -> Any:
        result = super().execute(sql, params)  # type: ignore[misc]  # cooperative mixin
        self.db.note_statement(sql)
        return result

    def executemany(self, sql: Any, param_list: Any) -> Any:
        result = super().executemany(sql, param_list)  # type: ignore[misc]  # as above
        self.db.note_statement(sql)
        return result

    @contextmanager
    def copy(self, statement: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """psycopg's COPY (not Django's API, reached through the wrapper): noted once done."""
        with self.cursor.copy(statement, *args, **kwargs) as copy:
            yield copy
        self.db.note_statement(statement)


class PooledCursorWrapper(_NotesCityWrites, _OwnTransactionWhenPooled, CursorWrapper):
    pass


class PooledCursorDebugWrapper(_NotesCityWrites, _OwnTransactionWhenPooled, CursorDebugWrapper):
    pass


# What a raw connection carries when nothing is known (a rollback may have undone a SET).
_UNKNOWN = "unknown"
# The attribute of a raw (possibly pooled) connection recording the statement timeout it
# carries: milliseconds, None for the server's default, or _UNKNOWN.
_CARRIED_TIMEOUT = "ratusz_statement_timeout"


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    # Set by django-tenants' wrapper; declared for the type checker.
    _setting_search_path: bool
    search_path_set_schemas: list[str] | None
    schema_name: str

    # Called with a city's schema after a statement changed rows there (see _NotesCityWrites);
    # ratusz.tenants.page_cache registers one when the app is ready.
    city_write_listeners: ClassVar[list[Callable[[str], None]]] = []

    def note_statement(self, statement: Any) -> None:
        if not self.city_write_listeners or self.schema_name == settings.PUBLIC_SCHEMA_NAME:
            return
        if not changes_rows(statement, self.connection) or _quiet(statement, self.connection):
            return
        for listener in self.city_write_listeners:
            listener(self.schema_name)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Statistics read by tests, benchmarks and the operator console.
        self.search_path_sets = 0
        self.schemas_touched: set[str] = set()
        # The statement timeout wished by the current user of this thread's connection, in
        # milliseconds; None: the server's default (no limit unless the server sets one).
        self.statement_timeout_ms: int | None = None
        # Transaction pooling: this transaction carries a SET LOCAL statement timeout.
        self._local_timeout_set = False
        super().__init__(*args, **kwargs)
        self.introspection = CitySchemaIntrospection(self)

    # --- statement timeout -------------------------------------------------------------------
    def set_statement_timeout(self, milliseconds: int | None) -> None:
        """Limit each following statement to `milliseconds` (None: the server's default).
        Applied before the next statement; see ratusz.tenants.db.statement_timeout."""
        self.statement_timeout_ms = milliseconds or None
        if self.transaction_pooling():
            # Set again, with the search path, before the next statement of this transaction.
            self.search_path_set_schemas = None

    def _apply_statement_timeout(self) -> None:
        """Direct connections: a session-level SET when the connection carries another value."""
        raw = self.connection
        wished = self.statement_timeout_ms
        if raw is None or getattr(raw, _CARRIED_TIMEOUT, None) == wished:
            return
        if raw.info.transaction_status == TransactionStatus.INERROR:
            return  # nothing runs until the rollback, which forgets what we set
        # On the raw connection, not through Django's cursor: the query log and the tests'
        # query counts see the statements of the page, not this bookkeeping.
        if wished is None:
            raw.execute("SET statement_timeout TO DEFAULT")
        else:
            raw.execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(wished)))
        setattr(raw, _CARRIED_TIMEOUT, wished)

    def _forget_carried_timeout(self) -> None:
        """A rollback undoes a SET made inside the transaction: set it again before use."""
        if self.connection is not None:
            setattr(self.connection, _CARRIED_TIMEOUT, _UNKNOWN)

    # --- search path: direct connections -----------------------------------------------------
    def _handle_search_path(self, cursor: Any = None) -> None:
        if self.transaction_pooling():
            self._handle_search_path_pooled(cursor)
            return
        before = self.search_path_set_schemas
        super()._handle_search_path(cursor)
        if self.search_path_set_schemas and self.search_path_set_schemas is not before:
            self._count_set()
        if not self._setting_search_path:
            self._apply_statement_timeout()

    def _count_set(self) -> None:
        self.search_path_sets += 1
        self.schemas_touched.add(self.schema_name)

    # --- search path: PgBouncer in transaction mode -------------------------------------------
    def transaction_pooling(self) -> bool:
        return getattr(settings, "DB_POOL_MODE", "session") == "transaction"

    def statement_needs_own_transaction(self) -> bool:
        return self.transaction_pooling() and self.get_autocommit() and not self.in_atomic_block

    def _handle_search_path_pooled(self, cursor: Any) -> None:
        if self._setting_search_path or self.statement_needs_own_transaction():
            return  # the cursor wrapper sets it inside the statement's own transaction
        raw = self.connection
        new_transaction = raw is None or raw.info.transaction_status == TransactionStatus.IDLE
        if new_transaction or not self.search_path_set_schemas:
            self._setting_search_path = True
            try:
                own = cursor if cursor is not None else self.connection.cursor()
                self.set_local_search_path(own)
                if cursor is None:
                    own.close()
            finally:
                self._setting_search_path = False

    def set_local_search_path(self, raw_cursor: Any) -> None:
        paths = self._get_cursor_search_paths()
        search_path = ",".join(quote_schema_name(p) for p in paths)
        timeout = self.statement_timeout_ms
        if timeout is not None:
            raw_cursor.execute(
                "SELECT set_config('search_path', %s, true), "
                "set_config('statement_timeout', %s, true)",
                [search_path, str(timeout)],
            )
        elif self._local_timeout_set:
            # Lifted within a transaction that had a limit: back to the session's own value.
            raw_cursor.execute(
                "SELECT set_config('search_path', %s, true), set_config('statement_timeout', "
                "(SELECT reset_val FROM pg_settings WHERE name = 'statement_timeout'), true)",
                [search_path],
            )
        else:
            raw_cursor.execute("SELECT set_config('search_path', %s, true)", [search_path])
        self._local_timeout_set = timeout is not None
        self.search_path_set_schemas = paths
        self._count_set()

    def make_cursor(self, cursor: Any) -> CursorWrapper:
        return PooledCursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> CursorDebugWrapper:
        return PooledCursorDebugWrapper(cursor, self)

    def commit(self) -> None:
        super().commit()
        self._local_timeout_set = False
        if self.transaction_pooling():
            self.search_path_set_schemas = None  # SET LOCAL ended with the transaction

    def rollback(self) -> None:
        self._forget_carried_timeout()
        self._local_timeout_set = False
        super().rollback()

    def savepoint_rollback(self, sid: str) -> None:
        try:
            super().savepoint_rollback(sid)
        finally:
            self._forget_carried_timeout()

    def connect(self) -> None:
        # A connection from the pool may carry its previous user's search path: forget what we
        # set, so that the path is set before the first query.
        self.search_path_set_schemas = None
        self.schemas_touched = set()
        super().connect()
        self.schemas_touched = _schemas_served_by(self.connection, self.schemas_touched)

    # --- connection recycling --------------------------------------------------------------------
    def served_too_many_schemas(self) -> bool:
        """Whether the connection is to be retired: decided at a boundary (`_check_memory`)."""
        raw = self.connection
        return raw is not None and bool(getattr(raw, "ratusz_retire", False))

    def _check_memory(self) -> None:
        """At a request or task boundary, once the connection has touched another
        DB_MAX_SCHEMAS_PER_CONNECTION schemas: read its backend's memory, and mark it to be
        retired when over DB_BACKEND_MEMORY_MB (or when that cannot be read here)."""
        raw = self.connection
        limit = getattr(settings, "DB_MAX_SCHEMAS_PER_CONNECTION", 0)
        if raw is None or not limit:
            return
        checked = getattr(raw, "ratusz_schemas_checked", 0)
        if len(self.schemas_touched) - checked <= limit:
            return
        raw.ratusz_schemas_checked = len(self.schemas_touched)
        budget = getattr(settings, "DB_BACKEND_MEMORY_MB", 0)
        held = None if not budget or self.transaction_pooling() else _backend_memory_mb(raw)
        raw.ratusz_retire = held is None or held > budget

    def close_if_unusable_or_obsolete(self) -> None:
        if self.connection is not None and not self.in_atomic_block:
            self._check_memory()
            if self.served_too_many_schemas():
                self.close()
                return
        super().close_if_unusable_or_obsolete()

    def _close(self) -> None:
        raw = self.connection
        if raw is not None and raw.info.transaction_status != TransactionStatus.IDLE:
            self._forget_carried_timeout()  # the pool rolls back what is left open
        if raw is not None and self.pool is not None and self.served_too_many_schemas():
            # Handed back as it is, the backend (and its catalog caches for every schema it
            # touched) would serve the next request. A connection past its lifetime is closed
            # by the pool when it comes back, and a fresh one is opened in its place.
            raw._expire_at = 0.0  # psycopg_pool's own expiry time of a pooled connection
        super()._close()


def _backend_memory_mb(raw: Any) -> float | None:
    """The memory the connection's backend holds (its memory contexts, catalog caches
    included), or None when this role may not read it (pg_read_all_stats) or it failed."""
    if raw.info.transaction_status != TransactionStatus.IDLE:
        return None
    try:
        row = raw.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts").fetchone()
    except psycopg.Error:
        if raw.info.transaction_status == TransactionStatus.INERROR:
            raw.rollback()
        return None
    if not raw.autocommit and raw.info.transaction_status != TransactionStatus.IDLE:
        raw.rollback()  # the read opened a transaction: end it
    return float(row[0]) / 2**20 if row and row[0] is not None else None


def _schemas_served_by(raw: Any, fresh: set[str]) -> set[str]:
    """The set of schemas a database connection has served, kept on the connection itself so
    that it follows a pooled connection from one request to the next."""
    served: set[str] | None = getattr(raw, "ratusz_schemas_served", None)
    if served is None:
        served = fresh
        raw.ratusz_schemas_served = served
    else:
        served |= fresh
    return served
