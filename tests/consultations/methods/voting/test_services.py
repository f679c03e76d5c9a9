"""Voting services: baskets, limits, submission, paper votes, results, census and codes."""

from __future__ import annotations

import codecs
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratusz.accounts.models import User
from ratusz.consultations.core import services as consultations
from ratusz.consultations.methods.voting import selectors, services
from ratusz.consultations.methods.voting.forms import PhaseSettingsForm
from ratusz.consultations.methods.voting.models import Ballot, BallotStatus, CensusEntry, VotingCode
from ratusz.consultations.methods.voting.services import census, verification
from tests.consultations.methods.voting.conftest import make_vote, make_voter


@pytest.fixture
def voter(in_city) -> User:
    return make_voter("glosujaca@example.com")


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
        person = make_voter(f"v{number}@example.com")
        for pick in picks:
            services.add_vote(user=person, phase=vote.phase, candidate=pick)
        services.submit_ballot(user=person, phase=vote.phase)
    unsubmitted = make_voter("szkic@example.com")
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
    with pytest.raises(services.Refused, match="could not verify you"):
        services.verify_with_census(user=voter, identifier="12345678901", ip=IP)
    services.verify_with_census(user=voter, identifier=" 440514 01359 ", ip=IP)
    voter.refresh_from_db()
    assert voter.verified_at is not None
    assert CensusEntry.objects.get().used_by == voter
    other = make_voter("inna@example.com")
    with pytest.raises(services.Refused, match="could not verify you"):
        services.verify_with_census(user=other, identifier="44051401359", ip=IP)
    other.refresh_from_db()
    assert other.verified_at is None


def test_not_listed_and_used_by_another_account_answer_alike(in_city, city_admin, voter):
    """A guesser must not learn which identifiers are on the list (and have an account)."""
    services.upload_census(
        staff=city_admin, file_name="l.csv", content=b"44051401359\n", pesel=True, has_header=False
    )
    services.verify_with_census(user=voter, identifier="44051401359", ip=IP)
    guesser = make_voter("zgaduje@example.com")
    answers = []
    for identifier in ("44051401359", "02070803628"):  # used by another account; not listed
        with pytest.raises(services.Refused) as refused:
            services.verify_with_census(user=guesser, identifier=identifier, ip="203.0.113.9")
        answers.append(str(refused.value))
    assert answers[0] == answers[1]


# Where an identifier can stand, for the answers-alike test below (the unused one last: for an
# unverified account it verifies, which ends the walk).
CENSUS_STANDING = ("used by another account", "not on the list", "on the list, unused")


@pytest.mark.parametrize("verified", [False, True], ids=["unverified", "verified"])
def test_no_refusal_tells_whether_an_identifier_is_on_the_list(in_city, city_admin, verified):
    """Generated over where the identifier stands × whether the account is verified already:
    every attempt that does not verify the account answers it alike, so no reply depends on the
    list (the finding: a verified account heard "already verified with another identifier"
    only for identifiers on the list)."""
    services.upload_census(
        staff=city_admin,
        file_name="l.csv",
        content=b"WLASNY1\nWOLNY2\nZAJETY3\n",
        pesel=False,
        has_header=False,
    )
    services.verify_with_census(user=make_voter("inny@example.com"), identifier="ZAJETY3", ip=IP)
    account = make_voter("sprawdza@example.com")
    if verified:
        services.verify_with_census(user=account, identifier="WLASNY1", ip=IP)
    identifiers = dict(zip(CENSUS_STANDING, ("ZAJETY3", "BRAK4", "WOLNY2"), strict=True))
    answers: dict[str, str] = {}
    for standing, identifier in identifiers.items():
        try:
            services.verify_with_census(user=account, identifier=identifier, ip=IP)
        except services.Refused as refused:
            answers[standing] = str(refused)
        else:  # verified by this attempt: only an unverified account, by an unused identifier
            assert (verified, standing) == (False, "on the list, unused")
    assert len(answers) == (3 if verified else 2)
    assert len(set(answers.values())) == 1, answers


def test_census_check_needs_a_confirmed_email_address(in_city, city_admin):
    services.upload_census(
        staff=city_admin, file_name="l.csv", content=b"44051401359\n", pesel=True, has_header=False
    )
    fresh = User.objects.create_user("nowe@example.com", "correct horse battery")
    with pytest.raises(services.Refused, match="Confirm your e-mail address"):
        services.verify_with_census(user=fresh, identifier="44051401359", ip=IP)
    fresh.refresh_from_db()
    assert fresh.verified_at is None
    assert CensusEntry.objects.get().used_by is None


IP = "198.51.100.7"


@pytest.mark.parametrize(
    ("limit", "new_account", "new_address"),
    [
        ("ATTEMPTS_PER_HOUR", False, True),  # one account hopping addresses
        ("ATTEMPTS_PER_IP_PER_HOUR", True, False),  # many accounts from one address
        ("ATTEMPTS_PER_CITY_PER_HOUR", True, True),  # many accounts from many addresses
    ],
)
def test_census_guesses_are_limited_per_account_address_and_city(
    monkeypatch, city, other_city, limit, new_account, new_address
):
    from ratusz.tenants.context import city_context

    # Small limits, each below the others, so the one under test is the one that trips.
    for name in ("ATTEMPTS_PER_HOUR", "ATTEMPTS_PER_IP_PER_HOUR", "ATTEMPTS_PER_CITY_PER_HOUR"):
        monkeypatch.setattr(verification, name, 3 if name == limit else 100)
    with city_context(city.ref):
        account = make_voter("zgaduje@example.com")
        for n in range(4):
            if new_account:
                account = make_voter(f"zgaduje{n}@example.com")
            address = f"203.0.113.{n}" if new_address else IP
            expected = "could not verify you" if n < 3 else "Too many attempts"
            with pytest.raises(services.Refused, match=expected):
                services.verify_with_census(user=account, identifier=f"0000000000{n}", ip=address)
    with city_context(other_city.ref):  # another city's residents are not locked out
        someone = make_voter("springfield@example.com")
        with pytest.raises(services.Refused, match="could not verify you"):
            services.verify_with_census(user=someone, identifier="00000000009", ip=IP)


def test_a_successful_check_does_not_use_up_the_address_or_the_city(
    monkeypatch, in_city, city_admin
):
    monkeypatch.setattr(verification, "ATTEMPTS_PER_IP_PER_HOUR", 2)
    rows = b"44051401359\n02070803628\n"
    services.upload_census(
        staff=city_admin, file_name="l.csv", content=rows, pesel=True, has_header=False
    )
    # A family behind one router verifies one after another.
    for n, identifier in enumerate(("44051401359", "02070803628")):
        services.verify_with_census(
            user=make_voter(f"rodzina{n}@example.com"), identifier=identifier, ip=IP
        )
    with pytest.raises(services.Refused, match="could not verify you"):
        services.verify_with_census(user=make_voter("x@example.com"), identifier="1", ip=IP)


def test_voting_codes_are_hashed_work_once_and_verify(in_city, voter):
    vote = make_vote(permissions={"vote": {"who": "verified"}})
    codes = services.generate_codes(staff=vote.staff, phase=vote.phase, count=3)
    assert len(codes) == 3 and all(len(code) == 11 for code in codes)
    assert not VotingCode.objects.filter(digest__icontains=codes[0].replace("-", "")).exists()
    with pytest.raises(services.Refused, match="not valid for this vote"):
        services.redeem_code(user=voter, phase=vote.phase, code="AAAAA-AAAAA", ip=IP)
    services.redeem_code(user=voter, phase=vote.phase, code=codes[0].lower(), ip=IP)
    voter.refresh_from_db()
    assert voter.verified_at is not None
    services.add_vote(user=voter, phase=vote.phase, candidate=vote.candidates[0])  # may vote now
    with pytest.raises(services.Refused, match="already used this code"):
        services.redeem_code(user=voter, phase=vote.phase, code=codes[0], ip=IP)
    someone = make_voter("ktos@example.com")
    with pytest.raises(services.Refused, match=r"already been used\. Each code works only once"):
        services.redeem_code(user=someone, phase=vote.phase, code=codes[0], ip=IP)


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
        person = make_voter("gdansk@example.com")
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
        stranger = make_voter("springfield@example.com")
        with pytest.raises(services.Refused, match="could not verify you"):
            services.verify_with_census(user=stranger, identifier="44051401359", ip=IP)
        # The same identifier hashes differently here: each city has its own secret.
        services.upload_census(
            staff=stranger, file_name="l.csv", content=b"44051401359\n", pesel=True,
            has_header=False,
        )  # fmt: skip
        assert CensusEntry.objects.get().digest != census_digest
        other = make_vote("izolacja")
        with pytest.raises(services.Refused, match="not valid"):
            services.redeem_code(user=stranger, phase=other.phase, code=codes[0], ip=IP)


def test_the_results_dataset_is_registered_for_exports(vote, voter):
    from zoneinfo import ZoneInfo

    from ratusz.consultations.core.models import Project
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


CENSUS_TEXT = "Numer PESEL;Imię i nazwisko\r\n44051401359;Łucja Żółć\r\n02070803628;Grzegorz Brzęczyszczykiewicz\r\n"


@pytest.mark.parametrize(
    "encoded",
    [
        CENSUS_TEXT.encode("utf-8"),
        CENSUS_TEXT.encode("utf-8-sig"),  # Excel's "CSV UTF-8"
        CENSUS_TEXT.encode("utf-16"),  # Excel's "Unicode text": a byte order mark, little end
        codecs.BOM_UTF16_BE + CENSUS_TEXT.encode("utf-16-be"),
        CENSUS_TEXT.encode("cp1250"),  # Polish Excel's plain CSV
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1250"],
)
def test_census_files_are_read_in_every_usual_encoding(in_city, city_admin, encoded):
    report = services.upload_census(
        staff=city_admin, file_name="lista.csv", content=encoded, pesel=True, has_header=True
    )
    assert (report.added, report.problems) == (2, [])


@pytest.mark.parametrize(
    "content",
    [
        b"44051401359;\x81\x98\x90\n",  # neither UTF-8 nor Windows-1250 (undefined bytes)
        "44051401359\n".encode("utf-16-le"),  # UTF-16 without its byte order mark
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(32)),  # a spreadsheet renamed .csv
    ],
    ids=["undecodable", "utf-16-without-bom", "binary"],
)
def test_an_unreadable_census_file_is_refused_whole(in_city, city_admin, content):
    with pytest.raises(services.Refused, match="cannot be read as a list"):
        services.upload_census(
            staff=city_admin, file_name="lista.csv", content=content, pesel=True, has_header=False
        )
    assert CensusEntry.objects.count() == 0


def _pesels(count: int) -> list[str]:
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    numbers = []
    for n in range(count):
        base = f"{n:010d}"
        check = (10 - sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 10) % 10
        numbers.append(base + str(check))
    return numbers


def test_a_census_upload_costs_queries_per_chunk_of_rows_not_per_row(in_city, city_admin):
    """The city's secret is fetched once per upload and rows go in 5,000 to a statement (20,000
    rows took 12 s with two queries per row; see the commit for the figures)."""

    def queries_for(rows: int, start: int) -> int:
        content = "\n".join(_pesels(start + rows)[start:]).encode()
        with CaptureQueriesContext(connection) as queries:
            report = services.upload_census(
                staff=city_admin, file_name="l.csv", content=content, pesel=True, has_header=False
            )
        assert report.added == rows
        return len(queries)

    few = queries_for(10, 0)
    many = queries_for(6_000, 10)
    assert many <= few + 1  # one more chunk of 5,000 rows: at most one more INSERT


def test_a_census_file_over_the_row_limit_is_refused_with_the_way_out(
    monkeypatch, in_city, city_admin
):
    monkeypatch.setattr(census, "MAX_CENSUS_ROWS", 2)
    content = "\n".join(_pesels(3)).encode()
    with pytest.raises(services.Refused, match=r"more than 2 rows\. Split the list"):
        services.upload_census(
            staff=city_admin, file_name="l.csv", content=content, pesel=True, has_header=False
        )
    assert CensusEntry.objects.count() == 0
    # With a header, two rows of identifiers are within the limit.
    report = services.upload_census(
        staff=city_admin, file_name="l.csv", content=b"pesel\n" + content.rsplit(b"\n", 1)[0],
        pesel=True, has_header=True,
    )  # fmt: skip
    assert report.added == 2
