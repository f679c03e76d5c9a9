"""Provisioning stopped after any of its steps leaves no half city, and a retry succeeds.

The steps are taken from the code and the registry (every city initializer the city plane
registered), so a new step is covered without anyone remembering. Each step really runs and
the process then "dies" (an exception no `except Exception` catches, as a kill would); a real
SIGKILL in the middle of provisioning is tried too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from django.db import connection as default_connection
from django.test import Client

from ratusz.tenants.models import City, Domain
from ratusz.tenants.services import provision_city
from ratusz.tenants.services import provisioning as services
from tests.faults.conftest import ROOT


class Killed(BaseException):
    """The process stopped here (not an Exception: nothing may handle it)."""


def _after(original: Callable[..., Any]) -> Callable[..., Any]:
    def step(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise Killed(getattr(original, "__qualname__", repr(original)))

    return step


def provisioning_steps(monkeypatch) -> Iterator[tuple[str, Callable[[], AbstractContextManager]]]:
    """(name, context manager that kills provisioning right after that step)."""

    def patching(target: Any, attribute: str) -> Callable[[], AbstractContextManager]:
        @contextmanager
        def patch() -> Iterator[None]:
            with monkeypatch.context() as m:
                m.setattr(target, attribute, _after(getattr(target, attribute)))
                yield

        return patch

    yield "the city's registry row", patching(City, "save")
    yield "its domain", patching(Domain.objects, "create")
    yield "its schema", patching(services, "create_schema_from_blueprint")
    initializers = services.city_initializers()
    assert initializers, "the city plane registers its set-up steps"
    for index, initializer in enumerate(initializers):

        @contextmanager
        def patch(index: int = index) -> Iterator[None]:
            with monkeypatch.context() as m:
                steps = list(initializers)
                steps[index] = _after(steps[index])
                m.setattr(services, "city_initializers", lambda: tuple(steps))
                yield

        yield f"set-up step {initializer.__module__}.{initializer.__qualname__}", patch
    yield "the administrator's invitation", patching(services, "create_invitation")


def schema_exists(schema: str) -> bool:
    with default_connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        return cursor.fetchone() is not None


def assert_no_trace_of(slug: str, step: str = "") -> None:
    assert not City.objects.filter(slug=slug).exists(), step
    assert not Domain.objects.filter(domain__startswith=f"{slug}.").exists(), step
    assert not schema_exists(slug.replace("-", "_")), step


SLUG = "kutno-fault"


def provision_kutno() -> services.ProvisionedCity:
    return provision_city(
        name="Kutno",
        slug=SLUG,
        admin_email="prezydent@kutno.example",
        languages=["pl", "en"],
        status="active",
    )


def test_provisioning_killed_after_each_step_leaves_no_half_city_and_a_retry_succeeds(
    live_db, monkeypatch
):
    tried = []
    for name, kill_after in provisioning_steps(monkeypatch):
        with kill_after(), pytest.raises(Killed):
            provision_kutno()
        assert_no_trace_of(SLUG, name)
        tried.append(name)
    assert len(tried) >= 5
    made = provision_kutno()
    live_db.append(made.city)
    assert Client(HTTP_HOST=made.ref.primary_domain).get("/").status_code == 200


KILL_SCRIPT = """
import os, signal, django
django.setup()
from ratusz.tenants.services import provisioning as services
from ratusz.tenants.blueprint import create_schema_from_blueprint

def create_and_die(*args, **kwargs):
    create_schema_from_blueprint(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

services.create_schema_from_blueprint = create_and_die
services.provision_city(name="Kutno", slug="kutno-fault", admin_email="prezydent@kutno.example")
"""


def test_a_process_killed_in_the_middle_of_provisioning_leaves_no_half_city(live_db):
    params = default_connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ratusz.settings.test",
        "DATABASE_URL": (
            f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
        ),
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert_no_trace_of(SLUG)
    made = provision_kutno()
    live_db.append(made.city)
    assert schema_exists(made.ref.schema_name)
