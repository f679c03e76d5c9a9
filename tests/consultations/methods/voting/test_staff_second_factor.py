"""Staff of a city that requires two factors have no staff powers on resident pages until
this session used the second factor (issue 12): the voting results before the end, the idea
status form and its official answer. The same pages, with the factor used, keep the powers."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from ratusz.accounts.models import Role, User
from ratusz.accounts.services import set_staff_two_factor_required
from ratusz.consultations.methods.ideation.models import Idea, IdeaStatus, StatusChange
from ratusz.tenants.context import city_context
from tests.conftest import force_login_with_second_factor


@pytest.fixture
def two_factor_city(city, vote):
    with city_context(city.ref):
        set_staff_two_factor_required(required=True)
    return city


def _signed_in(city, user: User, *, second_factor: bool) -> Client:
    client = city.client()
    with city_context(city.ref):
        if second_factor:
            force_login_with_second_factor(client, user)
        else:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _manager(city, vote, *, totp: bool) -> User:
    with city_context(city.ref):
        user = User.objects.create_user(
            "kierowniczka@gdansk.example", "correct horse battery",
            role=Role.PROJECT_MANAGER, is_staff=True,
        )  # fmt: skip
        vote.project.managers.add(user)
        if totp:
            Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"s": "x"})
    return user


@pytest.mark.parametrize("totp", [False, True], ids=["none set up", "set up but not used"])
def test_results_before_the_end_are_withheld_without_the_second_factor(two_factor_city, vote, totp):
    results = f"/voting/{vote.phase.pk}/results/"
    manager = _manager(two_factor_city, vote, totp=totp)
    assert _signed_in(two_factor_city, manager, second_factor=False).get(results).status_code == 403
    # The administrator the city was made with, freshly signed in with a password only.
    assert (
        _signed_in(two_factor_city, vote.staff, second_factor=False).get(results).status_code == 403
    )


def test_results_before_the_end_are_shown_with_the_second_factor(two_factor_city, vote):
    manager = _manager(two_factor_city, vote, totp=True)
    client = _signed_in(two_factor_city, manager, second_factor=True)
    assert client.get(f"/voting/{vote.phase.pk}/results/").status_code == 200


def _status_post(city, client: Client, idea: Idea) -> int:
    with city_context(city.ref):
        rejected = IdeaStatus.objects.get(code="rejected").pk
    response = client.post(
        f"/ideas/{idea.pk}/status/", {"status": rejected, "answer": "<p>Nie tym razem.</p>"}
    )
    return response.status_code


@pytest.mark.parametrize("totp", [False, True], ids=["none set up", "set up but not used"])
def test_an_idea_status_cannot_be_changed_without_the_second_factor(two_factor_city, vote, totp):
    manager = _manager(two_factor_city, vote, totp=totp)
    idea = vote.ideas[0]
    client = _signed_in(two_factor_city, manager, second_factor=False)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert f'action="/ideas/{idea.pk}/status/"' not in page  # no staff form shown
    assert _status_post(two_factor_city, client, idea) in (403, 404)
    with city_context(two_factor_city.ref):
        idea.refresh_from_db()
        assert idea.status.code == "accepted"  # as the city answered before
        assert not StatusChange.objects.filter(idea=idea, answer__contains="Nie tym razem").exists()


def test_an_idea_status_is_changed_with_the_second_factor(two_factor_city, vote):
    manager = _manager(two_factor_city, vote, totp=True)
    idea = vote.ideas[0]
    client = _signed_in(two_factor_city, manager, second_factor=True)
    assert f'action="/ideas/{idea.pk}/status/"' in client.get(f"/ideas/{idea.pk}/").content.decode()
    assert _status_post(two_factor_city, client, idea) == 302
    with city_context(two_factor_city.ref):
        idea.refresh_from_db()
        assert idea.status.code == "rejected"
