"""The batch overview: flags per document and indicators across documents.

Reads what the report notebooks saved in each ``<reports>/<document-id>/``
folder (``document.json``, ``figures.csv``, ``checks.csv``); hidden
(temporary) folders are ignored.  Used by ``notebooks/batch_index.ipynb``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.reports import labels
from analysis.reports.tables import DOCUMENT_FILE, FILES, Tables, resolve_document
from analysis.reports.views import fmt_number, table_html

__all__ = [
    "Overview",
    "flags_per_document",
    "indicators_across",
    "indicators_html",
    "load",
    "summary_html",
]

PER_DOCUMENT_COLUMNS = (
    "document",
    "title",
    "n_figures",
    "n_checks",
    "inconsistent",
    "gross",
    "major",
    "warning",
    "consistent",
)


@dataclass
class Overview:
    """Every report in a folder: one Tables per document id."""

    folder: Path
    reports: dict[str, Tables]

    @property
    def figures(self) -> pd.DataFrame:
        frames = [t.figures.assign(document=doc_id) for doc_id, t in self.reports.items()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @property
    def checks(self) -> pd.DataFrame:
        frames = [t.checks.assign(document=doc_id) for doc_id, t in self.reports.items()]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def load(folder: str | Path) -> Overview:
    """Read every report folder under ``folder`` (relative paths also from the project root)."""
    root = resolve_document(folder) if str(folder).strip() else Path(folder)
    reports: dict[str, Tables] = {}
    if root.is_dir():
        for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if (sub / DOCUMENT_FILE).is_file() and all((sub / f).is_file() for f in FILES.values()):
                reports[sub.name] = Tables.load(sub)
    return Overview(folder=root, reports=reports)


def flags_per_document(ov: Overview) -> pd.DataFrame:
    """One row per document: figures, checks, inconsistent (and how many gross, major),
    warnings, consistent."""
    rows = []
    for doc_id, t in ov.reports.items():
        checks = t.checks
        verdict = checks["verdict"] if "verdict" in checks else pd.Series(dtype=str)
        severity = checks["severity"] if "severity" in checks else pd.Series(dtype=str)
        rows.append(
            {
                "document": doc_id,
                "title": t.document.get("title", ""),
                "n_figures": len(t.figures),
                "n_checks": len(checks),
                "inconsistent": int((verdict == "inconsistent").sum()),
                "gross": int(((verdict == "inconsistent") & (severity == "gross")).sum()),
                "major": int(((verdict == "inconsistent") & (severity == "major")).sum()),
                "warning": int((verdict == "warning").sum()),
                "consistent": int((verdict == "consistent").sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(PER_DOCUMENT_COLUMNS))


def _describe(group: pd.DataFrame) -> str:
    """Levels of one indicator in one document, as "2020 290.5亿元 · 2025 ≥407亿元 (target)"."""
    parts = []
    for _, f in group.sort_values("year", na_position="last").iterrows():
        year = "" if pd.isna(f.get("year")) else f"{int(f['year'])} "
        mark = "→" if f.get("status") == "target" else ""
        parts.append(f"{mark}{year}{fmt_number(f.get('value'))}{f.get('unit') or ''}")
    return " · ".join(dict.fromkeys(parts))


def indicators_across(ov: Overview) -> pd.DataFrame:
    """Canonical indicators (levels) found in the documents: in how many, and the values in each
    (targets marked →)."""
    figs = ov.figures
    if figs.empty or "indicator_canonical" not in figs:
        return pd.DataFrame(columns=["indicator", "n_documents"])
    figs = figs[figs["indicator_canonical"].notna() & figs["kind"].isin(["level", "count"])]
    if figs.empty:
        return pd.DataFrame(columns=["indicator", "n_documents"])
    cells = (
        figs.groupby(["indicator_canonical", "document"], sort=True)
        .apply(_describe, include_groups=False)
        .unstack("document")
        .fillna("")
    )
    cells.insert(0, "n_documents", (cells != "").sum(axis=1))
    cells = cells.sort_values("n_documents", ascending=False, kind="stable")
    return cells.rename_axis(index="indicator", columns=None).reset_index()


def summary_html(ov: Overview, language: str = "both") -> str:
    """Flags per document (the table the index page links from)."""
    h = labels.heading("flags_per_document", language)
    if not ov.reports:
        return (
            f'<section id="flags-per-document" class="pc-section"><h2>{html.escape(h)}</h2>'
            f"<p>{html.escape(labels.heading('no_reports', language))}: {html.escape(str(ov.folder))}</p></section>"
        )
    table = table_html(flags_per_document(ov), PER_DOCUMENT_COLUMNS, language)
    return f'<section id="flags-per-document" class="pc-section"><h2>{html.escape(h)}</h2>{table}</section>'


def indicators_html(ov: Overview, language: str = "both") -> str:
    """Indicators across documents."""
    h = labels.heading("indicators_across", language)
    frame = indicators_across(ov)
    if frame.empty:
        return f'<section id="indicators" class="pc-section"><h2>{html.escape(h)}</h2><p>—</p></section>'
    table = table_html(frame, list(frame.columns), language)
    return f'<section id="indicators" class="pc-section"><h2>{html.escape(h)}</h2>{table}</section>'
