"""The isolation matrix: nothing of one city is reachable from another.

City B is rich (ratusz.tests.security.isolation_world); city A has only its people. For every
URL of a city that takes an object's id or slug (walked from `ratusz.urls_city`, so a new URL
joins by itself) and every role of A (anonymous, resident, project manager, administrator),
each object of B is tried on A's host, by GET and POST, after B's own pages were visited (so
B's cache entries exist): the answer is "not found", a refusal, or the way to sign in; never a
page with B's data, never a server error; and no text, slug or e-mail address of B appears.
"""

from __future__ import annotations

import logging
import posixpath
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from celery import Task as CeleryTask
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import router, transaction
from django.db.models import FileField
from django.test import Client
from django.urls import reverse

from ratusz.accounts.models import User
from ratusz.celery import app as celery_app
from ratusz.consultations.campaigns.models import CampaignOptOut
from ratusz.consultations.core.models import Phase
from ratusz.consultations.core.services import update_welcome
from ratusz.consultations.methods.voting import services as voting
from ratusz.consultations.participation.notifications.models import NotificationPreference
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection
from ratusz.tenants.queue import CITY_HEADER, CityAwareTask, city_headers, enqueue_on_commit
from ratusz.tenants.services import provision_city, purge_city
from ratusz.tenants.storage import city_folder
from tests.conftest import _as_fixture
from tests.security.isolation_params import (
    Record,
    Route,
    catalogue,
    city_routes,
    family_of,
    fillings,
    shared_fillings,
)
from tests.security.isolation_tokens import MAKERS, made_up, takes_secret
from tests.security.isolation_world import B_ID_START, PASSWORD, ROLES, World, rich_world

logger = logging.getLogger(__name__)
ROUTES = city_routes()
# URLs whose parameters are all secrets are the token checks' (below).
OBJECT_ROUTES = [
    r
    for r in ROUTES
    if (r.params and not set(r.params) <= {"token", "key", "uidb36"}) or shared_fillings(r)
]


@dataclass
class Matrix:
    a: World
    b: World
    objects: dict[str, list[Record]]
    own: dict[str, list[Record]]  # A's own objects, by family
    cases: int = 0


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> Iterator[Matrix]:
    started = time.monotonic()
    with django_db_blocker.unblock():
        made_a = provision_city(
            name="Isolanda", slug="isolanda", admin_email="a@isolanda.example", status="active"
        )
        made_b = provision_city(
            name="Qbvxo Town",
            slug="qbvxo",
            admin_email="qbvxo-first@example.com",
            languages=["pl", "en"],
            status="active",
        )
        try:
            a = rich_world(
                _as_fixture(made_a), marker="Alfmark", slug_marker="alfslug", start_ids=None
            )
            b = rich_world(
                _as_fixture(made_b), marker="Qbvxmark", slug_marker="qbvxslug", start_ids=B_ID_START
            )
            with city_context(b.city.ref):
                objects = catalogue(
                    min_id=B_ID_START, slug_marker=b.slug_marker, city_id=b.city.model.pk
                )
            with city_context(a.city.ref):
                own = catalogue(min_id=1, slug_marker=a.slug_marker, city_id=a.city.model.pk)
            for world in (a, b):  # sessions made once (committed) serve every test's probes
                for role in ROLES[1:]:
                    world.sessions[role] = (
                        _fresh_client(world, role).cookies[settings.SESSION_COOKIE_NAME].value
                    )
            logger.info("isolation matrix: cities built in %.1fs", time.monotonic() - started)
            made = Matrix(a=a, b=b, objects=objects, own=own)
            yield made
        finally:
            purge_city(city=made_a.city, remove_files=True)
            purge_city(city=made_b.city, remove_files=True)
    logger.info(
        "isolation matrix: %d probes (URL x role x object x method), %.1fs in all",
        made.cases,
        time.monotonic() - started,
    )


def _client(world: World, role: str) -> Client:
    """A browser of `role` in `world`: signed in with the module's session of that role."""
    if role not in world.sessions:
        return _fresh_client(world, role)
    client = Client(HTTP_HOST=world.city.host, raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _fresh_client(world: World, role: str) -> Client:
    client = Client(HTTP_HOST=world.city.host, raise_request_exception=False)
    user = world.user(role)
    if user is not None:
        with city_context(world.city.ref):
            client.force_login(user)
    return client


def _leaks(body: str, url: str, b: World, objects: dict[str, list[Record]]) -> list[str]:
    """B's markers, names, hosts and addresses found in a page of A (the requested path
    itself, which holds B's slug, is taken out first: pages may repeat it in a link)."""
    body = body.replace(url, "")
    found = [secret for secret in b.secrets if secret and secret in body]
    if b.slug_marker in body:
        found.append(b.slug_marker)
    return found


def _judge(response: Any, url: str, b: World, objects: dict[str, list[Record]]) -> str:
    status = response.status_code
    body = response.content.decode(errors="replace") if not response.streaming else ""
    said = " ".join(str(m) for m in _messages(response))
    leaks = _leaks(f"{body} {said}", url, b, objects)
    if leaks:
        return f"{status}, shows B's {sorted(leaks)}"
    if status >= 500:
        return f"{status}"
    if status in (403, 404, 405):
        return ""
    if status in (301, 302, 303):
        target = response.headers.get("Location", "")
        if target.startswith(reverse("account_login", urlconf=settings.CITY_URLCONF)):
            return ""
        # A form that posts back to the page it came from refuses with a message.
        if any(m.level >= messages.WARNING for m in _messages(response)):
            return ""
        return f"{status} -> {target}"
    return f"{status}"


def _messages(response: Any) -> list[Any]:
    """The messages the request queued for the next page (a redirect's reason)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return list(getattr(storage, "_queued_messages", []))


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_an_object_of_b_is_not_found_in_a(route: Route, matrix: Matrix, db) -> None:
    for param in route.params:
        family_of(route, param)  # fails for a parameter nobody taught the matrix
    candidates = fillings(route, matrix.objects)
    shared = shared_fillings(route)
    assert candidates or shared, f"{route.name}: city B holds no such object; build one"
    a, b = matrix.a, matrix.b
    problems: list[str] = []
    if candidates:
        # B's administrator reaches B's objects (so the values are the right ones), and the
        # visits leave whatever B caches.
        b_admin = _client(b, "administrator")
        reached = [b_admin.get(route.url(kwargs)).status_code for kwargs in candidates]
        assert any(code != 404 for code in reached), (
            f"{route.name}: B's administrator finds none of {candidates} in B: fill it better"
        )
    for role in ROLES:
        client = _client(a, role)
        for kwargs in candidates + shared:
            url = route.url(kwargs)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                matrix.cases += 1
                verdict = _judge(response, url, b, matrix.objects)
                if kwargs in shared and response.status_code < 500 and "shows" not in verdict:
                    continue  # A's own page for a key every city has
                if verdict:
                    problems.append(f"{role} {method.upper()} {url}: {verdict}")
    assert not problems, "\n".join(problems)


# Pages for the city's staff: a resident or a visitor is refused there, whatever the object.
STAFF_ONLY = re.compile(
    r"^(backoffice|billing):|^moderation:(hide|restore|dismiss|approve|reject|lift)$"
)


@pytest.mark.parametrize(
    "route", [r for r in OBJECT_ROUTES if STAFF_ONLY.search(r.name)], ids=lambda r: r.name
)
def test_a_staff_page_of_a_s_own_object_refuses_residents_and_visitors(
    route: Route, matrix: Matrix, db
) -> None:
    """The other side of the matrix: A's own objects on its staff pages, for A's people who
    are not staff: the way to sign in or a refusal, never the page (and never a server error)."""
    candidates = fillings(route, matrix.own)[:1] or shared_fillings(route)[:1]
    assert candidates, f"{route.name}: city A holds no such object; build one"
    login = reverse("account_login", urlconf=settings.CITY_URLCONF)
    problems = []
    for role in ("anonymous", "resident"):
        client = _client(matrix.a, role)
        url = route.url(candidates[0])
        for method in METHODS:
            response = getattr(client, method)(url)
            matrix.cases += 1
            status, target = _answer(response)
            refused = status in (403, 404, 405) or (
                status == 302 and target.startswith(login) and role == "anonymous"
            )
            if not refused:
                problems.append(f"{role} {method.upper()} {url}: {status} {target}")
    assert not problems, "\n".join(problems)


# --- Secrets in links: useless in another city ----------------------------------------------

SECRET_ROUTES = [r for r in ROUTES if takes_secret(r)]
METHODS = ("get", "post")


def _twin(world: World, user: User) -> User:
    """An account of `world` with the same id as `user` of the other city."""
    with city_context(world.city.ref):
        return User.objects.create_user(
            f"twin-{world.marker.lower()}-{user.pk}@example.com", PASSWORD, id=user.pk
        )


def _account_state(world: World, user: User) -> tuple[Any, ...]:
    """What a link could change about an account: its row, addresses, e-mail choices."""
    with city_context(world.city.ref):
        row = User.objects.filter(pk=user.pk).values().get()
        addresses = list(EmailAddress.objects.filter(user=user).values("email", "verified"))
        preferences = list(NotificationPreference.objects.filter(user=user).values())
        opted_out = CampaignOptOut.objects.filter(user=user).exists()
    return row, addresses, preferences, opted_out


def _signed_in(world: World, client: Client) -> Any:
    with city_context(world.city.ref):
        return client.session.get("_auth_user_id")


def _answer(response: Any) -> tuple[int, str]:
    return response.status_code, response.headers.get("Location", "")


def test_every_link_with_a_secret_has_a_maker() -> None:
    unknown = sorted(r.name for r in SECRET_ROUTES if r.name not in MAKERS)
    assert not unknown, f"teach isolation_tokens.MAKERS how to issue a secret for: {unknown}"
    assert set(MAKERS) <= {r.name for r in SECRET_ROUTES}, "a maker for a URL that is gone"


@pytest.mark.parametrize("route", SECRET_ROUTES, ids=lambda r: r.name)
def test_a_secret_link_of_a_is_useless_in_b(route: Route, matrix: Matrix, db) -> None:
    a, b = matrix.a, matrix.b
    victim = a.people.residents[2]
    twin = _twin(b, victim)
    with city_context(a.city.ref):
        real = MAKERS[route.name](a.city, victim)
    fake = made_up(real)
    # In B, A's secret answers exactly as a secret nobody issued, and opens nothing.
    made = {m: _answer(getattr(_client(b, "anonymous"), m)(route.url(fake))) for m in METHODS}
    before = _account_state(b, twin)  # after the made-up secret (which may touch it too)
    for method in METHODS:
        probe = _client(b, "anonymous")
        used = getattr(probe, method)(route.url(real))
        assert _answer(used) == made[method], f"{method.upper()}: B tells A's secret apart"
        assert _signed_in(b, probe) is None
        assert not _leaks(used.content.decode(errors="replace"), route.url(real), a, {})
    assert _account_state(b, twin) == before
    # In A, the same secret works (so the check above tried a live one).
    answers = {
        method: (
            _answer(getattr(_client(a, "anonymous"), method)(route.url(real))),
            _answer(getattr(_client(a, "anonymous"), method)(route.url(fake))),
        )
        for method in METHODS
    }
    assert any(real != fake for real, fake in answers.values()), (
        f"A's own secret answers as a made-up one: {answers}"
    )


def test_a_session_of_a_is_anonymous_in_b(matrix: Matrix, db) -> None:
    a, b = matrix.a, matrix.b
    for role in ROLES[1:]:
        signed_in = _client(a, role)
        assert signed_in.get("/accounts/").status_code == 200  # the session works in A
        session = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        user = a.user(role)
        assert user is not None
        _twin(b, user)
        stranger = Client(HTTP_HOST=b.city.host)
        stranger.cookies[settings.SESSION_COOKIE_NAME] = session
        for path in ("/accounts/", "/admin/", "/notifications/"):
            response = stranger.get(path)
            assert response.status_code == 302, (role, path)
            assert response["Location"].startswith(
                reverse("account_login", urlconf=settings.CITY_URLCONF)
            )
        assert _signed_in(b, stranger) is None


def test_voting_codes_and_census_of_a_do_not_verify_anyone_in_b(matrix: Matrix, db) -> None:
    a, b = matrix.a, matrix.b
    with city_context(b.city.ref):
        phase = Phase.objects.get(pk=b.voting_phase_id)
        voter, checker = (
            User.objects.create_user(f"{name}-b@example.com", PASSWORD) for name in ("v", "c")
        )
        for person in (voter, checker):  # confirmed, so only the code or identifier decides
            EmailAddress.objects.create(user=person, email=person.email, verified=True)
        for code in a.voting_codes:
            with pytest.raises(voting.Refused):
                voting.redeem_code(user=voter, phase=phase, code=code, ip="192.0.2.1")
        with pytest.raises(voting.Refused):
            voting.verify_with_census(user=checker, identifier=a.census, ip="192.0.2.1")
        for person in (voter, checker):
            person.refresh_from_db()
            assert person.verified_at is None
        # B's own code and identifier work: the refusals above are about the city.
        voting.redeem_code(user=voter, phase=phase, code=b.voting_codes[0], ip="192.0.2.1")
        voting.verify_with_census(user=checker, identifier=b.census, ip="192.0.2.1")
        for person in (voter, checker):
            person.refresh_from_db()
            assert person.verified_at is not None


# --- Files, cache entries and tasks of a city stay in it ------------------------------------


def _stored_files(world: World) -> list[str]:
    """Every file name stored by any model of the city (each file field of each model)."""
    names = []
    with city_context(world.city.ref):
        for model in apps.get_models():
            if not router.allow_migrate_model(connection.alias, model):
                continue
            for model_field in model._meta.get_fields():
                if isinstance(model_field, FileField):
                    names += [
                        n
                        for n in model._default_manager.exclude(
                            **{model_field.name: ""}
                        ).values_list(model_field.name, flat=True)
                        if n
                    ]
    return names


def test_files_of_a_cannot_be_read_in_b(matrix: Matrix, db) -> None:
    a, b = matrix.a, matrix.b
    names = _stored_files(a)
    # Idea photos, survey answers' uploads, exports: the world stores each kind.
    assert len(names) >= 3, names
    with city_context(a.city.ref):
        assert all(default_storage.exists(name) for name in names)
        folder = city_folder()
    with city_context(b.city.ref):
        for name in names:
            assert not default_storage.exists(name), name
            assert default_storage.url(name).startswith(f"{settings.MEDIA_URL}{city_folder()}/")
            relative = posixpath.relpath(f"{folder}/{name}", city_folder())
            for trick in (relative, f"../{a.city.schema}/{name}", f"/{folder}/{name}"):
                with pytest.raises((SuspiciousFileOperation, FileNotFoundError, ValueError)):
                    default_storage.open(trick).read()


def test_cache_entries_are_the_city_s_own(matrix: Matrix, db) -> None:
    """What B's pages cache lands under B's schema (or in the control plane's routing cache,
    which holds no city content); a key written for A is not readable in B."""
    a, b = matrix.a, matrix.b
    client = caches["default"]._cache.get_client()  # type: ignore[attr-defined]  # RedisCache
    caches["default"].clear()
    for role in ROLES:
        visitor = _client(b, role)
        for path in ("/", f"/projects/{b.slug_marker}-ideas/", "/admin/", "/events/"):
            visitor.get(path)
    keys = [key.decode() for key in client.keys("*")]
    assert keys, "B's pages cached nothing: the check would prove nothing"
    control_prefix = f"{caches['control'].key_prefix}:"
    strays = [
        k
        for k in keys
        if not k.startswith(control_prefix)
        and f":{b.city.schema}:" not in f":{k}"
        and not k.split(":", 1)[-1].startswith(f"{b.city.schema}:")
    ]
    assert not strays, f"cached outside B's keys: {strays}"
    for key in keys:
        if key.startswith(control_prefix):
            assert b.marker.encode() not in (client.get(key) or b""), key
    with city_context(a.city.ref):
        caches["default"].set("isolation-probe", a.marker)
        assert caches["default"].get("isolation-probe") == a.marker
    with city_context(b.city.ref):
        assert caches["default"].get("isolation-probe") is None


@celery_app.task(name="tests.isolation.schema_of")
def schema_of() -> str:
    return str(connection.schema_name)


def test_every_task_runs_in_the_city_that_queued_it(matrix: Matrix, db, monkeypatch) -> None:
    ours = [t for name, t in celery_app.tasks.items() if not name.startswith("celery.")]
    assert ours
    assert all(isinstance(task, CityAwareTask) for task in ours), [
        name for name, t in celery_app.tasks.items() if not isinstance(t, CityAwareTask)
    ]
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    a, b = matrix.a, matrix.b
    with city_context(a.city.ref):
        assert schema_of.delay().result == a.city.schema
    # A message queued for A runs in A, whichever city the worker served last.
    with city_context(b.city.ref):
        result = schema_of.apply(headers={CITY_HEADER: a.city.schema})
        assert result.result == a.city.schema
        assert connection.schema_name == b.city.schema


def test_secrets_of_a_removed_city_are_useless_in_a_new_city_at_its_address(make_city) -> None:
    """A city's schema is named after its subdomain, and a removed city's subdomain is free
    again: a new city there gets the same schema name and counts its accounts from 1 again.
    Links e-mailed by the removed city must not work for the new city's accounts."""
    old = make_city(slug="recycled")
    with city_context(old.ref):
        person = User.objects.create_user("old-resident@example.com", PASSWORD)
        issued = {name: make(old, person) for name, make in MAKERS.items()}
    purge_city(city=old.model, remove_files=True)
    new = make_city(slug="recycled")
    assert new.schema == old.schema
    with city_context(new.ref):
        stranger = User.objects.create_user("new-resident@example.com", PASSWORD, id=person.pk)
    world = World(city=new, marker="", slug_marker="", people=None)  # type: ignore[arg-type]  # only the host and schema are used
    routes = {route.name: route for route in SECRET_ROUTES}

    def answer_to(url: str, method: str) -> Any:
        # Each probe starts with the attempt limits untouched: the made-up links count as
        # failures, and a limit reached by them would make every later answer a 429.
        caches["default"].clear()
        return getattr(_client(world, "anonymous"), method)(url)

    made = {
        (name, method): _answer(answer_to(routes[name].url(made_up(kwargs)), method))
        for name, kwargs in issued.items()
        for method in METHODS
    }
    before = _account_state(world, stranger)  # after the made-up links (which may touch it)
    for name, kwargs in issued.items():
        for method in METHODS:
            caches["default"].clear()
            probe = _client(world, "anonymous")
            used = getattr(probe, method)(routes[name].url(kwargs))
            assert _answer(used) == made[name, method], f"{name} {method.upper()}: still works"
            assert _signed_in(world, probe) is None
            assert "new-resident" not in used.content.decode(errors="replace"), name
    assert _account_state(world, stranger) == before


def test_a_new_city_at_a_removed_city_s_address_shows_nothing_it_cached(make_city) -> None:
    """What a removed city cached (its look, welcome text and links, its switches, counters)
    goes with it: a new city at its address (the same schema name) starts with none of it."""
    old = make_city(slug="recached")
    with city_context(old.ref):
        update_welcome(title={"pl": "Zniknęłomiasto"}, text={"pl": "<p>Zniknęłomiasto</p>"})
    visitor = Client(HTTP_HOST=old.host)
    assert "Zniknęłomiasto" in visitor.get("/").content.decode()
    redis = caches["default"]._cache.get_client()  # type: ignore[attr-defined]  # RedisCache
    pattern = f"{old.schema}:{caches['default'].key_prefix}:*"
    assert list(redis.scan_iter(match=pattern)), "the page cached nothing: the check is empty"
    purge_city(city=old.model, remove_files=True)
    assert not list(redis.scan_iter(match=pattern))
    new = make_city(slug="recached")
    assert new.schema == old.schema
    assert "Zniknęłomiasto" not in Client(HTTP_HOST=new.host).get("/").content.decode()


def test_a_task_of_a_removed_city_does_not_run_in_a_new_city_at_its_address(
    make_city, monkeypatch
) -> None:
    """A message queued by a city that is then removed (a retry, a late digest) is dropped,
    even once a new city at its address has the same schema name."""
    queued: list[dict[str, Any]] = []

    def keep(self: Any, args: Any = None, kwargs: Any = None, *rest: Any, **options: Any) -> None:
        queued.append(options["headers"])  # what the broker would carry

    old = make_city(slug="requeued")
    monkeypatch.setattr(CeleryTask, "apply_async", keep)
    with city_context(old.ref):
        schema_of.delay()
        with transaction.atomic():
            enqueue_on_commit(schema_of)
    monkeypatch.undo()
    assert len(queued) == 2
    purge_city(city=old.model, remove_files=True)
    new = make_city(slug="requeued")
    assert new.schema == old.schema
    for headers in queued:
        assert schema_of.apply(headers=headers).result is None, headers
    with city_context(new.ref):
        assert schema_of.apply(headers=city_headers()).result == new.schema
