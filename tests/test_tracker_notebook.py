"""The target tracker notebook runs through papermill on the sample documents."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from analysis import config

NOTEBOOK = config.NOTEBOOKS_DIR / "target_tracker.ipynb"


def test_parameters_are_documented():
    params = pm.inspect_notebook(str(NOTEBOOK))
    assert set(params) == {"documents", "store", "region", "indicator", "n_paths", "seed"}
    assert all(p["help"] for p in params.values())


@pytest.mark.slow
def test_notebook_tracks_the_xiling_targets_with_a_chart_each(tmp_path):
    out = tmp_path / "run.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), cwd=str(tmp_path), progress_bar=False,
                        parameters={"documents": "data/samples", "region": "西岭县",
                                    "n_paths": 2000, "store": str(tmp_path / "f.duckdb")})
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("data", {}).get("text/plain", "") if o.get("output_type") != "stream"
                     else o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs)
    for verdict in ("on track", "needs acceleration", "out of reach"):
        assert verdict in text
    pngs = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(pngs) == 5  # one per 西岭县 target
    assert (tmp_path / "f.duckdb").is_file()
