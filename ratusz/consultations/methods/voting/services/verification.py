"""What census checks and one-time codes share: identifiers and codes hashed with the city's
secret, limits on guesses, and marking a person verified."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.consultations.methods.voting.models import CitySecret
from ratusz.consultations.methods.voting.services.refusals import Refused

# --- hashing identifiers and codes ----------------------------------------------------------


def _city_secret() -> str:
    CitySecret.objects.bulk_create([CitySecret(value=secrets.token_hex(32))], ignore_conflicts=True)
    return CitySecret.objects.get().value


def _digest_key() -> bytes:
    """The HMAC key of this city: the installation's secret key and the city's own secret.
    Fetch it once per request or upload (it costs two queries), not once per identifier."""
    return f"{settings.SECRET_KEY}:{_city_secret()}".encode()


def _digest(kind: str, value: str, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of a normalised value, keyed by the installation's secret key and the
    city's own secret: stored identifiers and codes cannot be read back, nor matched across
    cities."""
    key = _digest_key() if key is None else key
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


_SEPARATORS = re.compile(r"[\s\-./]+")
_IDENTIFIER = re.compile(r"^[A-Z0-9]{1,40}$")


def normalize_identifier(raw: str) -> str:
    """The same identifier however it is typed: no spaces, dashes or dots; capital letters."""
    return _SEPARATORS.sub("", raw).upper()


def pesel_is_valid(value: str) -> bool:
    if not re.fullmatch(r"\d{11}", value):
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(int(d) * w for d, w in zip(value, weights, strict=False)) % 10) % 10
    return check == int(value[10])


# Guesses of identifiers or codes allowed per hour: per account, per address (a person with
# many fresh accounts) and for the whole city (many addresses). Each limit alone stops one way
# of walking the list; together they make guessing a PESEL (a birth date, a sex and a few
# thousand numbers) take years instead of minutes. Successful checks give back their IP and
# city guesses, so a busy first day of a vote does not lock the city's residents out.
ATTEMPTS_PER_HOUR = 10
ATTEMPTS_PER_IP_PER_HOUR = 20
ATTEMPTS_PER_CITY_PER_HOUR = 300


def _attempt_keys(what: str, *, user: User, ip: str) -> list[tuple[str, int]]:
    # The cache's key function prefixes every key with the city's schema, so these are per city.
    return [
        (f"voting:attempts:{what}:user:{user.pk}", ATTEMPTS_PER_HOUR),
        (f"voting:attempts:{what}:ip:{ip or 'unknown'}", ATTEMPTS_PER_IP_PER_HOUR),
        (f"voting:attempts:{what}:city", ATTEMPTS_PER_CITY_PER_HOUR),
    ]


def _count_attempt(user: User, what: str, *, ip: str) -> None:
    """Count one guess against every limit (atomically: cache.incr), refusing past any."""
    over = False
    for key, limit in _attempt_keys(what, user=user, ip=ip):
        cache.add(key, 0, 3600)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 3600)
            attempts = 1
        over = over or attempts > limit
    if over:
        raise Refused(
            _("Too many attempts. Try again in an hour, or ask the city office for help.")
        )


def _give_back_attempt(user: User, what: str, *, ip: str) -> None:
    """A successful check was no guess: it does not count against the address or the city
    (it still counts for the account, which can succeed only once anyway)."""
    for key, _limit in _attempt_keys(what, user=user, ip=ip)[1:]:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            cache.decr(key)


def _mark_verified(user: User, now: object) -> None:
    User.objects.filter(pk=user.pk, verified_at__isnull=True).update(verified_at=now)
    user.refresh_from_db(fields=["verified_at"])


# One answer for "not on the list" and "already used by someone else": telling them apart would
