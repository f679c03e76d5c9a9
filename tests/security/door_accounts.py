"""Accounts for the doors' tests: with a real authenticator app, and codes from it."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import Client

from ratusz.accounts.models import User
from ratusz.tenants.context import city_context, control_plane
from ratusz.tenants.db import connection

PASSWORD = "correct horse battery"
SECRET = "JBSWY3DPEHPK3PXP"  # base32, as allauth stores it


def totp_code(secret: str = SECRET, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: that many 30-second steps away)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def give_authenticator(user: User) -> None:
    """Set up an authenticator app for `user` the way allauth does (in the user's schema)."""
    TOTP.activate(user, SECRET)


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


def enter_support(client: Client, path: str, operator: User) -> Any:
    """Open a support link (`path` on the city's host) as the operator who asked for it: with
    the current code of their authenticator app (set up with SECRET here if they have none,
    or have one made up by a fixture)."""
    with control_plane():
        authenticator, _ = Authenticator.objects.update_or_create(
            user=operator,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": encrypt(SECRET)}},
        )
        code = totp_code()
        # allauth takes a code once per period; a test entering several links in one period
        # (the state matrix's cities) would be refused the second time.
        cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return client.post(path, {"code": code})
