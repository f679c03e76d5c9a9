"""Which database errors mean "the database is out of reach" (a clean 503 page) and which are
bugs that must stay visible (a 500, a traceback with DEBUG). The errors are real: each is
raised by the PostgreSQL server or by psycopg's pool, through Django's error wrapper."""

from __future__ import annotations

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from ratusz.tenants.db import connection
from ratusz.tenants.db.unavailable import is_database_unavailable, is_statement_cancelled
from tests.faults.conftest import database_dsn


def raised_through_django(action) -> BaseException:
    """The exception `action` raises, as Django's database layer would re-raise it."""
    with pytest.raises(Exception) as caught, connection.wrap_database_errors:
        action()
    return caught.value


def test_a_terminated_backend_and_a_spent_pool_mean_unavailable(live_db):
    with psycopg.connect(database_dsn(), autocommit=True) as victim:
        pid = victim.info.backend_pid
        with psycopg.connect(database_dsn(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        terminated = raised_through_django(lambda: victim.execute("SELECT 1"))
    assert is_database_unavailable(terminated)

    pool = ConnectionPool(database_dsn(), min_size=0, max_size=1, timeout=0.2, open=True)
    try:
        with pool.connection():
            spent = raised_through_django(pool.getconn)
    finally:
        pool.close()
    assert is_database_unavailable(spent)

    refused = raised_through_django(
        lambda: psycopg.connect("host=127.0.0.1 port=1 connect_timeout=2")
    )
    assert is_database_unavailable(refused)


def test_errors_of_the_statement_itself_stay_errors(live_db):
    with psycopg.connect(database_dsn(), autocommit=True) as conn:
        division = raised_through_django(lambda: conn.execute("SELECT 1/0"))
        missing = raised_through_django(lambda: conn.execute("SELECT * FROM no_such_table"))
        conn.execute("SET statement_timeout = 10")
        cancelled = raised_through_django(lambda: conn.execute("SELECT pg_sleep(1)"))
    assert not is_database_unavailable(division)
    assert not is_database_unavailable(missing)
    assert not is_database_unavailable(cancelled)  # a slow query is a bug to see, not an outage
    # ...but one past the statement timeout still gets the 503 page (load shedding), logged.
    assert is_statement_cancelled(cancelled)
    assert not any(map(is_statement_cancelled, (division, missing, ValueError("not a db error"))))
    assert not is_database_unavailable(ValueError("not a database error"))
