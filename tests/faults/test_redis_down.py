"""Redis down: pages keep serving (the cache degrades to no cache), and the e-mails whose task
could not be queued arrive once Redis is back, each once.

Our own redis-server is stopped and started again; the machine's shared one is not touched."""

from __future__ import annotations

import pytest

from ratusz.settings import env
from ratusz.tenants.cache import ToleratingRedisCache


def test_pages_serve_while_redis_is_down_and_use_it_again_when_it_is_back(
    make_city, start_server, own_redis
):
    city = make_city()
    server = start_server(REDIS_URL=own_redis.url(0), CELERY_BROKER_URL=own_redis.url(1))
    pages = [(city.host, "/"), (city.host, "/accounts/login/"), (env.BASE_DOMAIN, "/")]
    for host, path in pages:
        assert server.get(host, path).status == 200, (host, path)

    own_redis.stop()
    for host, path in pages:
        reply = server.get(host, path)
        assert reply.status == 200, (host, path, reply.body[:3000])
        assert "Traceback" not in reply.body

    own_redis.start()
    for host, path in pages:
        assert server.get(host, path).status == 200, (host, path)


def test_every_cache_operation_degrades_when_redis_does_not_answer(own_redis):
    """Each operation of Django's cache API, on a Redis that is down: a miss or a dropped write,
    never an error a page would turn into a 500. New operations of the API are tried too."""
    from django.core.cache.backends.base import BaseCache

    cache = ToleratingRedisCache(own_redis.url(0), {"OPTIONS": {"socket_connect_timeout": 1}})
    cache.set("warm", "value")
    assert cache.get("warm") == "value"
    own_redis.stop()

    arguments: dict[str, tuple] = {
        "add": ("k", 1),
        "get": ("k",),
        "set": ("k", 1),
        "touch": ("k",),
        "delete": ("k",),
        "get_many": (["k"],),
        "has_key": ("k",),
        "set_many": ({"k": 1},),
        "delete_many": (["k"],),
        "clear": (),
        "get_or_set": ("k", 1),
    }
    # Counters of a key the cache cannot find say so as Django's caches do: ValueError.
    counters = {"incr", "decr", "incr_version", "decr_version"}
    api = {
        name
        for name, member in vars(BaseCache).items()
        if callable(member)
        and not name.startswith(("_", "make_", "validate_", "get_backend_", "close"))
        and not (name.startswith("a") and name[1:] in vars(BaseCache))  # async twins
    }
    assert api - counters - set(arguments) == set(), "a new cache operation to try here"
    for name, args in arguments.items():
        getattr(cache, name)(*args)  # no exception
    assert cache.get("warm", "missed") == "missed"
    assert cache.get_or_set("k", 1) == 1
    for name in counters:
        with pytest.raises(ValueError):
            getattr(cache, name)("k")


def test_a_full_redis_drops_cache_writes_and_never_serves_the_value_it_could_not_replace(
    own_redis,
):
    """Our own redis-server at `maxmemory` with `noeviction` answers writes with a real
    "OOM command not allowed": a write of the cache is dropped (a page would otherwise be a
    500), and the old value of a key whose replacement failed is gone, not served instead."""
    import redis

    cache = ToleratingRedisCache(own_redis.url(0), {"OPTIONS": {"socket_connect_timeout": 1}})
    cache.set("content-version", "old")
    raw = redis.Redis.from_url(own_redis.url(0))
    raw.config_set("maxmemory-policy", "noeviction")
    raw.config_set("maxmemory", 1)
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        raw.set("probe", "1")  # the server really refuses

    cache.set("content-version", "new")
    assert cache.get("content-version") is None  # neither the old value nor an error
    assert cache.add("other", 1) is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.get_or_set("c", 3) == 3

    raw.config_set("maxmemory", 0)
    cache.set("content-version", "newer")
    assert cache.get("content-version") == "newer"
