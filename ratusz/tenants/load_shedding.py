"""Load shedding: after any burst, the next requests are served normally.

A web worker has a few threads; requests beyond them wait in gunicorn's queue. Under a burst on
a slow page the queue grew without bound, the threads kept serving requests whose clients had
long given up, and visitors arriving after the burst waited behind all of them. Three limits
keep a burst from outliving itself:

- **Statement timeout** (`StatementTimeoutMiddleware`): every statement of a request runs at
  most DB_STATEMENT_TIMEOUT_MS; past it the request gets the 503 page of
  `ratusz.tenants.db.unavailable`. See `ratusz.tenants.db.statement_timeout`.
- **Bounded queue** (`LoadSheddingMiddleware`): a request that waited longer than
  REQUEST_QUEUE_TIMEOUT_S before a thread took it is refused at once, before any view runs, with
  503, `Retry-After` and a short page in the city's language. The wait is measured from when
  gunicorn queued the request (ratusz.gunicorn_conf stamps it into the environ) or, with
  TRUST_X_REQUEST_START, from the ingress's `X-Request-Start` header when that is earlier.
- **Disconnected clients** (`LoadSheddingMiddleware`): a request that waited in the queue longer
  than REQUEST_DROP_DISCONNECTED_AFTER_S and whose client has meanwhile closed the connection (a
  browser reloaded, a proxy timed out) is dropped without running its view; the access log
  shows it with status 499 (nginx's "client closed request"). A request picked up promptly is
  served even when its client closed its side: a client may half-close after sending a whole
  request (`shutdown(SHUT_WR)`, legal in HTTP/1.1: `nc -N`, some proxies and health checkers)
  and still read the answer, and a peek cannot tell that from a client that left.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from ratusz.gunicorn_conf import PICKED_AT, QUEUED_AT
from ratusz.tenants.db.statement_timeout import statement_timeout

logger = logging.getLogger(__name__)

Handler = Callable[[HttpRequest], HttpResponse]

RETRY_AFTER_SECONDS = 5
# Not a registered status: nginx's code for "the client closed the request", so that access logs
# count dropped requests apart from served ones. Nobody receives it.
CLIENT_CLOSED_REQUEST = 499


class StatementTimeoutMiddleware:
    """Every statement of the request runs at most DB_STATEMENT_TIMEOUT_MS."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with statement_timeout(settings.DB_STATEMENT_TIMEOUT_MS):
            return self.get_response(request)


def client_has_gone(request: HttpRequest) -> bool:
    """True when the client has closed its connection (only known under gunicorn).

    A peek at the socket without blocking: no data and end of file means the client closed it;
    nothing to read yet (or a body still to read) means it is waiting for our answer."""
    sock = request.META.get("gunicorn.socket")
    if not isinstance(sock, socket.socket):
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except ConnectionError:
        return True  # reset by the peer
    except (OSError, ValueError):
        return False  # e.g. a TLS socket, which does not peek: serve as usual


def request_start_header(request: HttpRequest) -> float | None:
    """The time the ingress received the request (`X-Request-Start: t=<time>`), in seconds
    since the epoch; nginx's ${msec} gives seconds, some proxies milli- or microseconds."""
    raw = request.META.get("HTTP_X_REQUEST_START", "")
    value = raw.strip().removeprefix("t=")
    try:
        number = float(value)
    except ValueError:
        return None
    if number > 1e14:
        return number / 1e6
    if number > 1e11:
        return number / 1e3
    return number


def queue_wait(request: HttpRequest) -> float | None:
    """Seconds the request waited before a worker thread took it, None when unknown."""
    meta = request.META
    picked_at = meta.get(PICKED_AT)
    starts = [meta.get(QUEUED_AT)]
    if settings.TRUST_X_REQUEST_START:
        starts.append(request_start_header(request))
    known = [start for start in starts if isinstance(start, float)]
    if not known:
        return None
    taken = picked_at if isinstance(picked_at, float) else time.time()
    return max(taken - min(known), 0.0)


def overloaded_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After and a standalone page (no context processors, no database)."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        html = render_to_string("errors/overloaded.html", {"language": language})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


class LoadSheddingMiddleware:
    """Refuse a request that waited too long for a thread; drop one that waited and whose
    client has gone."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        waited = queue_wait(request)
        if (
            settings.REQUEST_DROP_DISCONNECTED
            and waited is not None
            and waited > settings.REQUEST_DROP_DISCONNECTED_AFTER_S
            and client_has_gone(request)
        ):
            logger.warning(
                "dropped %s %s %s: the client closed the connection before it was served "
                "(waited %s s)",
                request.method,
                request.META.get("HTTP_HOST", ""),
                request.path,
                "?" if waited is None else f"{waited:.2f}",
            )
            dropped = HttpResponse(status=CLIENT_CLOSED_REQUEST, reason="Client Closed Request")
            # Logged above; django.request would add an "Unknown Status Code" warning.
            dropped._has_been_logged = True  # type: ignore[attr-defined]
            return dropped
        limit = settings.REQUEST_QUEUE_TIMEOUT_S
        if limit > 0 and waited is not None and waited > limit:
            logger.warning(
                "refused %s %s %s with 503: it waited %.2f s for a thread (limit %s s)",
                request.method,
                request.META.get("HTTP_HOST", ""),
                request.path,
                waited,
                limit,
            )
            return overloaded_response(request)
        return self.get_response(request)
