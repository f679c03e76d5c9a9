"""Print the figures of the code's shape (issue 14): `python scripts/architecture_figures.py`.

- function-level imports of Ratusz modules, per top package (those in `AppConfig.ready()`,
  where Django wants them, are counted apart);
- file-level import cycles: strongly connected components of the module graph that grimp
  builds (every import, wherever it is written; `if TYPE_CHECKING:` imports left out), and the
  same graph without the function-level imports (the cycles that would fail at import time);
- the largest modules (lines) and the most complex functions (1 + the branches radon counts:
  if/elif, loops, except, with, assert, comprehensions, boolean operators, conditional
  expressions, match cases; nested functions counted on their own).

Optional arguments limit the figures to packages: `... ratusz.tenants ratusz.billing`.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "ratusz"
TOP_N = 15


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module
    lines: int


def load_modules() -> list[Module]:
    modules = []
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if "migrations" in parts:
            continue  # generated; their imports and sizes are not design choices
        if parts[-1] == "__init__":
            parts.pop()
        source = path.read_text()
        modules.append(Module(".".join(parts), path, ast.parse(source), len(source.splitlines())))
    return modules


def top_package(name: str) -> str:
    """`ratusz.tenants.x` -> `ratusz.tenants`; a module right under ratusz/ -> `ratusz/*.py`."""
    parts = name.split(".")
    if len(parts) >= 2 and (ROOT / PACKAGE / parts[1]).is_dir():
        return ".".join(parts[:2])
    return f"{PACKAGE}/*.py"


def resolve(module: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute names a statement imports (only those inside the product package)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            is_package = module.path.name == "__init__.py"
            anchor = module.name.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        names = [base]
    return [n for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")]


@dataclass(frozen=True)
class FunctionImport:
    module: str
    line: int
    in_ready: bool


def function_level_imports(module: Module) -> Iterator[FunctionImport]:
    def walk(node: ast.AST, in_function: bool, in_ready: bool, in_appconfig: bool) -> Iterator:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                is_config = any(
                    (isinstance(b, ast.Name) and b.id == "AppConfig")
                    or (isinstance(b, ast.Attribute) and b.attr == "AppConfig")
                    for b in child.bases
                )
                yield from walk(child, in_function, in_ready, is_config)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                ready = in_ready or (in_appconfig and not in_function and child.name == "ready")
                yield from walk(child, True, ready, False)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if in_function and resolve(module, child):
                    yield FunctionImport(module.name, child.lineno, in_ready)
            else:
                yield from walk(child, in_function, in_ready, in_appconfig)

    yield from walk(module.tree, False, False, False)


BRANCHES = (
    ast.If,
    ast.IfExp,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ExceptHandler,
    ast.With,
    ast.AsyncWith,
    ast.Assert,
    ast.comprehension,
    ast.match_case,
)


def complexity(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    score = 1

    def walk(node: ast.AST) -> None:
        nonlocal score
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue  # a nested function is counted on its own
            if isinstance(child, BRANCHES):
                score += 1
                if isinstance(child, ast.comprehension):
                    score += len(child.ifs)
            elif isinstance(child, ast.BoolOp):
                score += len(child.values) - 1
            walk(child)

    walk(function)
    return score


def functions(module: Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    def walk(node: ast.AST, prefix: str) -> Iterator:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield f"{prefix}{child.name}", child
                yield from walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(module.tree, "")


def strongly_connected(nodes: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; only components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in nodes:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def print_cycles(title: str, nodes: set[str], edges: dict[str, set[str]]) -> None:
    components = strongly_connected(nodes, edges)
    mutual = sorted(
        (a, b) for a in nodes for b in edges.get(a, ()) if a < b and a in edges.get(b, ())
    )
    in_cycles = sum(len(c) for c in components)
    print(f"\n{title}")
    print(
        f"  {len(components)} cycle(s) (strongly connected components), "
        f"{in_cycles} modules in them; {len(mutual)} pair(s) importing each other"
    )
    for component in sorted(components, key=len, reverse=True):
        shown = ", ".join(component[:12]) + (" ..." if len(component) > 12 else "")
        print(f"  [{len(component)}] {shown}")
    for a, b in mutual:
        print(f"  pair: {a} <-> {b}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="limit to these packages (dotted)")
    parser.add_argument(
        "--list", action="store_true", help="also list each function-level import (file:line)"
    )
    args = parser.parse_args()

    def wanted(name: str) -> bool:
        return not args.packages or any(
            name == p or name.startswith(p + ".") for p in args.packages
        )

    modules = [m for m in load_modules() if wanted(m.name)]
    by_name = {m.name: m for m in modules}

    print("== Function-level imports of Ratusz modules (outside AppConfig.ready() / in it)")
    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    where: dict[str, set[int]] = {}
    for module in modules:
        for imp in function_level_imports(module):
            (inside if imp.in_ready else outside)[top_package(module.name)] += 1
            if not imp.in_ready:
                where.setdefault(module.name, set()).add(imp.line)
    for package in sorted(set(outside) | set(inside)):
        print(f"  {package:32} {outside[package]:4} / {inside[package]}")
    print(f"  {'total':32} {sum(outside.values()):4} / {sum(inside.values())}")
    if args.list:
        for name, lines in sorted(where.items()):
            path = by_name[name].path.relative_to(ROOT)
            print(f"    {path}: {', '.join(str(n) for n in sorted(lines))}")

    graph = grimp.build_graph(
        PACKAGE, include_external_packages=False, exclude_type_checking_imports=True
    )
    nodes = {m for m in graph.modules if m in by_name}
    every: dict[str, set[str]] = {}
    top_level: dict[str, set[str]] = {}
    for importer in nodes:
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported not in nodes:
                continue
            every.setdefault(importer, set()).add(imported)
            lines = {
                d["line_number"]
                for d in graph.get_import_details(importer=importer, imported=imported)
            }
            if lines - where.get(importer, set()):
                top_level.setdefault(importer, set()).add(imported)
    print("\n== File-level import cycles (grimp; migrations left out)")
    print_cycles("Every import (function-level ones included):", nodes, every)
    print_cycles("Module-level imports only:", nodes, top_level)

    print(f"\n== The {TOP_N} largest modules (lines)")
    for module in sorted(modules, key=lambda m: m.lines, reverse=True)[:TOP_N]:
        print(f"  {module.lines:6}  {module.path.relative_to(ROOT)}")

    print(f"\n== The {TOP_N} most complex functions (1 + branches)")
    scored = [
        (complexity(node), f"{module.path.relative_to(ROOT)}:{node.lineno} {qualname}")
        for module in modules
        for qualname, node in functions(module)
    ]
    for score, label in sorted(scored, key=lambda s: (-s[0], s[1]))[:TOP_N]:
        print(f"  {score:4}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
