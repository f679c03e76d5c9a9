"""One-click unsubscribe tokens: signed, so a link works without signing in and cannot be forged.

A token names the city's schema as well as the account: account ids repeat from city to city,
so a Gdańsk link must never unsubscribe account 7 of Springfield.
"""

from __future__ import annotations

from django.core import signing

from ratusz.tenants.context import current_schema

SALT = "ratusz.notifications.unsubscribe"


def make_token(user_id: int, schema_name: str | None = None) -> str:
    return signing.dumps({"c": schema_name or current_schema(), "u": user_id}, salt=SALT)


def read_token(token: str) -> int | None:
    """The account id a token was made for, if it is genuine and made for the current city."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("c") != current_schema():
        return None
    user_id = payload.get("u")
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None
