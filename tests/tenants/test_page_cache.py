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
from psycopg import sql as psycopg_sql

from ratusz.accounts.models import User
from ratusz.consultations.branding.services import update_branding
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.tenants.cache import content_version
from ratusz.tenants.context import city_context
from ratusz.tenants.db.base import changes_rows
from ratusz.tenants.page_cache import HEADER, MAX_CACHED_PATH, _cacheable_city
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


SCRATCH = "page_cache_scratch"


def _idea_sql(template: str) -> str:
    return template.replace("IDEAS", Idea._meta.db_table)


# Each way a statement may change rows of the city; executed for real in the city's schema.
WRITES = {
    "newline after the verb": _idea_sql("UPDATE\n IDEAS SET title = title WHERE id = %s"),
    "block comment first": _idea_sql("/* fix */ UPDATE IDEAS SET title = title WHERE id = %s"),
    "line comment first, lower case": _idea_sql(
        "-- fix\n  update IDEAS set title = title where id = %s"
    ),
    "data-modifying CTE": _idea_sql(
        "WITH t AS (UPDATE IDEAS SET title = title WHERE id = %s RETURNING 1) "
        "SELECT count(*) FROM t"
    ),
    "MERGE": _idea_sql(
        "MERGE INTO IDEAS AS i USING (SELECT %s::bigint AS id) AS s ON i.id = s.id "
        "WHEN MATCHED THEN UPDATE SET title = i.title"
    ),
    "psycopg Composed": psycopg_sql.SQL("UPDATE {} SET title = title WHERE id = %s").format(
        psycopg_sql.Identifier(Idea._meta.db_table)
    ),
    "psycopg SQL": psycopg_sql.SQL(f"DELETE FROM {SCRATCH}"),
    "TRUNCATE": f"TRUNCATE {SCRATCH}",
}
READS = {
    "SELECT": _idea_sql("SELECT title FROM IDEAS WHERE id = %s"),
    "SELECT FOR UPDATE": _idea_sql("SELECT title FROM IDEAS WHERE id = %s FOR UPDATE"),
    "read-only CTE": _idea_sql("WITH t AS (SELECT id FROM IDEAS WHERE id = %s) SELECT * FROM t"),
}


def _run(statement, idea_pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {SCRATCH} (n int)")
        uses_param = "%s" in (statement if isinstance(statement, str) else repr(statement))
        cursor.execute(statement, [idea_pk] if uses_param else None)


@pytest.mark.parametrize("statement", WRITES.values(), ids=WRITES.keys())
def test_every_form_of_a_write_makes_the_city_s_pages_stale(city, idea, statement):
    with city_context(city.ref):
        before = content_version()
        _run(statement, idea.pk)
        assert content_version() != before


@pytest.mark.parametrize("statement", READS.values(), ids=READS.keys())
def test_a_read_leaves_the_city_s_pages_cached(city, idea, statement):
    with city_context(city.ref):
        _run(statement, idea.pk)  # creates the scratch table (no row changes)
        before = content_version()
        _run(statement, idea.pk)
        assert content_version() == before


def test_copy_into_a_table_of_the_city_makes_its_pages_stale(city):
    with city_context(city.ref), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {SCRATCH} (n int)")
        before = content_version()
        with cursor.copy(f"COPY {SCRATCH} FROM STDIN") as copy:
            copy.write("1\n2\n")
        assert content_version() != before
        cursor.execute(f"SELECT count(*) FROM {SCRATCH}")
        assert cursor.fetchone() == (2,)


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("COPY t FROM STDIN", True),
        ("COPY (SELECT 1) TO STDOUT", False),
        ("  \n/* a */ -- b\n INSERT INTO t VALUES (1)", True),
        ("WITH x AS (DELETE FROM t RETURNING *) SELECT 1", True),
        ("CALL refresh()", True),
        ("SELECT 1", False),
        ("SAVEPOINT s1", False),
        (object(), True),  # unknown: counted as a write
    ],
)
def test_which_statements_count_as_changing_rows(statement, writes):
    assert changes_rows(statement) is writes


def test_a_page_asked_for_with_an_overlong_query_is_not_cached(city, idea):
    path = f"/ideas/{idea.pk}/?q=" + "x" * MAX_CACHED_PATH
    for _ in range(2):
        page = visitor(city).get(path)
        assert page.status_code == 200
        assert not page.has_header(HEADER)
    assert visitor(city).get(f"/ideas/{idea.pk}/?q=x")[HEADER] == "miss"
