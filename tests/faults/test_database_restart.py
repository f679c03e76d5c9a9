"""PostgreSQL going away during traffic (a restart, a failover, an operator's
pg_terminate_backend): the requests in flight get a clean error page, never a traceback (DEBUG
is on, as under `make run`), the next requests are served, and nothing committed is lost.

The shared test server is not restarted (other runs use it): the backends of our own web
server are terminated instead, which is what a restart does to them."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import psycopg

from ratusz.accounts.models import User
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.tenants import page_cache
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project

IN_FLIGHT = 3


def _backends_waiting(server) -> list[int]:
    with psycopg.connect(server.dsn, autocommit=True) as monitor:
        rows = monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
            "AND wait_event_type = 'Lock'",
            [server.application_name],
        ).fetchall()
    return [row[0] for row in rows]


def test_requests_in_flight_fail_cleanly_the_next_succeed_and_nothing_committed_is_lost(
    make_city, start_server
):
    city = make_city()
    with city_context(city.ref):
        phase = make_project().phases.get(method="ideation")
        author = User.objects.create_user("ola@example.com", "correct horse battery")
        titles = [f"Ławki numer {n}" for n in range(3)]
        for title in titles:
            post_idea(author=author, phase=phase, title=title, body="<p>Więcej ławek</p>")
    server = start_server()
    assert server.get(city.host).status == 200  # the pool has its connections

    with psycopg.connect(server.dsn) as blocker:
        # Requests that reach the city's settings wait on this lock: they are in flight.
        blocker.execute(
            f'LOCK TABLE "{city.schema}".consultations_portalsettings IN ACCESS EXCLUSIVE MODE'
        )
        with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
            # Pages the whole-page cache has not stored (the home page is, since the first
            # request): these reach the database, as every signed-in visitor's do.
            in_flight = [
                pool.submit(server.get, city.host, f"/?in-flight={n}") for n in range(IN_FLIGHT)
            ]
            deadline = time.monotonic() + 60
            while len(_backends_waiting(server)) < IN_FLIGHT:
                assert time.monotonic() < deadline, server.output()
                time.sleep(0.1)
            # What a restart does to the server's sessions: every backend of it ends.
            blocker.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [server.application_name],
            )
            blocker.rollback()
            failed = [future.result() for future in in_flight]

    for reply in failed:
        assert reply.status == 503, reply.body[:3000]
        assert reply.headers["retry-after"].isdigit()
        assert "Traceback" not in reply.body
        assert "terminating connection" not in reply.body
    # The next requests are served, from fresh connections, with everything committed.
    for n in range(3):
        served = server.get(city.host, f"/?after={n}")
        assert served.status == 200, served.body[:3000]
        assert served.headers.get(page_cache.HEADER.lower()) != "hit"
    with city_context(city.ref):
        assert sorted(Idea.objects.values_list("title", flat=True)) == sorted(titles)
