"""The recording replayed in every other city of the state, in parallel connections: one
transaction and one round trip a city."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from ratusz.tenants.migration_replay.recording import Recording


@dataclass
class SchemaResult:
    schema: str
    ok: bool
    seconds: float
    error: str = ""
    applied: list[str] = field(default_factory=list)
    # How the city was migrated: "django" (its own `migrate`), "pilot" (its own `migrate`,
    # recorded for the others) or "replay" (the pilot's recorded script).
    path: str = "django"


class _ReplayConnections:
    """One plain connection per worker thread, renewed after it has served `limit` cities (a
    backend keeps catalog caches of every schema it touched)."""

    def __init__(self, limit: int) -> None:
        self.params = connections[DEFAULT_DB_ALIAS].get_connection_params()
        self.limit = max(1, limit)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.opened: list[psycopg.Connection[Any]] = []

    def get(self) -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(self.local, "conn", None)
        if conn is None or conn.closed or self.local.served >= self.limit:
            if conn is not None:
                conn.close()
            conn = psycopg.connect(**self.params, autocommit=True)
            with self.lock:
                self.opened.append(conn)
            self.local.conn = conn
            self.local.served = 0
        self.local.served += 1
        return conn

    def close_all(self) -> None:
        with self.lock:
            for conn in self.opened:
                conn.close()
            self.opened.clear()


def _replay_one(pool: _ReplayConnections, recording: Recording, schema: str) -> SchemaResult:
    started = time.monotonic()
    try:
        conn = pool.get()
        with conn.transaction():
            conn.execute(recording.script(schema))
    except Exception as exc:  # the city stays as it was; Django's executor gets a go at it
        return SchemaResult(
            schema=schema,
            ok=False,
            seconds=time.monotonic() - started,
            error=f"{type(exc).__name__}: {exc}".strip(),
            path="replay",
        )
    return SchemaResult(
        schema=schema,
        ok=True,
        seconds=time.monotonic() - started,
        applied=[f"{app}.{name}" for app, name in recording.recorded],
        path="replay",
    )


def replay(
    work: list[tuple[Recording, str]],
    *,
    jobs: int,
    on_result: Callable[[SchemaResult], None],
) -> None:
    """Run each recording's script in its city, `jobs` cities at a time (threads: the work is
    PostgreSQL's), reporting each result in the calling thread."""
    if not work:
        return
    pool = _ReplayConnections(getattr(settings, "DB_MAX_SCHEMAS_PER_CONNECTION", 50))
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(work)))) as threads:
            futures = [threads.submit(_replay_one, pool, rec, schema) for rec, schema in work]
            for future in as_completed(futures):
                on_result(future.result())
    finally:
        pool.close_all()
