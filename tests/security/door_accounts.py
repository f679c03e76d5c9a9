"""Accounts for the doors' tests: with a real authenticator app, and codes from it."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from ratusz.accounts.models import Role, User
from ratusz.accounts.services import set_staff_two_factor_required
from ratusz.tenants.context import city_context
from ratusz.tenants.db import connection

PASSWORD = "correct horse battery"
SECRET = "JBSWY3DPEHPK3PXP"  # base32, as allauth stores it


def totp_code(secret: str = SECRET, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: that many 30-second steps away)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def give_authenticator(user: User) -> None:
    """Set up an authenticator app for `user` the way allauth does (in the user's schema)."""
    TOTP.activate(user, SECRET)


@pytest.fixture
def operator_with_totp(operator) -> User:
    connection.set_schema_to_public()
    give_authenticator(operator)
    return operator


@pytest.fixture
def two_factor_city(city):
    """`city`, requiring two factors of its staff."""
    with city_context(city.ref):
        set_staff_two_factor_required(required=True)
    return city


@pytest.fixture
def admin_with_totp(two_factor_city, city_admin) -> User:
    with city_context(two_factor_city.ref):
        give_authenticator(city_admin)
    return city_admin


@pytest.fixture
def partner_with_totp(db) -> User:
    connection.set_schema_to_public()
    user = User.objects.create_user("partner-2fa@example.com", PASSWORD, role=Role.PARTNER)
    give_authenticator(user)
    return user


def signed_in_as(client: Client, schema_city=None) -> int | None:
    """The id of the account this client's session is signed in as (None: nobody)."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return None
    if schema_city is not None:
        with city_context(schema_city.ref):
            value = SessionStore(session_key=cookie.value).get(SESSION_KEY)
    else:
        connection.set_schema_to_public()
        value = SessionStore(session_key=cookie.value).get(SESSION_KEY)
    return int(value) if value is not None else None
