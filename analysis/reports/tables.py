"""The tables a report shows, computed once and saved beside it.

:func:`collect` runs the pipeline on one document (documents -> figures ->
checks) and derives the target paths (:func:`analysis.targets.target_path_table`:
each level target with the base it grows from and the implied CAGR).
:meth:`Tables.save` writes ``document.json``, ``figures.csv``, ``checks.csv``, ``flags.csv`` and
``scenarios.csv``; :meth:`Tables.load` reads them back with their types, so
the exports (Markdown, Excel) and the batch overview use exactly what the
report notebook computed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import cells, config
from analysis.exceptions import DocumentError
from analysis.reports.atomic import write_text
from analysis.reports.layout import DOCUMENT_FILE, FILES, parse_rules
from analysis.targets import TARGET_PATH_COLUMNS, target_path_table  # noqa: F401 (doctest)

__all__ = ["FILES", "Tables", "collect", "parse_rules", "resolve_document"]


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

@dataclass
class Tables:
    """Everything one report shows about one document."""

    document: dict[str, Any]
    figures: pd.DataFrame
    checks: pd.DataFrame
    flags: pd.DataFrame
    scenarios: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    #: What the checks covered (:func:`coverage_of`): counts and one-line summaries.
    coverage: dict[str, Any] = field(default_factory=dict)

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
        ...     "inconsistent", "inconsistent"]}), pd.DataFrame(), pd.DataFrame(columns=TARGET_PATH_COLUMNS))
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
                write_text(folder / file, cells.to_csv(csv_ready(getattr(self, name))))
            )
        meta = {
            "document": self.document,
            "settings": self.settings,
            "counts": self.counts(),
            "coverage": self.coverage,
        }
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
        return cls(
            document=meta["document"],
            settings=meta.get("settings", {}),
            coverage=meta.get("coverage") or {},
            **frames,
        )


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
    frame = frame.rename(columns=cells.restore).map(cells.restore)
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


def coverage_of(figures: Any, check_frame: pd.DataFrame) -> dict[str, Any]:
    """The checks' coverage of ``figures`` as a dict with ``summary_zh``/``summary_en``
    lines ({} when :mod:`analysis.checks` has no coverage function)."""
    from analysis import checks

    fn = getattr(checks, "coverage", None)
    fn = getattr(fn, "coverage", fn)  # the function, or the module holding it
    if not callable(fn):
        return {}
    cov = fn(figures, check_frame)
    return {**cov.to_dict(), "summary_zh": cov.summary_zh(), "summary_en": cov.summary_en()}


def collect(
    document: str | Path,
    rules: str | Iterable[str] | None = None,
    tolerance: float = 0.0,
    date: str | None = None,
) -> Tables:
    """Run the pipeline on ``document`` and return its report tables.

    ``date`` (``YYYY-MM-DD``) reads the document as of that date when it prints none.

    ``rules`` selects check rules (names, or ``"a, b"``; None/"" for all);
    ``tolerance`` is the checks' extra relative slack on top of the rounding
    intervals of the printed values (0.01 = 1 %).

    Raises :class:`~analysis.exceptions.DocumentError` (one line, naming the
    file) when the document cannot be read.
    """
    from analysis import checks, pipeline

    rule_names = parse_rules(rules)
    result = pipeline.analyse(resolve_document(document), rules=rule_names, tolerance=tolerance,
                              date=date)
    fig_frame = result.figures_frame
    check_frame = result.checks if result.checks is not None else checks.run([])
    return Tables(
        document=result.document.info(),
        figures=fig_frame,
        checks=check_frame,
        flags=checks.flags(check_frame),
        scenarios=target_path_table(result.figures),
        settings={"rules": rule_names, "tolerance": float(tolerance)},
        coverage=coverage_of(result.figures, check_frame),
    )
