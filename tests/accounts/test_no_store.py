"""No page or download holding personal data may be kept by a browser or a proxy: every URL of
both planes, read from their URL configurations (arguments filled with placeholder values, so
most answer 404 or a redirect: the header must be there whatever the answer), is asked for by a
signed-in person and by a visitor; and real downloads of personal data are asked for too."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from ratusz.accounts.no_store import PRIVATE_PREFIXES
from ratusz.tenants.context import city_context

PLACEHOLDERS = {
    "int": "987654",
    "slug": "no-such-thing",
    "str": "no-such-thing",
    "path": "no/such/thing",
    "uuid": "00000000-0000-4000-8000-000000000000",
}
# Paths that end the session when asked for; the test signs in again after each request
# anyway, these are only left out so as not to log out half-way through a redirect chain.
LEFT_OUT = re.compile(r"(^/media/|/static/)")


def _fill(route: str) -> str:
    return re.sub(
        r"<(?:(?P<kind>\w+):)?\w+>", lambda m: PLACEHOLDERS.get(m["kind"] or "str", "x"), route
    )


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            route = _fill(str(pattern))
        elif isinstance(pattern, RegexPattern):
            route = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
            # allauth's few regex routes: a named group becomes a placeholder word.
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "no-such-thing", route)
            if re.search(r"[()\[\]?*+\\|{}]", route):
                continue
        else:  # pragma: no cover - Django has only the two kinds
            continue
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + route)
        else:
            yield "/" + prefix + route


def every_path(urlconf: str) -> list[str]:
    return sorted({p for p in _walk(get_resolver(urlconf).url_patterns) if not LEFT_OUT.search(p)})


def _stores(response) -> bool:
    return "no-store" not in response.get("Cache-Control", "")


def _check(client: Client, paths: list[str], sign_in=None) -> list[str]:
    kept = []
    for path in paths:
        if sign_in is not None:
            sign_in(client)  # a path may have signed the person out
        response = client.get(path)
        if _stores(response):
            kept.append(f"{path} ({response.status_code})")
    return kept


def test_the_walk_covers_both_planes():
    city_paths, control_paths = every_path(settings.CITY_URLCONF), every_path(settings.ROOT_URLCONF)
    assert len(city_paths) > 150 and len(control_paths) > 30
    assert "/admin/people/" in city_paths and "/profile/" in city_paths
    assert any(p.startswith("/console/") for p in control_paths)


def test_nothing_answered_to_a_signed_in_person_is_kept(city, city_admin):
    client = Client(HTTP_HOST=city.host, raise_request_exception=False)

    def sign_in(c: Client) -> None:
        with city_context(city.ref):
            c.force_login(city_admin)

    kept = _check(client, every_path(settings.CITY_URLCONF), sign_in)
    assert not kept, f"answers to a signed-in person without no-store: {kept}"


def test_nothing_answered_to_a_signed_in_operator_is_kept(control_client, operator):
    def sign_in(c: Client) -> None:
        c.force_login(operator)

    control_client.raise_request_exception = False
    kept = _check(control_client, every_path(settings.ROOT_URLCONF), sign_in)
    assert not kept, f"answers to a signed-in operator without no-store: {kept}"


def test_private_pages_are_not_kept_for_visitors_either(city, control_client):
    visitor = Client(HTTP_HOST=city.host, raise_request_exception=False)
    private = [p for p in every_path(settings.CITY_URLCONF) if p.startswith(PRIVATE_PREFIXES)]
    assert "/accounts/login/" in private and "/accounts/password/reset/" in private
    assert not _check(visitor, private)
    control_client.raise_request_exception = False
    control = [p for p in every_path(settings.ROOT_URLCONF) if p.startswith(PRIVATE_PREFIXES)]
    assert not _check(control_client, control)
    # A public page for a visitor may be kept: the rule is not "never cache anything".
    assert _stores(visitor.get("/"))


def test_downloads_of_personal_data_are_not_kept(city, resident, city_admin):
    resident_client = Client(HTTP_HOST=city.host)
    staff = Client(HTTP_HOST=city.host)
    with city_context(city.ref):
        resident_client.force_login(resident)
        staff.force_login(city_admin)
    my_data = resident_client.post("/accounts/data/")
    assert my_data["Content-Disposition"].startswith("attachment")
    assert "no-store" in my_data["Cache-Control"]
    participants = staff.get("/admin/dashboard/participants.csv")
    assert participants.status_code == 200
    assert participants["Content-Disposition"].startswith("attachment")
    assert "no-store" in participants["Cache-Control"]
    people = staff.get("/admin/people/")
    assert people.status_code == 200 and "no-store" in people["Cache-Control"]
