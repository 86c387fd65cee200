"""analysis.runner: papermill execution, kernel choice, errors naming the document;
and the project's notebooks: thin, one documented parameters cell, no outputs."""

from __future__ import annotations

import ast

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbformat.v4 import new_code_cell, new_notebook

from analysis import config, runner
from analysis.exceptions import ReportError

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
MY_NOTEBOOKS = ["check_document.ipynb", "batch_index.ipynb"]


def _notebook(path, *sources, params="x: int = 1  # a number"):
    nb = new_notebook(
        cells=[new_code_cell(params, metadata={"tags": ["parameters"]})]
        + [new_code_cell(s) for s in sources]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


def _outputs(nb_path):
    nb = nbformat.read(str(nb_path), as_version=4)
    return ["".join(o.get("text", "")) for c in nb.cells for o in c.get("outputs", [])]


def test_kernel_is_the_projects_when_registered():
    from jupyter_client.kernelspec import KernelSpecManager

    runner.kernel_name.cache_clear()
    expected = (
        config.KERNEL_NAME
        if config.KERNEL_NAME in KernelSpecManager().find_kernel_specs()
        else "python3"
    )
    assert runner.kernel_name() == expected


def test_kernel_falls_back_to_python3(monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", lambda self: {"python3": "/x"})
    runner.kernel_name.cache_clear()
    try:
        assert runner.kernel_name() == "python3"
    finally:
        runner.kernel_name.cache_clear()


@pytest.mark.slow
def test_execute_injects_parameters(tmp_path):
    nb = _notebook(
        tmp_path / "p.ipynb",
        "print(x * 2, y)",
        params="x: int = 1  # a number\ny: str = 'a'  # a word",
    )
    out = runner.execute(nb, tmp_path / "out" / "p.ipynb", {"x": 21, "y": "报告"})
    assert _outputs(out) == ["42 报告\n"]


@pytest.mark.slow
def test_failure_names_document_and_cell_in_one_line(tmp_path):
    nb = _notebook(tmp_path / "f.ipynb", "1 + 1", "raise ValueError('no figures in this document')")
    out = tmp_path / "f.out.ipynb"
    with pytest.raises(ReportError) as err:
        runner.execute(nb, out, {"x": 2}, document="data/samples/bad.txt")
    msg = str(err.value)
    assert msg.startswith(
        "data/samples/bad.txt: f.ipynb failed at In [4]: ValueError: no figures in this document"
    )
    assert "\n" not in msg
    assert out.is_file()  # the executed notebook keeps the traceback


@pytest.mark.slow
def test_execute_many_runs_every_notebook(tmp_path):
    good = _notebook(tmp_path / "g.ipynb", "print(x)")
    bad = _notebook(tmp_path / "b.ipynb", "raise RuntimeError('broken')")
    runs = runner.execute_many(
        [
            runner.Run(bad, tmp_path / "o1.ipynb", {"x": 1}, document="a.txt"),
            runner.Run(good, tmp_path / "o2.ipynb", {"x": 7}, document="b.txt"),
        ]
    )
    assert [r.ok for r in runs] == [False, True]
    assert (
        runs[0].error.startswith("a.txt: b.ipynb failed")
        and "RuntimeError: broken" in runs[0].error
    )
    assert _outputs(tmp_path / "o2.ipynb") == ["7\n"]


def test_missing_notebook_is_reported(tmp_path):
    with pytest.raises(ReportError, match=r"^doc.txt: notebook .*nope.ipynb not found"):
        runner.execute(tmp_path / "nope.ipynb", tmp_path / "o.ipynb", document="doc.txt")


# ----------------------------------------------------------------------------- the notebooks


@pytest.mark.parametrize("name", MY_NOTEBOOKS)
def test_notebook_exists(name):
    assert (config.NOTEBOOKS_DIR / name).is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_parameters_cell_is_documented_for_help_notebook(path):
    """Every name assigned in the one parameters cell is listed by papermill --help-notebook, with help."""
    import papermill

    nb = nbformat.read(str(path), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assigned = [
        n.target.id for n in ast.parse(tagged[0].source).body if isinstance(n, ast.AnnAssign)
    ]
    plain = [n for n in ast.parse(tagged[0].source).body if isinstance(n, ast.Assign)]
    assert assigned and not plain, "parameters are written `name: type = default  # help`"
    inferred = papermill.inspect_notebook(str(path))
    assert list(inferred) == assigned
    for name, p in inferred.items():
        assert p["help"], f"{path.name}: parameter {name} has no help comment"
        assert p["inferred_type_name"] != "None", f"{path.name}: parameter {name} has no type"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_thin_and_committed_without_outputs(path):
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.get("outputs") and cell.get("execution_count") is None, (
            f"{path.name} has outputs"
        )
        tree = ast.parse(TransformerManager().transform_cell(cell.source))  # %magics -> Python
        defs = [
            n
            for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        ]
        assert not defs, f"{path.name}: move function/class definitions to analysis/"
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME


def _html_outputs(nb_path) -> str:
    nb = nbformat.read(str(nb_path), as_version=4)
    return "".join(
        "".join(o.get("data", {}).get("text/html", ""))
        for c in nb.cells
        for o in c.get("outputs", [])
    )


def _images(nb_path) -> int:
    nb = nbformat.read(str(nb_path), as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_check_document_runs_with_its_defaults_from_the_notebooks_folder(tmp_path):
    """As in JupyterLab: no parameters, cwd notebooks/; the default sample resolves from the project root."""
    out = runner.execute(
        config.NOTEBOOKS_DIR / "check_document.ipynb",
        tmp_path / "c.ipynb",
        cwd=config.NOTEBOOKS_DIR,
    )
    page = _html_outputs(out)
    assert 'id="flags"' in page and "实际利用外资" in page and 'id="unbased"' in page
    assert _images(out) == 1  # the base -> target charts, grouped in one image
    assert not list(tmp_path.glob("*.csv"))  # out_dir empty: nothing saved


@pytest.mark.slow
def test_check_document_through_the_papermill_cli_with_p_parameters(tmp_path):
    import subprocess
    import sys

    from analysis.reports import Tables

    tables_dir = tmp_path / "tables"
    doc = config.SAMPLES_DIR / "plan_2021_2025.txt"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(config.NOTEBOOKS_DIR / "check_document.ipynb"),
            str(tmp_path / "out.ipynb"),
            "-k",
            runner.kernel_name(),
            "--cwd",
            str(config.NOTEBOOKS_DIR),
            "-p",
            "document",
            str(doc),
            "-p",
            "language",
            "en",
            "-p",
            "out_dir",
            str(tables_dir),
            "-p",
            "rules",
            "avg_growth",
            "-p",
            "tolerance",
            "0.5",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    t = Tables.load(tables_dir)
    assert set(t.checks["rule"]) == {"avg_growth"}
    assert t.settings == {"rules": ["avg_growth"], "tolerance": 0.5}
    # a 50 % relative slack makes 25.3 % vs 22.53 % consistent: the tolerance reached the checks
    assert (t.checks["verdict"] == "consistent").all() and t.flags.empty
    page = _html_outputs(tmp_path / "out.ipynb")
    assert "<h2>Flags</h2>" in page and "问题数字" not in page


@pytest.mark.slow
def test_batch_index_runs_with_its_defaults_and_on_a_folder(tmp_path):
    empty = runner.execute(
        config.NOTEBOOKS_DIR / "batch_index.ipynb",
        tmp_path / "b0.ipynb",
        {"reports_dir": str(tmp_path / "none")},
        cwd=config.NOTEBOOKS_DIR,
    )
    assert "没有找到报告" in _html_outputs(empty)
    default = runner.execute(
        config.NOTEBOOKS_DIR / "batch_index.ipynb", tmp_path / "b1.ipynb", cwd=config.NOTEBOOKS_DIR
    )
    assert 'id="flags-per-document"' in _html_outputs(default)
