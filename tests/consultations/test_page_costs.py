"""What the big pages cost: queries per page (anonymous and signed in) that do not grow with the
discussion, answer figures computed by PostgreSQL, and per-city cached reads that change as
soon as the city's content does and never cross to another city."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.methods.ideation import selectors
from ratusz.consultations.methods.ideation.models import Comment, Idea, IdeaStatus
from ratusz.consultations.methods.ideation.services import Location, change_status, post_idea
from ratusz.tenants.cache import cached_for_city
from ratusz.tenants.context import city_context

PASSWORD = "correct horse battery"


def _client(city, user: User | None) -> Client:
    client = city.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


@pytest.fixture
def authors(in_city) -> list[User]:
    return [
        User.objects.create_user(f"dyskutant{n}@example.com", PASSWORD, full_name=f"Osoba {n}")
        for n in range(5)
    ]


def _discussion(idea: Idea, comments: int, authors: list[User]) -> None:
    """`comments` comments by several people, a fifth of them replies (bulk: the services'
    posting limits are not what is measured here)."""
    top = Comment.objects.bulk_create(
        Comment(idea=idea, author=authors[n % 5], body=f"Komentarz {n}")
        for n in range(comments - comments // 5)
    )
    Comment.objects.bulk_create(
        Comment(idea=idea, parent=top[n], author=authors[(n + 1) % 5], body=f"Odpowiedź {n}")
        for n in range(comments // 5)
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=comments)


@pytest.fixture
def located_idea(resident, ideation_phase) -> Idea:
    return post_idea(
        author=resident,
        phase=ideation_phase,
        title="Ławki przy fontannie",
        body="<p>Więcej ławek w cieniu.</p>",
        location=Location(Decimal("54.35"), Decimal("18.65"), "Długi Targ"),
    )


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: Callable[[Idea], str]
    anonymous: int  # the most queries allowed for a visitor not signed in
    signed_in: int  # ... and for a signed-in resident


# Each budget is what the page costs on a cold cache (the first visit after a change); a page
# that starts querying per comment or per idea breaks it.
PAGES = [
    Page("city home", "get", lambda idea: "/", anonymous=12, signed_in=16),
    Page("idea page", "get", lambda idea: f"/ideas/{idea.pk}/", anonymous=14, signed_in=24),
    Page("map data", "get", lambda idea: "/projects/park/map.json", anonymous=9, signed_in=10),
    Page("reaction", "post", lambda idea: f"/ideas/{idea.pk}/react/", anonymous=4, signed_in=24),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
def test_page_queries_stay_within_budget_and_do_not_grow_with_the_discussion(
    city, located_idea, authors, neighbour, page, signed_in, django_assert_max_num_queries
):
    budget = page.signed_in if signed_in else page.anonymous
    _discussion(located_idea, 100, authors)
    client = _client(city, neighbour if signed_in else None)
    with django_assert_max_num_queries(budget):
        if page.method == "get":
            response = client.get(page.path(located_idea))
        else:
            response = client.post(page.path(located_idea), {"kind": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code in (200, 302)
    if page.method == "post" and signed_in:
        with city_context(city.ref):
            assert Idea.objects.get(pk=located_idea.pk).likes == 1


def test_the_idea_page_costs_the_same_with_10_or_100_comments(
    city, resident, ideation_phase, neighbour, authors
):
    small = post_idea(author=resident, phase=ideation_phase, title="Mały", body="<p>x</p>")
    big = post_idea(author=resident, phase=ideation_phase, title="Duży", body="<p>x</p>")
    _discussion(small, 10, authors)
    _discussion(big, 100, authors)
    client = _client(city, neighbour)
    client.get(f"/ideas/{small.pk}/")  # caches warmed alike for both
    with CaptureQueriesContext(connection) as few:
        small_page = client.get(f"/ideas/{small.pk}/")
    with CaptureQueriesContext(connection) as many:
        big_page = client.get(f"/ideas/{big.pk}/")
    assert small_page.content.decode().count('class="comment"') == 10
    assert big_page.content.decode().count('class="comment"') == 100
    assert len(many.captured_queries) == len(few.captured_queries)


def _answered(idea: Idea, *, after: timedelta, staff: User) -> None:
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - after)
    idea.refresh_from_db()
    change_status(
        staff=staff,
        idea=idea,
        status=IdeaStatus.objects.get(code="accepted"),
        answer="<p>Zrobimy to.</p>",
    )


def test_answer_figures_take_the_median_of_published_ideas(
    in_city, resident, ideation_phase, city_admin
):
    ideas = [
        post_idea(author=resident, phase=ideation_phase, title=f"Pomysł {n}", body="<p>x</p>")
        for n in range(5)
    ]
    for idea, days in zip(ideas, (1, 3, 10, 20), strict=False):
        _answered(idea, after=timedelta(days=days), staff=city_admin)
    figures = selectors.answer_figures_of(Idea.objects.filter(project=ideation_phase.project))
    assert (figures.ideas, figures.answered) == (5, 4)
    assert figures.median_time_to_answer is not None
    # Four answers: the median lies halfway between the 2nd and 3rd (3 and 10 days).
    assert abs(figures.median_time_to_answer - timedelta(days=6.5)) < timedelta(seconds=5)
    Idea.objects.filter(pk=ideas[3].pk).update(visibility="hidden")  # 20 days: no longer counted
    figures = selectors.answer_figures_of(Idea.objects.filter(project=ideation_phase.project))
    assert (figures.ideas, figures.answered) == (4, 3)
    assert figures.median_time_to_answer is not None
    assert abs(figures.median_time_to_answer - timedelta(days=3)) < timedelta(seconds=5)


def test_cached_figures_and_map_change_as_soon_as_the_city_changes(
    in_city, located_idea, resident, ideation_phase, city_admin, django_capture_on_commit_callbacks
):
    project = ideation_phase.project
    assert selectors.answer_figures(project).answered == 0
    before = json.loads(selectors.ideas_on_map(project=project, viewer=AnonymousUser()))["features"]
    assert [f["properties"]["status"] for f in before] == ["proposed"]
    with django_capture_on_commit_callbacks(execute=True):
        _answered(located_idea, after=timedelta(days=2), staff=city_admin)
    assert selectors.answer_figures(project).answered == 1
    after = json.loads(selectors.ideas_on_map(project=project, viewer=AnonymousUser()))["features"]
    assert [f["properties"]["status"] for f in after] == ["accepted"]


def test_the_map_shows_a_resident_their_own_held_idea_and_nobody_else(
    in_city, located_idea, resident, neighbour, ideation_phase
):
    held = post_idea(
        author=resident,
        phase=ideation_phase,
        title="Czeka na moderację",
        body="<p>x</p>",
        location=Location(Decimal("54.36"), Decimal("18.66")),
    )
    Idea.objects.filter(pk=held.pk).update(visibility="held")
    project = ideation_phase.project

    def titles(viewer):
        data = json.loads(selectors.ideas_on_map(project=project, viewer=viewer))
        return sorted(f["properties"]["title"] for f in data["features"])

    assert titles(neighbour) == ["Ławki przy fontannie"]
    assert titles(resident) == ["Czeka na moderację", "Ławki przy fontannie"]
    assert titles(neighbour) == ["Ławki przy fontannie"]  # the cached part stayed public


def test_content_cached_in_one_city_is_never_read_in_another(city, other_city):
    with city_context(city.ref):
        assert cached_for_city("probe", lambda: "Gdańsk") == "Gdańsk"
    with city_context(other_city.ref):
        assert cached_for_city("probe", lambda: "Springfield") == "Springfield"
    with city_context(city.ref):
        assert cached_for_city("probe", lambda: "rebuilt") == "Gdańsk"
