"""The tables a report shows, computed once and saved beside it.

:func:`collect` runs the pipeline on one document (documents -> figures ->
checks) and derives the scenario table (each level target with the base it
grows from and the implied CAGR).  :meth:`Tables.save` writes
``document.json``, ``figures.csv``, ``checks.csv``, ``flags.csv`` and
``scenarios.csv``; :meth:`Tables.load` reads them back with their types, so
the exports (Markdown, Excel) and the batch overview use exactly what the
report notebook computed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.exceptions import DocumentError
from analysis.reports.atomic import write_text
from analysis.reports.layout import DOCUMENT_FILE, FILES, parse_rules

__all__ = ["FILES", "Tables", "collect", "parse_rules", "resolve_document", "scenario_table"]


#: Columns read back as whole numbers (nullable) and as floats.
INTEGER_COLUMNS = frozenset(
    {
        "year",
        "base_year",
        "span_years",
        "start",
        "end",
        "quote_start",
        "quote_end",
        "target_year",
        "years",
    }
)
FLOAT_COLUMNS = frozenset(
    {
        "value",
        "scale",
        "normalized",
        "stated",
        "computed",
        "base_value",
        "target_value",
        "implied_cagr",
        "stated_rate",
    }
)

#: Columns of the scenario table (one row per level/count target).
SCENARIO_COLUMNS = (
    "indicator",
    "unit",
    "base_id",
    "base_year",
    "base_value",
    "target_id",
    "target_year",
    "target_value",
    "qualifier",
    "years",
    "implied_cagr",
    "stated_rate",
    "quote",
)

#: Figure kinds that have a base -> target path.
PATH_KINDS = ("level", "count")


@dataclass
class Tables:
    """Everything one report shows about one document."""

    document: dict[str, Any]
    figures: pd.DataFrame
    checks: pd.DataFrame
    flags: pd.DataFrame
    scenarios: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def paths(self) -> pd.DataFrame:
        """Targets with a base: the rows of the scenario table with an implied CAGR."""
        return self.scenarios[self.scenarios["base_id"].notna()].reset_index(drop=True)

    @property
    def unbased(self) -> pd.DataFrame:
        """Targets without a base value in the document (for scenario follow-up)."""
        return self.scenarios[self.scenarios["base_id"].isna()].reset_index(drop=True)

    def counts(self) -> dict[str, int]:
        """Figures, checks, and checks per verdict.

        >>> t = Tables({}, pd.DataFrame({"id": ["F1"]}), pd.DataFrame({"verdict": ["consistent",
        ...     "inconsistent", "inconsistent"]}), pd.DataFrame(), pd.DataFrame(columns=SCENARIO_COLUMNS))
        >>> t.counts()
        {'figures': 1, 'checks': 3, 'inconsistent': 2, 'warning': 0, 'consistent': 1, 'targets_without_base': 0}
        """
        verdicts = (
            self.checks["verdict"].value_counts() if "verdict" in self.checks else pd.Series()
        )
        return {
            "figures": len(self.figures),
            "checks": len(self.checks),
            "inconsistent": int(verdicts.get("inconsistent", 0)),
            "warning": int(verdicts.get("warning", 0)),
            "consistent": int(verdicts.get("consistent", 0)),
            "targets_without_base": int(self.scenarios["base_id"].isna().sum())
            if len(self.scenarios)
            else 0,
        }

    def save(self, folder: str | Path) -> list[Path]:
        """Write the tables (CSV, UTF-8) and ``document.json`` into ``folder``, each atomically."""
        folder = Path(folder)
        written = []
        for name, file in FILES.items():
            written.append(
                write_text(folder / file, csv_ready(getattr(self, name)).to_csv(index=False))
            )
        meta = {"document": self.document, "settings": self.settings, "counts": self.counts()}
        written.append(
            write_text(
                folder / DOCUMENT_FILE, json.dumps(meta, ensure_ascii=False, indent=2, default=str)
            )
        )
        return written

    @classmethod
    def load(cls, folder: str | Path) -> Tables:
        """Read the tables saved by :meth:`save` (numbers as numbers, missing as NA)."""
        folder = Path(folder)
        meta = json.loads((folder / DOCUMENT_FILE).read_text(encoding="utf-8"))
        frames = {name: read_csv(folder / file) for name, file in FILES.items()}
        return cls(document=meta["document"], settings=meta.get("settings", {}), **frames)


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for CSV: Decimals in plain notation, lists joined with ", ".

    >>> csv_ready(pd.DataFrame({"v": [Decimal("1E+8")], "ids": [["F1", "F2"]]})).iloc[0].tolist()
    ['100000000', 'F1, F2']
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(_csv_cell)
    return out


def _csv_cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (list, tuple, set, frozenset)):
        return ", ".join(str(_csv_cell(x)) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a saved table: known integer columns as ``Int64``, known float columns as float,
    every other column as text (a printed number like ``"1,000"`` stays text)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for col in frame.columns:
        if col in INTEGER_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round().astype("Int64")
        elif col in FLOAT_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return frame


def resolve_document(path: str | Path) -> Path:
    """``path`` made absolute: as given, or else relative to the project root
    (notebooks run from notebooks/, ``data/samples/x.txt`` still resolves).

    >>> resolve_document("analysis/config.py") == config.PROJECT_ROOT / "analysis" / "config.py"
    True
    """
    p = Path(path).expanduser()
    if not str(path).strip():
        raise DocumentError("<empty>", "no document given", "pass the path of a document")
    if p.exists() or p.is_absolute():
        return p.resolve()
    rooted = config.PROJECT_ROOT / p
    return rooted if rooted.exists() else p


def _key(row: pd.Series) -> str | None:
    for col in ("indicator_canonical", "indicator"):
        v = row.get(col)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _present(v: Any) -> bool:
    return v is not None and v is not pd.NA and not (isinstance(v, float) and math.isnan(v))


def scenario_table(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per level/count target: its base (when the document has one) and implied CAGR.

    The base is the latest ``actual`` figure of the same indicator (canonical
    name, else as printed), kind and base unit, in a year before the target's;
    among several for that year the first in the document wins.  The base is
    expressed in the target's printed unit (906.2万美元 -> 0.09062亿美元).
    ``implied_cagr`` is :func:`analysis.growth.cagr` in percent;
    ``stated_rate`` is an ``avg_growth`` target of the same indicator and year.

    >>> from decimal import Decimal as D
    >>> f = pd.DataFrame([
    ...  dict(id="F1", indicator="社零", indicator_canonical=None, kind="level", status="actual",
    ...       year=2020, value=D("290.5"), unit="亿元", scale=D(10**8), base_unit="CNY", qualifier=None, quote="q1"),
    ...  dict(id="F2", indicator="社零", indicator_canonical=None, kind="level", status="target",
    ...       year=2025, value=D("407"), unit="亿元", scale=D(10**8), base_unit="CNY", qualifier="exceeds", quote="q2"),
    ...  dict(id="F3", indicator="网零", indicator_canonical=None, kind="level", status="target",
    ...       year=2025, value=D("235"), unit="亿元", scale=D(10**8), base_unit="CNY", qualifier=None, quote="q3")])
    >>> t = scenario_table(f)
    >>> t[["indicator", "base_value", "target_value", "years"]].values.tolist()
    [['社零', 290.5, 407.0, 5], ['网零', nan, 235.0, <NA>]]
    >>> round(float(t.loc[0, "implied_cagr"]), 3)
    6.977
    """
    from analysis import growth

    rows: list[dict[str, Any]] = []
    if figures.empty or "kind" not in figures:
        return _scenario_frame(rows)
    figs = figures.copy()
    figs["_key"] = figs.apply(_key, axis=1)
    figs["_order"] = range(len(figs))
    levels = figs[figs["kind"].isin(PATH_KINDS)]
    rates = figs[(figs["kind"] == "avg_growth") & (figs["status"] == "target")]
    for _, t in levels[levels["status"] == "target"].iterrows():
        row: dict[str, Any] = {
            "indicator": t["_key"] or "",
            "unit": t["unit"],
            "target_id": t["id"],
            "target_year": t["year"] if _present(t["year"]) else None,
            "target_value": float(t["value"]),
            "qualifier": t.get("qualifier"),
            "quote": t.get("quote"),
        }
        if t["_key"] and _present(t["year"]):
            same = levels[
                (levels["_key"] == t["_key"])
                & (levels["status"] == "actual")
                & (levels["kind"] == t["kind"])
                & (levels["base_unit"] == t["base_unit"])
                & levels["year"].notna()
            ]
            same = same[same["year"].astype(float) < float(t["year"])]
            if len(same):
                b = same.sort_values(["year", "_order"], ascending=[False, True]).iloc[0]
                years = int(t["year"]) - int(b["year"])
                base_value = float(Decimal(b["value"]) * Decimal(b["scale"]) / Decimal(t["scale"]))
                try:
                    implied = growth.cagr(base_value, float(t["value"]), years)
                except ValueError:
                    implied = math.nan
                row.update(
                    base_id=b["id"],
                    base_year=int(b["year"]),
                    base_value=base_value,
                    years=years,
                    implied_cagr=implied,
                )
            stated = rates[(rates["_key"] == t["_key"]) & (rates["year"] == t["year"])]
            if len(stated):
                row["stated_rate"] = float(stated.iloc[0]["value"])
        rows.append(row)
    return _scenario_frame(rows)


def _scenario_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(SCENARIO_COLUMNS))
    for col in SCENARIO_COLUMNS:
        if col in INTEGER_COLUMNS:
            frame[col] = (
                pd.array(frame[col].tolist(), dtype="Int64")
                if len(frame)
                else frame[col].astype("Int64")
            )
        elif col in FLOAT_COLUMNS:
            frame[col] = frame[col].astype(float)
    return frame


def collect(
    document: str | Path,
    rules: str | Iterable[str] | None = None,
    tolerance: float = 0.0,
) -> Tables:
    """Run the pipeline on ``document`` and return its report tables.

    ``rules`` selects check rules (names, or ``"a, b"``; None/"" for all);
    ``tolerance`` is the checks' extra relative slack on top of the rounding
    intervals of the printed values (0.01 = 1 %).

    Raises :class:`~analysis.exceptions.DocumentError` (one line, naming the
    file) when the document cannot be read.
    """
    from analysis import checks, pipeline

    rule_names = parse_rules(rules)
    result = pipeline.analyse(resolve_document(document), rules=rule_names, tolerance=tolerance)
    fig_frame = result.figures_frame
    check_frame = result.checks if result.checks is not None else checks.run([])
    return Tables(
        document=result.document.info(),
        figures=fig_frame,
        checks=check_frame,
        flags=checks.flags(check_frame),
        scenarios=scenario_table(fig_frame),
        settings={"rules": rule_names, "tolerance": float(tolerance)},
    )
