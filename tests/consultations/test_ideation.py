"""Posting ideas, discussing them, reacting, following; each rule with its message."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.ideation import selectors
from ratusz.consultations.methods.ideation.models import Comment, Follow, Idea, Reaction
from ratusz.consultations.methods.ideation.services import (
    Location,
    NotAllowed,
    Refused,
    add_comment,
    follow,
    post_idea,
    react,
    withdraw_reaction,
)
from ratusz.consultations.participation.moderation.models import Block, FilteredWord
from tests.consultations.conftest import make_project


def idea_by(user, phase, title="Ławki przy fontannie", body="<p>Więcej ławek w cieniu.</p>", **kw):
    return post_idea(author=user, phase=phase, title=title, body=body, **kw)


def test_a_resident_posts_an_idea_and_follows_it(resident, ideation_phase):
    idea = idea_by(
        resident,
        ideation_phase,
        location=Location(Decimal("54.35"), Decimal("18.65"), "Długi Targ"),
    )
    assert idea.status.code == "proposed"
    assert idea.visibility == "visible"
    assert Follow.objects.filter(idea=idea, user=resident).exists()
    features = json.loads(selectors.ideas_on_map(project=idea.project, viewer=resident))["features"]
    assert features[0]["geometry"]["coordinates"] == [18.65, 54.35]


def test_rich_text_is_sanitised(resident, ideation_phase):
    idea = idea_by(
        resident,
        ideation_phase,
        body='<p style="color:red" onmouseover="x()">Tekst<script>alert(1)</script> <a href="javascript:x()">link</a></p>',
    )
    assert "script" not in idea.body
    assert "onmouseover" not in idea.body
    assert "style" not in idea.body
    assert "javascript:" not in idea.body
    assert "Tekst" in idea.body


def test_an_empty_idea_is_refused_and_nothing_is_saved(resident, ideation_phase):
    with pytest.raises(Refused, match="Describe your idea"):
        idea_by(resident, ideation_phase, body="<p> <script>x</script></p>")
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [("anonymous", "login"), ("unconfirmed", "confirm_email"), ("outsider", "not_in_group")],
)
def test_who_may_act_is_decided_per_phase_action_with_a_reason(who, code, resident, ideation_phase):
    ideation_phase.permissions = {
        "post": {"who": "confirmed"} if who == "unconfirmed" else {"who": "groups", "groups": [999]}
    }
    ideation_phase.save()
    user = AnonymousUser() if who == "anonymous" else resident
    decision = can_act(user, ideation_phase, Action.POST)
    assert not decision.allowed
    assert decision.code == code
    assert decision.message


def test_acting_outside_the_phase_says_when(resident, ideation_phase):
    later = timezone.now() + timedelta(days=60)
    decision = can_act(resident, ideation_phase, Action.POST, now=later)
    assert decision.code == "ended"
    assert "ended on" in decision.message
    with pytest.raises(NotAllowed) as refused:
        post_idea(
            author=resident,
            phase=ideation_phase.project.phases.get(method="information"),
            title="x",
            body="y",
        )
    assert refused.value.decision.code in {"ended", "not_offered"}


def test_a_blocked_resident_is_told_until_when(resident, ideation_phase):
    until = timezone.now() + timedelta(days=3)
    Block.objects.create(user=resident, reason="Obraźliwe komentarze", until=until)
    decision = can_act(resident, ideation_phase, Action.COMMENT)
    assert decision.code == "blocked"
    assert "Obraźliwe komentarze" in decision.message


def test_the_word_filter_holds_posts_for_review(resident, ideation_phase):
    FilteredWord.objects.create(language="pl", term="głupek")
    idea = idea_by(resident, ideation_phase, title="Radny to GLUPEK")
    assert idea.visibility == "held"
    assert idea not in selectors.idea_list(project=idea.project, viewer=AnonymousUser())
    assert idea in selectors.idea_list(project=idea.project, viewer=resident)  # the author sees it


def test_posting_is_rate_limited_per_account(resident, ideation_phase):
    for number in range(5):
        idea_by(resident, ideation_phase, title=f"Pomysł {number}")
    with pytest.raises(Refused, match="wait a while"):
        idea_by(resident, ideation_phase, title="Pomysł 6")
    assert Idea.objects.count() == 5


def test_comments_have_one_level_of_replies(resident, neighbour, ideation_phase):
    idea = idea_by(resident, ideation_phase)
    top = add_comment(author=neighbour, idea=idea, body="Dobry pomysł")
    reply = add_comment(author=resident, idea=idea, body="Dziękuję", parent=top)
    reply_to_reply = add_comment(author=neighbour, idea=idea, body="Proszę", parent=reply)
    assert reply.parent == top
    assert reply_to_reply.parent == top
    idea.refresh_from_db()
    assert idea.comment_count == 3


def test_commenting_on_a_hidden_idea_is_refused(resident, neighbour, ideation_phase):
    idea = idea_by(resident, ideation_phase)
    Idea.objects.filter(pk=idea.pk).update(visibility="hidden")
    idea.refresh_from_db()
    with pytest.raises(Refused, match="not visible"):
        add_comment(author=neighbour, idea=idea, body="Hej")
    assert not Comment.objects.exists()


def test_empty_and_overlong_comments_are_refused(resident, ideation_phase):
    idea = idea_by(resident, ideation_phase)
    with pytest.raises(Refused, match="Write your comment"):
        add_comment(author=resident, idea=idea, body="   ")
    with pytest.raises(Refused, match="at most 5000"):
        add_comment(author=resident, idea=idea, body="x" * 5001)


def test_reacting_twice_is_refused_and_changing_ones_mind_is_not(resident, neighbour, in_city):
    project = make_project(slug="reakcje", reaction_mode="likes_dislikes")
    phase = project.phases.get(method="ideation")
    idea = idea_by(resident, phase)
    react(user=neighbour, idea=idea, kind=Reaction.Kind.LIKE)
    with pytest.raises(Refused, match="already like"):
        react(user=neighbour, idea=idea, kind=Reaction.Kind.LIKE)
    react(user=neighbour, idea=idea, kind=Reaction.Kind.DISLIKE)
    idea.refresh_from_db()
    assert (idea.likes, idea.dislikes) == (0, 1)
    withdraw_reaction(user=neighbour, idea=idea)
    idea.refresh_from_db()
    assert (idea.likes, idea.dislikes) == (0, 0)


def test_dislikes_only_where_the_phase_allows_them(resident, neighbour, ideation_phase):
    idea = idea_by(resident, ideation_phase)
    with pytest.raises(Refused, match="only be liked"):
        react(user=neighbour, idea=idea, kind=Reaction.Kind.DISLIKE)


def test_anonymous_ideas_only_where_allowed(resident, ideation_phase, in_city):
    with pytest.raises(Refused, match="anonymous"):
        idea_by(resident, ideation_phase, anonymous=True)
    project = make_project(slug="anonimowo", anonymous_posting=True)
    idea = idea_by(resident, project.phases.get(method="ideation"), anonymous=True)
    assert idea.anonymous
    assert idea.author == resident  # still known to staff


def test_lists_sort_filter_and_search_ignoring_polish_letters(resident, neighbour, ideation_phase):
    lodz = idea_by(resident, ideation_phase, title="Tramwaj do Łodzi", body="<p>Szybciej</p>")
    zolw = idea_by(
        resident, ideation_phase, title="Ścieżka rowerowa", body="<p>Żółw na ścieżce</p>"
    )
    react(user=neighbour, idea=zolw, kind=Reaction.Kind.LIKE)
    add_comment(author=neighbour, idea=lodz, body="Tak!")
    add_comment(author=neighbour, idea=lodz, body="Koniecznie")
    project = ideation_phase.project

    def titles(**kw):
        return [i.title for i in selectors.idea_list(project=project, viewer=AnonymousUser(), **kw)]

    assert titles(search="lodzi") == ["Tramwaj do Łodzi"]
    assert titles(search="ZOLW") == ["Ścieżka rowerowa"]
    assert titles(sort="newest") == ["Ścieżka rowerowa", "Tramwaj do Łodzi"]
    assert titles(sort="most_reacted")[0] == "Ścieżka rowerowa"
    assert titles(sort="most_commented")[0] == "Tramwaj do Łodzi"
    assert set(titles(sort="trending")) == {"Ścieżka rowerowa", "Tramwaj do Łodzi"}
    assert titles(status="proposed") == titles(sort="trending")
    assert titles(status="accepted") == []


def test_following_is_idempotent(resident, neighbour, ideation_phase):
    idea = idea_by(resident, ideation_phase)
    follow(user=neighbour, idea=idea)
    follow(user=neighbour, idea=idea)
    assert Follow.objects.filter(idea=idea).count() == 2


def test_listeners_hear_events_in_the_city_that_announced_them(
    city, resident, ideation_phase, django_capture_on_commit_callbacks
):
    from ratusz.consultations.participation import events
    from ratusz.tenants.db import connection

    heard: list[str] = []

    def listener(event):
        heard.append(str(connection.schema_name))

    events.listen(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            idea_by(resident, ideation_phase)
        connection.set_schema_to_public()  # the commit happens after leaving the city
        for callback in callbacks:
            callback()
    finally:
        events._listeners.remove(listener)
    assert heard == [city.schema]
