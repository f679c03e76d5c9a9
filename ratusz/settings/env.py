"""The one place that reads the process environment.

Every setting Ratusz understands is read here, typed, with its default; the README lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class DatabaseURL:
    host: str
    port: int
    name: str
    user: str
    password: str
    options: dict[str, str]


def parse_database_url(url: str) -> DatabaseURL:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must start with postgres:// (got {parts.scheme!r})")
    options: dict[str, str] = {}
    for pair in filter(None, parts.query.split("&")):
        key, _, value = pair.partition("=")
        options[key] = unquote(value)
    return DatabaseURL(
        host=unquote(parts.hostname or options.pop("host", "") or "127.0.0.1"),
        port=parts.port or 5432,
        name=unquote(parts.path.lstrip("/")) or "ratusz",
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        options=options,
    )


ENVIRONMENT = _str("RATUSZ_ENV", "development")  # development | test | production
DEBUG = _bool("DEBUG", ENVIRONMENT == "development")
SECRET_KEY = _str("SECRET_KEY", "")
BASE_DOMAIN = _str("BASE_DOMAIN", "localhost").lower().strip(".")
# Scheme and port used when Ratusz prints or e-mails links to a portal.
PUBLIC_SCHEME = _str("PUBLIC_SCHEME", "http" if ENVIRONMENT != "production" else "https")
PUBLIC_PORT = _str("PUBLIC_PORT", "8000" if ENVIRONMENT == "development" else "")
DATA_DIR = Path(_str("RATUSZ_DATA_DIR", str(BASE_DIR / ".data")))

DATABASE_URL = _str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ratusz")
# "session": direct connections or PgBouncer in session mode; "transaction": PgBouncer in
# transaction mode (the search path is then set inside every transaction).
DB_POOL_MODE = _str("DB_POOL_MODE", "session")
DB_CONN_MAX_AGE = _int("DB_CONN_MAX_AGE", 300)
DB_MAX_SCHEMAS_PER_CONNECTION = _int("DB_MAX_SCHEMAS_PER_CONNECTION", 50)
# A connection whose backend holds more than this many megabytes (read each time it has touched
# another DB_MAX_SCHEMAS_PER_CONNECTION schemas) is closed at the next boundary. 0: closed after
# DB_MAX_SCHEMAS_PER_CONNECTION schemas, whatever it holds.
DB_BACKEND_MEMORY_MB = _int("DB_BACKEND_MEMORY_MB", 128)
# The hard budget of database connections of one process: its threads share a pool of at most
# DB_POOL_SIZE connections, and a request that finds them all busy waits DB_POOL_TIMEOUT
# seconds, then gets a 503 page. 0: no pool, one connection per thread (the test suite's
# default: pytest-django holds each test's connection for the whole test).
DEFAULT_DB_POOL_SIZE = 10
DB_POOL_SIZE = _int("DB_POOL_SIZE", 0 if ENVIRONMENT == "test" else DEFAULT_DB_POOL_SIZE)
DB_POOL_TIMEOUT = _int("DB_POOL_TIMEOUT", 10)
# The longest a single SQL statement may run, in milliseconds, in a web request and in a task
# (0: no limit). Management commands and the long operations (provisioning, fleet migrations,
# exports) have none. See ratusz.tenants.db.statement_timeout.
DB_STATEMENT_TIMEOUT_MS = _int("DB_STATEMENT_TIMEOUT_MS", 5_000)
DB_TASK_STATEMENT_TIMEOUT_MS = _int("DB_TASK_STATEMENT_TIMEOUT_MS", 60_000)

# Load shedding (ratusz.tenants.load_shedding): a request that waited longer than this many
# seconds for a web worker's thread is refused at once with 503 (0: never); one whose client has
# already gone away is not served. X-Request-Start (set by the ingress, e.g. nginx's
# "t=${msec}") counts the time spent in front of the web server, when trusted.
REQUEST_QUEUE_TIMEOUT_S = _float("REQUEST_QUEUE_TIMEOUT_S", 5.0)
REQUEST_DROP_DISCONNECTED = _bool("REQUEST_DROP_DISCONNECTED", True)
# ...but only after waiting this long in the queue: a client that half-closed its side after a
# complete request (legal) looks gone, yet waits for the answer; one picked up promptly is served.
REQUEST_DROP_DISCONNECTED_AFTER_S = _float("REQUEST_DROP_DISCONNECTED_AFTER_S", 1.0)
TRUST_X_REQUEST_START = _bool("TRUST_X_REQUEST_START", False)

REDIS_URL = _str("REDIS_URL", "")
CELERY_BROKER_URL = _str("CELERY_BROKER_URL", REDIS_URL)
TASKS_EAGER = _bool("RATUSZ_TASKS_EAGER", not CELERY_BROKER_URL)

STORAGE = _str("RATUSZ_STORAGE", "local")  # local | s3
MEDIA_ROOT = _str("MEDIA_ROOT", str(DATA_DIR / "media"))
STATIC_ROOT = _str("STATIC_ROOT", str(DATA_DIR / "static"))
STATIC_ROOT_ALWAYS = "STATIC_ROOT" in os.environ  # collectstatic outside production
S3_BUCKET = _str("S3_BUCKET", "")
S3_ENDPOINT_URL = _str("S3_ENDPOINT_URL", "")
S3_REGION = _str("S3_REGION", "")
S3_ACCESS_KEY_ID = _str("S3_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = _str("S3_SECRET_ACCESS_KEY", "")

EMAIL_HOST = _str("EMAIL_HOST", "")
EMAIL_PORT = _int("EMAIL_PORT", 587)
EMAIL_HOST_USER = _str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = _str("DEFAULT_FROM_EMAIL", f"Ratusz <noreply@{BASE_DOMAIN}>")

# Without a Stripe key billing runs in manual mode: plans and limits work, nothing calls Stripe.
STRIPE_SECRET_KEY = _str("STRIPE_SECRET_KEY", _str("STRIPE_API_KEY", ""))
STRIPE_WEBHOOK_SECRET = _str("STRIPE_WEBHOOK_SECRET", "")
BILLING_TRIAL_DAYS = _int("BILLING_TRIAL_DAYS", 30)
BILLING_GRACE_DAYS = _int("BILLING_GRACE_DAYS", 14)
# Schemas kept ready for new cities (0: build each city's schema when it is created).
SPARE_SCHEMAS = _int("RATUSZ_SPARE_SCHEMAS", 0 if ENVIRONMENT == "test" else 2)
# ...and at most this many when sign-ups come fast (the pool follows their recent rate).
SPARE_SCHEMAS_MAX = _int("RATUSZ_SPARE_SCHEMAS_MAX", 30)
# Connections one schema is built over at once (its tables side by side): a spare, or a new
# city's schema when the pool is empty. 1: one connection, inside the provisioning transaction.
SPARE_BUILD_CONNECTIONS = _int("RATUSZ_SPARE_BUILD_CONNECTIONS", 1 if ENVIRONMENT == "test" else 4)
# The public addresses of the ingress: a city's custom domain is verified when it resolves to
# one of them (or to the city's subdomain). Comma-separated; empty: resolve BASE_DOMAIN.
INGRESS_ADDRESSES = tuple(a.strip() for a in _str("INGRESS_ADDRESSES", "").split(",") if a.strip())
# The nameservers custom domains are checked at ("192.0.2.53" or "127.0.0.1:5353"),
# comma-separated; empty: the machine's own (resolv.conf). See ratusz.tenants.dns.
DNS_NAMESERVERS = tuple(a.strip() for a in _str("DNS_NAMESERVERS", "").split(",") if a.strip())
DNS_TIMEOUT = float(_str("DNS_TIMEOUT", "3"))
# Map tiles for idea maps (Leaflet); any XYZ tile server.
MAP_TILE_URL = _str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = _str("MAP_ATTRIBUTION", "© OpenStreetMap contributors")
LOG_LEVEL = _str("LOG_LEVEL", "INFO")
