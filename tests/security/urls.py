"""The pages of a plane, read from its URL configuration, and a crawler that follows links
from them: every page a person can reach by GET is tried without anyone listing it."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Links a crawler must not follow: they end the session or change state on GET by design
# (one-time links), or are files rather than pages (followed only when asked for).
SKIPPED = re.compile(
    r"(logout|/media/|/static/|/invitation/|/support/enter|/welcome/sign-in|/i18n/)",
    re.IGNORECASE,
)
DOWNLOADS = re.compile(r"(\.(csv|xlsx|zip|ics|pdf|png|jpg|svg)$|/download)", re.IGNORECASE)


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            if pattern.converters:
                continue
            route = str(pattern)
        elif isinstance(pattern, RegexPattern):
            route = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
            if re.search(r"[()\[\]?*+\\|{}]", route):
                continue  # takes arguments
        else:  # pragma: no cover - Django has only the two kinds
            continue
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + route)
        else:
            yield prefix + route, entry


def parameterless_paths(urlconf: str) -> list[str]:
    """Every path of `urlconf` that takes no argument."""
    return sorted({"/" + path for path, _ in _walk(get_resolver(urlconf).url_patterns)})


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links += [value for name, value in attrs if name == "href" and value]


def crawl(
    client: Client,
    start: list[str],
    check: Callable[[str, Any], None],
    *,
    limit: int,
    downloads: bool = False,
) -> list[str]:
    """GET `start` and the same-host pages they link to, breadth first, at most `limit` pages;
    `check(path, response)` sees each response; files (CSV, XLSX...) are fetched too when
    `downloads` is set. Returns the paths visited."""
    queue = deque(start)
    seen: set[str] = set(start)
    visited: list[str] = []
    while queue and len(visited) < limit:
        path = queue.popleft()
        response = client.get(path)
        visited.append(path)
        check(path, response)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            parts = urlsplit(urldefrag(href)[0])
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            # One visit per path: filters and pages of a list show the same template.
            if parts.path in seen or SKIPPED.search(parts.path):
                continue
            if DOWNLOADS.search(parts.path) and not downloads:
                continue
            seen.add(parts.path)
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visited
