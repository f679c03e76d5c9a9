"""Suspending a city while residents are using it (issue 7).

A suspension reaches every host on the next request: `change_city_status` forgets the cached
route when it commits. A resident who loaded a form before the suspension and posts it after
gets the suspension page and nothing is saved; after reactivation the same post works. A
request that was already past the routing when the suspension committed finishes normally.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.http import HttpRequest, HttpResponse

from ratusz.accounts.models import User
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.tenants.context import city_context
from ratusz.tenants.models import City, CityStatus
from ratusz.tenants.routing import resolve_host
from ratusz.tenants.services import change_city_status
from tests.consultations.conftest import make_project
from tests.consultations.test_pages import english

FORM = "/projects/park/ideas/new/"
IDEA = {"title": "Ławki przy stawie", "body": "<p>Więcej ławek w cieniu</p>"}


def ideas(city: Any) -> list[str]:
    with city_context(city.ref):
        return list(Idea.objects.order_by("pk").values_list("title", flat=True))


def test_a_post_after_the_suspension_gets_the_suspension_page_and_saves_nothing(
    city, resident, committed
):
    with city_context(city.ref):
        make_project()  # an open ideation phase
    client = english(city, resident)
    form = client.get(FORM)
    assert form.status_code == 200 and 'name="title"' in form.content.decode()
    # The route is cached now, as active: only forgetting it on commit makes the next
    # request see the suspension.
    cached = resolve_host(city.host).city
    assert cached is not None and cached.status == CityStatus.ACTIVE

    with committed():  # an operator suspends the city (the console calls this service)
        change_city_status(city=city.model, status=CityStatus.SUSPENDED)

    response = client.post(FORM, IDEA)
    assert response.status_code == 503
    assert response["Retry-After"] == "3600"
    # In the city's default language (Polish), whatever the visitor chose: the portal is shut.
    assert "Ten portal jest chwilowo niedostępny" in response.content.decode()
    assert ideas(city) == []

    with committed():
        change_city_status(city=city.model, status=CityStatus.ACTIVE)

    response = client.post(FORM, IDEA)
    assert response.status_code == 302
    assert ideas(city) == [IDEA["title"]]
    assert "Your idea is published" in client.get(response["Location"]).content.decode()


# --- A request already being served -------------------------------------------------------

# What the middleware below saw: the city's status in the database right after its suspension
# committed from another connection.
_seen: list[str] = []


def _suspend_from_another_connection(city_id: int) -> None:
    """What an operator's request does, in another thread and so on another database
    connection: the suspension commits there, and its on-commit forgets the cached route."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            change_city_status(city=City.objects.get(pk=city_id), status=CityStatus.SUSPENDED)
        except BaseException as error:  # re-raised in the request's thread
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if failure:
        raise failure[0]
    _seen.append(City.objects.get(pk=city_id).status)


class SuspendWhileServing:
    """Test-only middleware, placed after the lifecycle gate: when the idea form is posted, the city
    is suspended (and committed) before the view runs, so the view serves a request whose
    city was suspended while it was in flight."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        city = getattr(request, "city", None)
        if request.method == "POST" and request.path == FORM and city is not None:
            _suspend_from_another_connection(city.id)
        return self.get_response(request)


@pytest.fixture
def suspend_while_serving(settings) -> None:
    # After the gate that answers for the city's state: the request is past it, as the
    # routed city was still active.
    gate = settings.MIDDLEWARE.index("ratusz.tenants.middleware.CityLifecycleMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: gate + 1],
        f"{__name__}.SuspendWhileServing",
        *settings.MIDDLEWARE[gate + 1 :],
    ]
    _seen.clear()


def test_a_request_in_flight_when_the_suspension_commits_finishes_normally(
    make_city, suspend_while_serving
):
    """What this proves: the suspension is decided once, when a request is routed. A request
    already past the lifecycle gate when another connection commits the suspension is served to the
    end: its write is saved whole (not cut off halfway, no error page), and the next request
    gets the suspension page. Everything here commits for real (a throwaway city, purged
    afterwards), so the suspension is a real commit on a second connection, not a simulation
    inside the test's transaction."""
    town = make_city(slug="zawieszane", name="Zawieszane")
    with city_context(town.ref):
        make_project()
        resident = User.objects.create_user("mieszkaniec@example.com", "correct horse battery")
    client = english(town, resident)
    assert client.get(FORM).status_code == 200

    response = client.post(FORM, IDEA)
    # The suspension did commit while the request was being served...
    assert _seen == [CityStatus.SUSPENDED]
    # ...and the request finished normally, with its idea saved.
    assert response.status_code == 302
    assert ideas(town) == [IDEA["title"]]

    # The next request is refused, and the post it carries saves nothing.
    response = client.post(FORM, {**IDEA, "title": "Drugi pomysł"})
    assert response.status_code == 503
    assert ideas(town) == [IDEA["title"]]
    assert _seen == [CityStatus.SUSPENDED]  # the middleware never ran: the gate refused first
