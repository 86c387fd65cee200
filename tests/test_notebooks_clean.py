"""Every committed notebook is thin and has no outputs (STYLE.md §6, §10)."""
from __future__ import annotations

import ast

import nbformat
import pytest

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(config.NOTEBOOKS_DIR)))
def test_notebook_is_clean_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME
    for cell in code:
        source = "\n".join(line for line in cell.source.splitlines()
                            if not line.lstrip().startswith(("%", "!")))   # IPython magics
        tree = ast.parse(source)
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert not defs, f"logic belongs in analysis/, not in {path.name}"


def test_there_are_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert {"check_document.ipynb", "scenario.ipynb", "batch_index.ipynb"} <= names
    assert len([p for p in NOTEBOOKS if p.parent.name == "teaching"]) >= 3
