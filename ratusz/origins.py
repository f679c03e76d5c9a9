"""The public origin of a host name, from configuration (PUBLIC_SCHEME, PUBLIC_PORT): links in
e-mails and pages are built from it, never from a request's Host header (whose port, or name,
is whatever the client sent). Below every app, so every app may use it."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def public_origin(host: str) -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{host}{port}"


def on_public_origin(url: str, host: str) -> str:
    """`url` (absolute or not) with its scheme, host and port replaced by `host`'s origin."""
    parts = urlsplit(url)
    origin = urlsplit(public_origin(host))
    return urlunsplit((origin.scheme, origin.netloc, parts.path or "/", parts.query, ""))
