"""A request that cannot reach the database gets a clean 503 page, never a traceback.

The database can be out of reach for a moment: every connection of the process's pool is busy
(the request waited DB_POOL_TIMEOUT seconds), PostgreSQL refuses new clients ("too many
clients"), restarts, or an administrator terminated the backend in the middle of a request.
None of these is a bug in the page, and the next request usually succeeds, so the visitor is
told to try again (503 with Retry-After) rather than shown an error, even with DEBUG on. The
same goes for a statement cancelled because it ran past the request's statement timeout
(ratusz.tenants.db.statement_timeout): under load, the database did not answer in time.

Django turns an exception into a response inside whichever middleware it crossed (with DEBUG, a
traceback page), so the outermost middleware cannot catch it. Instead, the request is marked
when Django reports the exception (`got_request_exception`, sent for every unhandled
exception, wherever it was raised) and the outermost middleware replaces whatever response was
made for a marked request.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import psycopg
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from ratusz.tenants.db import connection

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
_MARK = "_ratusz_database_unavailable"

# SQLSTATE classes that say "the server or the connection", not "this statement": connection
# exceptions (08), insufficient resources such as too many clients (53), and shutdowns or
# terminated backends (57P..). A cancelled statement (57014) is not among them.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")
# A statement cancelled by the statement timeout (or by an operator's pg_cancel_backend).
_CANCELLED_SQLSTATE = "57014"


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True when `exc` means the database could not be reached, not that a query was wrong."""
    if isinstance(exc, InterfaceError):
        return True  # the connection was already closed under us
    if not isinstance(exc, OperationalError | psycopg.OperationalError):
        return False
    cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
    if not isinstance(cause, psycopg.Error):
        return True  # a connection that never opened: refused, timed out
    # No SQLSTATE: the connection failed or broke (refused, lost, pool timeout).
    return cause.sqlstate is None or cause.sqlstate.startswith(_UNAVAILABLE_SQLSTATES)


def is_statement_cancelled(exc: BaseException | None) -> bool:
    """True when `exc` is a statement PostgreSQL cancelled: past its statement timeout."""
    if not isinstance(exc, OperationalError | psycopg.OperationalError):
        return False
    cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
    return isinstance(cause, psycopg.Error) and cause.sqlstate == _CANCELLED_SQLSTATE


class HandledDatabaseErrors(logging.Filter):
    """Keeps django.request's "Internal Server Error" record, with its traceback, out of the
    log for a failure that became the 503 page: its own warning above says what happened, and
    a burst of cancelled statements would otherwise write a traceback each."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (is_database_unavailable(exc) or is_statement_cancelled(exc))


def _mark_request(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    exc = sys.exc_info()[1]
    if request is None:
        return
    if is_database_unavailable(exc):
        setattr(request, _MARK, True)
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exc)
    elif is_statement_cancelled(exc):
        setattr(request, _MARK, True)
        logger.warning(
            "statement timeout (%s ms) during %s %s %s: %s",
            connection.statement_timeout_ms,
            request.method,
            request.META.get("HTTP_HOST", ""),
            request.path,
            str(exc).strip(),
        )


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The page; rendered without the request's context processors, which need the database."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        html = render_to_string("errors/database_unavailable.html", {"language": language})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Outermost middleware: a request the database failed gets the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_mark_request, dispatch_uid=_MARK)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except Exception as exc:  # raised past every inner middleware (DEBUG_PROPAGATE_...)
            if not (is_database_unavailable(exc) or is_statement_cancelled(exc)):
                raise
            return database_unavailable_response(request)
        if getattr(request, _MARK, False):
            return database_unavailable_response(request)
        return response
