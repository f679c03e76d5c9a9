"""The project's shape: the standard library's `platform` is not shadowed; A005 stays on."""

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
