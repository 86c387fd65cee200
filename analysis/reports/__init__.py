"""Reports: for each document, a folder ``<out>/<document-id>/`` with

- ``check_document.ipynb``: the executed report notebook;
- ``report.html``: self-contained, no code cells, works offline from file://;
- ``summary.md``: document, counts, flags with quotes and arithmetic;
- ``report.xlsx``: figures, checks, flags and scenarios sheets (Chinese names
  above English headers, frozen, numbers as numbers);
- ``figures.csv``, ``checks.csv``, ``flags.csv``, ``scenarios.csv``, ``document.json``;
- ``report.pdf``: the HTML report printed with the bundled CJK font.

The folder is assembled in a hidden temporary folder and renamed into place
(:mod:`analysis.reports.atomic`) by :func:`analysis.reports.build.build_one`.
A batch (:mod:`analysis.reports.batch`) plans the documents (hash, id,
manifest), runs them on warm local workers or a Dask cluster
(:mod:`analysis.reports.executor`, :mod:`analysis.reports.engine`), fills the
figure store, and writes ``<out>/index.html`` and ``<out>/manifest.json``.

Exports are a registry looked up by name (:data:`EXPORTS`), in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from analysis import config
from analysis.exceptions import AnalysisError, ReportError
from analysis.reports.batch import (
    INDEX_FILE,
    OVERVIEW_FILES,
    OVERVIEW_NOTEBOOK,
    BatchResult,
    document_id,
    document_paths,
    run_batch,
    write_index,
)
from analysis.reports.build import (
    EXPORTS,
    OUTPUTS,
    REPORT_NOTEBOOK,
    ReportResult,
    Task,
    build_one,
)
from analysis.reports.layout import parse_rules

_LAZY = {"Tables", "collect", "resolve_document"}  # from .tables, which imports pandas


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from analysis.reports import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "EXPORTS",
    "INDEX_FILE",
    "OUTPUTS",
    "OVERVIEW_FILES",
    "OVERVIEW_NOTEBOOK",
    "REPORT_NOTEBOOK",
    "BatchResult",
    "ReportResult",
    "Tables",
    "build_report",
    "build_reports",
    "collect",
    "document_id",
    "document_paths",
    "run_batch",
    "write_index",
]


def build_report(
    doc_path: str | Path,
    out_dir: str | Path = config.REPORTS_DIR,
    language: str = "both",
    rules: str | Sequence[str] | None = None,
    tolerance: float = 0.0,
    formats: Sequence[str] | None = None,
    *,
    doc_id: str | None = None,
    kernel: str | None = None,
    engine: str | None = None,
) -> ReportResult:
    """Build the report folder ``<out_dir>/<document-id>/`` for one document, here.

    No manifest, index or store (that is :func:`run_batch`).  Raises an
    :class:`~analysis.exceptions.AnalysisError` whose one-line message names
    the file; nothing is left in ``out_dir`` then (an earlier report of the
    document stays as it was).
    """
    from analysis.reports.batch import _settings, _sha256
    from analysis.reports.tables import resolve_document

    settings = _settings(language, rules, tolerance, formats)
    source = resolve_document(doc_path)
    if not source.is_file():
        raise ReportError(f"{source}: no such file")
    task = Task(
        source=source,
        doc_id=doc_id or document_id(source),
        sha256=_sha256(source),
        out_dir=Path(out_dir).absolute(),
        language=language,
        rules=settings["rules"],
        tolerance=settings["tolerance"],
        formats=settings["formats"],
        kernel=kernel,
        engine=engine,
    )
    built = build_one(task)
    if not built.result.ok:
        raise ReportError(built.result.error or f"{source}: failed")
    return built.result


def build_reports(
    paths: Iterable[str | Path], out_dir: str | Path = config.REPORTS_DIR, *args: Any,
    **options: Any,
) -> list[ReportResult]:
    """:func:`run_batch`'s per-document results (``language, rules, tolerance, formats`` may
    also come positionally, as in earlier releases)."""
    options.update(zip(("language", "rules", "tolerance", "formats"), args, strict=False))
    return run_batch(paths, out_dir, **options).results


__all__ += ["AnalysisError", "parse_rules"]  # re-exported for callers of the earlier layout
