"""Shared fixtures. Two cities are provisioned once per test session (through the production
`provision_city` service) and every test runs in a transaction that is rolled back, so tests
see clean cities without rebuilding them. Tests that need committed data (workers, live
servers, concurrency) use `live_db` and make their own cities, removed afterwards."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from ratusz.accounts.models import Role, User
from ratusz.accounts.services import accept_invitation, create_invitation
from ratusz.tenants.context import CityRef, city_context
from ratusz.tenants.db import connection
from ratusz.tenants.models import City
from ratusz.tenants.services import ProvisionedCity, provision_city, purge_city


@dataclass(frozen=True)
class CityUnderTest:
    model: City
    ref: CityRef
    host: str
    invitation_url: str

    @property
    def schema(self) -> str:
        return self.ref.schema_name

    def client(self, **defaults: Any) -> Client:
        return Client(HTTP_HOST=self.host, **defaults)


def _as_fixture(made: ProvisionedCity) -> CityUnderTest:
    return CityUnderTest(
        model=made.city,
        ref=made.ref,
        host=made.ref.primary_domain,
        invitation_url=made.invitation_url,
    )


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb):
    """Always create the test database, also for a run whose tests only use `live_db`
    (pytest-django would otherwise leave the connection on the development database)."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            keepdb=django_db_keepdb,
            aliases={"default"},  # type: ignore[arg-type]  # the stubs say Mapping; Django iterates
        )
    assert connection.settings_dict["NAME"].startswith("test_")
    with django_db_blocker.unblock():
        _commit_without_waiting_for_the_disk()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            # Threads of live servers (and forked migration workers) may still hold
            # connections to the test database; end them so it can be dropped.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            teardown_databases(config, verbosity=verbosity)


def _commit_without_waiting_for_the_disk() -> None:
    """Commits to the test database return before their WAL reaches the disk: a throw-away
    database needs no durability, and each commit otherwise waits for an fsync (~6 ms on the
    test machines, against ~0.2 ms), which committed tests (provisioning, live servers, workers)
    pay hundreds of times. Set on the database, so every session on it has it: this process's,
    and those of the servers and workers the tests start. A crash would lose at most the last
    commits, never consistency; nothing else on the server changes."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
            "SET synchronous_commit = off"
        )
    connection.close()  # sessions opened from now on start with it


@pytest.fixture(scope="session")
def _session_cities(django_db_setup, django_db_blocker) -> dict[str, CityUnderTest]:
    with django_db_blocker.unblock():
        cities = {
            "city": _as_fixture(
                provision_city(
                    name="Gdańsk",
                    slug="gdansk-test",
                    admin_email="admin@gdansk.example",
                    default_language="pl",
                    languages=["pl", "en"],
                    status="active",
                )
            ),
            "other_city": _as_fixture(
                provision_city(
                    name="Springfield",
                    slug="springfield-test",
                    admin_email="admin@springfield.example",
                    country="US",
                    default_language="en",
                    languages=["en"],
                    time_zone="America/Chicago",
                    status="active",
                )
            ),
        }
    return cities


@pytest.fixture
def city(_session_cities, db) -> CityUnderTest:
    """Gdańsk: Polish by default, also in English."""
    return _session_cities["city"]


@pytest.fixture
def other_city(_session_cities, db) -> CityUnderTest:
    """Springfield: English only."""
    return _session_cities["other_city"]


@pytest.fixture(autouse=True)
def _clean_slate() -> Iterator[None]:
    """No test may leave the connection pointing at a city, or cache entries (which outlive
    the rolled-back transaction) for the next test."""
    yield
    connection.set_schema_to_public()
    for alias in ("default", "control"):
        caches[alias].clear()


@pytest.fixture
def resident(city: CityUnderTest) -> User:
    with city_context(city.ref):
        return User.objects.create_user(
            "mieszkanka@example.com", "correct horse battery", full_name="Anna Nowak"
        )


@pytest.fixture
def city_admin(city: CityUnderTest) -> User:
    """An administrator of `city`, made the way production makes one: through an invitation."""
    with city_context(city.ref):
        issued = create_invitation(
            email="urzednik@gdansk.example", role=Role.ADMINISTRATOR, full_name="Jan Kowalski"
        )
        return accept_invitation(
            token=issued.token, full_name="Jan Kowalski", password="correct horse battery"
        )


@pytest.fixture
def operator(db) -> User:
    """An operator account in the public schema."""
    connection.set_schema_to_public()
    return User.objects.create_user(
        "operator@ratusz.example",
        "correct horse battery",
        role=Role.OPERATOR,
        is_staff=True,
    )


def force_login_with_second_factor(client: Client, user: User) -> None:
    """Sign `user` in as if they had entered their password and a code from their
    authenticator app: the console (and a back office that requires two factors) checks that
    this session's sign-in used the second factor, which `force_login` alone does not record.
    Call it inside the user's city context for a city account."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    authenticator = Authenticator.objects.filter(user=user, type="totp").first()
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {
            "method": "mfa",
            "at": time.time(),
            "type": "totp",
            "id": getattr(authenticator, "pk", None),
        },
    ]
    # The user the records belong to (allauth ignores records of another user).
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def control_client() -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture
def live_db(django_db_setup, django_db_blocker) -> Iterator[list[City]]:
    """Committed database access. Cities a test provisions are purged afterwards; append any
    you make to the yielded list, or make them with `make_city` below."""
    made: list[City] = []
    assert connection.settings_dict["NAME"].startswith("test_"), "not on the test database"
    with django_db_blocker.unblock():
        before = set(City.objects.values_list("pk", flat=True))
        users_before = set(User.objects.values_list("pk", flat=True))
        yield made
        connection.set_schema_to_public()
        for city in City.objects.exclude(pk__in=before):
            purge_city(city=city)
        _delete_public_accounts(set(User.objects.values_list("pk", flat=True)) - users_before)


def _delete_public_accounts(ids: set[int]) -> None:
    """Remove control-plane accounts a test made, with the public rows that point at them.

    Not through the ORM: its cascade also walks relations of city-plane apps (group
    memberships...), whose tables exist only in city schemas."""
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'f' AND c.confrelid = 'public.accounts_user'::regclass
              AND c.conrelid <> 'public.accounts_user'::regclass
            """
        )
        for table, column in cursor.fetchall():  # names from the catalogue, not from input
            cursor.execute(f'DELETE FROM {table} WHERE "{column}" = ANY(%s)', [sorted(ids)])
        cursor.execute("DELETE FROM public.accounts_user WHERE id = ANY(%s)", [sorted(ids)])


_counter = iter(range(1, 1_000_000))


@pytest.fixture
def make_city(live_db):
    """Provision a throwaway city with committed data (purged after the test)."""

    def make(**overrides: object) -> CityUnderTest:
        number = next(_counter)
        options: dict[str, object] = {
            "name": f"Miasto {number}",
            "slug": f"miasto-{number}",
            "admin_email": f"admin{number}@example.com",
            "languages": ["pl", "en"],
            "status": "active",
        }
        options.update(overrides)
        made = provision_city(**options)  # type: ignore[arg-type]
        live_db.append(made.city)
        return _as_fixture(made)

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block schedules with on_commit, as a real commit
    would (tests run inside a transaction that is rolled back)."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def eager_tasks(monkeypatch) -> None:
    """Celery tasks run in-process. Celery reads its configuration once, so this sets the
    app's own setting (changing Django's CELERY_* settings in a test would not reach it)."""
    from ratusz.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


CHROMIUM = "/usr/bin/chromium"


# One Chromium for the whole run, here so that every folder with browser tests shares it:
# Playwright's sync API cannot start a second instance in the same thread.
@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; our Django calls from the test
    # body are ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
