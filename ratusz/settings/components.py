"""Settings that choose between real services and embedded defaults (ARCHITECTURE.md §6)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from ratusz.settings import env


def database_settings() -> dict[str, dict[str, Any]]:
    url = env.parse_database_url(env.DATABASE_URL)
    options: dict[str, Any] = {"connect_timeout": int(url.options.pop("connect_timeout", "5"))}
    options.update(url.options)
    if env.DB_POOL_MODE == "transaction":
        # PgBouncer in transaction mode cannot keep server-side prepared statements per client.
        options["prepare_threshold"] = None
    conn_max_age = env.DB_CONN_MAX_AGE
    if env.DB_POOL_SIZE > 0:
        # psycopg's pool, shared by the process's threads (Django 5.2). Django hands the
        # connection back to the pool at the end of every request (CONN_MAX_AGE must be 0), and
        # the pool replaces a connection after DB_CONN_MAX_AGE seconds; the backend retires one
        # that has served DB_MAX_SCHEMAS_PER_CONNECTION cities (ratusz.tenants.db.base).
        options["pool"] = {
            "min_size": 0,
            "max_size": env.DB_POOL_SIZE,
            "timeout": float(env.DB_POOL_TIMEOUT),
            "max_lifetime": float(max(env.DB_CONN_MAX_AGE, 1)),
            "name": "ratusz",
        }
        conn_max_age = 0
    return {
        "default": {
            "ENGINE": "ratusz.tenants.db",
            "NAME": url.name,
            "USER": url.user,
            "PASSWORD": url.password,
            "HOST": url.host,
            "PORT": url.port,
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            # With PgBouncer in transaction mode each request runs in one transaction, so the
            # search path is set once per request and never outlives it on a pooled connection.
            "ATOMIC_REQUESTS": env.DB_POOL_MODE == "transaction",
            "OPTIONS": options,
            # Server-side cursors need their transaction's server connection to themselves.
            "DISABLE_SERVER_SIDE_CURSORS": env.DB_POOL_MODE == "transaction",
            "TEST": {"NAME": f"test_{url.name}"},
        }
    }


def cache_settings() -> dict[str, dict[str, Any]]:
    if env.REDIS_URL:
        backend: dict[str, Any] = {
            # Pages keep serving, uncached, while Redis is down (ratusz.tenants.cache).
            "BACKEND": "ratusz.tenants.cache.ToleratingRedisCache",
            "LOCATION": env.REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    else:
        # A file cache is shared by every local process (web, worker, commands), so a change
        # made by one of them (a suspended city, say) is seen by all.
        backend = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(env.DATA_DIR / "cache"),
            # Django's default (300 entries, a third culled at random when full) is less than
            # one route per host of a few hundred cities: past it, requests rotating over the
            # cities would keep missing their route and look it up again.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    # Keys name the database too: two installations (or a test run) sharing one Redis never
    # read each other's entries.
    database = env.parse_database_url(env.DATABASE_URL).name
    return {
        # City data: keys carry the schema of the city in whose context they are used.
        "default": {
            **backend,
            "KEY_PREFIX": database,
            "KEY_FUNCTION": "ratusz.tenants.cache.city_key",
        },
        # Control-plane data shared by all hosts (the host -> city routing table).
        "control": {**backend, "KEY_PREFIX": f"{database}:control"},
    }


def storage_settings() -> dict[str, dict[str, Any]]:
    if env.STORAGE == "s3":
        default: dict[str, Any] = {
            "BACKEND": "ratusz.tenants.storage.CityS3Storage",
            "OPTIONS": {
                "bucket_name": env.S3_BUCKET,
                "endpoint_url": env.S3_ENDPOINT_URL or None,
                "region_name": env.S3_REGION or None,
                "access_key": env.S3_ACCESS_KEY_ID or None,
                "secret_key": env.S3_SECRET_ACCESS_KEY or None,
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
            },
        }
    elif env.STORAGE == "local":
        default = {"BACKEND": "ratusz.tenants.storage.CityFileSystemStorage"}
    else:
        raise ValueError(f"RATUSZ_STORAGE must be 'local' or 's3', got {env.STORAGE!r}")
    static_backend = (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.ENVIRONMENT == "production"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    return {"default": default, "staticfiles": {"BACKEND": static_backend}}


def email_settings() -> tuple[str, dict[str, Any]]:
    if env.EMAIL_HOST:
        return "django.core.mail.backends.smtp.EmailBackend", {
            "EMAIL_HOST": env.EMAIL_HOST,
            "EMAIL_PORT": env.EMAIL_PORT,
            "EMAIL_HOST_USER": env.EMAIL_HOST_USER,
            "EMAIL_HOST_PASSWORD": env.EMAIL_HOST_PASSWORD,
            "EMAIL_USE_TLS": env.EMAIL_USE_TLS,
        }
    return "django.core.mail.backends.filebased.EmailBackend", {
        "EMAIL_FILE_PATH": str(env.DATA_DIR / "mail"),
    }


def celery_settings() -> dict[str, Any]:
    return {
        "CELERY_BROKER_URL": env.CELERY_BROKER_URL or "memory://",
        "CELERY_RESULT_BACKEND": None,
        "CELERY_TASK_ALWAYS_EAGER": env.TASKS_EAGER,
        "CELERY_TASK_EAGER_PROPAGATES": True,
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_TASK_REJECT_ON_WORKER_LOST": True,
        "CELERY_WORKER_PREFETCH_MULTIPLIER": 1,
        "CELERY_TASK_SERIALIZER": "json",
        "CELERY_ACCEPT_CONTENT": ["json"],
        "CELERY_TIMEZONE": "Europe/Warsaw",
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
        "CELERY_BROKER_CONNECTION_TIMEOUT": 3,
    }


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL template; a `{s}` subdomain placeholder becomes `*`."""
    parts = urlsplit(url.replace("{s}", "subdomain-placeholder"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.replace("subdomain-placeholder", "*")
    return f"{parts.scheme}://{host}"


def content_security_policy() -> dict[str, Any]:
    """The Content-Security-Policy of every page (django-csp).

    Scripts and <style> elements run only from our own origin or with the response's nonce: no
    'unsafe-inline', no eval (HTMX is configured not to need it, see base.html). Style
    *attributes* stay allowed: a few templates colour a status dot or size a poll bar from data,
    and an attribute can carry no script. Images may also come from the map's tile server, from
    S3 when files live there, and from data: URIs (the QR code of the authenticator set-up).
    Forms may post to the cities' and control plane's hosts (the wizard, support entry and
    hand-over end on another subdomain) and be redirected to Stripe's hosted pages.
    """
    images = [SELF, "data:"]
    tiles = _origin(env.MAP_TILE_URL)
    if tiles:
        images.append(tiles)
    if env.STORAGE == "s3":
        bucket_host = _origin(env.S3_ENDPOINT_URL) if env.S3_ENDPOINT_URL else ""
        if bucket_host:
            scheme, _, host = bucket_host.partition("://")
            images += [bucket_host, f"{scheme}://*.{host}"]  # path- or virtual-host-style
        else:
            images.append("https://*.amazonaws.com")
    hosts = [env.BASE_DOMAIN, f"*.{env.BASE_DOMAIN}"]
    if env.PUBLIC_PORT or env.ENVIRONMENT != "production":
        # Outside production the port of the server varies (RATUSZ_PORT, test servers).
        hosts = [f"{host}:*" for host in hosts]
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF, NONCE],
            "style-src-attr": [UNSAFE_INLINE],
            "img-src": images,
            "font-src": [SELF],
            "connect-src": [SELF],
            "media-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "frame-src": [NONE],
            "frame-ancestors": [NONE],
            "form-action": [
                SELF,
                *hosts,
                "https://checkout.stripe.com",
                "https://billing.stripe.com",
            ],
        }
    }
