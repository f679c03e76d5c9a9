"""Counters in the shared cache, for limits on attempts (every web process sees the same
count). Below every app, so every app may use them: the wizard's limits and the sign-in doors'."""

from __future__ import annotations

from django.core.cache import cache


def count(key: str, timeout: int) -> int:
    """Add one to the counter `key` (which lives `timeout` seconds from its first count)."""
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def peek(key: str) -> int:
    return int(cache.get(key) or 0)
