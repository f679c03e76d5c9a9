"""Rules of the code's shape that import-linter cannot see (ARCHITECTURE.md §4).

No module of Ratusz is imported inside a function, except in an AppConfig's ready() (where an
app registers itself with the layers below: listeners, hooks, checks, personal data). An import
inside a function hides a cycle between modules that the layers' contracts would otherwise
catch; every one the code had was removed by fixing the cycle, and this test keeps the count
at zero.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ratusz"

# Modules allowed to keep some, with how many: none any more. A module that cannot avoid one
# for a while goes here with its count and the reason, and leaves once it has none.
NOT_YET_CLEARED: dict[str, int] = {}


def _is_ratusz(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "ratusz"
    return any(alias.name.split(".")[0] == "ratusz" for alias in node.names)


def _is_app_config(node: ast.ClassDef) -> bool:
    return any(
        (isinstance(base, ast.Name) and base.id.endswith("AppConfig"))
        or (isinstance(base, ast.Attribute) and base.attr.endswith("AppConfig"))
        for base in node.bases
    )


def _function_level_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, enclosing function) of each import of a Ratusz module made inside a function,
    leaving out those of an AppConfig's ready()."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str | None, in_ready: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                ready = (
                    isinstance(node, ast.ClassDef)
                    and _is_app_config(node)
                    and child.name == "ready"
                )
                visit(child, child.name, in_ready or ready)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if function is not None and not in_ready and _is_ratusz(child):
                    found.append((child.lineno, function))
            else:  # a class body runs at import time: only its functions count
                visit(child, function, in_ready)

    visit(tree, None, False)
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_of_ratusz_is_imported_inside_a_function_but_ready():
    over: list[str] = []
    for path in _modules():
        name = str(path.relative_to(ROOT))
        imports = _function_level_imports(ast.parse(path.read_text(), filename=name))
        if len(imports) > NOT_YET_CLEARED.get(name, 0):
            over += [f"{name}:{line} (in {function}())" for line, function in imports]
    assert not over, "imports of Ratusz modules inside functions (fix the cycle they hide):\n" + (
        "\n".join(over)
    )


def test_the_allow_list_only_names_modules_that_still_need_it():
    for name, allowed in NOT_YET_CLEARED.items():
        path = ROOT / name
        assert path.exists(), f"{name} no longer exists: drop it from NOT_YET_CLEARED"
        count = len(_function_level_imports(ast.parse(path.read_text())))
        assert count, f"{name} has no function-level import left: drop it from NOT_YET_CLEARED"
        assert count <= allowed, name


def test_the_rule_sees_imports_inside_functions_and_allows_ready():
    source = """
from django.apps import AppConfig
from ratusz.tenants import context

class CityConfig(AppConfig):
    def ready(self):
        from ratusz.x import y

class Other:
    def method(self):
        from ratusz.x import y

def function():
    import json
    from . import sibling
    def inner():
        import ratusz.tenants
"""
    found = _function_level_imports(ast.parse(source))
    assert [line for line, _ in found] == [11, 15, 17]
