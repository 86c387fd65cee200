"""The figure store: every document's figures and checks in one DuckDB file.

A batch over many documents (nightly runs, a folder of plans) writes each
document's rows here, keyed by the document's sha256, so that questions across
documents are one SQL query (``SELECT indicator_canonical, year, value FROM
figures WHERE kind = 'level'``) and re-running an unchanged document replaces
its rows instead of duplicating them.

>>> from analysis.documents import from_text
>>> from analysis.figures import extract
>>> doc = from_text("2020年，全区实现社会消费品零售总额290.5亿元。", "demo")
>>> with FigureStore(":memory:") as store:
...     store.add(doc, extract(doc))
...     store.query("SELECT document, value, unit FROM figures").values.tolist()
[['demo', '290.5', '亿元']]
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.figures import to_frame
from analysis.figures.model import Figure

__all__ = ["FigureStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    document VARCHAR PRIMARY KEY, path VARCHAR, sha256 VARCHAR, encoding VARCHAR,
    chars BIGINT, title VARCHAR, year INTEGER);
CREATE TABLE IF NOT EXISTS figures (
    document VARCHAR, id VARCHAR, indicator VARCHAR, indicator_canonical VARCHAR,
    indicator_en VARCHAR, region VARCHAR, year INTEGER, period VARCHAR,
    value VARCHAR,            -- exact decimal as printed
    unit VARCHAR, scale VARCHAR, base_unit VARCHAR, normalized DOUBLE, kind VARCHAR,
    qualifier VARCHAR, status VARCHAR, source VARCHAR, start_offset BIGINT,
    end_offset BIGINT, quote VARCHAR);
CREATE TABLE IF NOT EXISTS checks (
    document VARCHAR, rule VARCHAR, verdict VARCHAR, severity VARCHAR, figures VARCHAR,
    stated VARCHAR, computed VARCHAR, interval VARCHAR, arithmetic VARCHAR,
    message_zh VARCHAR, message_en VARCHAR);
"""

_FIGURE_COLUMNS = ["document", "id", "indicator", "indicator_canonical", "indicator_en", "region",
                   "year", "period", "value", "unit", "scale", "base_unit", "normalized", "kind",
                   "qualifier", "status", "source", "start", "end", "quote"]
_CHECK_COLUMNS = ["rule", "verdict", "severity", "figures", "stated", "computed", "interval",
                  "arithmetic", "message_zh", "message_en"]


class FigureStore:
    """A DuckDB database of figures and checks (``path`` may be ``":memory:"``)."""

    def __init__(self, path: str | Path):
        import duckdb

        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(path))
        self.con.execute(_SCHEMA)

    def __enter__(self) -> "FigureStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def add(self, document, figures: list[Figure], checks: pd.DataFrame | None = None) -> None:
        """Replace ``document``'s rows with these figures (and checks), in one transaction."""
        doc_id = document.doc_id
        info = document.info()
        figs = to_frame(figures).assign(document=doc_id)
        figs = figs[_FIGURE_COLUMNS[:1] + [c for c in _FIGURE_COLUMNS[1:]]]
        figs = figs.assign(value=figs["value"].map(lambda d: format(d, "f")),
                           scale=figs["scale"].map(lambda d: format(d, "f")))
        self.con.execute("BEGIN")
        try:
            for table in ("documents", "figures", "checks"):
                self.con.execute(f"DELETE FROM {table} WHERE document = ?", [doc_id])
            self.con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                [doc_id, info["path"], info["sha256"], info["encoding"], info["chars"],
                 info["title"], info["year"]])
            if len(figs):
                self.con.register("_figs", figs)
                self.con.execute("INSERT INTO figures SELECT * FROM _figs")
                self.con.unregister("_figs")
            if checks is not None and len(checks):
                rows = checks.reindex(columns=_CHECK_COLUMNS).astype(object)
                rows = rows.map(lambda v: v if isinstance(v, str) or v is None
                                else json.dumps(v, ensure_ascii=False, default=str))
                rows.insert(0, "document", doc_id)
                self.con.register("_checks", rows)
                self.con.execute("INSERT INTO checks SELECT * FROM _checks")
                self.con.unregister("_checks")
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run SQL over the ``documents``, ``figures`` and ``checks`` tables."""
        return self.con.execute(sql, params or []).df()

    def figures(self) -> pd.DataFrame:
        return self.query("SELECT * FROM figures ORDER BY document, start_offset")

    def indicators_across_documents(self) -> pd.DataFrame:
        """Each known indicator's levels by document and year (the batch overview)."""
        return self.query("""
            SELECT indicator_canonical, document, year, status, value, unit, source
            FROM figures
            WHERE indicator_canonical IS NOT NULL AND kind IN ('level', 'count')
            ORDER BY indicator_canonical, year, document""")
