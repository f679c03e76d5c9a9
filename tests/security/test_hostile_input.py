"""Hostile input, generated. Every form a resident or a member of staff can reach (found by
walking the pages from the URL configuration, not listed by hand) gets hostile HTML and Unicode
in each of its text fields: script tags, attribute breakouts, javascript: links, template
syntax, spreadsheet formulas, right-to-left overrides, zero-width and combining characters,
NUL, emoji and very long strings. Whatever the form makes of it, no answer is a 500, and no
page (the answer, the page the form leads to, then every page again), no e-mail and no export
(CSV, XLSX) holds anything executable: markup that runs, or a cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ratusz.accounts.models import User
from ratusz.tenants.context import city_context
from tests.security.forms import Form, forms_of
from tests.security.markup import read
from tests.security.urls import crawl, parameterless_paths

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "javascript:alert(1)",
    " jAvAsCrIpT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/",
    '<a href="javascript:alert(1)">x</a>',
    "{{ request.user.password }}{% debug %}",
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
]
ODD = [
    "\u202e",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\x00",
    "😀",
    "👩‍👩‍👧",
    "e\u0301\u0301\u0301",
    "Ł",
    "\r\n",
]

hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.lists(
        st.one_of(st.sampled_from(PAYLOADS), st.sampled_from(ODD), st.text(max_size=8)),
        min_size=1,
        max_size=5,
    ).map("".join),
    st.integers(min_value=300, max_value=6000).map(lambda n: ("<b>x</b>" * n)[:n]),
)

# Forms that end the session or destroy what the walk stands on; every other form is filled.
DESTRUCTIVE = re.compile(
    r"logout|delete|remove|purge|erase|deactivate|archive|suspend|withdraw|leave|revoke|"
    r"reset|/2fa/|/email/|password|/accounts/data|restore|cancel|unpublish|support|"
    # ...or change who may see what: the city's rules (two factors for staff, new terms),
    # its plan, a project back to draft.
    r"/city-rules/|/billing/|/draft/",
    re.IGNORECASE,
)
FORMULA = ("=", "+", "-", "@", "\t", "\r")
FORMULA_TEXT = '=HYPERLINK("http://evil.example","<b>x</b>")'
SAFE_SETTINGS = settings(
    max_examples=1,  # with the explicit example: two rounds of every form
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # shrinking would replay every form
    suppress_health_check=list(HealthCheck),
)


def _client(content_city, email: str | None) -> Client:
    client = Client(HTTP_HOST=content_city.host, raise_request_exception=False)
    if email:
        with city_context(content_city.ref):
            client.force_login(User.objects.get(email=email))
    return client


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cell_problems(where: str, cells: list[Any]) -> list[str]:
    return [
        f"{where}: cell {cell!r} would run as a formula"
        for cell in cells
        if isinstance(cell, str) and cell.startswith(FORMULA) and not _number(cell)
    ]


class Inspector:
    """Collects what is wrong with the answers, e-mails and files seen."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.forms: dict[tuple[str, tuple[str, ...]], Form] = {}
        self.answered: Counter[str] = Counter()  # kinds of successful answers
        self.files: list[str] = []

    def page(self, path: str, response: Any) -> None:
        if response.status_code >= 500:
            self.problems.append(f"{path}: answered {response.status_code}")
            return
        kind = response.get("Content-Type", "")
        if response.status_code == 200:
            self.answered[kind.split(";")[0]] += 1
            if "html" not in kind:
                self.files.append(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if "text/html" in kind:
            html = body.decode()
            self.problems += [f"{path}: {finding}" for finding in read(html).executable]
            for form in forms_of(html, path.split("?")[0]):
                if form.action.startswith("/") and not DESTRUCTIVE.search(form.action):
                    self.forms.setdefault(form.signature(), form)
        elif "text/csv" in kind:
            for line in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
                self.problems += _cell_problems(path, line)
        elif "spreadsheetml" in kind:
            workbook = load_workbook(io.BytesIO(body))
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            self.problems.append(f"{path}: a formula cell {cell.value!r}")
                    self.problems += _cell_problems(path, [c.value for c in row])

    def mails(self) -> None:
        for message in mail.outbox:
            if "\n" in message.subject:
                self.problems.append(f"e-mail subject with a line break: {message.subject!r}")
            for content, mimetype in getattr(message, "alternatives", []):
                if mimetype == "text/html":
                    found = read(str(content)).executable
                    self.problems += [f"e-mail {message.subject!r}: {f}" for f in found]
        mail.outbox.clear()


def _walk(client: Client, inspector: Inspector, *, limit: int, downloads: bool) -> list[str]:
    from django.conf import settings as django_settings

    start = ["/", *parameterless_paths(django_settings.CITY_URLCONF)]
    return crawl(client, start, inspector.page, limit=limit, downloads=downloads)


def _fuzz(content_city, inspector: Inspector, email: str | None, *, limit: int, least: int) -> None:
    """Walk the pages as `email` (or a visitor), then fill every form found, round after
    round."""
    client = _client(content_city, email)
    with city_context(content_city.ref):
        own = User.objects.get(email=email).pk if email else 0
    inspector.forms.clear()
    _walk(client, inspector, limit=limit, downloads=False)
    # Nobody changes their own role or blocks themselves: the walk needs the signed-in person.
    forms = [f for f in inspector.forms.values() if f"/people/{own}/" not in f.action]
    assert len(forms) >= least, [f.action for f in forms]
    assert inspector.problems == []

    @SAFE_SETTINGS
    @given(data=st.data())
    @example(data=None)
    def submit_everything(data: Any) -> None:
        for form in forms:
            if data is None:  # the explicit example: every payload, one per field in turn
                payloads = iter(PAYLOADS * 10)

                def text(_field: Any, feed: Iterator[str] = payloads) -> str:
                    return next(feed)

                values = form.data(text)
            else:
                values = form.data(lambda _field: data.draw(hostile_text))
            response = client.post(form.action, values, follow=True)
            inspector.page(f"POST {form.action}", response)
            inspector.mails()
        assert inspector.problems == []

    submit_everything()
    # Last, a formula in every text field, so that what the exports show starts with one.
    for form in forms:
        response = client.post(form.action, form.data(lambda _field: FORMULA_TEXT), follow=True)
        inspector.page(f"POST {form.action}", response)
        inspector.mails()


def test_hostile_text_in_every_form_of_residents_and_staff(content_city, live_db, eager_tasks):
    inspector = Inspector()
    _fuzz(content_city, inspector, None, limit=30, least=2)  # sign-up, cookie notice...
    _fuzz(content_city, inspector, content_city.resident_email, limit=80, least=5)
    _fuzz(content_city, inspector, content_city.admin_email, limit=160, least=25)
    # Afterwards every page, list and export shows what was saved: still nothing runs.
    inspector.answered.clear()
    _walk(_client(content_city, content_city.admin_email), inspector, limit=200, downloads=True)
    _walk(_client(content_city, None), inspector, limit=60, downloads=False)
    inspector.mails()
    assert inspector.problems == []
    # The walk saw the pages and files, not sign-in pages or refusals.
    assert inspector.answered["text/html"] > 150, inspector.answered
    assert inspector.answered["text/csv"] > 3, inspector.answered
