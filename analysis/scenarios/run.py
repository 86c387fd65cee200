"""On top of the model: render results as text/JSON/CSV, save them, and one call for both.

``policycheck scenario --spec data/scenarios/NAME.yaml [--out DIR] [--format table|json|csv]``
(``analysis.cli``) and the notebook call :func:`run` / :func:`render_text` /
:func:`save`.  Layers, bottom to top: spec -> forecast, paths -> results ->
model -> chart -> run (``tests/test_scenarios_layers.py`` keeps it so).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import cells, config
from analysis.scenarios.chart import fan_chart
from analysis.scenarios.model import TargetModel
from analysis.scenarios.results import TargetResults, json_default
from analysis.scenarios.spec import load_spec

__all__ = ["FORMATS", "render_text", "resolve_out", "run", "save"]

#: Default output folder, a template filled with the spec's name.
OUT_TEMPLATE = "reports/scenarios/{name}"


def resolve_out(out_dir: str | Path | None, name: str) -> Path:
    """The output folder: ``{name}`` filled in; relative paths start at the project root.

    >>> resolve_out("reports/scenarios/{name}", "x") == config.PROJECT_ROOT / "reports/scenarios/x"
    True
    >>> resolve_out("/tmp/out", "x")
    PosixPath('/tmp/out')
    """
    path = Path(str(out_dir or OUT_TEMPLATE).format(name=name)).expanduser()
    return path if path.is_absolute() else config.PROJECT_ROOT / path


def _fmt_table(df: pd.DataFrame, index: bool = False) -> str:
    def num(x: float) -> str:
        if pd.isna(x):
            return ""
        return f"{x:,.4g}" if abs(x) < 100 else f"{x:,.2f}"

    return df.to_string(index=index, float_format=num, na_rep="")


def _with_actual(results: Any) -> pd.DataFrame:
    """The summary frame with the actuals beside the year (display only)."""
    frame = results.summary_frame()
    frame.insert(1, "actual", frame["year"].map(results.model.actual))
    return frame


def render_text(results: TargetResults) -> str:
    """A readable plain-text report of a :class:`~analysis.scenarios.TargetResults`."""
    m, s = results.model, results.spec
    lines = [f"{s.title or s.indicator}  [{s.name}]", ""]
    tq = f" ({s.target_qualifier})" if s.target_qualifier else ""
    lines.append(f"  base    {m.base_year}  {s.base_value} {s.unit}   from {s.base_source}")
    if s.base_note:
        lines.append(f"          {s.base_note}")
    if s.target_value is not None:
        lines.append(
            f"  target  {m.target_year}  {s.target_value} {s.unit}{tq}   from {s.target_source}"
        )
    else:
        lines.append(
            f"  target  {m.target_year}  {s.target_rate} % a year{tq} "
            f"(level {m.target:,.2f} {s.unit})   from {s.target_source}"
        )
    for w in results.warnings:
        lines.append(f"  WARNING: {w}")
    lines.append(
        f"  implied CAGR {m.implied:.3f} %"
        + (f"; stated {m.stated:g} %" if m.stated is not None else "")
        + f"; paths start from {m.start_source} ({m.start_year}: {m.start:,.6g})"
    )
    sections: list[tuple[str, pd.DataFrame, bool]] = [
        (
            "Required growth (%, pp)",
            results.required_growth_table().drop(columns=["source"]),
            False,
        ),
        ("Scenarios", results.scenario_table().drop(columns=["target"]), False),
        (
            f"Probability of reaching the target in {m.target_year}",
            results.probability()[["method", "shown", "reliability", "basis", "note"]],
            False,
        ),
        (
            (
                f"Year by year (forecast: {results.primary_method or 'none'}, "
                f"{(1 - results.alpha) * 100:g} % interval)"
            ),
            _with_actual(results),
            False,
        ),
        (
            (
                f"Sensitivity: {m.target_year} level by growth rate (rows, %) and "
                f"{m.start_year} start level (columns)"
            ),
            results.sensitivity_table(),
            True,
        ),
    ]
    cov = results.coverage(0.2)
    if len(cov):
        sections.append(
            ("Backtests: one-step-ahead forecasts, rolling origin (80 % intervals)", cov, False)
        )
    choice = results.method_choice()
    if len(choice):
        sections.append(("Forecast method (chosen by backtest)", choice, False))
    for title, df, index in sections:
        lines += ["", title, _fmt_table(df, index=index)]
    if results.unavailable:
        lines += [
            "",
            "Not fitted: " + "; ".join(f"{k}: {v}" for k, v in results.unavailable.items()),
        ]
    return "\n".join(lines) + "\n"


def _json(results: Any) -> str:
    return json.dumps(results.to_dict(), ensure_ascii=False, indent=2)


def _csv(results: Any) -> str:
    return cells.to_csv(results.summary_frame(), float_format="%.10g")


def save(results: TargetResults, out_dir: str | Path, chart: bool = True) -> dict[str, Path]:
    """Write every table as CSV, ``meta.json`` and ``fan_chart.png`` into ``out_dir``.

    Everything is computed before the first file is written, and each file
    is written atomically.  Returns the paths by name.
    """
    from analysis.reports.atomic import write_bytes

    out = Path(out_dir)
    payload: dict[str, bytes] = {
        f"{k}.csv": cells.to_csv(v, float_format="%.10g").encode("utf-8")
        for k, v in results.tables().items()
    }
    payload["meta.json"] = json.dumps(
        results.meta(), ensure_ascii=False, indent=2, default=json_default
    ).encode("utf-8")
    if chart:
        buf = io.BytesIO()
        fan_chart(results).savefig(buf, format="png", dpi=120)
        payload["fan_chart.png"] = buf.getvalue()
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in payload.items():
        written[name.rsplit(".", 1)[0]] = write_bytes(out / name, data)
    return written


#: Output formats, looked up by name (``--format``).
FORMATS: dict[str, Callable[[Any], str]] = {"table": render_text, "json": _json, "csv": _csv}


def run(
    spec_path: str | Path,
    out_dir: str | Path | None = None,
    fmt: str = "table",
    *,
    alpha: float = 0.05,
    n_paths: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Load a spec, fit, render in ``fmt`` and, when ``out_dir`` is given, write the CSVs and chart.

    Returns ``{"name", "results", "output"`` (the rendered text), ``"files"``
    (name -> path; empty without ``out_dir``)}.  A bad spec raises
    :class:`~analysis.exceptions.SpecError` before anything is written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    spec = load_spec(spec_path)
    results = TargetModel(spec).fit(alpha=alpha, n_paths=n_paths, seed=seed)
    output = FORMATS[fmt](results)
    files = save(results, resolve_out(out_dir, spec.name)) if out_dir is not None else {}
    return {"name": spec.name, "results": results, "output": output, "files": files}
