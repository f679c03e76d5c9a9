"""What the HTTP benchmarks share: a fleet of cities and one big city seeded quickly, residents
with ready session cookies, gunicorn started as the Helm chart starts it with production
settings, and wrk driven by a Lua script whose output is parsed into numbers.

    import benchsupport as bench
    import httpbench

    parser = argparse.ArgumentParser()
    httpbench.add_arguments(parser)                  # --cities, --database, --reuse, --keep...
    args = parser.parse_args()
    run = bench.start_run("load")
    seeded = httpbench.seed(args)                    # prints the seeding time separately
    with httpbench.Server(args) as server:
        result = httpbench.run_wrk(
            server,
            [httpbench.Request(host=seeded.big.host, path="/")],
            connections=50,
            duration=20,
        )
        print(result.rps, result.p95_ms, result.failures)
    httpbench.finish(args)                           # drops the database unless --keep
    bench.write_results(run, conditions=..., rows=...)

Cities are provisioned with `provision_city` (the blueprint path: the spare pool is not used
while seeding) in parallel worker processes. The big city's ideas, comments and reactions are
bulk inserts; the counters the services keep (likes, dislikes, comment_count) are then computed
from the rows, as the services would have left them, and the tables are analysed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import benchsupport as bench

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().parent / "wrk" / "requests.lua"
CHART = ROOT / "helm" / "ratusz"
BASE_DOMAIN = "bench.localhost"

# The big city of issue 13.
BIG_SLUG = "big"
BIG_PROJECT = "ideas-for-the-city"
IDEAS = 10_016
COMMENTS = 30_133
REACTIONS = 59_448
DISCUSSED_COMMENTS = 100  # one idea has exactly this many comments
RESIDENTS = 2_000
FLEET_PREFIX = "fleet"
# Words that the seeded ideas contain, for search: (term, roughly one idea in ...).
SEARCH_TERMS = {"fountain": 97, "fontanna": 211, "bench": 13}


def default_database(kind: str) -> str:
    """ratusz_bench_<worktree>_<kind>: the rules name benchmark databases after their owner."""
    owner = re.sub(r"[^a-z0-9]+", "_", ROOT.name.lower()).strip("_") or "main"
    return f"ratusz_bench_{owner}_{kind}"


def add_arguments(
    parser: argparse.ArgumentParser, *, cities: int = 1000, kind: str = "http"
) -> None:
    group = parser.add_argument_group("seeding and server (benchmarks/httpbench.py)")
    group.add_argument(
        "--cities",
        type=int,
        default=cities,
        help=f"cities in total, the big city included (default {cities})",
    )
    group.add_argument("--no-big-city", action="store_true", help="seed only the fleet")
    group.add_argument("--server", default=bench.DEFAULT_SERVER, help="PostgreSQL server URL")
    group.add_argument(
        "--database",
        default=default_database(kind),
        help="the benchmark's own database, dropped and created afresh (default %(default)s)",
    )
    group.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a run with --keep left, seeding only what is missing",
    )
    group.add_argument("--keep", action="store_true", help="keep the database afterwards")
    group.add_argument(
        "--seed-workers", type=int, default=2, help="processes provisioning cities (default 2)"
    )
    group.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", ""),
        help="a Redis database of the benchmark's own for the server's cache, EMPTIED at start "
        "(default $BENCH_REDIS_URL; none: a file cache)",
    )
    group.add_argument(
        "--broker-url",
        default=os.environ.get("BENCH_BROKER_URL", ""),
        help="a Redis database of the benchmark's own for the server's task queue, EMPTIED at "
        "start and end; no worker consumes it (default $BENCH_BROKER_URL; none: an in-memory "
        "queue in each web worker)",
    )
    group.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    group.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: chart)")
    group.add_argument("--threads", type=int, default=0, help="gunicorn threads (default: chart)")
    group.add_argument(
        "--gunicorn-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="an extra gunicorn argument, after the chart's (repeatable)",
    )


# --- seeding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BigCity:
    host: str
    project: str  # slug of the project with the ideas
    ideas: int
    pages: int  # pages of the idea list
    discussed_idea: int  # the idea with DISCUSSED_COMMENTS comments
    idea_ids: tuple[int, ...]  # a sample of visible ideas, for reactions and idea pages


@dataclass(frozen=True)
class Seeded:
    cities: int
    fleet_hosts: tuple[str, ...]  # the small cities' hosts
    big: BigCity | None
    seconds: float  # time spent seeding in this run (0 when everything was there)
    rows: dict[str, int] = field(default_factory=dict)


def seed(args: argparse.Namespace) -> Seeded:
    """Prepare the benchmark's database: the fleet and (unless --no-big-city) the big city."""
    # No connection pool in this process: the seeding processes are forked from it, and a
    # pool's open connections and threads do not survive a fork.
    os.environ["DB_POOL_SIZE"] = "0"
    os.environ["BASE_DOMAIN"] = BASE_DOMAIN  # the cities' hosts are <slug>.bench.localhost
    # Sessions made here are signed with the key the server will use.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    bench.prepare(args.server, args.database, fresh=not args.reuse)

    from django.conf import settings

    from ratusz.tenants.models import City

    settings.SPARE_SCHEMAS = 0  # seeding uses the blueprint path; spares would only cost more
    if args.reuse:
        # The kept database may be older than the code: migrate it (a no-op when current), and
        # settle the big city's derived fields again with the code's own functions.
        from django.core.management import call_command

        migrate_started = time.perf_counter()
        call_command("migrate_schemas", verbosity=0)
        print(
            f"# --reuse: migrate_schemas in {time.perf_counter() - migrate_started:.1f} s",
            flush=True,
        )
        if big_city_complete():
            resettle_big_city()
    started = time.perf_counter()
    big = not args.no_big_city
    wanted_fleet = max(0, args.cities - (1 if big else 0))
    present = City.objects.filter(slug__startswith=f"{FLEET_PREFIX}-").count()
    if present < wanted_fleet:
        print(
            f"# seeding {wanted_fleet - present} cities with {args.seed_workers} processes",
            file=sys.stderr,
            flush=True,
        )
        provision_fleet(range(present, wanted_fleet), workers=args.seed_workers)
    fleet_seconds = time.perf_counter() - started
    big_seconds = 0.0
    if big and not big_city_complete():
        big_started = time.perf_counter()
        seed_big_city()
        big_seconds = time.perf_counter() - big_started
    seconds = time.perf_counter() - started
    if seconds > 1:
        bench.vacuum_catalogs()
    hosts = fleet_hosts()
    info = big_city() if big else None
    rows = big_city_rows() if big else {}
    print(
        f"# seeding: {len(hosts)} fleet cities in {fleet_seconds:.1f} s, big city in "
        f"{big_seconds:.1f} s ({seconds:.1f} s in all; 0 = reused)",
        flush=True,
    )
    return Seeded(
        cities=City.objects.count(), fleet_hosts=hosts, big=info, seconds=seconds, rows=rows
    )


def finish(args: argparse.Namespace) -> None:
    if not args.keep:
        bench.drop_database(args.server, args.database)


def _provision_slice(numbers: Sequence[int]) -> int:
    from django.db import connection

    from ratusz.tenants.services import provision_city

    for done, number in enumerate(numbers, start=1):
        provision_city(
            name=f"Fleet {number:05d}",
            slug=f"{FLEET_PREFIX}-{number:05d}",
            admin_email=f"admin{number}@example.org",
            languages=["pl", "en"],
        )
        connection.close_if_unusable_or_obsolete()
        if done % 100 == 0:
            print(f"  ... {done} cities (process {os.getpid()})", file=sys.stderr, flush=True)
    connection.close()
    return len(numbers)


def provision_fleet(numbers: range, *, workers: int) -> None:
    """provision_city for each number, in `workers` forked processes."""
    from django.db import connections

    numbers_list = list(numbers)
    if workers <= 1 or len(numbers_list) < 4:
        _provision_slice(numbers_list)
        return
    connections.close_all()  # the children must not share the parent's connection
    slices = [numbers_list[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        done = sum(pool.map(_provision_slice, slices))
    assert done == len(numbers_list)


def fleet_hosts() -> tuple[str, ...]:
    from ratusz.tenants.models import Domain

    return tuple(
        Domain.objects.filter(is_primary=True, tenant__slug__startswith=f"{FLEET_PREFIX}-")
        .order_by("domain")
        .values_list("domain", flat=True)
    )


_TOPICS = ("green", "transport", "culture", "sport", "safety", "education")
_PLACES = (
    "the Old Town",
    "Wrzeszcz",
    "Oliwa park",
    "the harbour",
    "the main station",
    "Zaspa",
    "the riverside",
    "Długa street",
)
_THINGS = (
    "a bench",
    "a fountain",
    "trees",
    "a bike lane",
    "a playground",
    "street lights",
    "a pedestrian crossing",
    "a library corner",
    "public toilets",
    "a dog park",
    "a bus shelter",
    "flower beds",
)
_POLISH = ("Nowa fontanna", "Zielony skwer", "Ławki w parku", "Ścieżka rowerowa", "Plac zabaw")


def _idea_text(rng: random.Random, number: int) -> tuple[str, str]:
    place = rng.choice(_PLACES)
    if number % SEARCH_TERMS["fontanna"] == 0:
        title = f"{rng.choice(_POLISH)} – fontanna przy {place}"
    elif number % SEARCH_TERMS["fountain"] == 0:
        title = f"A fountain for {place}"
    else:
        title = f"{rng.choice(_THINGS).capitalize()} near {place}"
    sentences = [
        f"Residents of {place} have asked for {rng.choice(_THINGS)} for years.",
        f"It would help families, older people and visitors (idea {number}).",
        f"The cost is small compared with {rng.choice(_THINGS)} elsewhere in the city.",
    ]
    rng.shuffle(sentences)
    return title[:160], "".join(f"<p>{sentence}</p>" for sentence in sentences)


def seed_big_city() -> None:
    """The big city of issue 13: one ideation project with IDEAS ideas, COMMENTS comments and
    REACTIONS reactions, one idea with DISCUSSED_COMMENTS comments, 40 % of the ideas on the
    map, answered ideas with their status history, and projects in other states."""
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City, CityStatus
    from ratusz.tenants.services import provision_city, purge_city

    left = City.objects.filter(slug=BIG_SLUG).first()
    if left is not None:  # an interrupted seeding
        purge_city(city=left)
    made = provision_city(
        name="Big City",
        slug=BIG_SLUG,
        admin_email="admin@big.example.org",
        languages=["pl", "en"],
        status=CityStatus.ACTIVE,
    )
    with city_context(made.ref):
        _seed_big_city_content()


def _seed_big_city_content() -> None:
    from allauth.account.models import EmailAddress
    from django.db import connection, transaction
    from django.utils import timezone

    from ratusz.accounts.models import Consent, PolicyDocument, Role, User
    from ratusz.accounts.selectors import account_settings
    from ratusz.consultations.core.models import Project
    from ratusz.consultations.core.services import (
        add_phase,
        create_project,
        create_topic,
        publish_project,
    )
    from ratusz.consultations.methods.ideation.models import (
        Comment,
        Idea,
        IdeaStatus,
        Reaction,
        StatusChange,
        Visibility,
    )

    rng = random.Random(13)  # repeatable data, not secrets
    now = timezone.now()
    with transaction.atomic():
        manager = User.objects.create_user(
            "manager@big.example.org", None, full_name="Project Manager", role=Role.PROJECT_MANAGER
        )
        User.objects.bulk_create(
            User(
                email=f"resident{number:05d}@big.example.org",
                full_name=f"Resident {number}",
                role=Role.RESIDENT,
                language="pl",
                password="!",  # unusable: the benchmark signs in through sessions
                date_joined=now - timedelta(days=200),
            )
            for number in range(RESIDENTS)
        )
        residents = list(User.objects.filter(role=Role.RESIDENT).order_by("pk"))
        everyone = [manager, *residents]
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in everyone
        )
        policies = account_settings()
        Consent.objects.bulk_create(
            Consent(user=user, document=document, version=policies.version_of(document))
            for user in everyone
            for document in PolicyDocument.values
        )
        topics = [
            create_topic(slug=slug, name={"en": slug.capitalize(), "pl": slug}, position=i)
            for i, slug in enumerate(_TOPICS)
        ]
        project = create_project(
            slug=BIG_PROJECT,
            title={"en": "Ideas for the city", "pl": "Pomysły dla miasta"},
            description={"en": "<p>What should the city do next?</p>"},
            topics=topics[:3],
            managers=[manager],
        )
        phase = add_phase(
            project=project,
            method="ideation",
            starts_at=now - timedelta(days=120),
            ends_at=None,
            title={"en": "Ideas", "pl": "Pomysły"},
            options={"reaction_mode": "likes_dislikes"},
        )
        publish_project(project=project)
        _other_projects(now, manager, add_phase, create_project, publish_project)

        default_status = IdeaStatus.objects.get(is_default=True)
        answers = list(IdeaStatus.objects.exclude(pk=default_status.pk)) or [default_status]
        ideas = []
        for number in range(IDEAS):
            title, body = _idea_text(rng, number)
            located = rng.random() < 0.4
            ideas.append(
                Idea(
                    project=project,
                    phase=phase,
                    author=rng.choice(residents),
                    title=title,
                    body=body,
                    latitude=round(54.30 + rng.random() * 0.15, 6) if located else None,
                    longitude=round(18.50 + rng.random() * 0.20, 6) if located else None,
                    address=rng.choice(_PLACES) if located else "",
                    status=default_status,
                )
            )
        ideas = Idea.objects.bulk_create(ideas, batch_size=2000)
        Idea.topics.through.objects.bulk_create(
            (
                Idea.topics.through(idea_id=idea.pk, topic_id=rng.choice(topics).pk)
                for idea in ideas
            ),
            batch_size=5000,
        )
        discussed = ideas[len(ideas) // 3]
        others = [idea for idea in ideas if idea.pk != discussed.pk]
        comments = [
            Comment(idea=discussed, author=rng.choice(residents), body=f"Comment {n} on this.")
            for n in range(DISCUSSED_COMMENTS)
        ]
        # The rest of the discussion goes mostly to a few ideas, as it does in real cities;
        # no other idea reaches the discussed idea's count.
        weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(others))]
        per_idea: dict[int, int] = {}
        while len(comments) < COMMENTS:
            idea = rng.choices(others, weights=weights)[0]
            if per_idea.get(idea.pk, 0) >= DISCUSSED_COMMENTS - 1:
                continue
            per_idea[idea.pk] = per_idea.get(idea.pk, 0) + 1
            comments.append(
                Comment(idea=idea, author=rng.choice(residents), body="I agree, and also ...")
            )
        Comment.objects.bulk_create(comments, batch_size=5000)
        reactions: list[Reaction] = []
        pairs: set[tuple[int, int]] = set()
        while len(reactions) < REACTIONS:
            idea = rng.choice(ideas)
            user = rng.choice(residents)
            if (idea.pk, user.pk) in pairs:
                continue
            pairs.add((idea.pk, user.pk))
            kind = Reaction.Kind.LIKE if rng.random() < 0.8 else Reaction.Kind.DISLIKE
            reactions.append(Reaction(idea=idea, user=user, kind=kind))
        Reaction.objects.bulk_create(reactions, batch_size=5000)
        answered = rng.sample(ideas, len(ideas) // 8)
        StatusChange.objects.bulk_create(
            (
                StatusChange(
                    idea=idea,
                    status=rng.choice(answers),
                    answer="<p>The city has looked at this idea.</p>",
                    answered_by=manager,
                )
                for idea in answered
            ),
            batch_size=5000,
        )
        # Dates: bulk inserts stamp everything "now"; spread them over the phase instead.
        idea_table = Idea._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {idea_table} SET created_at = %s - make_interval(mins => "
                f"((id * 7919) %% (118 * 24 * 60))::int), updated_at = %s WHERE project_id = %s",
                [now, now, project.pk],
            )
            for model, column in ((Comment, "idea_id"), (Reaction, "idea_id")):
                cursor.execute(
                    f"UPDATE {model._meta.db_table} t SET created_at = LEAST(%s, i.created_at + "
                    f"make_interval(mins => ((t.id * 31) %% 2880 + 1)::int)) FROM {idea_table} i "
                    f"WHERE t.{column} = i.id",
                    [now],
                )
            cursor.execute(
                f"UPDATE {StatusChange._meta.db_table} t SET created_at = LEAST(%s, i.created_at "
                f"+ make_interval(hours => ((t.id * 13) %% 400 + 1)::int)) FROM {idea_table} i "
                f"WHERE t.idea_id = i.id",
                [now],
            )
            cursor.execute(
                f"UPDATE {idea_table} i SET status_id = s.status_id, first_answered_at = "
                f"s.created_at FROM {StatusChange._meta.db_table} s WHERE s.idea_id = i.id"
            )
        settle_counters(project)
        Idea.objects.filter(pk=discussed.pk).update(
            title="The most discussed idea: a fountain for the Old Town"
        )
    assert Idea.objects.filter(project=project).count() == IDEAS
    assert Comment.objects.filter(idea=discussed, visibility=Visibility.VISIBLE).count() == (
        DISCUSSED_COMMENTS
    )
    assert Project.objects.count() >= 4
    analyze_city()


def _other_projects(
    now: Any, manager: Any, add_phase: Any, create_project: Any, publish: Any
) -> None:
    """A finished project, an upcoming one, a draft and an archived one (the city home lists
    them by state)."""
    from ratusz.consultations.core.models import Project, PublicationStatus

    finished = create_project(slug="last-years-budget", title={"en": "Last year's ideas"})
    add_phase(
        project=finished,
        method="ideation",
        starts_at=now - timedelta(days=400),
        ends_at=now - timedelta(days=300),
        title={"en": "Ideas"},
    )
    publish(project=finished)
    upcoming = create_project(slug="next-year", title={"en": "Next year"}, managers=[manager])
    add_phase(
        project=upcoming,
        method="ideation",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=90),
        title={"en": "Ideas"},
    )
    publish(project=upcoming)
    create_project(slug="draft-plans", title={"en": "Plans not published yet"})
    archived = create_project(slug="old-archive", title={"en": "An archived project"})
    Project.objects.filter(pk=archived.pk).update(status=PublicationStatus.ARCHIVED)


def settle_counters(project: Any) -> None:
    """Set the counters the ideation services keep (likes, dislikes, comment_count of every idea
    of `project`) from the rows, as the services would have left them after each reaction and
    comment one by one.

    Derived fields that later work adds to ideas (a stored trending score, cached counts) are
    recomputed here too, by calling their own recompute function."""
    from django.db import connection

    from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction, Visibility

    idea_table = Idea._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {idea_table} i SET
                likes = COALESCE(r.likes, 0),
                dislikes = COALESCE(r.dislikes, 0),
                comment_count = COALESCE(c.visible, 0)
            FROM {idea_table} base
            LEFT JOIN (
                SELECT idea_id,
                       COUNT(*) FILTER (WHERE kind = %s) AS likes,
                       COUNT(*) FILTER (WHERE kind = %s) AS dislikes
                FROM {Reaction._meta.db_table} GROUP BY idea_id
            ) r ON r.idea_id = base.id
            LEFT JOIN (
                SELECT idea_id, COUNT(*) AS visible FROM {Comment._meta.db_table}
                WHERE visibility = %s GROUP BY idea_id
            ) c ON c.idea_id = base.id
            WHERE i.id = base.id AND i.project_id = %s
            """,
            [Reaction.Kind.LIKE, Reaction.Kind.DISLIKE, Visibility.VISIBLE, project.pk],
        )


def analyze_city() -> None:
    """ANALYZE the current city's tables, as autovacuum would after the bulk inserts (the
    benchmark server may run with autovacuum off)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
            "AND c.relkind = 'r' ORDER BY c.relname",
            [schema],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'VACUUM (ANALYZE) "{schema}"."{table}"')


def big_city_complete() -> bool:
    from ratusz.consultations.core.models import Project
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City

    city = City.objects.filter(slug=BIG_SLUG).first()
    if city is None:
        return False
    with city_context(city):
        return Project.objects.filter(slug=BIG_PROJECT).exists()


def resettle_big_city() -> None:
    from ratusz.consultations.core.models import Project
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City

    with city_context(City.objects.get(slug=BIG_SLUG)):
        settle_counters(Project.objects.get(slug=BIG_PROJECT))
        analyze_city()


def big_city() -> BigCity:
    from ratusz.consultations.methods.ideation.models import Idea, Visibility
    from ratusz.consultations.portal.views import IDEAS_PER_PAGE
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City, Domain

    city = City.objects.get(slug=BIG_SLUG)
    host = Domain.objects.get(tenant=city, is_primary=True).domain
    with city_context(city):
        ideas = Idea.objects.filter(project__slug=BIG_PROJECT, visibility=Visibility.VISIBLE)
        count = ideas.count()
        most = (
            Idea.objects.filter(project__slug=BIG_PROJECT, comment_count__gte=DISCUSSED_COMMENTS)
            .order_by("-comment_count")
            .values_list("pk", flat=True)
            .first()
        )
        sample = tuple(ideas.order_by("pk").values_list("pk", flat=True)[::50])
    assert most is not None, "the big city has no idea with 100 comments"
    return BigCity(
        host=host,
        project=BIG_PROJECT,
        ideas=count,
        pages=-(-count // IDEAS_PER_PAGE),
        discussed_idea=most,
        idea_ids=sample,
    )


def big_city_rows() -> dict[str, int]:
    from ratusz.consultations.methods.ideation.models import Comment, Idea, Reaction
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City

    with city_context(City.objects.get(slug=BIG_SLUG)):
        return {
            "ideas": Idea.objects.count(),
            "comments": Comment.objects.count(),
            "reactions": Reaction.objects.count(),
        }


# --- signed-in residents ----------------------------------------------------------------------


@dataclass(frozen=True)
class Resident:
    user_id: int
    session_key: str
    csrf_token: str

    def cookie(self) -> str:
        from django.conf import settings

        return (
            f"{settings.SESSION_COOKIE_NAME}={self.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf_token}"
        )


def signed_in_residents(count: int, *, city_slug: str = BIG_SLUG) -> list[Resident]:
    """Sessions of `count` residents of the city, made with Django's session machinery (what a
    sign-in stores), each with a CSRF secret for its cookie and header."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    from ratusz.accounts.models import Role, User
    from ratusz.tenants.context import city_context
    from ratusz.tenants.models import City

    residents = []
    with city_context(City.objects.get(slug=city_slug)):
        for user in User.objects.filter(role=Role.RESIDENT, is_active=True).order_by("pk")[:count]:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            assert session.session_key is not None
            # Django keeps the unmasked 32-character secret in the cookie and accepts it as the
            # header's token too.
            csrf = get_random_string(32)
            residents.append(Resident(user.pk, session.session_key, csrf))
    if len(residents) < count:
        raise SystemExit(f"the city {city_slug} has only {len(residents)} residents")
    return residents


# --- the server -------------------------------------------------------------------------------


def _lookup(values: dict[str, Any], dotted: str) -> Any:
    node: Any = values
    for part in dotted.removeprefix(".Values.").split("."):
        node = node[part]
    return node


def chart_command(values_override: dict[str, Any] | None = None) -> list[str]:
    """The web container's command and arguments from the Helm chart, rendered with its
    values (the subset of Go templates the web deployment's arguments use: values, `quote`,
    `range` over a list and `if`)."""
    import yaml

    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for dotted, value in (values_override or {}).items():
        parts = dotted.split(".")
        node = values
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    template = (CHART / "templates" / "web-deployment.yaml").read_text()
    container = template.split("- name: web", 1)[1]
    command_text, rest = container.split("args:", 1)
    args_text = rest.split("ports:", 1)[0]
    command = [
        line.strip()[2:].strip()
        for line in command_text.split("command:", 1)[1].splitlines()
        if line.strip().startswith("- ")
    ]

    def render(text: str, item: Any = None) -> str:
        def value_of(match: re.Match[str]) -> str:
            expression = match.group(1).strip()
            name, _, pipe = expression.partition("|")
            name = name.strip()
            value = item if name == "." else _lookup(values, name)
            if pipe.strip() not in ("", "quote"):
                raise ValueError(f"chart template not understood: {match.group(0)}")
            return str(value)

        rendered = re.sub(r"\{\{-?\s*(.*?)\s*-?\}\}", value_of, text)
        return rendered.strip().strip('"')

    args: list[str] = []
    lines = iter(args_text.splitlines())
    for line in lines:
        stripped = line.strip()
        block = re.match(r"\{\{-?\s*(range|if)\s+(\.Values\.[\w.]+)\s*-?\}\}$", stripped)
        if block:
            body = []
            for inner in lines:
                if re.match(r"\{\{-?\s*end\s*-?\}\}$", inner.strip()):
                    break
                body.append(inner.strip())
            value = _lookup(values, block.group(2))
            items = (value or []) if block.group(1) == "range" else ([None] if value else [])
            for item in items:
                args.extend(render(b[2:], item) for b in body if b.startswith("- "))
        elif stripped.startswith("- "):
            args.append(render(stripped[2:]))
        elif stripped and not stripped.startswith("#"):
            raise ValueError(f"chart line not understood: {stripped}")
    return command + args


# The chart's `config` (the pods' environment) minus what belongs to a real installation (its
# domain, S3 bucket, SMTP server, Redis host, folders): those are the benchmark's own.
_MACHINE_SPECIFIC = (
    "BASE_DOMAIN",
    "RATUSZ_DATA_DIR",
    "STATIC_ROOT",
    "REDIS_URL",
    "CELERY_BROKER_URL",
)


def chart_config() -> dict[str, str]:
    """The chart's non-secret environment that applies on this machine (statement timeouts,
    connection pool, load shedding...); files are stored locally instead of in S3."""
    import yaml

    values = yaml.safe_load((CHART / "values.yaml").read_text())
    config = {
        str(key): str(value)
        for key, value in (values.get("config") or {}).items()
        if value not in ("", None)
        and key not in _MACHINE_SPECIFIC
        and not str(key).startswith(("S3_", "EMAIL_", "DEFAULT_FROM_EMAIL"))
    }
    config["RATUSZ_STORAGE"] = "local"
    return config


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


class Server:
    """gunicorn as the chart starts it, with production settings, on 127.0.0.1."""

    def __init__(self, args: argparse.Namespace, *, log_name: str = "server") -> None:
        self.args = args
        self.port = args.port or free_port()
        self.data_dir = Path(tempfile.mkdtemp(prefix="ratusz-bench-server-"))
        self.log_path = self.data_dir / f"{log_name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        overrides: dict[str, Any] = {}
        if args.workers:
            overrides["web.gunicorn.workers"] = args.workers
        if args.threads:
            overrides["web.gunicorn.threads"] = args.threads
        command = chart_command(overrides)
        command = [
            f"--bind=127.0.0.1:{self.port}" if part.startswith("--bind") else part
            for part in command
        ]
        gunicorn = Path(sys.executable).parent / command[0]
        self.command = [str(gunicorn), *command[1:], *args.gunicorn_arg]
        self.environment = self._environment()

    def _environment(self) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("DJANGO_", "RATUSZ_", "DB_", "REDIS", "CELERY", "DEBUG", "REQUEST_", "S3_")
            )
        }
        environment.update(chart_config())
        environment.update(
            {
                "DJANGO_SETTINGS_MODULE": "ratusz.settings.base",
                "RATUSZ_ENV": "production",
                "DEBUG": "0",
                # The seeding process's key (sessions made there are signed with it).
                "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
                "DATABASE_URL": bench.database_url(self.args.server, self.args.database),
                "BASE_DOMAIN": BASE_DOMAIN,
                "RATUSZ_DATA_DIR": str(self.data_dir),
                "STATIC_ROOT": str(self.data_dir / "static"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.args.redis_url:
            environment["REDIS_URL"] = self.args.redis_url
        if self.args.broker_url:
            environment["CELERY_BROKER_URL"] = self.args.broker_url
        else:
            # Tasks are queued (in each worker's memory), not run in the request: production
            # has workers of its own for them.
            environment["CELERY_BROKER_URL"] = "memory://"
        environment["RATUSZ_TASKS_EAGER"] = "0"
        return environment

    def describe(self) -> str:
        shown = [Path(self.command[0]).name, *self.command[1:]]
        return " ".join(shown)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        started = time.perf_counter()
        for url in (self.args.redis_url, self.args.broker_url):
            if url:
                _flush_redis(url)
        subprocess.run(
            [sys.executable, "-m", "ratusz", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.environment,
            check=True,
        )
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; its log:\n{self.log_path.read_text()[-3000:]}")
            try:
                status, _ = self.get("/healthz", host=BASE_DOMAIN, timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            self.stop()
            raise SystemExit("gunicorn did not answer /healthz within 120 s")
        print(
            f"# server: {self.describe()} (production settings, BASE_DOMAIN {BASE_DOMAIN}, "
            f"cache {'Redis' if self.args.redis_url else 'files'}, the chart's config: "
            f"{', '.join(f'{k}={v}' for k, v in sorted(chart_config().items()))}); up in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )

    def get(
        self, path: str, *, host: str, headers: dict[str, str] | None = None, timeout: float = 60
    ) -> tuple[int, bytes]:
        """One request, from this process, as the load tool sends them."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(
                "GET", path, headers={"Host": host, **FORWARDED_HTTPS, **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def warm(self, requests: Sequence[Request], rounds: int = 2) -> None:
        """Send each request a few times first (imports, templates, connections)."""
        for _ in range(rounds):
            for request in requests[:20]:
                if request.method == "GET":
                    self.get(request.path, host=request.host, headers=request.headers)

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (the master's children)."""
        assert self.process is not None
        master = self.process.pid
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == master:
                children.append(int(entry.name))
        return sorted(children)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if self.args.broker_url:
            _flush_redis(self.args.broker_url)
        shutil.rmtree(self.data_dir, ignore_errors=True)


# The chart's ingress terminates TLS and says so; production settings redirect to HTTPS without.
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}


# --- the load tool ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    host: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def line(self) -> str:
        headers = {**FORWARDED_HTTPS, **self.headers}
        text = "\x1f".join(f"{name}: {value}" for name, value in headers.items())
        for part in (self.method, self.host, self.path, text, self.body):
            if "\t" in part or "\n" in part:
                raise ValueError(f"a request field holds a tab or newline: {part!r}")
        return "\t".join((self.method, self.host, self.path, text, self.body))


def signed_in(request: Request, resident: Resident) -> Request:
    return Request(
        host=request.host,
        path=request.path,
        method=request.method,
        headers={**request.headers, "Cookie": resident.cookie()},
        body=request.body,
    )


def reaction(host: str, idea_id: int, kind: int, resident: Resident) -> Request:
    """A signed-in reaction as the page's HTMX button sends it."""
    return Request(
        host=host,
        path=f"/ideas/{idea_id}/react/",
        method="POST",
        headers={
            "Cookie": resident.cookie(),
            "X-CSRFToken": resident.csrf_token,
            "Origin": f"https://{host}",
            "Content-Type": "application/x-www-form-urlencoded",
            "HX-Request": "true",
        },
        body=f"kind={kind}",
    )


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    percentiles_ms: dict[float, float]  # 50 -> p50 in milliseconds
    mean_ms: float
    max_ms: float
    codes: dict[int, int]
    errors: dict[str, int]  # wrk's: connect, read, write, status (>= 400), timeout

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, pct: float) -> float:
        return self.percentiles_ms[pct]

    @property
    def p50_ms(self) -> float:
        return self.p(50)

    @property
    def p95_ms(self) -> float:
        return self.p(95)

    @property
    def p99_ms(self) -> float:
        return self.p(99)

    def unexpected(self, expected: Iterable[int] = (200,)) -> int:
        """Responses with another status, plus connections that failed or timed out."""
        allowed = set(expected)
        wrong = sum(count for code, count in self.codes.items() if code not in allowed)
        broken = sum(count for kind, count in self.errors.items() if kind != "status")
        return wrong + broken

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "mean_ms": round(self.mean_ms, 1),
            "max_ms": round(self.max_ms, 1),
            "codes": {str(code): count for code, count in sorted(self.codes.items())},
            "wrk_errors": self.errors,
        }


def parse_wrk_output(text: str) -> WrkResult:
    """The figures of the script's WRKJSON line (wrk reports latencies in microseconds)."""
    for line in text.splitlines():
        if line.startswith("WRKJSON "):
            data = json.loads(line.removeprefix("WRKJSON "))
            break
    else:
        raise ValueError(f"no WRKJSON line in wrk's output:\n{text[-2000:]}")
    latency = data["latency_us"]
    return WrkResult(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        percentiles_ms={float(p): us / 1000 for p, us in latency["percentiles"].items()},
        mean_ms=latency["mean"] / 1000,
        max_ms=latency["max"] / 1000,
        codes={int(code): int(count) for code, count in data["codes"].items()},
        errors={kind: int(count) for kind, count in data["errors"].items()},
    )


def ensure_wrk() -> str:
    """The path of wrk, installed from Debian's packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("# installing wrk (apt-get install -y wrk)", file=sys.stderr, flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing and could not be installed")
    return found


def run_wrk(
    server: Server,
    requests: Sequence[Request],
    *,
    connections: int,
    duration: float,
    timeout: float = 60,
    threads: int = 2,
) -> WrkResult:
    """wrk against the server: `connections` connections without think time for `duration`
    seconds, each sending the requests in turn. Requests slower than `timeout` count as
    timeouts (the default is above gunicorn's own 30 s)."""
    if not requests:
        raise ValueError("no requests to send")
    wrk = ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".requests", delete=False) as handle:
        handle.write("".join(request.line() + "\n" for request in requests))
        requests_file = handle.name
    try:
        completed = subprocess.run(
            [
                wrk,
                f"-t{max(1, min(threads, connections))}",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                f"--timeout={max(1, round(timeout))}s",
                "-s",
                str(LUA_SCRIPT),
                f"http://127.0.0.1:{server.port}",
                "--",
                requests_file,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(requests_file)
    if completed.returncode != 0:
        raise SystemExit(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
    return parse_wrk_output(completed.stdout)


def repeat(requests: Sequence[Request], times: int) -> Iterator[Request]:
    for _ in range(times):
        yield from requests


# --- a smoke run: python benchmarks/httpbench.py --cities 20 --keep -------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Seed (or reuse) the benchmark database, start the server, check that each "
        "page of the big city answers, and run wrk briefly on one page."
    )
    add_arguments(parser, cities=20, kind="http")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    args = parser.parse_args()
    run = bench.start_run("httpbench")
    seeded = seed(args)
    if args.seed_only or seeded.big is None:
        finish(args)
        return 0
    big = seeded.big
    resident = signed_in_residents(1)[0]
    pages = {
        "control-plane landing": (BASE_DOMAIN, "/"),
        "city home": (big.host, "/"),
        "project page": (big.host, f"/projects/{big.project}/"),
        "idea with 100 comments": (big.host, f"/ideas/{big.discussed_idea}/"),
        "search": (big.host, f"/projects/{big.project}/?q=fountain"),
        "map data": (big.host, f"/projects/{big.project}/map.json"),
    }
    rows = []
    with Server(args) as server:
        for label, (host, path) in pages.items():
            started = time.perf_counter()
            status, body = server.get(path, host=host)
            rows.append(
                {
                    "page": label,
                    "status": status,
                    "bytes": len(body),
                    "first_ms": round((time.perf_counter() - started) * 1000),
                }
            )
        status, _ = server.get(
            f"/ideas/{big.discussed_idea}/", host=big.host, headers={"Cookie": resident.cookie()}
        )
        rows.append({"page": "idea, signed in", "status": status})
        result = run_wrk(
            server,
            [
                reaction(big.host, idea, kind, resident)
                for idea in big.idea_ids[:10]
                for kind in (1, -1)
            ],
            connections=2,
            duration=5,
        )
        rows.append({"page": "reactions (wrk, 2 connections, 5 s)", **result.as_dict()})
    print(
        bench.table(
            ["page", "status", "bytes", "first ms"],
            [
                [
                    str(row["page"]),
                    str(row.get("status", row.get("codes"))),
                    str(row.get("bytes", "")),
                    str(row.get("first_ms", row.get("p50_ms", ""))),
                ]
                for row in rows
            ],
        )
    )
    finish(args)
    bench.write_results(
        run, conditions={"cities": seeded.cities, **seeded.rows}, rows=rows, name="httpbench"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
