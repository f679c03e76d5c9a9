"""Test-only views for the load-shedding tests, in front of a city's own URLs. Each one that
runs logs "test view ran: <id>", so a test can tell from the server's log whether a request
reached its view."""

from __future__ import annotations

import json
import logging
import time

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ratusz.tenants.db import connection
from ratusz.tenants.db.statement_timeout import without_statement_timeout
from ratusz.urls_city import urlpatterns as city_urlpatterns

logger = logging.getLogger("tests.shedding")


def _ran(request: HttpRequest) -> None:
    logger.warning("test view ran: %s", request.GET.get("id", "-"))


def occupy(request: HttpRequest) -> HttpResponse:
    """Holds its thread for `seconds` without touching the database."""
    _ran(request)
    time.sleep(float(request.GET.get("seconds", "1")))
    return HttpResponse("done", content_type="text/plain")


def mark(request: HttpRequest) -> HttpResponse:
    _ran(request)
    return HttpResponse("served", content_type="text/plain")


def _setting_and_backend() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), pg_backend_pid()")
        timeout, pid = cursor.fetchone()
    return {"timeout": timeout, "pid": pid}


def statement_setting(request: HttpRequest) -> HttpResponse:
    return HttpResponse(json.dumps(_setting_and_backend()), content_type="application/json")


def slow_statement(request: HttpRequest) -> HttpResponse:
    _ran(request)
    logger.warning("slow statement on backend %s", _setting_and_backend()["pid"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("seconds", "1"))])
    return HttpResponse("the statement finished", content_type="text/plain")


@without_statement_timeout()
def _long_operation(seconds: float) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return _setting_and_backend()


def long_operation(request: HttpRequest) -> HttpResponse:
    """A request calling an operation exempt from the statement timeout."""
    inside = _long_operation(float(request.GET.get("seconds", "0.3")))
    return HttpResponse(
        json.dumps({"inside": inside, "after": _setting_and_backend()}),
        content_type="application/json",
    )


urlpatterns = [
    path("_tests/occupy/", occupy),
    path("_tests/mark/", mark),
    path("_tests/statement-timeout/", statement_setting),
    path("_tests/slow-statement/", slow_statement),
    path("_tests/long-operation/", long_operation),
    *city_urlpatterns,
]
