"""Polls: one vote per account, results after voting or after the phase, HTMX and plain
POST voting, the staff page, and isolation between cities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.polls import selectors, services
from ratusz.consultations.methods.polls.forms import PhaseSettingsForm, PollForm
from ratusz.consultations.methods.polls.models import PollVote
from ratusz.tenants.context import city_context


def english(city, user=None):
    client = city.client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


def make_poll_phase(slug="sonda", **options):
    project = consultations.create_project(slug=slug, title={"pl": "Sonda", "en": "Quick poll"})
    now = timezone.now()
    phase = consultations.add_phase(
        project=project,
        method="poll",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=5),
        title={"en": "Poll"},
        options=dict(options) or None,
    )
    consultations.publish_project(project=project)
    return phase


@pytest.fixture
def poll(in_city, city_admin):
    phase = make_poll_phase()
    return services.add_poll(
        staff=city_admin,
        phase=phase,
        question={"en": "Which colour for the benches?", "pl": "Jaki kolor ławek?"},
        choices=[{"en": "Green", "pl": "Zielony"}, {"en": "Blue", "pl": "Niebieski"}],
        multiple=False,
    )


def test_one_vote_per_account(poll, resident):
    green, blue = poll.choices.all()
    services.vote(user=resident, poll=poll, choices=[green])
    with pytest.raises(services.Refused, match="already voted"):
        services.vote(user=resident, poll=poll, choices=[blue])
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, user=resident)
    voters, rows = selectors.results(poll, "en")
    assert voters == 1 and [(r.label, r.votes, r.percent) for r in rows] == [
        ("Green", 1, 100),
        ("Blue", 0, 0),
    ]


def test_bad_votes_are_refused_with_a_reason(poll, resident, city_admin):
    green, blue = poll.choices.all()
    with pytest.raises(services.Refused, match="only one"):
        services.vote(user=resident, poll=poll, choices=[green, blue])
    with pytest.raises(services.Refused, match="Choose an answer"):
        services.vote(user=resident, poll=poll, choices=[])
    other = services.add_poll(
        staff=city_admin,
        phase=poll.phase,
        question={"en": "?"},
        choices=[{"en": "a"}, {"en": "b"}],
        multiple=True,
    )
    with pytest.raises(services.Refused, match="another poll"):
        services.vote(user=resident, poll=other, choices=[green])
    with pytest.raises(services.NotAllowed):
        services.add_poll(
            staff=resident,
            phase=poll.phase,
            question={"en": "?"},
            choices=[{"en": "a"}, {"en": "b"}],
            multiple=False,
        )


def test_results_after_voting_or_after_the_phase(poll, resident):
    assert not selectors.results_visible(resident, poll)
    services.vote(user=resident, poll=poll, choices=[poll.choices.first()])
    assert selectors.results_visible(resident, poll)
    poll.phase.options = {"show_results": "after_phase"}
    poll.phase.save(update_fields=["options"])
    assert not selectors.results_visible(resident, poll)


def test_permission_messages_come_from_can_act(poll):
    decision = can_act(AnonymousUser(), poll.phase, Action.VOTE)
    assert decision.code == "login"


def test_forms(poll):
    assert PhaseSettingsForm({"show_results": "after_phase"}, phase=poll.phase).is_valid()
    assert not PhaseSettingsForm({"show_results": "never"}, phase=poll.phase).is_valid()
    form = PollForm(
        {"question_pl": "Czy?", "choices_pl": "Tak\nNie", "choices_en": "Yes"},
        languages=["pl", "en"],
        default_language="pl",
    )
    assert not form.is_valid()
    assert "Give as many lines as in" in str(form.errors["choices_en"])


def test_voting_with_htmx_and_without(city, poll, resident, neighbour):
    green_id = poll.choices.first().pk
    slug = poll.phase.project.slug
    project_page = english(city, resident).get(f"/projects/{slug}/").content.decode()
    assert "Which colour for the benches?" in project_page and 'hx-post="/polls/' in project_page
    fragment = english(city, resident).post(
        f"/polls/{poll.pk}/vote/", {"choice": str(green_id)}, headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "You have voted" in html and "100%" in html
    empty = english(city, neighbour).post(
        f"/polls/{poll.pk}/vote/", {}, headers={"HX-Request": "true"}
    )
    assert "Choose an answer." in empty.content.decode()
    plain = english(city, neighbour).post(f"/polls/{poll.pk}/vote/", {"choice": str(green_id)})
    assert plain.status_code == 302 and plain["Location"].startswith(f"/projects/{slug}/")
    again = english(city, neighbour).post(
        f"/polls/{poll.pk}/vote/", {"choice": str(green_id)}, headers={"HX-Request": "true"}
    )
    assert "You have voted" in again.content.decode()
    with city_context(city.ref):
        assert poll.votes.count() == 2


def test_staff_page_and_permissions(city, poll, city_admin, resident, manager):
    assert english(city, resident).get(f"/admin/polls/{poll.phase_id}/").status_code == 403
    assert english(city, manager).get(f"/admin/polls/{poll.phase_id}/").status_code == 404
    client = english(city, city_admin)
    assert (
        "Which colour for the benches?"
        in client.get(f"/admin/polls/{poll.phase_id}/").content.decode()
    )
    bad = client.post(
        f"/admin/polls/{poll.phase_id}/", {"question_pl": "Czy?", "choices_pl": "Tak"}
    )
    assert bad.status_code == 400 and "Give at least two answers." in bad.content.decode()
    made = client.post(
        f"/admin/polls/{poll.phase_id}/", {"question_pl": "Czy?", "choices_pl": "Tak\nNie"}
    )
    assert made.status_code == 302
    with city_context(city.ref):
        assert poll.phase.polls.count() == 2


def test_a_poll_of_one_city_is_not_reachable_from_another(city, other_city, poll):
    from ratusz.accounts.models import Role, User

    with city_context(other_city.ref):
        boss = User.objects.create_user(
            "boss@springfield.example",
            "correct horse battery",
            role=Role.ADMINISTRATOR,
            is_staff=True,
        )
    client = english(other_city, boss)
    assert client.post(f"/polls/{poll.pk}/vote/", {"choice": "1"}).status_code == 404
    assert client.get(f"/admin/polls/{poll.phase_id}/").status_code == 404
    assert client.post(f"/admin/polls/delete/{poll.pk}/").status_code == 404
