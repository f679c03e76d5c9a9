"""Django's development server (with static files, as django.contrib.staticfiles serves them),
listening with a longer queue of waiting connections.

Django's server accepts only 10 pending connections; past that the kernel resets new ones, so
a burst of visitors (a crawler, a scan, a class opening the portal at once) met "connection
reset" before any thread could answer. Waiting connections now queue, one thread each is
started as they are accepted, and the database pool (DB_POOL_SIZE) bounds what they use.
"""

from __future__ import annotations

from django.contrib.staticfiles.management.commands import runserver
from django.core.servers.basehttp import WSGIServer


class QueueingWSGIServer(WSGIServer):
    request_queue_size = 1024  # the kernel caps it at net.core.somaxconn


class Command(runserver.Command):
    server_cls = QueueingWSGIServer
