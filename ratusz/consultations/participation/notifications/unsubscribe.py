"""One-click unsubscribe tokens: signed, so a link works without signing in and cannot be forged.

A token names the city as well as the account: account ids repeat from city to city (and in a
new city at a removed city's address), so a Gdańsk link must never unsubscribe account 7 of
Springfield (ratusz.tenants.signing binds it to the city's schema and registry id).
"""

from __future__ import annotations

from ratusz.tenants.context import CityRef
from ratusz.tenants.signing import sign_for_city, unsign_for_current_city

SALT = "ratusz.notifications.unsubscribe"


def make_token(user_id: int, city: CityRef | None = None) -> str:
    """A link's token for account `user_id` of `city` (the current city when not given)."""
    return sign_for_city({"u": user_id}, salt=SALT, city=city)


def read_token(token: str) -> int | None:
    """The account id a token was made for, if it is genuine and made for the current city."""
    payload = unsign_for_current_city(token, salt=SALT)
    user_id = payload.get("u") if payload is not None else None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None
