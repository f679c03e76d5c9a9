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
from tests.security.forms import Field, Form, forms_of
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

    def __init__(self, destructive: re.Pattern[str] = DESTRUCTIVE) -> None:
        self.destructive = destructive  # the forms not to fill
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
                if form.action.startswith("/") and not self.destructive.search(form.action):
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


def _walk(
    client: Client,
    inspector: Inspector,
    *,
    limit: int,
    downloads: bool,
    urlconf: str | None = None,
) -> list[str]:
    from django.conf import settings as django_settings

    start = ["/", *parameterless_paths(urlconf or django_settings.CITY_URLCONF)]
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
    _submit_all(client, inspector, forms, least=least)


def _submit_all(client: Client, inspector: Inspector, forms: list[Form], *, least: int) -> None:
    """Fill every text field of `forms` with hostile text, round after round."""
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


# --- The control plane: sign-up, partners, the operators' console -------------------------------

# What the control plane's walk must not post: what ends the session or takes the person's access,
# and what removes or replaces a city or starts long jobs (a city's deletion, a restore, an
# export, the schema migrations, a rename: a subdomain, not free text).
CONTROL_DESTRUCTIVE = re.compile(
    r"logout|sign-out|/accounts/|/i18n/|/webhooks/|/delete/|/restore/|/export/|/migrations/|"
    r"/retire/|/rename/",
    re.IGNORECASE,
)


def _control_forms(inspector: Inspector, slug: str) -> list[Form]:
    """The forms the walk found on the control plane, those on a city only on `slug` (the
    console lists every city of the database; the others belong to other tests)."""
    return [
        form
        for form in inspector.forms.values()
        if not CONTROL_DESTRUCTIVE.search(form.action)
        and (not form.action.startswith("/console/cities/") or f"/cities/{slug}/" in form.action)
    ]


def _control_walk(inspector: Inspector, client: Client, limit: int) -> None:
    from django.conf import settings as django_settings

    _walk(client, inspector, limit=limit, downloads=True, urlconf=django_settings.ROOT_URLCONF)


def _each_field_alone(client: Client, inspector: Inspector, forms: list[Form]) -> None:
    """Hostile text in one field at a time, the others as the page gave them: a form that
    refuses it in a short field (a country code) saves it in its long one (an announcement's
    message), so that the pages read afterwards show it."""
    for form in forms:
        for target in form.text_fields:
            for payload in (PAYLOADS[1], FORMULA_TEXT):

                def text(field: Field, target: Field = target, payload: str = payload) -> str:
                    return payload if field is target else field.value

                values = form.data(text)
                # A choice left empty stays so (all cities, not a filter that matches none).
                values |= {
                    f.name: ""
                    for f in form.fields
                    if f.kind == "select" and not f.value and "" in f.options
                }
                response = client.post(form.action, values, follow=True)
                inspector.page(f"POST {form.action} {target.name}", response)
                inspector.mails()


def test_hostile_text_in_every_form_of_the_control_plane(live_db, make_city, eager_tasks):
    """Visitors (the sign-up wizard), partners (invitations, a new city) and operators (the
    console: announcements, a city's lifecycle reasons, support access, billing, domains,
    partners, templates), signed in with the second factor as the console requires."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings as django_settings

    from ratusz.accounts.models import Role
    from ratusz.onboarding import services as onboarding
    from ratusz.tenants.db import connection
    from ratusz.tenants.models import Announcement
    from tests.conftest import force_login_with_second_factor

    city = make_city()
    connection.set_schema_to_public()
    announcements_before = set(Announcement.objects.values_list("pk", flat=True))
    operator = User.objects.create_user(
        "fuzz-operator@ratusz.example", "correct horse battery", role=Role.OPERATOR,
        is_staff=True,
    )  # fmt: skip
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    organisation = onboarding.create_partner_organisation(name="Fuzz Partnerzy")
    issued = onboarding.invite_partner(
        organisation=organisation, email="fuzz-partner@partner.example", invited_by=None
    )
    partner = onboarding.accept_partner_invitation(
        token=issued.token, full_name="Konsultant Fuzz", password="Zielone-jablko-2024"
    )

    def control_client(user: User | None) -> Client:
        client = Client(HTTP_HOST=django_settings.BASE_DOMAIN, raise_request_exception=False)
        if user is operator:
            force_login_with_second_factor(client, user)
        elif user is not None:
            client.force_login(user)
        return client

    inspector = Inspector(CONTROL_DESTRUCTIVE)
    try:
        for user, limit, least in ((None, 50, 1), (partner, 60, 2), (operator, 100, 10)):
            client = control_client(user)
            inspector.forms.clear()
            _control_walk(inspector, client, limit)
            if user is operator:
                # The console's page of the city: its lifecycle, support, billing and domains.
                crawl(client, [f"/console/cities/{city.model.slug}/"], inspector.page, limit=1)
            forms = _control_forms(inspector, city.model.slug)
            _submit_all(client, inspector, forms, least=least)
            _each_field_alone(client, inspector, forms)
        # Afterwards: the console (the city's page, the audit log and its CSV, the partners'
        # commissions CSV), the partners' dashboard, and the city portals that show the
        # announcements. Nothing runs.
        inspector.answered.clear()
        operator_client = control_client(operator)
        _control_walk(inspector, operator_client, 100)
        for path in (
            f"/console/cities/{city.model.slug}/",
            "/console/audit/?format=csv",
            "/console/partners/commissions/?format=csv",
        ):
            inspector.page(path, operator_client.get(path))
        _control_walk(inspector, control_client(partner), 60)
        portal = Client(HTTP_HOST=city.host, raise_request_exception=False)
        crawl(portal, ["/"], inspector.page, limit=5)
        inspector.mails()
        assert inspector.problems == []
        assert inspector.answered["text/html"] > 20, inspector.answered
        assert inspector.answered["text/csv"] >= 1, inspector.answered
    finally:
        connection.set_schema_to_public()
        Announcement.objects.exclude(pk__in=announcements_before).delete()
        Authenticator.objects.filter(user=operator).delete()
