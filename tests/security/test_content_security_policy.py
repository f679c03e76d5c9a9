"""Every page of both planes is served with the Content-Security-Policy and runs no code the
policy would refuse: no inline script without the response's nonce, no event-handler
attribute, no javascript:/data: link, no <style> without the nonce. The pages are the URL
configurations' own (every path without arguments) and every page linked from them, for each
kind of visitor, in a city full of content."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client

from ratusz.accounts.models import Role, User
from ratusz.tenants.context import city_context
from tests.conftest import force_login_with_second_factor
from tests.security.markup import read
from tests.security.urls import crawl, parameterless_paths


def _policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *values = part.split()
        directives[name] = values
    return directives


def _check_page(problems: list[str]) -> Callable[[str, Any], None]:
    def check(path: str, response) -> None:
        if "text/html" not in response.get("Content-Type", "") or response.status_code >= 500:
            return
        policy = _policy(response)
        if not policy:
            problems.append(f"{path}: no Content-Security-Policy header")
            return
        scripts = policy.get("script-src", [])
        if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
            problems.append(f"{path}: script-src allows inline code or eval: {scripts}")
        allowed = {value[len("'nonce-") : -1] for value in scripts if value.startswith("'nonce-")}
        found = read(response.content.decode())
        problems.extend(f"{path}: {finding}" for finding in found.executable)
        if found.unnonced_styles:
            problems.append(f"{path}: <style> without the nonce")
        if found.nonces - allowed:
            problems.append(f"{path}: a nonce that is not the response's own")

    return check


def _city_client(content_city, email: str | None) -> Client:
    client = Client(HTTP_HOST=content_city.host, raise_request_exception=False)
    if email:
        with city_context(content_city.ref):  # accounts and sessions live in the city's schema
            client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.parametrize("role", ["anonymous", "resident", "administrator"])
def test_every_city_page_runs_only_code_the_policy_allows(content_city, live_db, role):
    email = {"resident": content_city.resident_email, "administrator": content_city.admin_email}
    client = _city_client(content_city, email.get(role))
    start = ["/", *parameterless_paths(settings.CITY_URLCONF)]
    problems: list[str] = []
    visited = crawl(client, start, _check_page(problems), limit=220)
    assert problems == []
    # The walk reached the pages with maps, charts and forms, not only the start.
    assert len(visited) > len(start)
    if role == "administrator":
        assert "/admin/dashboard/" in visited
        assert any(re.match(r"^/admin/projects/[\w-]+/$", path) for path in visited), visited


def test_every_control_plane_page_runs_only_code_the_policy_allows(live_db):
    operator = User.objects.create_user(
        "csp-operator@ratusz.example", "correct horse battery", role=Role.OPERATOR
    )
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    problems: list[str] = []
    start = ["/", *parameterless_paths(settings.ROOT_URLCONF)]
    try:
        for signed_in in (False, True):
            client = Client(HTTP_HOST=settings.BASE_DOMAIN, raise_request_exception=False)
            if signed_in:
                # The console opens only to a sign-in that used the second factor.
                force_login_with_second_factor(client, operator)
            crawl(client, start, _check_page(problems), limit=150)
    finally:
        Authenticator.objects.filter(user=operator).delete()
    assert problems == []


_INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/json)[^>]*>"
)
_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.DOTALL)


def test_templates_hold_no_inline_script_or_handler():
    """Also the templates the walks above cannot reach (pages of rare states, e-mails): an
    inline <script> needs the nonce, and no element carries an on...= handler."""
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}: {match.group(0)[:80]}"
        for path in sorted((root / "templates").rglob("*.html"))
        for pattern in (_INLINE_SCRIPT, _HANDLER)
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []


def test_the_policy_names_no_unsafe_source_and_covers_the_map_and_stripe():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name, values in directives.items():
        assert "'unsafe-eval'" not in values, name
        if name != "style-src-attr":
            assert "'unsafe-inline'" not in values, name
    tiles = re.match(r"^https?://[^/]+", settings.MAP_TILE_URL.replace("{s}", "*"))
    assert tiles is not None and tiles.group(0) in directives["img-src"]
    assert "https://checkout.stripe.com" in directives["form-action"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
