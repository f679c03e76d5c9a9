"""Integrity under real concurrency: many threads, each with its own database connection in
the city's schema, fill and submit baskets at the same moment. The database (unique
constraint, the ballot row lock, the trigger on ballot items) must leave no person with two
ballots, no ballot over its limits, and no error other than a clear refusal."""

from __future__ import annotations

import os
import random
import threading
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum

from ratusz.accounts.models import User
from ratusz.consultations.methods.voting import services
from ratusz.consultations.methods.voting.models import Ballot, BallotItem, BallotStatus
from ratusz.tenants.context import city_context
from tests.consultations.methods.voting.conftest import make_vote, make_voter

# Connections open at once. PostgreSQL allows 100 by default and the test run holds a few of
# its own; several runs sharing one server can lower it with RATUSZ_CONCURRENCY_THREADS.
THREADS = int(os.environ.get("RATUSZ_CONCURRENCY_THREADS", "48"))
OPERATIONS = 320  # submissions and votes per test, all started together


def _hammer(city: Any, operations: list[Callable[[], object]]) -> tuple[Counter[str], list[str]]:
    """Run the operations in THREADS threads started together; each thread has its own
    connection, set to the city's schema. Returns what happened and any unexpected error."""
    outcome: Counter[str] = Counter()
    unexpected: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(mine: list[Callable[[], object]]) -> None:
        try:
            with city_context(city.ref):
                barrier.wait()
                for operation in mine:
                    try:
                        operation()
                        result = "done"
                    except services.Refused:
                        result = "refused"
                    except Exception as exc:  # reported below, the test fails
                        result = "error"
                        with lock:
                            unexpected.append(repr(exc))
                    with lock:
                        outcome[result] += 1
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(operations[number::THREADS],))
        for number in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not any(thread.is_alive() for thread in threads), "a worker hung (deadlock?)"
    return outcome, unexpected


@pytest.mark.django_db(transaction=True)
def test_simultaneous_baskets_never_exceed_the_budget(make_city):
    city = make_city()
    with city_context(city.ref):
        vote = make_vote(costs=(40_000, 30_000, 20_000, 10_000, 5_000), budget=60_000)
        residents = [make_voter(f"glosujacy{n}@example.com") for n in range(12)]
    phase, candidates = vote.phase, vote.candidates
    chance = random.Random(2026)

    def add(user: User, candidate: Any) -> Callable[[], object]:
        return lambda: services.add_vote(user=user, phase=phase, candidate=candidate)

    def submit(user: User) -> Callable[[], object]:
        return lambda: services.submit_ballot(user=user, phase=phase)

    def withdraw(user: User) -> Callable[[], object]:
        return lambda: services.withdraw_ballot(user=user, phase=phase)

    def remove(user: User, candidate: Any) -> Callable[[], object]:
        return lambda: services.remove_vote(user=user, phase=phase, candidate=candidate)

    operations: list[Callable[[], object]] = []
    for _ in range(OPERATIONS):
        # Most operations by a few residents, so the same basket is hit from many threads.
        user = residents[min(chance.randrange(len(residents)), chance.randrange(len(residents)))]
        roll = chance.random()
        if roll < 0.6:
            operations.append(add(user, chance.choice(candidates)))
        elif roll < 0.8:
            operations.append(submit(user))
        elif roll < 0.9:
            operations.append(withdraw(user))
        else:
            operations.append(remove(user, chance.choice(candidates)))

    outcome, unexpected = _hammer(city, operations)

    assert not unexpected, unexpected
    assert outcome["done"] + outcome["refused"] == OPERATIONS
    assert outcome["refused"] > 0 and outcome["done"] > 0  # both really happened
    with city_context(city.ref):
        # One ballot per person (the unique constraint) ...
        per_person = Ballot.objects.filter(phase=phase).values("user").annotate(n=Count("pk"))
        assert all(row["n"] == 1 for row in per_person)
        # ... none over the budget, none with an idea twice.
        for ballot in Ballot.objects.filter(phase=phase):
            items = BallotItem.objects.filter(ballot=ballot)
            spent = items.aggregate(total=Sum("cost"))["total"] or 0
            assert spent <= 60_000, f"ballot {ballot.pk} costs {spent}"
            assert all(item.votes == 1 for item in items)
            assert items.values("candidate").distinct().count() == items.count()
            # The costs are the ideas' costs, so the totals mean what residents saw.
            assert all(item.cost == item.candidate.cost for item in items)
            if ballot.status == BallotStatus.SUBMITTED:
                assert items.exists()
        assert Ballot.objects.filter(phase=phase).count() >= 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_keep_to_n_per_person_and_m_per_idea(make_city):
    city = make_city()
    with city_context(city.ref):
        vote = make_vote(
            slug="glosowanie", costs=(0, 0, 0, 0), voting_mode="multiple",
            votes_per_person=3, votes_per_idea=2,
        )  # fmt: skip
        residents = [make_voter(f"wielu{n}@example.com") for n in range(10)]
    phase, candidates = vote.phase, vote.candidates
    chance = random.Random(5)
    operations: list[Callable[[], object]] = []
    for number in range(OPERATIONS):
        user = residents[number % len(residents)]
        candidate = chance.choice(candidates[:2])  # few ideas, so per-idea limits bite too
        operations.append(partial(services.add_vote, user=user, phase=phase, candidate=candidate))

    outcome, unexpected = _hammer(city, operations)

    assert not unexpected, unexpected
    assert outcome["refused"] > 0
    with city_context(city.ref):
        assert Ballot.objects.filter(phase=phase).count() == len(residents)
        for ballot in Ballot.objects.filter(phase=phase):
            items = list(BallotItem.objects.filter(ballot=ballot))
            assert sum(item.votes for item in items) <= 3
            assert all(1 <= item.votes <= 2 for item in items)
        # Each resident made 32 attempts: every one got exactly the 3 votes allowed.
        totals = BallotItem.objects.filter(ballot__phase=phase).aggregate(total=Sum("votes"))
        assert totals["total"] == 3 * len(residents)

    # Then everyone submits, each twice at once: one submission counts, the other is refused.
    submissions: list[Callable[[], object]] = [
        partial(services.submit_ballot, user=user, phase=phase) for user in residents * 2
    ]
    outcome, unexpected = _hammer(city, submissions)
    assert not unexpected, unexpected
    assert outcome == Counter({"done": len(residents), "refused": len(residents)})
    with city_context(city.ref):
        assert Ballot.objects.filter(phase=phase, status=BallotStatus.SUBMITTED).count() == 10


def _constraint(error: IntegrityError) -> str:
    """The constraint the database named (the trigger names its checks like constraints)."""
    return str(error.__cause__.diag.constraint_name)  # type: ignore[union-attr]  # psycopg's error


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_items_over_the_limits_even_without_the_services(
    make_city,
):
    """Writes that skip the services (a bug, a script) still cannot break a ballot: the
    trigger locks the ballot row and re-counts, also when raw inserts race."""
    city = make_city()
    with city_context(city.ref):
        vote = make_vote(slug="surowo", costs=(40_000, 30_000, 20_000, 10_000, 5_000))
        user = make_voter("surowy@example.com")
        services.add_vote(user=user, phase=vote.phase, candidate=vote.candidates[0])
        ballot = Ballot.objects.get(phase=vote.phase, user=user)
        # 40 000 + 30 000 > 60 000: refused by the database.
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            BallotItem.objects.create(ballot=ballot, candidate=vote.candidates[1], cost=30_000)
        assert _constraint(refused.value) == "voting_spend_limit"
        BallotItem.objects.filter(ballot=ballot).delete()
    phase, candidates = vote.phase, vote.candidates

    def raw_insert(candidate: Any) -> Callable[[], object]:
        def insert() -> None:
            try:
                with transaction.atomic():
                    BallotItem.objects.create(
                        ballot=ballot, candidate=candidate, cost=candidate.cost
                    )
            except IntegrityError as exc:
                raise services.Refused(str(exc)) from exc

        return insert

    operations = [raw_insert(candidates[n % len(candidates)]) for n in range(THREADS * 4)]
    outcome, unexpected = _hammer(city, operations)

    assert not unexpected, unexpected
    with city_context(city.ref):
        spent = BallotItem.objects.filter(ballot=ballot).aggregate(t=Sum("cost"))["t"]
        assert 0 < spent <= 60_000
        assert outcome["done"] == BallotItem.objects.filter(ballot=ballot).count()
        # A submitted ballot cannot take new items, whoever writes.
        Ballot.objects.filter(pk=ballot.pk).update(
            status="submitted", submitted_at="2026-01-01T00:00Z"
        )
        chosen = set(BallotItem.objects.filter(ballot=ballot).values_list("candidate", flat=True))
        spare = next(c for c in candidates if c.pk not in chosen)
        BallotItem.objects.filter(ballot=ballot).delete()
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            BallotItem.objects.create(ballot=ballot, candidate=spare, cost=0)
        assert _constraint(refused.value) == "voting_ballot_frozen"
    assert phase.pk
