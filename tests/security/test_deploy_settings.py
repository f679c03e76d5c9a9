"""Production settings pass Django's deployment checks, and behave as they claim behind the
ingress (TLS ends at the proxy, which says so in X-Forwarded-Proto); development keeps plain
HTTP. Each case runs in its own process: settings are read once, from the environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What the README asks of a production deployment, and no more.
PRODUCTION_ENV = {
    "RATUSZ_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "BASE_DOMAIN": "ratusz.example",
    "DATABASE_URL": "postgres://ratusz@db.internal:5432/ratusz",
}

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

def answer(**headers):
    response = SecurityMiddleware(lambda request: HttpResponse("ok"))(
        RequestFactory().get("/", HTTP_HOST="gdansk." + settings.BASE_DOMAIN, **headers)
    )
    return {"status": response.status_code, "location": response.get("Location", ""),
            "hsts": response.get("Strict-Transport-Security", "")}

print(json.dumps({
    "plain": answer(),
    "behind_proxy": answer(HTTP_X_FORWARDED_PROTO="https"),
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
                       settings.LANGUAGE_COOKIE_SECURE],
    "debug": settings.DEBUG,
    "csp_form_action": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
}))
"""


def _environment(extra: dict[str, str]) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update({"DJANGO_SETTINGS_MODULE": "ratusz.settings.base", **extra})
    return env


def _run(args: list[str], extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # the return code is asserted by the callers
        [sys.executable, *args],
        cwd=ROOT,
        env=_environment(extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _run(["-m", "ratusz", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_redirects_plain_http_and_trusts_the_proxy_header():
    result = _run(["-c", PROBE], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["plain"]["status"] == 301
    assert seen["plain"]["location"] == "https://gdansk.ratusz.example/"
    assert seen["behind_proxy"]["status"] == 200
    assert seen["behind_proxy"]["hsts"].startswith("max-age=31536000; includeSubDomains")
    assert seen["cookies_secure"] == [True, True, True]
    assert seen["debug"] is False
    # Production pages post to the cities' hosts on the default port only.
    assert "*.ratusz.example" in seen["csp_form_action"]


def test_development_keeps_plain_http():
    result = _run(["-c", PROBE], {"RATUSZ_ENV": "development", "BASE_DOMAIN": "localhost"})
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["plain"]["status"] == 200 and seen["plain"]["hsts"] == ""
    assert seen["cookies_secure"] == [False, False, False]
    assert "*.localhost:*" in seen["csp_form_action"]
