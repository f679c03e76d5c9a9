"""/healthz (the process answers) and /readyz (its database and task broker answer), on any host."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ratusz.tenants.db import connection


def check_database() -> str | None:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "not ready"; the reason goes in the body
        return f"{type(exc).__name__}: {exc}"
    return None


def check_broker() -> str | None:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return None  # tasks run in-process: nothing to reach
    from kombu import Connection

    try:
        with Connection(getattr(settings, "CELERY_BROKER_URL", ""), connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # as above
        return f"{type(exc).__name__}: {exc}"
    return None


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return HttpResponse("ok\n", content_type="text/plain")
        if request.path == "/readyz":
            connection.set_schema_to_public()
            problems = {
                name: error
                for name, error in (("database", check_database()), ("broker", check_broker()))
                if error
            }
            body = {
                "ready": not problems,
                "problems": problems,
                "tasks": "in-process"
                if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
                else "broker",
            }
            return HttpResponse(
                json.dumps(body), status=503 if problems else 200, content_type="application/json"
            )
        return self.get_response(request)
