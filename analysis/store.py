"""The figure store: every document's figures, checks and scenario rows in one DuckDB file.

Every ``policycheck report`` and ``policycheck check`` run fills it (default
``<out>/policycheck.duckdb`` for reports, :data:`analysis.config.STORE_PATH`
for checks).  Rows are keyed by the document id **and the sha256 of its
content**, and carry the ``run_id`` that wrote them: re-running an unchanged
document replaces its rows (never doubles them), while an edited document
gets new rows beside the old ones, so figures can be compared across
documents and over time.  ``runs`` and ``run_documents`` record every run and
what happened to each document in it (built, skipped, failed, checked).

Tables: ``runs``, ``run_documents``, ``documents``, ``figures``, ``checks``,
``scenarios``.  Questions across documents are one SQL query
(``policycheck query "SELECT indicator, year, value FROM figures"``), or in
pandas: ``duckdb.connect("reports/policycheck.duckdb", read_only=True).sql("…").df()``.

One writer: only the parent process of a batch writes (workers return rows),
and writers take a file lock (``<store>.lock``, :mod:`filelock`), so
concurrent runs wait for each other instead of corrupting the file.

>>> from analysis.documents import from_text
>>> from analysis.figures import extract
>>> doc = from_text("2020年，全区实现社会消费品零售总额290.5亿元。", "demo")
>>> with FigureStore(":memory:") as store:
...     store.add(doc, extract(doc))
...     store.query("SELECT document, value, unit FROM figures").values.tolist()
[['demo', '290.5', '亿元']]
"""
from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from analysis.exceptions import AnalysisError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLES", "FigureStore", "new_run_id"]

#: Columns of each table after the key columns (document, sha256, run_id).
_FIGURES = ["id", "indicator", "indicator_canonical", "indicator_en", "region", "year", "period",
            "value", "unit", "scale", "base_unit", "normalized", "kind", "qualifier", "status",
            "source", "start", "end", "quote"]
_CHECKS = ["rule", "verdict", "severity", "figures", "stated", "computed", "interval",
           "arithmetic", "message_zh", "message_en"]
_SCENARIOS = ["indicator", "unit", "base_id", "base_year", "base_value", "target_id",
              "target_year", "target_value", "qualifier", "years", "implied_cagr",
              "stated_rate", "quote"]
_TYPES = {"year": "INTEGER", "base_year": "INTEGER", "target_year": "INTEGER",
          "years": "INTEGER", "start": "BIGINT", "end": "BIGINT", "normalized": "DOUBLE",
          "base_value": "DOUBLE", "target_value": "DOUBLE", "implied_cagr": "DOUBLE",
          "stated_rate": "DOUBLE"}
_KEY = ["document", "sha256", "run_id"]
_ROW_TABLES = {"figures": _FIGURES, "checks": _CHECKS, "scenarios": _SCENARIOS}

#: Every table of the store.
TABLES = ("runs", "run_documents", "documents", *_ROW_TABLES)


def _ddl() -> str:
    def cols(names: list[str]) -> str:
        return ", ".join(f'"{c}" {_TYPES.get(c, "VARCHAR")}' for c in names)

    parts = [
        ("CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR PRIMARY KEY, command VARCHAR, "
         "started_at TIMESTAMP, finished_at TIMESTAMP, version VARCHAR, settings VARCHAR, "
         "out_dir VARCHAR)"),
        ("CREATE TABLE IF NOT EXISTS run_documents (run_id VARCHAR, document VARCHAR, "
         "sha256 VARCHAR, source VARCHAR, status VARCHAR, error VARCHAR)"),
        ("CREATE TABLE IF NOT EXISTS documents (document VARCHAR, sha256 VARCHAR, "
         "run_id VARCHAR, path VARCHAR, encoding VARCHAR, chars BIGINT, title VARCHAR, "
         "year INTEGER)"),
    ]
    for table, names in _ROW_TABLES.items():
        parts.append(f"CREATE TABLE IF NOT EXISTS {table} (document VARCHAR, sha256 VARCHAR, "
                     f"run_id VARCHAR, {cols(names)})")
    return ";\n".join(parts) + ";"


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus a random suffix.

    >>> len(new_run_id().split("-")) == 3
    True
    """
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ-%f-") + uuid.uuid4().hex[:6]


def _text(v: Any) -> Any:
    """A cell as text for the store: Decimals plain, lists joined, missing as None."""
    from decimal import Decimal

    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (list, tuple, set, frozenset, dict)):
        return json.dumps(v if not isinstance(v, (set, frozenset)) else sorted(v),
                          ensure_ascii=False, default=str)
    return str(v)


def _frame(rows: pd.DataFrame | None, names: list[str], key: dict[str, str]) -> pd.DataFrame:
    import pandas as pd

    rows = pd.DataFrame(columns=names) if rows is None else rows.reindex(columns=names)
    out = pd.DataFrame({c: rows[c].map(_text).astype(object) for c in names}, columns=names)
    for c in names:
        kind = _TYPES.get(c)
        if kind in ("INTEGER", "BIGINT"):
            out[c] = pd.to_numeric(out[c], errors="coerce").round().astype("Int64")
        elif kind == "DOUBLE":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for k, v in reversed(key.items()):
        out.insert(0, k, v)
    return out


class FigureStore:
    """A DuckDB database of figures, checks and scenario rows (``path`` may be ``":memory:"``).

    ``lock_timeout`` seconds to wait for another writer (``read_only`` takes no lock).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, lock_timeout: float = 120):
        import duckdb

        self.path = str(path)
        self._lock = None
        if self.path != ":memory:" and not read_only:
            from filelock import FileLock, Timeout

            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(f"{path}.lock")
            try:
                self._lock.acquire(timeout=lock_timeout)
            except Timeout:
                raise AnalysisError(
                    f"{path}: the figure store is being written by another run for more than "
                    f"{lock_timeout:.0f} s (lock {path}.lock); try again later") from None
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
            if not read_only:
                self.con.execute(_ddl())
        except BaseException:
            self._release()
            raise
        if not read_only:
            have = {r[0] for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'figures'").fetchall()}
            if "run_id" not in have:
                self.close()
                raise AnalysisError(f"{path}: a figure store of an older layout; move it away "
                                    "(a new one is created)")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            self._release()

    # ---------------------------------------------------------------- writing
    def start_run(self, run_id: str, command: str, *, version: str = "",
                  settings: dict[str, Any] | None = None, out_dir: str | Path | None = None) -> None:
        """Record the start of a run (``command`` = report | check)."""
        self.con.execute(
            "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, NULL, ?, ?, ?)",
            [run_id, command, dt.datetime.now(), version,
             json.dumps(settings or {}, ensure_ascii=False, default=str),
             str(out_dir) if out_dir else None])

    def finish_run(self, run_id: str) -> None:
        self.con.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?",
                         [dt.datetime.now(), run_id])

    def record(self, run_id: str, document: str, sha256: str | None, source: str, status: str,
               error: str | None = None) -> None:
        """What happened to one document in a run (built, skipped, failed, checked)."""
        self.con.execute("INSERT INTO run_documents VALUES (?, ?, ?, ?, ?, ?)",
                         [run_id, document, sha256, source, status, error])

    def add_rows(self, run_id: str, info: dict[str, Any], figures: pd.DataFrame | None,
                 checks: pd.DataFrame | None = None,
                 scenarios: pd.DataFrame | None = None) -> None:
        """Replace the rows of (document, sha256) with these, in one transaction.

        ``info`` is :meth:`Document.info` (``id``, ``sha256``, ``path`` …);
        ``figures``/``checks``/``scenarios`` are the report tables (any cell
        types: Decimals and lists are stored as text).
        """
        doc_id, sha = str(info.get("id")), str(info.get("sha256"))
        key = {"document": doc_id, "sha256": sha, "run_id": run_id}
        frames = {"figures": figures, "checks": checks, "scenarios": scenarios}
        self.con.execute("BEGIN")
        try:
            for table in ("documents", *_ROW_TABLES):
                self.con.execute(f"DELETE FROM {table} WHERE document = ? AND sha256 = ?",
                                 [doc_id, sha])
            self.con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [doc_id, sha, run_id, _text(info.get("path")), _text(info.get("encoding")),
                 info.get("chars"), _text(info.get("title")), info.get("year")])
            for table, names in _ROW_TABLES.items():
                rows = frames[table]
                if rows is None or not len(rows):
                    continue
                self.con.register("_rows", _frame(rows, names, key))
                self.con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
                self.con.unregister("_rows")
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def add(self, document: Any, figures: list[Any], checks: pd.DataFrame | None = None,
            run_id: str | None = None) -> None:
        """Replace ``document``'s rows with these figures (and checks)."""
        from analysis.figures import to_frame

        self.add_rows(run_id or new_run_id(), document.info(), to_frame(figures), checks)

    # ---------------------------------------------------------------- reading
    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run SQL over the tables (:data:`TABLES`)."""
        return self.con.execute(sql, params or []).df()

    def figures(self) -> pd.DataFrame:
        return self.query('SELECT * FROM figures ORDER BY document, "start"')

    def indicators_across_documents(self) -> pd.DataFrame:
        """Each known indicator's levels by document and year (the batch overview)."""
        return self.query("""
            SELECT indicator_canonical, document, year, status, value, unit, source
            FROM figures
            WHERE indicator_canonical IS NOT NULL AND kind IN ('level', 'count')
            ORDER BY indicator_canonical, year, document""")

    def export_parquet(self, folder: str | Path) -> list[Path]:
        """Write each table to ``folder/<table>.parquet``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for table in TABLES:
            target = folder / f"{table}.parquet"
            path_sql = str(target).replace("'", "''")
            self.con.execute(f"COPY {table} TO '{path_sql}' (FORMAT parquet)")
            written.append(target)
        return written
