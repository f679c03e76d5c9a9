"""One-click "no more campaigns" tokens: signed (no sign-in needed, not forgeable) and bound to
the city's schema, like the notifications' tokens, but with a salt of their own so that a
campaign link only stops campaigns."""

from __future__ import annotations

from django.core import signing

from ratusz.tenants.context import current_schema

SALT = "ratusz.campaigns.unsubscribe"


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
