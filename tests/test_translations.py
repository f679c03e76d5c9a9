"""Polish and English are complete: every catalogue entry is translated and compiled."""

from __future__ import annotations

import ast
import subprocess
import tempfile
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("ratusz/**/locale/pl/LC_MESSAGES/django.po"))


def test_there_is_a_polish_catalogue():
    assert CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_has_a_polish_translation(po_path):
    catalogue = polib.pofile(str(po_path))
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=3;")
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_is_up_to_date(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run `make messages` to compile {po_path}"
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "-o", str(fresh), str(po_path)], check=True)
        compiled = {(e.msgid, e.msgstr) for e in polib.mofile(str(mo_path))}
        assert compiled == {(e.msgid, e.msgstr) for e in polib.mofile(str(fresh))}


def test_the_catalogues_cover_every_marked_string(tmp_path):
    """Re-extracting the strings in a copy of the tree finds nothing the catalogues lack."""
    import os
    import shutil
    import sys

    for part in ("ratusz", "templates"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    before = {
        p.relative_to(tmp_path): msgids(p)
        for p in tmp_path.glob("ratusz/**/pl/LC_MESSAGES/django.po")
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ratusz.settings.test",
        "PYTHONPATH": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "-m", "ratusz", "makemessages", "-l", "pl", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    for path in tmp_path.glob("ratusz/**/pl/LC_MESSAGES/django.po"):
        missing = msgids(path) - before.get(path.relative_to(tmp_path), set())
        assert not missing, (
            f"{path.relative_to(tmp_path)} lacks {sorted(missing)}: run `make messages`"
        )


def msgids(path: Path) -> set[str]:
    return {entry.msgid for entry in polib.pofile(str(path))}


# The names xgettext looks for (Django's makemessages passes these as keywords): a translation
# function imported under any other name marks strings that never reach the catalogue, and the
# page then shows English in every language.
XGETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def test_translation_functions_keep_names_that_makemessages_knows():
    renamed = []
    for path in sorted((ROOT / "ratusz").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.asname and alias.asname not in XGETTEXT_NAMES
                ]
    assert renamed == []
