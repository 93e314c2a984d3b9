"""Feature packages may import the core and each other's models, never in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import backend

ROOT = Path(backend.__file__).parent
FEATURES = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "backend" and parts[1] in FEATURES:
        return parts[1]
    return None


def imports_between_features() -> dict[str, set[str]]:
    """Feature -> features it imports directly, anywhere in its modules (lazy imports too)."""
    graph: dict[str, set[str]] = {f: set() for f in FEATURES}
    for path in ROOT.rglob("*.py"):
        here = feature_of(".".join(("backend", *path.relative_to(ROOT).with_suffix("").parts)))
        if here is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                there = feature_of(name)
                if there is not None and there != here:
                    graph[here].add(there)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_walker_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_walker_sees_real_imports():
    graph = imports_between_features()
    assert "runs" in graph["practice"]
    assert "auth" in graph["runs"]


def test_no_import_cycle_between_feature_packages():
    cycle = find_cycle(imports_between_features())
    assert cycle is None, " -> ".join(cycle or [])
