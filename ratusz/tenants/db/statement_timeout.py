"""How long one SQL statement may run, per web request and per task.

A statement that runs too long under load (a page made slow by a big city, a lock held by
someone else) would hold its worker thread, its pooled connection and PostgreSQL's CPU long
after the visitor gave up. So a web request limits every statement to DB_STATEMENT_TIMEOUT_MS
(`ratusz.tenants.load_shedding.StatementTimeoutMiddleware`) and a task to
DB_TASK_STATEMENT_TIMEOUT_MS (`ratusz.tenants.queue.CityAwareTask`); a statement past it is
cancelled by PostgreSQL, and the request answers with the 503 page
(`ratusz.tenants.db.unavailable`). Management commands (migrations, `seed_demo`, ...) have no
limit, because nothing sets one for them.

Operations that legitimately run long statements wherever they are called from (provisioning
a city, fleet migrations, exports, restores, purges) are marked `@without_statement_timeout`:
inside them the server's default applies, and the caller's limit comes back afterwards.

The limit is a wish of the current thread's connection wrapper; the backend
(`ratusz.tenants.db.base`) applies it before the next statement, in a way that survives
psycopg's pool and PgBouncer's transaction mode without leaking to the connection's next user.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ratusz.tenants.db import connection


@contextmanager
def statement_timeout(milliseconds: int | None) -> Iterator[None]:
    """Limit every statement of the block to `milliseconds` (None or 0: no limit of ours)."""
    previous = connection.statement_timeout_ms
    connection.set_statement_timeout(milliseconds)
    try:
        yield
    finally:
        connection.set_statement_timeout(previous)


@contextmanager
def without_statement_timeout() -> Iterator[None]:
    """For a long operation: no statement limit inside it, whoever calls it. Also a decorator:
    `@without_statement_timeout()`."""
    with statement_timeout(None):
        yield
