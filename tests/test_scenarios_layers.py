"""The scenarios package has no import cycle (runtime imports, read from the source with ast).

Imports under ``if TYPE_CHECKING:`` are annotations only and do not count;
imports inside functions do (they run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis import config

PACKAGE = config.PROJECT_ROOT / "analysis" / "scenarios"


def _type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def imports(path: Path) -> set[str]:
    """Sibling modules of analysis.scenarios that ``path`` imports at run time."""
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("analysis.scenarios."):
                out.add(node.module.split(".")[2])
            elif node.module == "analysis.scenarios":
                out.update(a.name for a in node.names if (PACKAGE / f"{a.name}.py").exists())
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("analysis.scenarios."):
                    out.add(a.name.split(".")[2])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return out - {path.stem}


def graph() -> dict[str, set[str]]:
    return {p.stem: imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    """A cycle in ``g`` as a list of names (first = last), or None.

    >>> find_cycle({"a": {"b"}, "b": {"a"}})
    ['a', 'b', 'a']
    >>> find_cycle({"a": {"b"}, "b": set()}) is None
    True
    """
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (c := dfs(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state and (c := dfs(n)):
            return c
    return None


@pytest.mark.parametrize(
    ("g", "cycle"),
    [
        ({"chart": {"results"}, "results": {"chart"}}, True),
        ({"model": {"results"}, "results": {"run"}, "run": {"model"}}, True),
        ({"run": {"model", "chart"}, "chart": {"results"}, "model": {"results"}}, False),
    ],
)
def test_find_cycle_on_examples(g, cycle):
    assert (find_cycle(g) is not None) == cycle


def test_scenarios_package_has_no_import_cycle():
    g = graph()
    assert {"model", "results", "chart", "run", "spec"} <= set(g)
    assert find_cycle(g) is None, f"import cycle: {' -> '.join(find_cycle(g) or [])}"


def test_layers_point_down():
    """model -> results; chart and run on top; results imports neither model, chart nor run."""
    g = graph()
    assert "results" in g["model"]
    assert not g["results"] & {"model", "chart", "run"}
    assert not g["model"] & {"chart", "run"}
