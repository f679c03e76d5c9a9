"""Voting services: baskets, limits, submission, paper votes, results, census and codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations import services as consultations
from ratusz.consultations.voting import selectors, services
from ratusz.consultations.voting.forms import PhaseSettingsForm
from ratusz.consultations.voting.models import Ballot, BallotStatus, CensusEntry, VotingCode
from tests.consultations.voting.conftest import make_vote


@pytest.fixture
def voter(in_city) -> User:
    return User.objects.create_user("glosujaca@example.com", "correct horse battery")


def test_a_basket_fills_up_to_the_budget_and_refuses_more(vote, voter):
    first, second, third = vote.candidates[:3]  # 40 000, 30 000, 20 000 of 60 000
    services.add_vote(user=voter, phase=vote.phase, candidate=first)
    with pytest.raises(services.Refused, match="20\u00a0000 zł of the budget is left"):
        services.add_vote(user=voter, phase=vote.phase, candidate=second)
    services.add_vote(user=voter, phase=vote.phase, candidate=third)
    basket = selectors.basket_of(voter, vote.phase)
    assert (basket.spent, basket.remaining) == (60_000, 0)
    assert basket.votes == {first.pk: 1, third.pk: 1}
    with pytest.raises(services.Refused, match="already chosen"):
        services.add_vote(user=voter, phase=vote.phase, candidate=first)


def test_minimum_spend_submission_and_withdrawal(in_city, voter):
    vote = make_vote(min_spend=30_000)
    cheap, dear = vote.candidates[4], vote.candidates[1]  # 5 000 and 30 000
    with pytest.raises(services.Refused, match="Choose at least one idea"):
        services.submit_ballot(user=voter, phase=vote.phase)
    services.add_vote(user=voter, phase=vote.phase, candidate=cheap)
    with pytest.raises(services.Refused, match="at least 30\u00a0000 zł"):
        services.submit_ballot(user=voter, phase=vote.phase)
    services.add_vote(user=voter, phase=vote.phase, candidate=dear)
    ballot = services.submit_ballot(user=voter, phase=vote.phase)
    assert ballot.status == BallotStatus.SUBMITTED and ballot.submitted_at is not None
    # Submitted: the basket is frozen until withdrawn; nothing in it is lost meanwhile.
    with pytest.raises(services.Refused, match="Withdraw it first"):
        services.remove_vote(user=voter, phase=vote.phase, candidate=cheap)
    services.withdraw_ballot(user=voter, phase=vote.phase)
    services.remove_vote(user=voter, phase=vote.phase, candidate=cheap)
    assert selectors.basket_of(voter, vote.phase).votes == {dear.pk: 1}
    assert Ballot.objects.filter(phase=vote.phase, user=voter).count() == 1


def test_single_vote_and_multiple_votes_limits(in_city, voter):
    single = make_vote("jeden", voting_mode="single")
    services.add_vote(user=voter, phase=single.phase, candidate=single.candidates[0])
    with pytest.raises(services.Refused, match="one idea only"):
        services.add_vote(user=voter, phase=single.phase, candidate=single.candidates[1])

    several = make_vote("kilka", voting_mode="multiple", votes_per_person=3, votes_per_idea=2)
    idea = several.candidates[0]
    services.add_vote(user=voter, phase=several.phase, candidate=idea)
    services.add_vote(user=voter, phase=several.phase, candidate=idea)
    with pytest.raises(services.Refused, match="at most 2 votes"):
        services.add_vote(user=voter, phase=several.phase, candidate=idea)
    services.add_vote(user=voter, phase=several.phase, candidate=several.candidates[1])
    with pytest.raises(services.Refused, match="all your 3 votes"):
        services.add_vote(user=voter, phase=several.phase, candidate=several.candidates[2])
    services.remove_vote(user=voter, phase=several.phase, candidate=idea)
    assert selectors.basket_of(voter, several.phase).votes[idea.pk] == 1


def test_who_may_vote_says_why_not(in_city, voter):
    vote = make_vote(permissions={"vote": {"who": "verified"}})
    with pytest.raises(services.NotAllowed) as refused:
        services.add_vote(user=voter, phase=vote.phase, candidate=vote.candidates[0])
    assert refused.value.decision.code == "not_verified"
    # After the phase ends nobody can vote or withdraw.
    ended = make_vote("po-terminie")
    consultations.change_phase(
        phase=ended.phase, method="voting", starts_at=ended.phase.starts_at,
        ends_at=timezone.now() - timedelta(minutes=1), title=ended.phase.title, description={},
    )  # fmt: skip
    with pytest.raises(services.NotAllowed, match="ended"):
        services.add_vote(user=voter, phase=ended.phase, candidate=ended.candidates[0])
    with pytest.raises(services.NotAllowed, match="ended"):
        services.withdraw_ballot(user=voter, phase=ended.phase)


def test_only_ideas_of_the_chosen_statuses_go_on_the_ballot_and_staff_can_exclude(in_city):
    vote = make_vote("statusy", accepted=3)  # two of five ideas were not accepted
    assert [c.idea for c in vote.candidates] == vote.ideas[:3]
    services.update_candidate(candidate=vote.candidates[0], cost=1, included=False)
    assert services.import_candidates(phase=vote.phase) == 0  # excluded ideas stay excluded
    assert vote.candidates[0] not in selectors.candidates(vote.phase)
    services.add_candidate(phase=vote.phase, idea=vote.ideas[4])  # added by hand
    assert selectors.candidates(vote.phase).count() == 3


def test_a_chosen_idea_keeps_its_cost(vote, voter):
    services.add_vote(user=voter, phase=vote.phase, candidate=vote.candidates[0])
    with pytest.raises(services.Refused, match="can no longer change"):
        services.update_candidate(candidate=vote.candidates[0], cost=1, included=True)


def test_results_add_paper_votes_and_fill_the_budget_greedily(vote):
    a, b, c, d, e = vote.candidates  # costs 40k, 30k, 20k, 10k, 5k; budget 60k
    for number, picks in enumerate([(b, c), (b, d), (b, e), (a,), (c, d)]):
        person = User.objects.create_user(f"v{number}@example.com", "correct horse battery")
        for pick in picks:
            services.add_vote(user=person, phase=vote.phase, candidate=pick)
        services.submit_ballot(user=person, phase=vote.phase)
    unsubmitted = User.objects.create_user("szkic@example.com", "correct horse battery")
    services.add_vote(user=unsubmitted, phase=vote.phase, candidate=a)  # a draft does not count
    entry = services.add_paper_votes(staff=vote.staff, candidate=a, votes=3, note="Urna 1")
    assert entry.entered_by == vote.staff and entry.entered_at is not None

    outcome = selectors.results(vote.phase)
    table = {
        row.candidate.pk: (row.online, row.paper, row.total, row.fits_budget)
        for row in outcome.rows
    }
    assert table[a.pk] == (1, 3, 4, True)  # first place: 40k of 60k
    assert table[b.pk] == (3, 0, 3, False)  # 30k no longer fits
    assert table[c.pk] == (2, 0, 2, False)  # tied with d, which is cheaper and goes first
    assert table[d.pk][3] is True and table[e.pk][3] is True
    assert [row.rank for row in outcome.rows] == [1, 2, 3, 3, 5]
    assert outcome.ballots == 5 and outcome.paper == 3
    with pytest.raises(services.Refused):
        services.add_paper_votes(staff=vote.staff, candidate=a, votes=0)


def test_census_upload_reports_bad_rows_and_keeps_good_ones(in_city, city_admin):
    content = (
        b"pesel;name\n"
        b"44051401359;Anna\n"  # valid PESEL
        b"44051401358;Bad check digit\n"
        b";Empty\n"
        b"4405-1401-359;The same as line 2\n"
        b"02070803628;Valid\n"
        b"ABC!;Symbols\n"
    )
    report = services.upload_census(
        staff=city_admin, file_name="lista.csv", content=content, pesel=True, has_header=True
    )
    assert report.added == 2
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, "This is not a valid PESEL number (11 digits, check digit)."),
        (4, "The first column is empty."),
        (5, "The same identifier is already on line 2 of this file."),
        (7, "The identifier may contain only letters and digits (at most 40)."),
    ]
    # Uploading again adds nothing twice and loses nothing.
    again = services.upload_census(
        staff=city_admin, file_name="lista.csv", content=content, pesel=True, has_header=True
    )
    assert (again.added, again.already_listed) == (0, 2)
    assert CensusEntry.objects.count() == 2
    assert not CensusEntry.objects.filter(digest__contains="44051401359").exists()  # hashed


def test_census_verifies_one_account_per_identifier(in_city, city_admin, voter):
    services.upload_census(
        staff=city_admin, file_name="l.csv", content=b"44051401359\n", pesel=True, has_header=False
    )
    with pytest.raises(services.Refused, match="not on the city's list"):
        services.verify_with_census(user=voter, identifier="12345678901")
    services.verify_with_census(user=voter, identifier=" 440514 01359 ")
    voter.refresh_from_db()
    assert voter.verified_at is not None
    assert CensusEntry.objects.get().used_by == voter
    other = User.objects.create_user("inna@example.com", "correct horse battery")
    with pytest.raises(services.Refused, match="already been used"):
        services.verify_with_census(user=other, identifier="44051401359")
    other.refresh_from_db()
    assert other.verified_at is None


def test_voting_codes_are_hashed_work_once_and_verify(in_city, voter):
    vote = make_vote(permissions={"vote": {"who": "verified"}})
    codes = services.generate_codes(staff=vote.staff, phase=vote.phase, count=3)
    assert len(codes) == 3 and all(len(code) == 11 for code in codes)
    assert not VotingCode.objects.filter(digest__icontains=codes[0].replace("-", "")).exists()
    with pytest.raises(services.Refused, match="not valid for this vote"):
        services.redeem_code(user=voter, phase=vote.phase, code="AAAAA-AAAAA")
    services.redeem_code(user=voter, phase=vote.phase, code=codes[0].lower())
    voter.refresh_from_db()
    assert voter.verified_at is not None
    services.add_vote(user=voter, phase=vote.phase, candidate=vote.candidates[0])  # may vote now
    with pytest.raises(services.Refused, match="already used this code"):
        services.redeem_code(user=voter, phase=vote.phase, code=codes[0])
    someone = User.objects.create_user("ktos@example.com", "correct horse battery")
    with pytest.raises(services.Refused, match=r"already been used\. Each code works only once"):
        services.redeem_code(user=someone, phase=vote.phase, code=codes[0])


def test_guessing_is_limited(in_city, voter):
    for _ in range(services.ATTEMPTS_PER_HOUR):
        with pytest.raises(services.Refused, match="not on the city's list"):
            services.verify_with_census(user=voter, identifier="00000000000")
    with pytest.raises(services.Refused, match="Too many attempts"):
        services.verify_with_census(user=voter, identifier="00000000000")


def test_settings_form_checks_the_limits(in_city):
    vote = make_vote("ustawienia")
    form = PhaseSettingsForm(
        {"voting_mode": "multiple", "votes_per_person": 2, "votes_per_idea": 3, "budget": 0,
         "min_spend": 0, "source_phase": str(vote.ideation.pk)},
        phase=vote.phase,
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["votes_per_idea"] == ["One idea cannot get more votes than a person has."]
    form = PhaseSettingsForm(
        {"voting_mode": "budget", "votes_per_person": 1, "votes_per_idea": 1, "budget": 100,
         "min_spend": 50, "source_phase": str(vote.ideation.pk), "source_statuses": ["accepted"],
         "verification": ["codes"], "public_results": "on"},
        phase=vote.phase,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    updated = consultations.update_phase_settings(
        phase=vote.phase, options=form.cleaned_data, permissions={}
    )
    assert updated.options["budget"] == 100 and updated.options["source_phase"] == vote.ideation.pk


def test_votes_codes_and_census_of_one_city_never_reach_another(city, other_city, city_admin):
    from ratusz.tenants.context import city_context

    with city_context(city.ref):
        vote = make_vote("izolacja")
        person = User.objects.create_user("gdansk@example.com", "correct horse battery")
        services.add_vote(user=person, phase=vote.phase, candidate=vote.candidates[0])
        services.submit_ballot(user=person, phase=vote.phase)
        codes = services.generate_codes(staff=vote.staff, phase=vote.phase, count=2)
        services.upload_census(
            staff=city_admin, file_name="l.csv", content=b"44051401359\n", pesel=True,
            has_header=False,
        )  # fmt: skip
        census_digest = CensusEntry.objects.get().digest
    with city_context(other_city.ref):
        assert Ballot.objects.count() == 0
        assert VotingCode.objects.count() == 0 and CensusEntry.objects.count() == 0
        stranger = User.objects.create_user("springfield@example.com", "correct horse battery")
        with pytest.raises(services.Refused, match="not on the city's list"):
            services.verify_with_census(user=stranger, identifier="44051401359")
        # The same identifier hashes differently here: each city has its own secret.
        services.upload_census(
            staff=stranger, file_name="l.csv", content=b"44051401359\n", pesel=True,
            has_header=False,
        )  # fmt: skip
        assert CensusEntry.objects.get().digest != census_digest
        other = make_vote("izolacja")
        with pytest.raises(services.Refused, match="not valid"):
            services.redeem_code(user=stranger, phase=other.phase, code=codes[0])


def test_the_results_dataset_is_registered_for_exports(vote, voter):
    from zoneinfo import ZoneInfo

    from ratusz.consultations.models import Project
    from ratusz.consultations.reports.registry import Scope, dataset

    services.add_vote(user=voter, phase=vote.phase, candidate=vote.candidates[3])
    services.submit_ballot(user=voter, phase=vote.phase)
    services.add_paper_votes(staff=vote.staff, candidate=vote.candidates[3], votes=2)
    results = dataset("voting_results")
    assert results is not None
    scope = Scope(
        projects=Project.objects.all(), whole_city=True, administrator=True,
        zone=ZoneInfo("Europe/Warsaw"), default_language="pl",
    )  # fmt: skip
    rows = list(results.rows(scope))
    assert results.count(scope) == len(rows) == 5
    assert rows[0][2] == 1  # first place
    assert rows[0][4:] == ["Pomysł 4", 10_000, 1, 2, 3, "yes"]
    assert len(results.columns(scope)) == len(rows[0])
