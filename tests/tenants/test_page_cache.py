"""Whole pages cached per city for visitors not signed in (ratusz.tenants.page_cache): served
again without the database, stale at once after any change of the city, never across cities
or languages, never to a signed-in person, never for a closed portal, and forms on a cached page
still carry the visitor's own valid CSRF token."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ratusz.accounts.models import User
from ratusz.consultations.branding.services import update_branding
from ratusz.consultations.ideation.models import Idea, IdeaStatus
from ratusz.consultations.ideation.services import post_idea
from ratusz.tenants.context import city_context
from ratusz.tenants.page_cache import HEADER, _cacheable_city
from tests.consultations.conftest import make_project

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def idea(city, resident) -> Idea:
    with city_context(city.ref):
        project = make_project()
        return post_idea(
            author=resident,
            phase=project.phases.get(method="ideation"),
            title="Ławki w parku",
            body="<p>Więcej ławek</p>",
        )


@pytest.fixture
def neighbour_of_city(city) -> User:
    with city_context(city.ref):
        return User.objects.create_user("sasiad@example.com", PASSWORD, full_name="Ola Sąsiad")


def visitor(city, language: str = "en", **options) -> Client:
    client = city.client(**options)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_second_visit_is_served_from_the_cache_without_queries(city, idea):
    first = visitor(city).get(f"/ideas/{idea.pk}/")
    assert first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = visitor(city).get(f"/ideas/{idea.pk}/")
    assert second[HEADER] == "hit"
    assert len(queries.captured_queries) == 0
    assert "Ławki w parku" in second.content.decode()


def test_a_new_comment_shows_at_once(city, idea, neighbour_of_city):
    path = f"/ideas/{idea.pk}/"
    visitor(city).get(path)
    assert visitor(city).get(path)[HEADER] == "hit"
    resident = visitor(city)
    with city_context(city.ref):
        resident.force_login(neighbour_of_city)
    posted = resident.post(f"/ideas/{idea.pk}/comments/", {"body": "Popieram, ławki są potrzebne"})
    assert posted.status_code == 302
    page = visitor(city).get(path)
    assert page.get(HEADER) == "miss"
    assert "Popieram, ławki są potrzebne" in page.content.decode()


def test_an_official_answer_shows_at_once(city, idea, city_admin):
    path = f"/ideas/{idea.pk}/"
    visitor(city).get(path)
    staff = visitor(city)
    with city_context(city.ref):
        staff.force_login(city_admin)
        accepted = IdeaStatus.objects.get(code="accepted")
    answered = staff.post(
        f"/ideas/{idea.pk}/status/", {"status": accepted.pk, "answer": "<p>Postawimy ławki.</p>"}
    )
    assert answered.status_code == 302
    assert "Postawimy ławki." in visitor(city).get(path).content.decode()


def test_a_branding_change_made_outside_a_request_shows_at_once(
    city, idea, django_capture_on_commit_callbacks
):
    visitor(city).get("/")
    assert visitor(city).get("/")[HEADER] == "hit"
    with city_context(city.ref), django_capture_on_commit_callbacks(execute=True):
        update_branding(
            primary_color="#1f4e8c",
            primary_text="white",
            secondary_color="#ffffff",
            secondary_text="black",
            font="system",
            logo_alt={},
            welcome_title={"en": "Welcome to the new portal"},
            welcome_text={"en": ""},
            cookie_notice={},
        )
    page = visitor(city).get("/")
    assert page.get(HEADER) == "miss"
    assert "Welcome to the new portal" in page.content.decode()


def test_each_language_has_its_own_page(city, idea):
    english = visitor(city, "en").get("/").content.decode()
    polish = visitor(city, "pl").get("/")
    assert polish[HEADER] == "miss"
    assert "Open consultations" in english
    assert "Open consultations" not in polish.content.decode()
    assert visitor(city, "pl").get("/")[HEADER] == "hit"


def test_a_page_cached_in_one_city_is_never_served_in_another(city, other_city, idea):
    assert visitor(city).get("/")[HEADER] == "miss"
    other = visitor(other_city).get("/")
    assert other[HEADER] == "miss"
    assert "Springfield" in other.content.decode()
    assert "Gdańsk" not in other.content.decode()
    assert visitor(other_city).get("/")[HEADER] == "hit"


def test_a_signed_in_person_never_gets_a_cached_page(city, idea, resident):
    signed_in = visitor(city)
    with city_context(city.ref):
        signed_in.force_login(resident)  # before caching: signing in writes (the last login)
    visitor(city).get("/")
    assert visitor(city).get("/")[HEADER] == "hit"
    page = signed_in.get("/")
    assert not page.has_header(HEADER)
    assert "My activity" in page.content.decode()
    assert visitor(city).get("/")[HEADER] == "hit"  # nothing personal was stored either
    assert "My activity" not in visitor(city).get("/").content.decode()


def test_forms_on_a_cached_page_carry_the_visitors_own_valid_token(city, idea):
    visitor(city, enforce_csrf_checks=True).get("/")
    browser = visitor(city, enforce_csrf_checks=True)
    page = browser.get("/")
    assert page[HEADER] == "hit"
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1
    assert "__ratusz" not in page.content.decode()
    switched = browser.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    assert switched.status_code == 403  # without the token: refused
    switched = browser.post(
        "/i18n/setlang/", {"language": "pl", "next": "/", "csrfmiddlewaretoken": tokens.pop()}
    )
    assert switched.status_code == 302


def test_the_csp_nonce_of_a_cached_page_is_the_responses_own(city, idea):
    visitor(city).get("/")
    page = visitor(city).get("/")
    nonces = set(re.findall(r'nonce="([^"]+)"', page.content.decode()))
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in page["Content-Security-Policy"]


@pytest.mark.parametrize(
    "change",
    [
        {"status": "suspended"},
        {"status": "archived"},
        {"is_open": False},
        {"is_deleted": True},
    ],
    ids=["suspended", "archived", "coming soon", "deleted"],
)
def test_no_page_of_a_portal_closed_to_residents_is_cached(city, change):
    assert _cacheable_city(city.ref)
    assert not _cacheable_city(replace(city.ref, **change))
