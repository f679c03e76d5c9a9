"""Redis down: pages keep serving (the cache degrades to no cache), and the e-mails whose task
could not be queued arrive once Redis is back, each once.

Our own redis-server is stopped and started again; the machine's shared one is not touched."""

from __future__ import annotations

from ratusz.settings import env


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
