"""The project's shape: the standard library's `platform` is not shadowed; A005 stays on."""

import ast
import importlib
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_platform_is_the_standard_library_module():
    # Run from the repository root, where a top-level platform/ package would win.
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import platform; print(platform.__file__); print(platform.system())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert Path(out[0]).resolve().parent == Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert out[1] == "Linux"
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_our_platform_app_lives_inside_the_product_package():
    app = importlib.import_module("ratusz.platform")
    assert app.__file__ is not None
    assert Path(app.__file__).resolve().is_relative_to(ROOT / "ratusz")
    import platform

    assert platform is not app


def test_ruff_rule_a005_is_enabled():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    selected = config["select"]
    assert "A" in selected or "A005" in selected
    assert "A005" not in config.get("ignore", [])
    # And with our configuration ruff really reports a top-level package shadowing the
    # standard library (while ratusz/platform/, inside the product package, is fine).
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(ROOT / "pyproject.toml", tmp)
        (Path(tmp) / "platform").mkdir()
        (Path(tmp) / "platform" / "__init__.py").write_text("x = 1\n")
        probe = subprocess.run(
            [str(Path(sys.executable).parent / "ruff"), "check", "--no-cache", "."],
            cwd=tmp,
            capture_output=True,
            text=True,
        )
    assert probe.returncode == 1
    assert "A005" in probe.stdout
    assert "platform/__init__.py" in probe.stdout


def test_templates_live_in_one_place():
    # templates/<app_label>/... only (ARCHITECTURE.md §2): a template inside a Python package
    # would be found by the app-directories loader, but missed by the checks that walk
    # templates/ (unescaped output, inline scripts) and by whoever looks for it there.
    stray = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "ratusz").rglob("templates"))
    assert stray == []


def test_static_files_live_in_one_place():
    # ratusz/static/<name>/... (STATICFILES_DIRS), not static/ folders inside apps.
    stray = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "ratusz").rglob("static")
        if path != ROOT / "ratusz" / "static"
    )
    assert stray == []


# One name per role of a file in the city plane (ARCHITECTURE.md §2): resident URLs in
# public_urls.py, back-office URLs in staff_urls.py (included by backoffice.urls), back-office
# views in staff_views.py (a module or a package), resident views in views.py, a method's
# metrics and datasets in reporting.py. The back office shell keeps urls.py (the root of
# /admin/) and views.py (its home page).
_RETIRED_NAMES = {
    "staff.py": "staff_views.py",
    "urls_public.py": "public_urls.py",
    "reports.py": "reporting.py",
    "urls.py": "public_urls.py or staff_urls.py",
}


def test_city_plane_uses_one_name_per_role():
    city = ROOT / "ratusz" / "consultations"
    drift = sorted(
        f"{path.relative_to(ROOT)}: name it {_RETIRED_NAMES[path.name]}"
        for path in city.rglob("*.py")
        if path.name in _RETIRED_NAMES and path != city / "backoffice" / "urls.py"
    )
    assert drift == []


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_city_urls_reach_views_of_their_role():
    # Back-office URLs lead to staff views, residents' URLs never do.
    city = ROOT / "ratusz" / "consultations"
    wrong = []
    for urls in sorted(city.rglob("*_urls.py")):
        for module in _imported_modules(urls):
            parts = module.split(".")
            if urls.name == "staff_urls.py" and "views" in parts:
                wrong.append(f"{urls.relative_to(ROOT)} imports {module}")
            if urls.name == "public_urls.py" and "staff_views" in parts:
                wrong.append(f"{urls.relative_to(ROOT)} imports {module}")
    assert wrong == []


# A module that grows past ~400 lines becomes a package split by topic (ARCHITECTURE.md §2).
# The limit has some slack so a small change does not force a split on the spot.
MODULE_LINES_LIMIT = 450


def test_city_plane_modules_stay_small():
    city = ROOT / "ratusz" / "consultations"
    large = sorted(
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in city.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text().splitlines())) > MODULE_LINES_LIMIT
    )
    assert large == []
