"""The project page's list: the stored trending rank, full-text and partial-word search, and
search that never crosses cities."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core.models import Project
from ratusz.consultations.methods.ideation import selectors
from ratusz.consultations.methods.ideation.models import Idea, Reaction
from ratusz.consultations.methods.ideation.services import add_comment, post_idea, react
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project


def titles(project: Project, **kw) -> list[str]:
    return [i.title for i in selectors.idea_list(project=project, viewer=AnonymousUser(), **kw)]


def test_the_stored_trending_rank_follows_reactions_and_comments(
    resident, neighbour, ideation_phase
):
    quiet = post_idea(author=resident, phase=ideation_phase, title="Cicha", body="<p>a</p>")
    loud = post_idea(author=resident, phase=ideation_phase, title="Głośna", body="<p>b</p>")
    # Same age, so that only engagement decides.
    Idea.objects.filter(pk__in=[quiet.pk, loud.pk]).update(created_at=timezone.now())
    before = Idea.objects.get(pk=loud.pk).trending
    react(user=neighbour, idea=loud, kind=Reaction.Kind.LIKE)
    after_like = Idea.objects.get(pk=loud.pk).trending
    add_comment(author=neighbour, idea=loud, body="Tak!")
    after_comment = Idea.objects.get(pk=loud.pk).trending
    assert before < after_like < after_comment
    assert titles(ideation_phase.project, sort="trending") == ["Głośna", "Cicha"]


def test_trending_puts_recent_ideas_above_old_ones_with_a_little_more_engagement(
    resident, neighbour, ideation_phase
):
    old = post_idea(author=resident, phase=ideation_phase, title="Stara", body="<p>a</p>")
    post_idea(author=resident, phase=ideation_phase, title="Nowa", body="<p>b</p>")
    react(user=neighbour, idea=old, kind=Reaction.Kind.LIKE)
    Idea.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=7))
    assert titles(ideation_phase.project, sort="trending") == ["Nowa", "Stara"]


def test_most_reacted_counts_likes_and_dislikes(resident, neighbour, ideation_phase):
    liked = post_idea(author=resident, phase=ideation_phase, title="Lubiana", body="<p>a</p>")
    post_idea(author=resident, phase=ideation_phase, title="Obojętna", body="<p>b</p>")
    Idea.objects.filter(pk=liked.pk).update(likes=2, dislikes=3)
    assert Idea.objects.get(pk=liked.pk).reaction_count == 5
    assert titles(ideation_phase.project, sort="most_reacted") == ["Lubiana", "Obojętna"]


def test_search_finds_whole_words_stems_and_parts_of_words(resident, ideation_phase):
    project = ideation_phase.project
    post_idea(
        author=resident,
        phase=ideation_phase,
        title="A fountain in the park",
        body="<p>Water for everyone</p>",
    )
    post_idea(author=resident, phase=ideation_phase, title="Tramwaj do Łodzi", body="<p>x</p>")
    post_idea(
        author=resident,
        phase=ideation_phase,
        title="Ławki",
        body="<p>Ławki obok <strong>fontanny</strong> w Łodzi</p>",
    )
    assert titles(project, search="fountains") == ["A fountain in the park"]  # English stem
    assert titles(project, search="fount") == ["A fountain in the park"]  # part of a word
    assert titles(project, search="FONTANN") == ["Ławki"]  # case, part, and in the body
    assert set(titles(project, search="lodz")) == {"Tramwaj do Łodzi", "Ławki"}
    assert titles(project, search="water everyone") == ["A fountain in the park"]
    assert titles(project, search="tramwaj 100%_") == []  # LIKE's wildcards are plain text


def test_search_ranks_title_matches_first_unless_a_sort_is_chosen(
    resident, neighbour, ideation_phase
):
    project = ideation_phase.project
    in_body = post_idea(
        author=resident, phase=ideation_phase, title="Zieleń", body="<p>Rower, rower</p>"
    )
    post_idea(author=resident, phase=ideation_phase, title="Rower miejski", body="<p>x</p>")
    react(user=neighbour, idea=in_body, kind=Reaction.Kind.LIKE)
    assert titles(project, search="rower") == ["Rower miejski", "Zieleń"]
    assert titles(project, search="rower", sort="most_reacted") == ["Zieleń", "Rower miejski"]


def test_search_in_one_city_never_returns_another_citys_ideas(
    city, other_city, resident, ideation_phase
):
    post_idea(author=resident, phase=ideation_phase, title="Fontanna w Gdańsku", body="<p>a</p>")
    with city_context(other_city.ref):
        project = make_project("fountains")
        phase = project.phases.get(method="ideation")
        someone = User.objects.create_user("homer@example.com", "correct horse battery")
        post_idea(author=someone, phase=phase, title="Fontanna w Springfield", body="<p>b</p>")
        assert titles(project, search="fontanna") == ["Fontanna w Springfield"]
        assert titles(project, search="gdansk") == []
    with city_context(city.ref):
        assert titles(ideation_phase.project, search="fontann") == ["Fontanna w Gdańsku"]
        assert titles(ideation_phase.project, search="springfield") == []
