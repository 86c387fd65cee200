"""The scenario notebook runs through papermill for both shipped specs and an inline target.

Asserts on what it writes: the CSV tables (implied CAGR, required rate, fixed
columns) and the fan chart PNG.
"""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import papermill as pm
import pytest

from analysis import config
from analysis.scenarios.results import SUMMARY_COLUMNS

NOTEBOOK = config.NOTEBOOKS_DIR / "scenario.ipynb"

RUNS = [
    # id, parameters, implied CAGR %, (latest actual year, required %) or None, scenario columns
    ("jiaojiang spec", {"spec": "data/scenarios/jiaojiang_retail_2025.yaml"}, 6.977, None,
     ["plan", "thirteenth_plan_pace", "slow", "shock"]),
    ("national spec", {"spec": "data/scenarios/national_retail_2027.yaml"}, 4.958,
     (2024, 4.075),  # (550000/487895)^(1/3)-1
     ["baseline", "slow", "recovery", "shock"]),
    ("inline target", {"spec": None, "indicator": "社会消费品零售总额", "unit": "亿元",
                       "base_year": 2020, "base_value": 290.5, "target_year": 2025,
                       "target_value": 407.0, "actuals": "2021:300,2022:320", "n_paths": 5000},
     6.977, (2022, 8.346),  # (407/320)^(1/3)-1
     ["history"]),
]


def test_notebook_is_committed_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "def " not in cell.source and "class " not in cell.source
    # every parameter documented for `papermill --help-notebook`: name: type = default  # help
    params = pm.inspect_notebook(str(NOTEBOOK))
    assert set(params) == {"spec", "indicator", "unit", "base_year", "base_value", "target_year",
                           "target_value", "target_rate", "actuals", "horizon", "confidence",
                           "n_paths", "seed", "out_dir"}
    assert all(p["help"] and p["inferred_type_name"] != "None" for p in params.values())


@pytest.mark.slow
@pytest.mark.parametrize("name,params,implied,required,scenarios", RUNS, ids=[r[0] for r in RUNS])
def test_notebook_runs_and_writes_tables(tmp_path, name, params, implied, required, scenarios):
    out = tmp_path / "out"
    pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "run.ipynb"),
                        parameters=params | {"out_dir": str(out)}, cwd=str(tmp_path),
                        progress_bar=False)
    growth = pd.read_csv(out / "required_growth.csv")
    row = growth[growth["measure"] == "implied"].iloc[0]
    assert row["rate_pct"] == pytest.approx(implied, abs=5e-4)
    if required:
        year, rate = required
        req = growth[(growth["measure"] == "required") & (growth["from_year"] == year)].iloc[0]
        assert req["rate_pct"] == pytest.approx(rate, abs=5e-4)
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == SUMMARY_COLUMNS + scenarios
    assert len(pd.read_csv(out / "sensitivity.csv")) >= 5
    assert set(pd.read_csv(out / "probability.csv")["method"]) == {"ets", "arima", "simulation"}
    png = (out / "fan_chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["base_source"]
    executed = nbformat.read(tmp_path / "run.ipynb", as_version=4)
    images = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 1  # the fan chart, shown once
    shown = "".join(str(o.get("data", {}).get(kind, "")) for c in executed.cells
                    if c.cell_type == "code" for o in c.outputs
                    for kind in ("text/html", "text/plain"))
    assert not re.search(r"\b2,0[12]\d\.0+\b|\b20[12]\d\.0000\b", shown)  # years print as 2020
