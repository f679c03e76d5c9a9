"""Stored HTML reaches a page or an e-mail only through the sanitiser (`|rich`, `tr_html`).

The templates and the Python code are read as text: a new `|safe`, `{% autoescape off %}` in
an HTML template, `mark_safe` or `format_html` fails here until it is added to the lists
below with its reason. And a rich text that somehow got into the database unsanitised (an
import, a restore, a service that forgot) still prints no executable markup."""

from __future__ import annotations

import re
from pathlib import Path

from ratusz.accounts.models import User
from ratusz.consultations.core.templatetags.content import rich
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.ideation.services import post_idea
from ratusz.tenants.context import city_context
from tests.consultations.conftest import make_project
from tests.security.markup import read

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    '<p>ok</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">a</a><a href="//evil.example">b</a><style>*{}</style>'
)

# Unescaped output in HTML templates, each with why it cannot carry markup of a person.
ALLOWED_IN_TEMPLATES = {
    # A font stack from FONT_STACKS (a fixed list chosen by key), inside <style>.
    ("templates/base.html", "branding.font_stack|safe"),
}
# Python that marks text safe, with why: file -> number of uses.
ALLOWED_IN_PYTHON = {
    # `rich` and `tr_html`: the sanitiser's output.
    "ratusz/consultations/core/templatetags/content.py": 1,
    # Charts: every text goes through escape() or format_html() first.
    "ratusz/consultations/core/charts.py": 3,
    # A method's panel: the output of render_to_string, already escaped by the template.
    "ratusz/consultations/portal/views.py": 1,
}
_UNSAFE_TEMPLATE = re.compile(r"[\w.]+\|safe(seq)?\b|{%\s*autoescape\s+off\s*%}")
_UNSAFE_PYTHON = re.compile(r"\b(mark_safe|format_html|SafeString)\(")


def _templates() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


def test_html_templates_print_stored_html_only_through_the_sanitiser():
    found = {
        (str(path.relative_to(ROOT)), match.group(0))
        for path in _templates()
        for match in _UNSAFE_TEMPLATE.finditer(path.read_text())
    }
    assert found - ALLOWED_IN_TEMPLATES == set()


def test_python_marks_text_safe_only_where_listed():
    counts = {}
    for path in sorted((ROOT / "ratusz").rglob("*.py")):
        uses = len(_UNSAFE_PYTHON.findall(path.read_text()))
        if uses:
            counts[str(path.relative_to(ROOT))] = uses
    assert counts == ALLOWED_IN_PYTHON


def test_the_rich_filter_leaves_nothing_executable():
    printed = rich(HOSTILE)
    assert read(printed).executable == []
    assert "<style" not in printed and "<script" not in printed
    assert "<p>ok</p>" in printed


def test_unsanitised_rich_text_in_the_database_prints_nothing_executable(city):
    with city_context(city.ref):
        project = make_project("bezpieczny")
        phase = project.phases.get(method="ideation")
        author = User.objects.create_user("autor@example.com", "x-password-1", full_name="A")
        idea = post_idea(author=author, phase=phase, title="Pomysł", body="<p>Treść</p>")
        # As an import or a restore could write it, past the services.
        Idea.objects.filter(pk=idea.pk).update(body=HOSTILE)
    html = city.client().get(f"/ideas/{idea.pk}/").content.decode()
    assert "<p>ok</p>" in html
    assert read(html).executable == []
