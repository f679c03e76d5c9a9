"""Helpers for the account tests: e-mails sent for real (tasks eager, after the commit the
test simulates), sign-up and sign-in through the pages a person uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ratusz.accounts.models import User
from ratusz.celery import app
from ratusz.tenants.context import city_context

PASSWORD = "Zielone-jablko-2024"
CONFIRM_LINK = re.compile(r"https?://([^/\s]+)/accounts/confirm-email/([-:\w]+)/")
RESET_LINK = re.compile(r"https?://([^/\s]+)(/accounts/password/reset/key/[^\s]+/)")


@pytest.fixture
def outbox(monkeypatch, mailoutbox) -> list[mail.EmailMessage]:
    """The e-mails sent: tasks run eagerly in this test (queued on commit, see `committed`)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    return mailoutbox


def confirm_link(body: str) -> tuple[str, str]:
    """(host, key) of the confirmation link in an e-mail."""
    match = CONFIRM_LINK.search(body)
    assert match is not None, body
    return match.group(1), match.group(2)


def reset_link(body: str) -> tuple[str, str]:
    """(host, path) of the password reset link in an e-mail."""
    match = RESET_LINK.search(body)
    assert match is not None, body
    return match.group(1), match.group(2)


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Ola Kowalska",
        "email": "ola@example.com",
        "password1": PASSWORD,
        "accept_policies": "on",
        "terms_version": "1",
        "privacy_version": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def sign_up(committed) -> Callable[..., Any]:
    """POST the sign-up form through `client`, running what the commit would run."""

    def post(client: Client, **overrides: str) -> Any:
        with committed():
            return client.post("/accounts/signup/", signup_data(**overrides))

    return post


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password})


def account(city: Any, email: str) -> User | None:
    with city_context(city.ref):
        return User.objects.filter(email__iexact=email).first()


@pytest.fixture
def resident_with_consent(city) -> User:
    """A resident who signed up (consent to the current versions recorded), e-mail confirmed."""
    from allauth.account.models import EmailAddress

    from ratusz.accounts.services import complete_signup

    with city_context(city.ref):
        user = User(email="anna@example.com")
        user.set_password(PASSWORD)
        complete_signup(
            user=user, full_name="Anna Nowak", language="pl", terms_version=1, privacy_version=1
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def force_login(city: Any, client: Client, user: User) -> None:
    """Sign `user` in without the sign-in page (the session lives in the city's schema)."""
    with city_context(city.ref):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
