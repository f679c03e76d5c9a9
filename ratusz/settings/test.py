"""Settings for the test suite: real PostgreSQL and Redis, with test-friendly defaults.

Only defaults are given here; anything set in the environment wins (env.py reads it).
"""

import os

os.environ.setdefault("RATUSZ_ENV", "test")
os.environ.setdefault("BASE_DOMAIN", "localhost")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("RATUSZ_TASKS_EAGER", "0")
os.environ.setdefault("PUBLIC_PORT", "")
os.environ.setdefault("RATUSZ_DATA_DIR", os.path.join(os.getcwd(), ".data", "test"))

from ratusz.settings.base import *  # noqa: F403

# Hashing passwords slowly proves nothing in tests and costs seconds.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Commits of the throw-away test database return before their WAL reaches the disk (~6 ms an
# fsync on the test machines, ~0.2 ms without): migrations and committed tests make thousands.
# The servers and workers the tests start get it from the database (tests/conftest.py).
_options = DATABASES["default"]["OPTIONS"]  # noqa: F405
_options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
