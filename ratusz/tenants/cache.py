"""Cache keys carry the schema of the city they were made in, so cities never share entries;
a Redis that does not answer degrades the cache to no cache."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from ratusz.tenants.db import connection

logger = logging.getLogger(__name__)

# What an unreachable or hanging Redis raises (redis-py's own errors, and the OS's).
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError)
# What a Redis at `maxmemory` that may not evict answers a write ("OOM command not allowed").
REDIS_FULL = redis.exceptions.OutOfMemoryError


T = TypeVar("T")

# The current city's content version: a random token replaced whenever anything of the city
# changes (ratusz.tenants.page_cache). Entries built from the city's content carry it in their
# key, so a change makes them unreachable at once, with no list of keys to delete; the old ones
# expire. A token rather than a counter: if Redis loses it, the new one cannot meet old entries.
CONTENT_VERSION_KEY = "content-version"
# How long an entry built from a city's content lives at most (it is unreachable as soon as the
# city changes anyway): what depends on the clock (a phase opening) is never older than this.
CONTENT_TTL = 60


def city_key(key: str, key_prefix: str, version: int) -> str:
    return f"{connection.schema_name}:{key_prefix}:{version}:{key}"


def content_version() -> str:
    """The current city's content version (made on first use)."""
    cache = caches["default"]
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, secrets.token_hex(8), None)
        # Whoever added first wins; a Redis that does not answer gives a fresh token (no hits).
        version = cache.get(CONTENT_VERSION_KEY) or secrets.token_hex(8)
    return str(version)


def bump_content_version() -> None:
    """Mark the current city's content as changed: every entry of `cached_for_city` and every
    cached page of the city is out of reach from now on."""
    caches["default"].set(CONTENT_VERSION_KEY, secrets.token_hex(8), None)


def cached_for_city(key: str, build: Callable[[], T], timeout: int = CONTENT_TTL) -> T:
    """`build()`, cached for the current city until its content changes (or `timeout`).

    Only for what is the same for every visitor (no one's personal data)."""
    cache = caches["default"]
    full_key = f"content:{content_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    return value


def forget_city_cache(schema_name: str) -> None:
    """Remove every entry cached for the city `schema_name` (run when the city is removed).

    A removed city's subdomain is free again and a new city there gets the same schema name,
    so its keys: without this, the new city would be served the removed one's look, welcome
    text and links from the cache until they expire. A cache that cannot list keys by prefix
    (the local file cache of development) is cleared whole."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    pattern = f"{_glob_literal(schema_name)}:{_glob_literal(cache.key_prefix)}:*"
    try:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]  # the stubs leave out RedisCache._cache
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)
    except REDIS_DOWN as exc:  # the entries expire on their own (an hour at most)
        logger.warning("could not forget the cache of city %s: %s", schema_name, exc)


def _glob_literal(text: str) -> str:
    """`text` matched literally in a Redis glob pattern."""
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)


class ToleratingRedisCache(RedisCache):
    """Redis as a cache that a Redis outage degrades to no cache, instead of failing pages.

    Every read misses and every write is dropped while Redis does not answer (each failure
    logged, at most once a minute); the pages are then built from the database, as on a cold
    cache. Entries that only exist in the cache (rate-limit counters) start again from zero
    when Redis is back: throttling is lifted while it is down, which is preferred to refusing
    every resident. Connection timeouts are short (settings), so a Redis that hangs costs a
    request about a second, not a minute. A Redis full to `maxmemory` without eviction refuses
    writes ("OOM command not allowed"): `add`, `set` and `set_many` then drop the write (logged)
    and `set`/`set_many` delete the key, so its old value is never read instead of the new one.
    Other refusals (a wrong type...) are bugs and still raise.
    """

    _last_warning = 0.0

    def _down(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - ToleratingRedisCache._last_warning > 60:
            ToleratingRedisCache._last_warning = now
            logger.warning("cache unavailable (%s), serving without it: %s", operation, exc)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except REDIS_DOWN as exc:
            self._down("add", exc)
            return False
        except REDIS_FULL as exc:
            self._down("add", exc)
            return False

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        try:
            return super().get(key, default, version)
        except REDIS_DOWN as exc:
            self._down("get", exc)
            return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except REDIS_DOWN as exc:
            self._down("set", exc)
        except REDIS_FULL as exc:
            self._down("set", exc)
            # The old value must not be read in place of the new one (a content version that
            # could not be replaced would keep stale pages reachable); DEL frees memory, so a
            # full Redis still accepts it.
            self.delete(key, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        try:
            return bool(super().touch(key, timeout, version))
        except REDIS_DOWN as exc:
            self._down("touch", exc)
            return False

    def delete(self, key: Any, version: Any = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except REDIS_DOWN as exc:
            self._down("delete", exc)
            return False

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        try:
            return dict(super().get_many(keys, version))
        except REDIS_DOWN as exc:
            self._down("get_many", exc)
            return {}

    def has_key(self, key: Any, version: Any = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except REDIS_DOWN as exc:
            self._down("has_key", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return int(super().incr(key, delta, version))
        except REDIS_DOWN as exc:
            self._down("incr", exc)
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from exc

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        try:
            return list(super().set_many(data, timeout, version))
        except REDIS_DOWN as exc:
            self._down("set_many", exc)
            return list(data)
        except REDIS_FULL as exc:
            self._down("set_many", exc)
            self.delete_many(list(data), version)  # as in set()
            return list(data)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        try:
            super().delete_many(keys, version)
        except REDIS_DOWN as exc:
            self._down("delete_many", exc)

    def clear(self) -> None:
        try:
            super().clear()
        except REDIS_DOWN as exc:
            self._down("clear", exc)
