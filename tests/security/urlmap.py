"""Every URL of a URL configuration, with its path parameters filled from real objects.

Shared by the generated security tests (the state × role matrix, and others that walk URLs):

    routes = walk("ratusz.urls_city")
    filler = Filler(values={"idea_id": idea.pk, ...}, by_route={("voting:add", "phase_id"): 7})
    for route in routes:
        path = filler.path(route)          # None: the route cannot be filled

A route's parameters are filled from, in order: a value given for this route and parameter
(`by_route`, keyed by the route's namespaced name, or by its name's prefix up to a colon or a
dash, e.g. "backoffice:surveys" for every back-office survey page), then a value given for the
parameter's name (`values`). A route that neither fills is *unfillable*; tests list those
explicitly with a reason, so a new URL taking a new kind of parameter fails until someone
says how to fill it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# A parameter of a route pattern: <name> or <converter:name>.
_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern, as reached from the root of its URL configuration."""

    pattern: str  # the full pattern, e.g. "admin/projects/<slug:slug>/"
    name: str  # the namespaced name, e.g. "backoffice:project-edit" ("" when unnamed)
    params: tuple[str, ...]  # the names of its path parameters, in the order they appear
    view: str  # the view's dotted name, for messages

    def __str__(self) -> str:
        return f"{self.name or '(unnamed)'} /{self.pattern}"

    @property
    def prefixes(self) -> tuple[str, ...]:
        """The name and its shorter prefixes: "backoffice:surveys-edit" gives itself,
        "backoffice:surveys" and "backoffice"."""
        found = [self.name]
        namespace, _, rest = self.name.rpartition(":")
        parts = rest.split("-")
        for end in range(len(parts) - 1, 0, -1):
            found.append(
                f"{namespace}:{'-'.join(parts[:end])}" if namespace else "-".join(parts[:end])
            )
        if namespace:
            found.append(namespace)
        return tuple(found)


def _params(pattern: URLPattern | URLResolver) -> list[str]:
    # Both route patterns ("<int:pk>") and regular expressions ("(?P<key>...)") end up in a
    # compiled regex whose named groups are the parameters.
    regex = pattern.pattern.regex
    return sorted(regex.groupindex, key=regex.groupindex.__getitem__)


def _view_name(callback: Any) -> str:
    target = getattr(callback, "view_class", None) or callback
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str, params: list[str]
) -> Iterator[Route]:
    for pattern in patterns:
        here = prefix + str(pattern.pattern)
        found = params + _params(pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, here, inner, found)
        else:
            name = pattern.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(
                pattern=here, name=name, params=tuple(found), view=_view_name(pattern.callback)
            )


def walk(urlconf: str) -> list[Route]:
    """Every URL pattern of `urlconf`, recursively through its includes."""
    return list(_walk(get_resolver(urlconf).url_patterns, "", "", []))


@dataclass
class Filler:
    """Turns routes into paths, from values for parameters (see the module's docstring)."""

    urlconf: str
    values: Mapping[str, Any] = field(default_factory=dict)
    by_route: Mapping[tuple[str, str], Any] = field(default_factory=dict)

    def value(self, route: Route, param: str) -> Any | None:
        for prefix in route.prefixes:
            if (prefix, param) in self.by_route:
                return self.by_route[(prefix, param)]
        return self.values.get(param)

    def missing(self, route: Route) -> list[str]:
        return [param for param in route.params if self.value(route, param) is None]

    def path(self, route: Route) -> str | None:
        """The route's path with its parameters filled, or None when one cannot be."""
        if self.missing(route):
            return None
        kwargs = {param: self.value(route, param) for param in route.params}
        if route.name:
            return reverse(route.name, kwargs=kwargs, urlconf=self.urlconf)
        # An unnamed route cannot be reversed: its parameters are put into its pattern.
        if "(?P<" in route.pattern:
            return None
        path = _PARAMETER.sub(lambda found: str(kwargs[found.group(1)]), route.pattern)
        return "/" + path
