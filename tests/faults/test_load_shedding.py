"""Load shedding against a real gunicorn started as production starts it (ratusz/gunicorn_conf.py,
RATUSZ_ENV=production, the database pool): a request that waited too long for a thread is
refused with 503 and Retry-After without running its view, a request whose client has gone is
not served, a statement past the request's timeout answers the 503 page in the city's language
and leaves the pooled connection with the normal limit, and a task's limit applies in tasks but
not in management commands.

The thresholds are made tiny through the settings; nothing here measures speed. A thread is
held by a view that sleeps (tests/faults/shedding_views.py, mounted only by the test settings),
and the log says which views ran."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import quote

import pytest

from ratusz.tenants.db import connection
from tests.faults.conftest import ROOT, Reply, RunningServer

SETTINGS = "tests.faults.shedding_settings"
HTTPS = {"X-Forwarded-Proto": "https"}


def wait_for(condition: Callable[[], bool], server: RunningServer, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.05)


def hold_the_thread(server: RunningServer, host: str, seconds: float) -> threading.Thread:
    """Start a request that keeps the server's only thread busy; return once it runs."""
    marker = f"hold-{uuid.uuid4().hex[:8]}"
    replies: list[Reply] = []
    holder = threading.Thread(
        target=lambda: replies.append(
            server.get(host, f"/_tests/occupy/?id={marker}&seconds={seconds}", headers=HTTPS)
        )
    )
    holder.start()
    wait_for(lambda: f"test view ran: {marker}" in server.output(), server)
    return holder


def test_a_request_that_waited_too_long_for_a_thread_is_refused_without_running(
    make_city, start_gunicorn
):
    city = make_city()  # Polish by default
    server = start_gunicorn(settings=SETTINGS, REQUEST_QUEUE_TIMEOUT_S="0.2")
    holder = hold_the_thread(server, city.host, seconds=1.5)

    queued = uuid.uuid4().hex[:8]
    refused = server.get(city.host, f"/_tests/mark/?id={queued}", headers=HTTPS)
    holder.join()

    assert refused.status == 503, refused
    assert refused.headers["retry-after"].isdigit()
    assert refused.headers["content-language"] == "pl"
    assert '<html lang="pl">' in refused.body
    assert "Traceback" not in refused.body
    log = server.output()
    assert f"test view ran: {queued}" not in log
    assert "refused GET" in log and "/_tests/mark/ with 503: it waited" in log

    # The queue is empty again: the next request is served.
    served = uuid.uuid4().hex[:8]
    reply = server.get(city.host, f"/_tests/mark/?id={served}", headers=HTTPS)
    assert (reply.status, reply.body) == (200, "served")
    assert f"test view ran: {served}" in server.output()


def test_a_request_whose_client_has_gone_while_it_waited_is_not_served(make_city, start_gunicorn):
    city = make_city()
    # No queue limit: only the closed connection can keep the view from running.
    server = start_gunicorn(
        settings=SETTINGS, REQUEST_QUEUE_TIMEOUT_S="0", REQUEST_DROP_DISCONNECTED_AFTER_S="0.3"
    )
    holder = hold_the_thread(server, city.host, seconds=1.5)

    gone = uuid.uuid4().hex[:8]
    with socket.create_connection(("127.0.0.1", server.port)) as client:
        client.sendall(
            f"GET /_tests/mark/?id={gone} HTTP/1.1\r\nHost: {city.host}\r\n"
            "X-Forwarded-Proto: https\r\n\r\n".encode()
        )
    # ...and the client closed the connection while the request waited for the thread.
    holder.join()
    wait_for(
        lambda: "the client closed the connection before it was served" in server.output(), server
    )
    log = server.output()
    assert f"dropped GET {city.host} /_tests/mark/" in log
    assert f"test view ran: {gone}" not in log
    assert f'"GET /_tests/mark/?id={gone} HTTP/1.1" 499' in log  # gunicorn's access log
    assert "Unknown Status Code" not in log  # our line says it; django.request does not

    served = uuid.uuid4().hex[:8]
    reply = server.get(city.host, f"/_tests/mark/?id={served}", headers=HTTPS)
    assert (reply.status, reply.body) == (200, "served")
    assert f"test view ran: {served}" in server.output()


def test_a_client_that_half_closed_after_its_request_is_served_when_picked_up_promptly(
    make_city, start_gunicorn
):
    """shutdown(SHUT_WR) after a complete request is legal HTTP/1.1 (nc -N, health checkers):
    the client still reads the answer, so a request that did not wait is served."""
    city = make_city()
    server = start_gunicorn(settings=SETTINGS, REQUEST_QUEUE_TIMEOUT_S="0")
    marker = uuid.uuid4().hex[:8]
    with socket.create_connection(("127.0.0.1", server.port)) as client:
        client.sendall(
            f"GET /_tests/mark/?id={marker} HTTP/1.1\r\nHost: {city.host}\r\n"
            "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n".encode()
        )
        client.shutdown(socket.SHUT_WR)
        client.settimeout(60)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer
    assert body == b"served"
    log = server.output()
    assert f"test view ran: {marker}" in log
    assert "the client closed the connection" not in log


@pytest.mark.parametrize("pool_mode", ["session", "transaction"])
def test_a_statement_past_the_request_timeout_answers_503_and_the_connection_keeps_the_normal_limit(
    make_city, start_gunicorn, pool_mode
):
    city = make_city()
    server = start_gunicorn(
        settings=SETTINGS,
        DB_STATEMENT_TIMEOUT_MS="50",
        DB_POOL_SIZE="1",  # one pooled connection: every request below uses the same one
        DB_POOL_MODE=pool_mode,
    )

    def setting() -> dict[str, object]:
        reply = server.get(city.host, "/_tests/statement-timeout/", headers=HTTPS)
        assert reply.status == 200, reply
        return json.loads(reply.body)

    before = setting()
    assert before["timeout"] == "50ms"

    cut = server.get(city.host, "/_tests/slow-statement/?seconds=2", headers=HTTPS)
    assert cut.status == 503, cut
    assert cut.headers["retry-after"].isdigit()
    assert cut.headers["content-language"] == "pl"
    assert "Serwis jest chwilowo przeciążony" in cut.body  # the city's language: Polish
    log = server.output()
    assert f"slow statement on backend {before['pid']}" in log
    assert "statement timeout (50 ms) during GET" in log
    assert "Traceback" not in cut.body and "Traceback" not in log

    # The same pooled connection serves the next request, with the request's limit.
    assert setting() == before

    # An operation exempt from the limit runs its long statement; the limit is back after it,
    # inside the same request and for the next one on the same connection.
    reply = server.get(city.host, "/_tests/long-operation/?seconds=0.3", headers=HTTPS)
    assert reply.status == 200, reply
    answer = json.loads(reply.body)
    assert answer["inside"] == {"timeout": "0", "pid": before["pid"]}
    assert answer["after"] == before
    assert setting() == before


TASK_AND_COMMAND = """
import json
from django.db import connection
from ratusz.celery import app

def current():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        return cursor.fetchone()[0]

def sleep_in_task():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")
    except Exception as exc:
        return type(exc).__name__ + " " + str(getattr(exc.__cause__, "sqlstate", ""))
    return "finished"

shown = app.task(name="tests.statement_timeout_shown")(current)
slept = app.task(name="tests.statement_timeout_slept")(sleep_in_task)

with connection.cursor() as cursor:
    cursor.execute("SELECT pg_sleep(0.5)")  # the command itself: not cut
print(json.dumps({
    "command": current(),
    "task": shown.apply().get(),
    "task_sleeping": slept.apply().get(),
    "command_after": current(),
}))
"""


def test_a_task_has_its_statement_timeout_and_a_management_command_none(live_db, tmp_path):
    params = connection.settings_dict
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RATUSZ_", "DB_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="ratusz.settings.base",
        DATABASE_URL=(
            f"postgres://{quote(params['USER'])}:{quote(params['PASSWORD'] or '')}"
            f"@{params['HOST']}:{params['PORT']}/{params['NAME']}"
        ),
        RATUSZ_DATA_DIR=str(tmp_path),
        RATUSZ_TASKS_EAGER="1",
        DB_STATEMENT_TIMEOUT_MS="50",
        DB_TASK_STATEMENT_TIMEOUT_MS="80",
    )
    finished = subprocess.run(
        [sys.executable, "-m", "ratusz", "shell", "-c", TASK_AND_COMMAND],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    shown = json.loads(finished.stdout.strip().splitlines()[-1])
    assert shown == {
        "command": "0",
        "task": "80ms",
        "task_sleeping": "OperationalError 57014",
        "command_after": "0",
    }
