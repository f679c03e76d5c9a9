"""Rate limits of the public wizard, kept in the cache (shared by every web process)."""

from __future__ import annotations

import hashlib

from ratusz.counters import count, peek

# Submissions from one address per hour (typing mistakes included), and cities per e-mail a day.
SUBMISSIONS_PER_IP_PER_HOUR = 20
SIGNUPS_PER_EMAIL_PER_DAY = 3
SIGNUPS_PER_IP_PER_DAY = 5
HOUR = 3600
DAY = 24 * HOUR


def _key(kind: str, value: str) -> str:
    # Hashed: the cache never holds e-mail addresses in the clear.
    digest = hashlib.sha256(value.lower().encode()).hexdigest()
    return f"onboarding:rate:{kind}:{digest}"


def allow_submission(ip: str) -> bool:
    """Count one submission from `ip`; False past the hourly limit."""
    return count(_key("submit", ip), HOUR) <= SUBMISSIONS_PER_IP_PER_HOUR


def may_sign_up(*, ip: str, email: str) -> bool:
    """Whether one more city may be made from this address and for this e-mail today."""
    return (
        peek(_key("ip", ip)) < SIGNUPS_PER_IP_PER_DAY
        and peek(_key("email", email)) < SIGNUPS_PER_EMAIL_PER_DAY
    )


def record_signup(*, ip: str, email: str) -> None:
    count(_key("ip", ip), DAY)
    count(_key("email", email), DAY)
