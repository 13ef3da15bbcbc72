"""Two import rules that import-linter's layers do not cover (make check, CI).

1. No project module imports another project module inside a function. An
   import inside a function to dodge a circle means something sits in the
   wrong layer: move it instead. Django's `AppConfig.ready()` is the one usual
   place for such imports (signal handlers, checks); anything else needs an
   entry in ALLOWED below, with the reason a top-level import is impossible.
2. No import cycle between any two project modules, counting every import
   made at run time (top level or inside a function; imports under
   `if TYPE_CHECKING:` are left out, they never run).

tests/, bench/ and migrations are not checked. Exit status 1 when either rule
is broken.

    python scripts/check_local_imports.py
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
SKIP_PARTS = {"tests", "bench", "migrations", "__pycache__"}

# "path/to/module.py::function -> imported.module": why it cannot be at the top.
ALLOWED: dict[str, str] = {}


def project_packages() -> list[str]:
    """The packages import-linter knows as the project's (pyproject.toml)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["root_packages"])


def _python_files(packages: list[str]) -> Iterator[Path]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not SKIP_PARTS & set(path.relative_to(ROOT).parts):
                yield path


def _is_app_ready(cls: ast.ClassDef, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in cls.bases}
    return fn.name == "ready" and any(base.endswith("AppConfig") for base in bases)


def _imported_modules(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")[: -node.level]
        return [".".join([*base, node.module] if node.module else base)]
    return [node.module or ""]


def local_imports(packages: list[str]) -> list[tuple[str, str]]:
    """(where, key) for every function-local import of a project module."""
    found = []
    for path in _python_files(packages):
        rel = path.relative_to(ROOT)
        module = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"), str(rel))
        ready_functions = {
            id(fn)
            for cls in ast.walk(tree)
            if isinstance(cls, ast.ClassDef)
            for fn in cls.body
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) and _is_app_ready(cls, fn)
        }
        seen: set[int] = set()
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) or id(fn) in ready_functions:
                continue
            for node in ast.walk(fn):
                if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in seen:
                    continue
                seen.add(id(node))  # an import in a nested function is reported once
                for imported in _imported_modules(node, module):
                    if imported.split(".")[0] in packages:
                        found.append((f"{rel}:{node.lineno}", f"{rel}::{fn.name} -> {imported}"))
    return found


def import_graph(packages: list[str]) -> dict[str, list[str]]:
    """Each project module (tests, bench and migrations left out) and the
    project modules it imports at run time."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*packages, exclude_type_checking_imports=True, cache_dir=None)
    modules = {m for m in graph.modules if not SKIP_PARTS & set(m.split("."))}
    return {m: sorted(i for i in graph.find_modules_directly_imported_by(m) if i in modules) for m in sorted(modules)}


def import_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), each a cycle or several
    cycles that share modules, largest first."""
    modules = list(edges)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative Tarjan: a recursion as deep as the longest chain of imports is avoided.
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1 or node in edges[node]:
                        groups.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(groups, key=lambda g: (-len(g), g))


def shortest_cycle(graph_edges: dict[str, list[str]], group: list[str]) -> list[str]:
    """One shortest cycle through the group's first module, for the report."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in graph_edges[node]:
            if child == start:
                return [*paths[node], start]
            if child in members and child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return group


def main() -> int:
    packages = project_packages()
    failed = False

    found = local_imports(packages)
    unexplained = [(where, key) for where, key in found if key not in ALLOWED]
    stale = sorted(set(ALLOWED) - {key for _, key in found})
    print(f"Function-local imports of project modules: {len(unexplained)} (allowed: {len(found) - len(unexplained)})")
    for where, key in unexplained:
        print(f"  {where}  {key.split('::', 1)[1]}")
    for key in stale:
        print(f"  ALLOWED entry no longer needed, remove it: {key}")
    failed |= bool(unexplained or stale)

    edges = import_graph(packages)
    cycles = import_cycles(edges)
    print(f"Import cycles between project modules: {len(cycles)}")
    for group in cycles:
        print(f"  {len(group)} modules: {', '.join(group)}")
        print(f"    e.g. {' -> '.join(shortest_cycle(edges, group))}")
    failed |= bool(cycles)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
