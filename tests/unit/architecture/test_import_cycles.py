"""No new import cycles in survey/ or analysis/.

Module-level imports only: an import inside a function is deferred (the app factory, the
CLI, a job) and cannot form a cycle at import time. The cycles that stand today are listed
in KNOWN; the test fails when a new one appears, and when a known one is gone (so the list
only shrinks).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("survey", "analysis")

#: Cycles standing today, each as its sorted modules. Remove a line when its cycle is gone.
KNOWN: set[tuple[str, ...]] = set()


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
    return []


def _graph() -> dict[str, set[str]]:
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    modules = {_module(p): p for p in files if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in tree.body:  # module level only: deferred imports are not cycles
            if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks are not run
                continue
            for target in _targets(node, name, path.name == "__init__.py"):
                if target in modules and target != name:
                    found.add(target)
        graph[name] = found
    return graph


def _cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[tuple[str, ...]] = set()
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.add(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_new_import_cycles() -> None:
    cycles = _cycles(_graph())
    new = cycles - KNOWN
    assert not new, "new import cycles:\n" + "\n".join(" <-> ".join(c) for c in sorted(new))


def test_the_known_cycles_still_stand_so_the_list_only_shrinks() -> None:
    gone = KNOWN - _cycles(_graph())
    assert not gone, "remove from KNOWN, they are gone:\n" + "\n".join(map(str, sorted(gone)))


def test_the_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {("a", "b", "c")}
