"""A project with 10,000 ideas: every list the project page can ask for, and search, is read
through an index, never by scanning the ideas table.

The ideas are seeded once for the module with one INSERT ... SELECT (committed, so that
VACUUM ANALYZE gives the planner the statistics of a big city), and removed afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.test.utils import CaptureQueriesContext

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Project, Topic
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus
from ratusz.consultations.methods.ideation.selectors import SORTS, idea_list
from ratusz.consultations.portal.views import IDEAS_PER_PAGE
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from tests.consultations.conftest import make_project

IDEAS = 10_000
WORDS = ("fontanna", "ławki", "drzewa", "rowery", "plac zabaw", "Łódź", "fountain", "benches")


def seed_big_project(*, slug: str, ideas: int) -> Project:
    """A published project with `ideas` ideas spread over two years, with counters, two topics
    and every status, written in one statement (the services would take minutes)."""
    project = make_project(slug)
    phase = project.phases.get(method="ideation")
    author = User.objects.create_user(f"{slug}@example.com", "correct horse battery")
    statuses = list(IdeaStatus.objects.values_list("pk", flat=True))
    words = "ARRAY[" + ", ".join(f"'{word}'" for word in WORDS) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO ideation_idea (project_id, phase_id, author_id, anonymous, title, body,
                address, status_id, visibility, moderation_reason, likes, dislikes,
                comment_count, created_at, updated_at)
            SELECT %(project)s, %(phase)s, %(author)s, false,
                   'Pomysł ' || n || ': ' || ({words})[1 + n %% 8],
                   '<p>Opis pomysłu numer ' || n || ', ' || ({words})[1 + (n / 8) %% 8]
                       || ' i więcej zieleni.</p>',
                   '', (%(statuses)s::bigint[])[1 + n %% %(status_count)s],
                   CASE WHEN n %% 50 = 0 THEN 'held' ELSE 'visible' END, '',
                   (n * 7919) %% 97, (n * 104729) %% 13, (n * 31) %% 41,
                   now() - (n * interval '97 minutes'), now()
            FROM generate_series(1, %(ideas)s) AS n
            """,  # the words are constants of this module
            {
                "project": project.pk,
                "phase": phase.pk,
                "author": author.pk,
                "statuses": statuses,
                "status_count": len(statuses),
                "ideas": ideas,
            },
        )
    park = Topic.objects.create(slug="zielen", name={"pl": "Zieleń"})
    rare = Topic.objects.create(slug="rzadki", name={"pl": "Rzadki"})
    through = Idea.topics.through
    with connection.cursor() as cursor:
        for topic, every in ((park, 3), (rare, 401)):
            cursor.execute(
                f"INSERT INTO {through._meta.db_table} (idea_id, topic_id) "
                "SELECT id, %s FROM ideation_idea WHERE project_id = %s AND id %% %s = 0",
                [topic.pk, project.pk, every],
            )
        # As autovacuum leaves a table after a burst of inserts: statistics and visibility map.
        cursor.execute("VACUUM ANALYZE ideation_idea")
        cursor.execute(f"VACUUM ANALYZE {through._meta.db_table}")
    return project


@pytest.fixture(scope="module")
def big_project(_session_cities, django_db_blocker) -> Iterator[tuple[Any, int]]:
    city = _session_cities["city"]
    with django_db_blocker.unblock(), city_context(city.ref):
        project = seed_big_project(slug="big-plans", ideas=IDEAS)
        through = Idea.topics.through
        try:
            yield city, project.pk
        finally:
            with city_context(city.ref):
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"DELETE FROM {through._meta.db_table} WHERE idea_id IN "
                        "(SELECT id FROM ideation_idea WHERE project_id = %s)",
                        [project.pk],
                    )
                    cursor.execute("DELETE FROM ideation_idea WHERE project_id = %s", [project.pk])
                Topic.objects.filter(slug__in=["zielen", "rzadki"]).delete()
                project.delete()
                User.objects.filter(email="big-plans@example.com").delete()
            connection.set_schema_to_public()


def scans_of(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from scans_of(child)


def seq_scans_on_ideas(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    return [
        node["Node Type"]
        for node in scans_of(plan)
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "ideation_idea"
    ]


FILTERS = {"topic": {"topic": "zielen"}, "rare-topic": {"topic": "rzadki"}}
FILTERS["status"] = {"status": "accepted"}
CASES = (
    [  # every sort, first and fiftieth page, for each kind of viewer
        pytest.param(viewer, sort, page, {}, id=f"{viewer}-{sort}-p{page}")
        for viewer in ("anonymous", "resident", "staff")
        for sort in SORTS
        for page in (1, 50)
    ]
    + [  # every sort with each filter
        pytest.param("anonymous", sort, page, filters, id=f"anonymous-{sort}-p{page}-{name}")
        for sort in SORTS
        for name, filters in FILTERS.items()
        for page in ((1,) if name == "rare-topic" else (1, 50))
    ]
    + [  # search, best match first or in a chosen order; whole words and parts of words
        pytest.param("anonymous", sort, 1, {"search": "fontanna"}, id=f"search-{sort}")
        for sort in SORTS
    ]
    + [
        pytest.param(viewer, None, 1, {"search": term}, id=f"{viewer}-search-best-{term}")
        for viewer in ("anonymous", "resident")
        for term in ("fontanna", "fount", "lodz", "plac zabaw")
    ]
)


def viewer_in(kind: str, project: Project) -> Any:
    if kind == "anonymous":
        return AnonymousUser()
    user = User.objects.create_user(f"{kind}-plans@example.com", "correct horse battery")
    if kind == "staff":
        user.is_staff = True
        user.save()
        project.managers.add(user)
    return user


@pytest.mark.parametrize(("viewer", "sort", "page", "filters"), CASES)
def test_every_list_of_a_big_project_reads_the_ideas_through_an_index(
    big_project, db, viewer, sort, page, filters
):
    city, project_pk = big_project
    with city_context(city.ref):
        project = Project.objects.get(pk=project_pk)
        listing = idea_list(
            project=project, viewer=viewer_in(viewer, project), sort=sort, **filters
        )
        with CaptureQueriesContext(connection) as queries:
            paginator = Paginator(listing, IDEAS_PER_PAGE)
            shown = list(paginator.get_page(page).object_list)
        reads = [q["sql"] for q in queries.captured_queries if "ideation_idea" in q["sql"]]
        assert len(reads) == 2  # one count, one page
        assert {sql: seq_scans_on_ideas(sql) for sql in reads} == {sql: [] for sql in reads}
    assert shown, "the case should list ideas"
    assert paginator.count > 0


PAGE_CASES = [
    pytest.param(signed_in, query, id=f"{'resident' if signed_in else 'anonymous'}-{name}")
    for signed_in in (False, True)
    for name, query in [
        *((f"{sort}-p{page}", {"sort": sort, "page": page}) for sort in SORTS for page in (1, 50)),
        ("search", {"q": "fontanna"}),
        ("search-part", {"q": "fount", "sort": "newest"}),
    ]
]
# The page's own reads (city, session and user, the project, its phases, the panel, the
# filters' topics and statuses, the figures, one count, one page of ideas with their statuses
# and authors) are a fixed number, whatever the number of ideas.
MAX_QUERIES = 25


@pytest.mark.parametrize(("signed_in", "query"), PAGE_CASES)
def test_the_project_page_reads_as_much_for_12_of_10000_ideas_as_for_one_idea(
    big_project, db, signed_in, query, django_assert_max_num_queries
):
    city, _ = big_project
    client = city.client()
    with city_context(city.ref):
        small = make_project("one-idea")
        author = User.objects.create_user("one-idea@example.com", "correct horse battery")
        Idea.objects.create(
            project=small,
            phase=small.phases.get(method="ideation"),
            author=author,
            title="Jedyny pomysł: fontanna, fountain",
            body="<p>fontanna</p>",
            status=IdeaStatus.objects.get(is_default=True),
        )
        if signed_in:
            client.force_login(
                User.objects.create_user("reader@example.com", "correct horse battery")
            )
    with CaptureQueriesContext(connection) as one_idea:
        assert client.get("/projects/one-idea/", query).status_code == 200
    with django_assert_max_num_queries(min(MAX_QUERIES, len(one_idea))):
        response = client.get("/projects/big-plans/", query)
    assert response.status_code == 200
    assert response.content.decode().count('class="idea-card"') == IDEAS_PER_PAGE
