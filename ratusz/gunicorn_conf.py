"""gunicorn's configuration for Ratusz's web processes:

    gunicorn -c python:ratusz.gunicorn_conf ratusz.wsgi:application --workers N --threads M

Command-line options win over the values here (the Helm chart passes workers, threads,
timeouts, backlog and worker connections from its values).

Load shedding needs to know how long a request waited for a thread. gunicorn's threaded worker
queues every request it reads in front of its threads without a bound on the time it waits
there, so after a burst its threads kept serving requests whose clients had long given up. The
worker class below stamps each request when it is queued and when a thread picks it up, into
the WSGI environ; `ratusz.tenants.load_shedding.LoadSheddingMiddleware` refuses, before any
view runs, a request that waited longer than REQUEST_QUEUE_TIMEOUT_S, and drops one whose
client has already closed the connection.

The stamps are wall-clock seconds (time.time()), comparable with the ingress's X-Request-Start.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.workers.gthread import (  # type: ignore[import-untyped]  # gunicorn ships no type hints
    ThreadWorker,
)

# Keys of the WSGI environ (read by ratusz.tenants.load_shedding).
QUEUED_AT = "ratusz.queued_at"
PICKED_AT = "ratusz.picked_at"

worker_class = "ratusz.gunicorn_conf.QueueTimedThreadWorker"
threads = 2
# Connections the kernel keeps waiting for accept() per listening socket. Past it new ones are
# refused (the ingress retries another pod) instead of waiting where nobody measures them.
backlog = 64
# Connections one worker process holds at most: being served, queued for a thread, or kept
# alive. Queued ones are shed quickly once they waited REQUEST_QUEUE_TIMEOUT_S, so this need
# not be small; it bounds the memory of a burst, not its latency.
worker_connections = 100
# Idle keep-alive connections (the ingress's) are closed after this many seconds.
keepalive = 5


class QueueTimedThreadWorker(ThreadWorker):
    """gunicorn's threaded worker, recording for each request when it was queued for a thread
    (accepted, or readable again on a kept-alive connection) and when a thread took it."""

    wsgi: Callable[..., Iterable[bytes]]  # the application, loaded by gunicorn

    def init_process(self) -> None:
        self._taken = threading.local()
        super().init_process()

    def enqueue_req(self, conn: Any) -> None:
        conn.ratusz_queued_at = time.time()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        self._taken.queued_at = getattr(conn, "ratusz_queued_at", None)
        self._taken.picked_at = time.time()
        return super().handle(conn)

    def load_wsgi(self) -> None:
        super().load_wsgi()
        application = self.wsgi
        taken = self._taken

        def stamped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            environ[QUEUED_AT] = getattr(taken, "queued_at", None)
            environ[PICKED_AT] = getattr(taken, "picked_at", None)
            return application(environ, start_response)

        self.wsgi = stamped
