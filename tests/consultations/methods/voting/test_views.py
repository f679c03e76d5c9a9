"""Resident pages (plain forms and HTMX), the back office, and who may open what."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from ratusz.accounts.models import Role, User
from ratusz.consultations.core.registry import Action
from ratusz.consultations.core.rules import can_act
from ratusz.consultations.methods.voting import selectors, services
from ratusz.consultations.methods.voting.models import CensusEntry, PaperVotes
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project
from tests.consultations.methods.voting.conftest import make_vote, make_voter


def english(city, user: User | None = None) -> Client:
    client = city.client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        with city_context(city.ref):
            client.force_login(user)
    return client


@pytest.fixture
def voter(in_city) -> User:
    return make_voter("glos@example.com")


def test_the_project_page_shows_the_basket_with_the_budget(city, vote, voter):
    page = english(city, voter).get("/projects/budzet/").content.decode()
    assert 'id="voting-panel"' in page
    assert "Left to spend" in page and "60\u00a0000 zł" in page
    assert f'action="/voting/{vote.phase.pk}/add/{vote.candidates[0].pk}/"' in page


def test_a_basket_works_with_plain_forms(city, vote, voter):
    client = english(city, voter)
    first, second = vote.candidates[0], vote.candidates[1]
    response = client.post(f"/voting/{vote.phase.pk}/add/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == "/projects/budzet/#voting-panel"
    # Over budget: a clear message on the page, the basket as it was.
    response = client.post(f"/voting/{vote.phase.pk}/add/{second.pk}/", follow=True)
    assert "20\u00a0000 zł of the budget is left" in response.content.decode()
    response = client.post(f"/voting/{vote.phase.pk}/submit/", follow=True)
    assert "your vote is submitted" in response.content.decode()
    assert "Withdraw my vote" in response.content.decode()
    with city_context(city.ref):
        assert selectors.basket_of(voter, vote.phase).submitted
    client.post(f"/voting/{vote.phase.pk}/withdraw/")
    with city_context(city.ref):
        basket = selectors.basket_of(voter, vote.phase)
        assert not basket.submitted and basket.votes == {first.pk: 1}


def test_htmx_answers_with_the_panel_and_the_new_total(city, vote, voter):
    client = english(city, voter)
    response = client.post(
        f"/voting/{vote.phase.pk}/add/{vote.candidates[2].pk}/", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="voting-panel"' in html and "<html" not in html  # only the panel, to swap in
    assert "is in your basket" in html and "40\u00a0000 zł" in html  # left to spend
    response = client.post(f"/voting/{vote.phase.pk}/submit/", {}, HTTP_HX_REQUEST="true")
    assert "your vote is submitted" in response.content.decode()


def test_visitors_and_unverified_residents_are_told_what_to_do(city, in_city, voter):
    vote = make_vote("tylko-mieszkancy", permissions={"vote": {"who": "verified"}})
    services.generate_codes(staff=vote.staff, phase=vote.phase, count=1)
    page = english(city).get("/projects/tylko-mieszkancy/").content.decode()
    assert "Log in or create an account to vote." in page
    response = english(city).post(f"/voting/{vote.phase.pk}/submit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = english(city, voter).get("/projects/tylko-mieszkancy/").content.decode()
    assert "only verified residents can vote" in page
    assert "Code from your voting card" in page
    response = english(city, voter).post(
        f"/voting/{vote.phase.pk}/code/", {"code": "ZZZZZ-ZZZZZ"}, follow=True
    )
    assert "This code is not valid for this vote" in response.content.decode()


def test_census_check_from_the_panel(city, in_city, city_admin, voter):
    vote = make_vote("spis", permissions={"vote": {"who": "verified"}}, verification=["census"])
    services.upload_census(
        staff=city_admin, file_name="l.csv", content=b"ABC123\n", pesel=False, has_header=False
    )
    client = english(city, voter)
    assert "Your identifier (e.g. PESEL)" in client.get("/projects/spis/").content.decode()
    response = client.post(
        f"/voting/{vote.phase.pk}/verify/", {"identifier": "abc-123"}, follow=True
    )
    assert "You are verified as a resident" in response.content.decode()
    assert "Add to basket" in response.content.decode()


def test_the_census_check_asks_unconfirmed_accounts_to_confirm_first(city, in_city, city_admin):
    vote = make_vote("spis", permissions={"vote": {"who": "verified"}}, verification=["census"])
    services.upload_census(
        staff=city_admin, file_name="l.csv", content=b"ABC123\n", pesel=False, has_header=False
    )
    fresh = User.objects.create_user("swieze@example.com", "correct horse battery")
    client = english(city, fresh)
    page = client.get("/projects/spis/").content.decode()
    assert "first confirm your e-mail address" in page
    assert 'name="identifier"' not in page  # no form that would refuse
    response = client.post(
        f"/voting/{vote.phase.pk}/verify/", {"identifier": "ABC123"}, follow=True
    )
    assert (
        "Confirm your e-mail address before you check your identifier" in response.content.decode()
    )
    with city_context(city.ref):
        fresh.refresh_from_db()
        assert fresh.verified_at is None


def test_the_census_check_answers_alike_through_the_page(city, in_city, city_admin, voter):
    vote = make_vote("spis", permissions={"vote": {"who": "verified"}}, verification=["census"])
    services.upload_census(
        staff=city_admin, file_name="l.csv", content=b"ABC123\n", pesel=False, has_header=False
    )
    services.verify_with_census(user=make_voter("pierwsza@example.com"), identifier="ABC123", ip="")
    client = english(city, voter)

    def answer(identifier: str) -> str:
        response = client.post(
            f"/voting/{vote.phase.pk}/verify/", {"identifier": identifier}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        return html[html.index('class="message error">') :].split("</p>")[0]

    assert answer("ABC123") == answer("XYZ999")  # used by another account; not on the list


def test_a_new_voting_phase_is_for_confirmed_addresses_and_the_builder_says_so(city, in_city):
    vote = make_vote("domyslnie")  # no rule chosen by staff
    fresh = User.objects.create_user("swieze@example.com", "correct horse battery")
    decision = can_act(fresh, vote.phase, Action.VOTE)
    assert (decision.allowed, decision.code) == (False, "confirm_email")
    assert can_act(make_voter("potwierdzona@example.com"), vote.phase, Action.VOTE).allowed
    with pytest.raises(services.NotAllowed):
        services.add_vote(user=fresh, phase=vote.phase, candidate=vote.candidates[0])
    page = (
        english(city, vote.staff)
        .get(f"/admin/projects/domyslnie/phases/{vote.phase.pk}/settings/")
        .content.decode()
    )
    assert "A new phase starts with: People who confirmed their e-mail address." in page
    assert 'value="confirmed" checked' in page or 'value="confirmed" id' in page


def test_results_page_follows_the_citys_choice(city, vote, voter):
    client = english(city, voter)
    assert client.get(f"/voting/{vote.phase.pk}/results/").status_code == 403  # not ended, not live
    with city_context(city.ref):
        vote.phase.options["live_results"] = True
        vote.phase.save(update_fields=["options"])
        services.add_paper_votes(staff=vote.staff, candidate=vote.candidates[3], votes=7)
    page = client.get(f"/voting/{vote.phase.pk}/results/").content.decode()
    assert "<caption>" in page and "Pomysł 4" in page and "<strong>7</strong>" in page


def test_back_office_is_for_the_projects_staff_only(city, vote, voter):
    phase = vote.phase.pk
    assert english(city, voter).get(f"/admin/voting/{phase}/").status_code == 403
    assert english(city, voter).get("/admin/voting/census/").status_code == 403
    with city_context(city.ref):
        make_project("inny")
        stranger = User.objects.create_user(
            "pm@example.com", "correct horse battery", role=Role.PROJECT_MANAGER, is_staff=True
        )
    manager = english(city, stranger)
    assert manager.get(f"/admin/voting/{phase}/").status_code == 404  # not their project
    assert (
        manager.post(f"/admin/voting/{phase}/paper/", {"candidate": 1, "votes": 5}).status_code
        == 404
    )
    assert manager.get("/admin/voting/census/").status_code == 403  # administrators only
    staff = english(city, vote.staff)
    page = staff.get(f"/admin/voting/{phase}/").content.decode()
    assert "Pomysł 1" in page and "Ideas on the ballot" in page


def test_staff_enter_paper_votes_set_costs_and_print_codes(city, vote):
    staff = english(city, vote.staff)
    phase, candidate = vote.phase.pk, vote.candidates[0]
    response = staff.post(
        f"/admin/voting/{phase}/paper/", {"candidate": candidate.pk, "votes": "0"}
    )
    assert response.status_code == 400  # bad input: said next to the field, nothing saved
    response = staff.post(
        f"/admin/voting/{phase}/paper/", {"candidate": candidate.pk, "votes": "12", "note": "Urna"}
    )
    assert response.status_code == 302
    with city_context(city.ref):
        entry = PaperVotes.objects.get()
        assert (entry.votes, entry.entered_by) == (12, vote.staff)
    staff.post(f"/admin/voting/{phase}/ideas/{candidate.pk}/", {"cost": "15000", "included": "on"})
    with city_context(city.ref):
        candidate.refresh_from_db()
        assert candidate.cost == 15_000
    page = staff.post(f"/admin/voting/{phase}/codes/", {"count": "4"})
    assert "no-store" in page["Cache-Control"]
    assert page.content.decode().count('class="voting-code-card"') == 4
    csv_file = staff.get(f"/admin/voting/{phase}/results.csv").content.decode("utf-8-sig")
    assert "Pomysł 1" in csv_file.splitlines()[1] and ",12,12," in csv_file


def test_census_upload_page_reports_each_bad_row(city, city_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = english(city, city_admin)
    upload = SimpleUploadedFile("lista.csv", b"44051401359\n123\n\n44051401359\n")
    page = admin.post("/admin/voting/census/", {"file": upload, "pesel": "on"}).content.decode()
    assert "Added: 1." in page
    assert '<th scope="row">2</th><td>This is not a valid PESEL number' in page
    assert '<th scope="row">4</th><td>The same identifier is already on line 1' in page
    with city_context(city.ref):
        assert CensusEntry.objects.count() == 1
    wrong = SimpleUploadedFile("lista.xlsx", b"x")
    assert (
        "Choose a CSV file" in admin.post("/admin/voting/census/", {"file": wrong}).content.decode()
    )


def test_an_unreadable_census_file_is_explained_not_a_500(city, city_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = english(city, city_admin)
    upload = SimpleUploadedFile("lista.csv", b"44051401359;\x81\x98\x90\n")
    response = admin.post("/admin/voting/census/", {"file": upload})
    assert response.status_code == 200
    assert "This file cannot be read as a list" in response.content.decode()
    with city_context(city.ref):
        assert CensusEntry.objects.count() == 0


def test_another_citys_phases_are_not_found_here(city, other_city, vote, voter):
    with city_context(other_city.ref):
        stranger = make_voter("obcy@example.com")
    client = english(other_city, stranger)
    phase, candidate = vote.phase.pk, vote.candidates[0].pk
    with city_context(other_city.ref):
        from ratusz.consultations.core.models import Phase

        assert not Phase.objects.filter(pk=phase).exists()
    assert client.post(f"/voting/{phase}/add/{candidate}/").status_code == 404
    assert client.get(f"/voting/{phase}/results/").status_code == 404
    assert english(other_city, stranger).get(f"/admin/voting/{phase}/").status_code == 403
    with city_context(city.ref):
        assert not selectors.basket_of(voter, vote.phase).votes
