"""Whole pages of a city, cached for visitors who are not signed in, and the one rule that
makes them stale: any change to the city's content.

What is cached: the answer to a GET from a visitor not signed in (an empty session, no message
waiting), on a portal open to residents (open, in trial or active: never a closed, coming-soon,
archived or deleted one), when the answer is a plain 200 page or JSON that sets no cookie and is
not private (`ratusz.accounts.no_store`), and the path with its query is at most
`MAX_CACHED_PATH` characters long (made-up long queries are not worth an entry each; a write
refused by a full Redis only drops the entry, `ratusz.tenants.cache`). The key holds the city
(its schema, through the cache's key function, and everything routing knows of it), the
content version, the language, the host, the path with its query, HTMX or not, the cookie
notice dismissed or not, the city's plan and the operators' announcements reaching it.

Per-visitor parts are never stored: the CSRF token of the forms (every page has the language
switch) and the CSP nonce are replaced by placeholders when the page is stored and by this
visitor's own when it is served, so a visitor who then posts a form sends a valid token.

Stale pages: the content version (`ratusz.tenants.cache`) is replaced whenever a statement
changes rows in the city's schema, whoever runs it (a request, a task, a command) and however
(`save()`, `QuerySet.update()`, `bulk_create()`, raw SQL, COPY): the database backend reports
every statement that may change rows (`ratusz.tenants.db.base.changes_rows`: a writing verb
first, after any comments; a WITH naming one anywhere; COPY ... FROM; SQL it cannot read; not a
SELECT of a function that writes), and the version is replaced at once and again once
the transaction commits. Sessions are the one table left out (written while pages are only
read, shown on none). Changes made outside the city's schema that its pages show (the city's
name and languages, its plan, announcements) are part of the key. Entries also expire after
`CONTENT_TTL` seconds, for what depends on the clock.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.utils import translation

from ratusz.accounts.no_store import is_private
from ratusz.tenants.announcements import active_announcements
from ratusz.tenants.cache import CONTENT_TTL, bump_content_version, content_version
from ratusz.tenants.context import CityRef, schema_context
from ratusz.tenants.db import connection
from ratusz.tenants.db.base import DatabaseWrapper
from ratusz.tenants.entitlements import current_entitlements
from ratusz.tenants.middleware import sign_up_open

Handler = Callable[[HttpRequest], HttpResponse]

CSRF_PLACEHOLDER = "__ratusz_csrf_token__"
NONCE_PLACEHOLDER = "__ratusz_csp_nonce__"
CACHED_TYPES = ("text/html", "application/json")
# A masked CSRF token as Django writes it into a form (64 letters and digits).
MASKED_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")
HEADER = "X-Page-Cache"
# Longer paths with their query (made up, mostly) are not worth a cache entry each.
MAX_CACHED_PATH = 512
# Headers of a stored page made again when it is served (the body's length changes with the
# token put back in).
REPLACED_HEADERS = frozenset({"content-type", "content-length", HEADER.lower()})


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    content_type: str
    # What the view said besides the body (HX-* headers of a fragment...), served again as is.
    headers: tuple[tuple[str, str], ...] = ()


def _cacheable_city(city: CityRef | None) -> bool:
    return city is not None and sign_up_open(city) and city.status != "archived"


def _anonymous_and_clean(request: HttpRequest) -> bool:
    """Not signed in, nothing in the session, no message to show."""
    if request.user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and list(session.keys()):  # loaded already by `request.user`
        return False
    return len(get_messages(request)) == 0


def page_key(request: HttpRequest, city: CityRef) -> str:
    """The cache key of this request's page (the cache adds the city's schema)."""
    parts = [
        content_version(),
        translation.get_language() or "",
        request.get_host(),
        request.get_full_path(),
        "htmx" if request.headers.get("HX-Request") else "",
        "notice-dismissed" if "ratusz_cookie_notice" in request.COOKIES else "",
        repr(city),
        repr(current_entitlements()),
        repr([(a.id, a.level, sorted(a.message.items())) for a in active_announcements(city.id)]),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _secret_of(token: str) -> str:
    """The CSRF secret a masked token was made from."""
    return str(csrf._unmask_cipher_token(token))  # type: ignore[attr-defined]  # private in Django, absent from the stubs


def _request_secret(request: HttpRequest) -> str | None:
    return request.META.get("CSRF_COOKIE")


def _storable(request: HttpRequest, response: HttpResponse) -> CachedPage | None:
    """The page with its per-visitor parts replaced by placeholders, or None if it must not
    be stored."""
    content_type = response.get("Content-Type", "")
    if (
        response.status_code != 200
        or response.streaming
        or not content_type.startswith(CACHED_TYPES)
        or response.cookies
        or response.has_header("Vary")
        or response.has_header("Cache-Control")
        or is_private(request, response)
        or len(get_messages(request)) > 0
        or (request.session.modified if hasattr(request, "session") else False)
    ):
        return None
    text = response.content.decode(response.charset or "utf-8")
    secret = _request_secret(request)
    if secret is not None:
        text = MASKED_TOKEN.sub(
            lambda m: CSRF_PLACEHOLDER if _secret_of(m.group(0)) == secret else m.group(0),
            text,
        )
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        text = text.replace(nonce, NONCE_PLACEHOLDER)
    return CachedPage(
        content=text.encode(response.charset or "utf-8"),
        content_type=content_type,
        headers=tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in REPLACED_HEADERS
        ),
    )


def _serve(request: HttpRequest, page: CachedPage) -> HttpResponse:
    content = page.content
    if CSRF_PLACEHOLDER.encode() in content:
        # This visitor's own token (the cookie is set or renewed as for a rendered page).
        content = content.replace(CSRF_PLACEHOLDER.encode(), csrf.get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())  # type: ignore[attr-defined]  # set by CSPMiddleware
    response = HttpResponse(content, content_type=page.content_type)
    for name, value in page.headers:
        response[name] = value
    response[HEADER] = "hit"
    return response


class CityPageCacheMiddleware:
    """Serves and stores the pages described above; put it last, after every middleware that
    may answer differently for who is asking (authentication, lifecycle, messages)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        city: CityRef | None = getattr(request, "city", None)
        if (
            city is None
            or request.method != "GET"
            or len(request.get_full_path()) > MAX_CACHED_PATH
            or not _cacheable_city(city)
            or not _anonymous_and_clean(request)
        ):
            return self.get_response(request)
        cache = caches["default"]
        key = page_key(request, city)
        page: CachedPage | None = cache.get(key)
        if page is not None:
            return _serve(request, page)
        response = self.get_response(request)
        storable = _storable(request, response)
        if storable is not None:
            cache.set(key, storable, CONTENT_TTL)
            response[HEADER] = "miss"
        return response


def _city_rows_changed(schema: str) -> None:
    """Rows of the city `schema` (the connection's current one) changed: its pages and cached
    content are stale. Bumped now, so that this connection reads its own change at once, and,
    inside a transaction, again after the commit: a page rendered meanwhile by another request,
    from the rows as they were before, must not stay reachable. The bump after the commit is
    registered once per atomic block (savepoint) and city, however many statements it runs."""
    bump_content_version()
    db = transaction.get_connection()
    if not db.in_atomic_block:
        return
    savepoints = set(db.savepoint_ids)
    if any(
        sids == savepoints and getattr(callback, "bumps_schema", None) == schema
        for sids, callback, _ in db.run_on_commit
    ):
        return

    def bump_after_commit() -> None:
        _bump_for(schema)

    bump_after_commit.bumps_schema = schema  # type: ignore[attr-defined]  # found above
    transaction.on_commit(bump_after_commit, robust=True)


def _bump_for(schema: str) -> None:
    """After a commit the connection may be in another city already."""
    if connection.schema_name == schema:
        bump_content_version()
        return
    with schema_context(schema):
        bump_content_version()


def listen_to_city_writes() -> None:
    """Called once from the tenants app's ready()."""
    if _city_rows_changed not in DatabaseWrapper.city_write_listeners:
        DatabaseWrapper.city_write_listeners.append(_city_rows_changed)
