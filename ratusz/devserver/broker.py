"""The task broker of `make run`: CELERY_BROKER_URL/REDIS_URL, a local Redis, or tasks run
in-process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ratusz.devserver.output import Failure, _truthy, say

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers(url: str) -> str | None:
    """None when Redis at `url` answers PING, else the reason it does not."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@dataclass(frozen=True)
class Broker:
    url: str  # "" when tasks run in-process
    redis_url: str  # what REDIS_URL becomes for the children ("" to leave it unset)

    @property
    def eager(self) -> bool:
        return not self.url


def choose_broker(environ: Mapping[str, str]) -> Broker:
    redis_url = environ.get("REDIS_URL", "")
    broker_url = environ.get("CELERY_BROKER_URL", "") or redis_url
    if _truthy(environ.get("RATUSZ_TASKS_EAGER")):
        say("Tasks: run in-process (RATUSZ_TASKS_EAGER is set)")
        return Broker(url="", redis_url=redis_url)
    if broker_url:
        if broker_url.startswith(("redis://", "rediss://")):
            problem = redis_answers(broker_url)
            if problem:
                raise Failure(
                    f"The task broker {_without_password(broker_url)} does not answer "
                    f"({problem}). Start it, or unset REDIS_URL / CELERY_BROKER_URL to run "
                    "tasks in-process."
                )
        say(f"Tasks: Celery on {_without_password(broker_url)}")
        return Broker(url=broker_url, redis_url=redis_url)
    if redis_answers(LOCAL_REDIS_URL) is None:
        say(f"Tasks: Celery on Redis at {LOCAL_REDIS_URL}")
        return Broker(url=LOCAL_REDIS_URL, redis_url=LOCAL_REDIS_URL)
    say("Tasks: no Redis on 127.0.0.1:6379, so tasks run in-process (RATUSZ_TASKS_EAGER=1)")
    return Broker(url="", redis_url="")


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
