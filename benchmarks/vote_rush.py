"""The vote rush of issue 13 (target 6): residents submitting participatory-budget baskets over
HTTP, all arriving within a few seconds.

    .venv/bin/python benchmarks/vote_rush.py                     # 2,000 residents, 100 cities
    .venv/bin/python benchmarks/vote_rush.py --cities 1000 --residents 2000 --window 5

One city (besides a fleet of others, for realism) runs a participatory budget in its voting
phase: 30 ideas costing 40,000-450,000 zł on the ballot, a budget of 1,500,000 zł. Its
residents are verified accounts with confirmed addresses, each with a signed-in session made
by Django's session machinery (what a sign-in stores; 2,000 password sign-ins would measure
hashing). The server is gunicorn as the Helm chart starts it, with production settings
(benchmarks/httpbench.py). Each resident, at a moment drawn uniformly within the arrival
window, fetches the project page (the CSRF token in its forms), puts ideas into the basket one
POST at a time as the page's buttons do (with HTMX's header: the answer is the ballot panel,
which says what happened), then submits. Some do what the server must refuse cleanly:

- over budget: one more idea than the budget leaves room for (refused; the rest is submitted),
- empty: submit without choosing (refused),
- twice: submit again after the first was accepted (refused),
- foreign: an idea that is not on this ballot (404).

Afterwards the database is asked: every submission the server accepted must be a submitted
ballot (else it is lost), no ballot may cost more than the budget, nobody may have two ballots.
Printed: accepted, refused by reason, errors (5xx, connection errors), lost, over budget,
double votes, the percentiles of each kind of request, throughput, the client's own CPU use and
the machine's load at start and end; the figures also go to benchmarks/results/vote_rush.json.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import resource
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import benchsupport as bench  # benchmarks/ is not a package
import httpbench

VOTE_SLUG = "glosowanie"
PROJECT_SLUG = "budzet-obywatelski"
BUDGET = 1_500_000
IDEAS = 30
TARGET_P95_MS = 300.0
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# What the ballot panel says (templates/voting/panel.html).
SUCCESS = b'class="message success"'
ERROR = b'class="message error"'


@dataclass(frozen=True)
class Plan:
    """What one resident does."""

    resident: httpbench.Resident
    kind: str  # "basket" | "over-budget" | "empty" | "twice" | "foreign"
    adds: tuple[int, ...]  # candidate ids, in order
    arrival: float  # seconds after the start of the rush


@dataclass
class Outcome:
    kind: str
    arrived: float = 0.0
    finished: float = 0.0
    submitted: bool = False  # the server said the submission was accepted
    refusals: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)  # (request kind, seconds)


# --- seeding ---------------------------------------------------------------------------------


def seed_vote(residents: int) -> tuple[int, list[tuple[int, int]], int]:
    """The voting city, its budget vote and `residents` verified residents. Returns the phase
    id, the ballot's (candidate id, cost) and a candidate id of another phase."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from ratusz.accounts.models import Role, User
    from ratusz.consultations.core import services
    from ratusz.consultations.methods.ideation import services as ideation
    from ratusz.consultations.methods.ideation.models import IdeaStatus
    from ratusz.consultations.methods.voting import services as voting
    from ratusz.consultations.methods.voting.models import Candidate
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City
    from ratusz.tenants.services import provision_city

    city = City.objects.filter(slug=VOTE_SLUG).first()
    if city is None:
        city = provision_city(
            name="Głosowo",
            slug=VOTE_SLUG,
            admin_email="urzad@glosowo.example",
            languages=["pl", "en"],
        ).city
    rng = random.Random(13)
    with city_context(city):
        now = timezone.now()
        # One hash for everybody: hashing is what target 7 measures, not this one.
        password = make_password("correct horse battery")
        staff = User.objects.create(
            email="skarbnik@glosowo.example", password=password, role=Role.ADMINISTRATOR,
            is_staff=True, full_name="Skarbnik",
        )  # fmt: skip
        # The voters first, so that they are the first residents by id (signed_in_residents).
        voters = User.objects.bulk_create(
            [
                User(
                    email=f"mieszkaniec{n:05d}@glosowo.example",
                    password=password,
                    full_name=f"Mieszkaniec {n}",
                    role=Role.RESIDENT,
                    language="pl",
                    verified_at=now,
                )
                for n in range(residents)
            ],
            batch_size=1000,
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in voters],
            batch_size=1000,
        )
        project = services.create_project(
            slug=PROJECT_SLUG, title={"pl": "Budżet obywatelski 2027", "en": "Citizens' budget"}
        )
        ideas_phase = services.add_phase(
            project=project, method="ideation", starts_at=now - timedelta(days=60),
            ends_at=now + timedelta(hours=1), title={"pl": "Pomysły", "en": "Ideas"},
        )  # fmt: skip
        services.publish_project(project=project)
        accepted = IdeaStatus.objects.get(code="accepted")
        costs = {}
        for number in range(IDEAS + 1):
            idea = ideation.post_idea(
                author=voters[number], phase=ideas_phase, title=f"Pomysł nr {number + 1}",
                body=f"<p>Nowe ławki, zieleń i oświetlenie, część {number + 1}.</p>",
            )  # fmt: skip
            ideation.change_status(staff=staff, idea=idea, status=accepted, answer="<p>Tak</p>")
            costs[idea.pk] = rng.randrange(40_000, 450_001, 5_000)
        services.change_phase(
            phase=ideas_phase, method="ideation", starts_at=ideas_phase.starts_at,
            ends_at=now - timedelta(days=1), title=ideas_phase.title, description={},
        )  # fmt: skip
        phase = services.add_phase(
            project=project, method="voting", starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=14), title={"pl": "Głosowanie", "en": "Vote"},
            options={"voting_mode": "budget", "budget": BUDGET, "min_spend": 0,
                     "source_phase": ideas_phase.pk, "source_statuses": ["accepted"]},
        )  # fmt: skip
        voting.import_candidates(phase=phase)
        ballot = []
        candidates = list(Candidate.objects.filter(phase=phase).order_by("position"))
        for candidate in candidates[:IDEAS]:
            voting.update_candidate(
                candidate=candidate, cost=costs[candidate.idea_id], included=True
            )
            ballot.append((candidate.pk, costs[candidate.idea_id]))
        # The last idea is left off the ballot: voting for it must be refused.
        foreign = candidates[IDEAS]
        voting.update_candidate(candidate=foreign, cost=0, included=False)
    return phase.pk, ballot, foreign.pk


def plans(
    residents: list[httpbench.Resident],
    ballot: list[tuple[int, int]],
    foreign: int,
    window: float,
) -> list[Plan]:
    rng = random.Random(6)
    made = []
    for resident in residents:
        roll = rng.random()
        kind = (
            "over-budget" if roll < 0.10
            else "empty" if roll < 0.13
            else "twice" if roll < 0.18
            else "foreign" if roll < 0.20
            else "basket"
        )  # fmt: skip
        chosen: list[int] = []
        left = BUDGET
        # Most choose a few ideas; one who means to overspend fills the basket first.
        size = len(ballot) if kind == "over-budget" else rng.randint(1, 5)
        for candidate, cost in rng.sample(ballot, len(ballot)):
            if len(chosen) >= size:
                break
            if cost <= left:
                chosen.append(candidate)
                left -= cost
        if kind == "over-budget":
            too_dear = [c for c, cost in ballot if cost > left and c not in chosen]
            if too_dear:
                chosen.append(rng.choice(too_dear))
            else:
                kind = "basket"
        elif kind == "empty":
            chosen = []
        elif kind == "foreign":
            chosen = [foreign, *chosen[:2]]
        made.append(Plan(resident, kind, tuple(chosen), rng.uniform(0, window)))
    return sorted(made, key=lambda plan: plan.arrival)


# --- the client ------------------------------------------------------------------------------


class Client:
    """One resident's browser: one keep-alive connection, the session and CSRF cookies."""

    def __init__(self, port: int, host: str, resident: httpbench.Resident) -> None:
        self.port = port
        self.host = host
        self.cookie = resident.cookie()
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        all_headers = {
            "Host": self.host,
            "Cookie": self.cookie,
            **httpbench.FORWARDED_HTTPS,
            **(headers or {}),
        }
        if body:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body or None, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed meanwhile: once more, fresh.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def run_plan(plan: Plan, *, port: int, host: str, phase: int, start: float) -> Outcome:
    outcome = Outcome(plan.kind)
    delay = start + plan.arrival - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    outcome.arrived = time.perf_counter() - start
    client = Client(port, host, plan.resident)

    def timed(kind: str, method: str, path: str, body: str = "", **headers: str) -> bytes | None:
        began = time.perf_counter()
        try:
            status, data = client.request(method, path, body, headers)
        except OSError as exc:
            outcome.errors.append(f"{kind}: {type(exc).__name__}")
            return None
        outcome.timings.append((kind, time.perf_counter() - began))
        if status >= 500:
            outcome.errors.append(f"{kind}: HTTP {status}")
            return None
        if status == 404 and kind == "add":
            outcome.refusals.append("not on the ballot (404)")
            return None
        if status != 200:
            outcome.errors.append(f"{kind}: HTTP {status}")
            return None
        return data

    try:
        page = timed("page", "GET", f"/projects/{PROJECT_SLUG}/")
        match = TOKEN.search(page or b"")
        if match is None:
            if page is not None:
                outcome.errors.append("page: no CSRF token")
            return outcome
        token = match.group(1).decode()
        post = {"X-CSRFToken": token, "HX-Request": "true", "Referer": f"https://{host}/"}
        for candidate in plan.adds:
            answer = timed("add", "POST", f"/voting/{phase}/add/{candidate}/", "next=", **post)
            if answer is not None and ERROR in answer:
                outcome.refusals.append(f"add: {refusal_reason(answer)}")
        for attempt in range(2 if plan.kind == "twice" else 1):
            answer = timed("submit", "POST", f"/voting/{phase}/submit/", "next=", **post)
            if answer is None:
                continue
            if SUCCESS in answer:
                outcome.submitted = outcome.submitted or attempt == 0
            elif ERROR in answer:
                outcome.refusals.append(f"submit: {refusal_reason(answer)}")
            else:
                outcome.errors.append("submit: answer neither accepted nor refused")
    finally:
        client.close()
        outcome.finished = time.perf_counter() - start
    return outcome


def refusal_reason(answer: bytes) -> str:
    text = answer.split(ERROR, 1)[1].split(b"</p>", 1)[0].lstrip(b">").decode()
    for needle, reason in (
        ("budżet", "over budget"),
        ("budget", "over budget"),
        ("już", "already submitted"),
        ("already", "already submitted"),
        ("co najmniej", "empty basket"),
        ("at least", "empty basket"),
        ("nie ma", "not on the ballot"),
    ):
        if needle in text:
            return reason
    return text[:60]


# --- checking the database -------------------------------------------------------------------


def check_database(phase: int, outcomes: dict[int, Outcome]) -> dict[str, int]:
    from django.db import connection

    from ratusz.consultations.methods.voting.models import Ballot, BallotStatus
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City

    with city_context(City.objects.get(slug=VOTE_SLUG)):
        submitted = set(
            Ballot.objects.filter(phase_id=phase, status=BallotStatus.SUBMITTED).values_list(
                "user_id", flat=True
            )
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM ("
                " SELECT b.id FROM voting_ballot b JOIN voting_ballotitem i ON i.ballot_id = b.id"
                " WHERE b.phase_id = %s AND b.spend_limit IS NOT NULL"
                " GROUP BY b.id, b.spend_limit HAVING sum(i.cost) > b.spend_limit) AS over",
                [phase],
            )
            over_budget = int(cursor.fetchone()[0])
            cursor.execute(
                "SELECT count(*) FROM (SELECT user_id FROM voting_ballot WHERE phase_id = %s"
                " GROUP BY user_id HAVING count(*) > 1) AS twice",
                [phase],
            )
            double_ballots = int(cursor.fetchone()[0])
            cursor.execute(
                "SELECT count(*) FROM voting_ballotitem i"
                " JOIN voting_ballot b ON b.id = i.ballot_id"
                " WHERE b.phase_id = %s AND i.votes > b.idea_limit",
                [phase],
            )
            double_votes = int(cursor.fetchone()[0])
    accepted = {user for user, outcome in outcomes.items() if outcome.submitted}
    return {
        "accepted_by_http": len(accepted),
        "submitted_in_db": len(submitted),
        "lost": len(accepted - submitted),
        "submitted_without_an_accepted_answer": len(submitted - accepted),
        "over_budget": over_budget,
        "double_ballots": double_ballots,
        "double_votes": double_votes,
    }


# --- main ------------------------------------------------------------------------------------


def cpu_seconds_of(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    httpbench.add_arguments(parser, cities=100, kind="vote")
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--window", type=float, default=5.0, help="arrival window, seconds")
    parser.add_argument(
        "--clients",
        type=int,
        default=400,
        help="client threads (residents being served at once, at most; default %(default)s)",
    )
    args = parser.parse_args()
    args.no_big_city = True
    run = bench.start_run("vote_rush")

    seeded = httpbench.seed(args)
    from ratusz.tenants.models import City, Domain

    seed_started = time.perf_counter()
    if not City.objects.filter(slug=VOTE_SLUG).exists() or not args.reuse:
        phase, ballot, foreign = seed_vote(args.residents)
    else:
        raise SystemExit("--reuse of a vote city is not supported: run without --reuse")
    host = Domain.objects.get(tenant__slug=VOTE_SLUG, is_primary=True).domain
    residents = httpbench.signed_in_residents(args.residents, city_slug=VOTE_SLUG)
    print(
        f"# the vote: {len(ballot)} ideas on the ballot, budget {BUDGET:,} zł, "
        f"{len(residents)} verified residents signed in; seeded in "
        f"{time.perf_counter() - seed_started:.1f} s; {seeded.cities} cities in the database",
        flush=True,
    )
    from django.db import connections

    connections.close_all()
    schedule = plans(residents, ballot, foreign, args.window)
    kinds = Counter(plan.kind for plan in schedule)
    print(f"# residents by plan: {dict(sorted(kinds.items()))}", flush=True)

    with httpbench.Server(args) as server:
        # Warm every worker (imports, templates, connections) with a few pages first.
        for _ in range(6):
            server.get(f"/projects/{PROJECT_SLUG}/", host=host)
        workers = server.worker_pids()
        load_before = os.getloadavg()
        server_cpu_before = cpu_seconds_of(workers)
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        lock = threading.Lock()
        outcomes: dict[int, Outcome] = {}
        start = time.perf_counter() + 0.5

        def one(plan: Plan) -> None:
            outcome = run_plan(plan, port=server.port, host=host, phase=phase, start=start)
            with lock:
                outcomes[plan.resident.user_id] = outcome

        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(one, schedule))
        wall = time.perf_counter() - start
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu = cpu_seconds_of(workers) - server_cpu_before
        load_after = os.getloadavg()
    report(args, run, outcomes, phase, wall, client_before, client_after, server_cpu,
           load_before, load_after, seeded.cities, server.describe())  # fmt: skip
    httpbench.finish(args)
    return 0


def report(
    args: argparse.Namespace,
    run: bench.Run,
    outcomes: dict[int, Outcome],
    phase: int,
    wall: float,
    client_before: resource.struct_rusage,
    client_after: resource.struct_rusage,
    server_cpu: float,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
    cities: int,
    server: str,
) -> None:
    by_kind: dict[str, list[float]] = defaultdict(list)
    refusals: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for outcome in outcomes.values():
        for kind, seconds in outcome.timings:
            by_kind[kind].append(seconds * 1000)
        refusals.update(outcome.refusals)
        errors.update(outcome.errors)
    arrivals = [o.arrived for o in outcomes.values()]
    requests = sum(len(values) for values in by_kind.values())
    client_cpu = (client_after.ru_utime - client_before.ru_utime) + (
        client_after.ru_stime - client_before.ru_stime
    )
    database = check_database(phase, outcomes)
    journeys = [(o.finished - o.arrived) * 1000 for o in outcomes.values()]

    print()
    print(
        f"## vote rush: {len(outcomes)} residents over HTTP, {cities} cities; arrivals from "
        f"{min(arrivals):.2f} s to {max(arrivals):.2f} s (window {args.window:g} s); "
        f"{args.clients} client threads"
    )
    print(f"# server: {server}")
    rows: list[dict[str, Any]] = []
    for kind in ("page", "add", "submit"):
        values = by_kind.get(kind, [])
        if not values:
            continue
        p50, p95, p99 = (bench.percentile(values, pct) for pct in (50, 95, 99))
        rows.append(
            {"request": kind, "count": len(values), "p50_ms": round(p50, 1),
             "p95_ms": round(p95, 1), "p99_ms": round(p99, 1), "max_ms": round(max(values), 1)}
        )  # fmt: skip
    print(
        bench.table(
            ["request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"],
            [
                [
                    r["request"],
                    str(r["count"]),
                    f"{r['p50_ms']:.0f}",
                    f"{r['p95_ms']:.0f}",
                    f"{r['p99_ms']:.0f}",
                    f"{r['max_ms']:.0f}",
                ]
                for r in rows
            ],
        )
    )
    submit = next((r for r in rows if r["request"] == "submit"), None)
    print(
        f"resident's whole visit (arrival to last answer): p50 {bench.percentile(journeys, 50):.0f}"
        f" ms, p95 {bench.percentile(journeys, 95):.0f} ms"
    )
    print(
        f"throughput: {requests} requests in {wall:.1f} s = {requests / wall:.0f} req/s; "
        f"{database['accepted_by_http']} submissions accepted "
        f"({database['accepted_by_http'] / wall:.0f}/s)"
    )
    print(f"refused (cleanly), by reason: {dict(sorted(refusals.items())) or 'none'}")
    print(f"errors (5xx, connection errors, unexpected answers): {dict(errors) or 'none'}")
    print(
        f"database: {database['submitted_in_db']} submitted ballots; lost {database['lost']}; "
        f"over budget {database['over_budget']}; double ballots {database['double_ballots']}; "
        f"double votes {database['double_votes']}; submitted without an accepted answer "
        f"{database['submitted_without_an_accepted_answer']}"
    )
    print(
        f"CPU: client {client_cpu:.1f} s ({100 * client_cpu / wall:.0f} % of one core over the "
        f"run), server workers {server_cpu:.1f} s ({100 * server_cpu / wall:.0f} %)"
    )
    print(
        f"machine load (1/5/15 min): at the rush's start {bench.load_text(load_before)}, at its "
        f"end {bench.load_text(load_after)}; {os.cpu_count()} cores"
    )
    verdict = (
        "PASS"
        if submit is not None
        and submit["p95_ms"] <= TARGET_P95_MS
        and not errors
        and database["lost"] == 0
        and database["over_budget"] == 0
        else "FAIL"
    )
    print(f"target 6 (p95 of submit <= {TARGET_P95_MS:.0f} ms, no errors, none lost or over "
          f"budget): {verdict}")  # fmt: skip
    bench.write_results(
        run,
        conditions={
            "residents": len(outcomes),
            "cities": cities,
            "window_s": args.window,
            "client_threads": args.clients,
            "server": server,
            "budget": BUDGET,
            "ideas_on_ballot": IDEAS,
        },
        rows=[
            *rows,
            {
                "request": "journey",
                "p50_ms": round(bench.percentile(journeys, 50), 1),
                "p95_ms": round(bench.percentile(journeys, 95), 1),
            },
            {
                "summary": True,
                "wall_s": round(wall, 2),
                "requests": requests,
                "refusals": dict(refusals),
                "errors": dict(errors),
                **database,
                "client_cpu_s": round(client_cpu, 1),
                "server_cpu_s": round(server_cpu, 1),
                "verdict": verdict,
            },
        ],
    )


if __name__ == "__main__":
    raise SystemExit(main())
