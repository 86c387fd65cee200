"""Reports: for each document, a folder ``<out>/<document-id>/`` with

- ``check_document.ipynb``: the executed report notebook;
- ``report.html``: self-contained, no code cells, works offline from file://;
- ``summary.md``: document, counts, flags with quotes and arithmetic;
- ``report.xlsx``: figures, checks, flags and scenarios sheets (Chinese names
  above English headers, frozen, numbers as numbers);
- ``figures.csv``, ``checks.csv``, ``flags.csv``, ``scenarios.csv``, ``document.json``;
- ``report.pdf``: the HTML report printed with the bundled CJK font.

The folder is assembled in a hidden temporary folder and renamed into place
(:mod:`analysis.reports.atomic`).  A batch (:func:`build_reports`) builds each
document independently, writes ``<out>/index.html`` and
``<out>/manifest.json`` and skips documents whose report is current.

Exports are a registry looked up by name (:data:`EXPORTS`), in order.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config, runner
from analysis.exceptions import AnalysisError, ReportError
from analysis.reports import labels, manifest, views
from analysis.reports.atomic import atomic_dir, atomic_path, remove_stale, write_text
from analysis.reports.tables import DOCUMENT_FILE, Tables, collect, parse_rules, resolve_document
from analysis.reports.tables import FILES as TABLE_FILES

__all__ = [
    "EXPORTS",
    "OUTPUTS",
    "ReportResult",
    "Tables",
    "build_report",
    "build_reports",
    "collect",
    "document_paths",
]

log = logging.getLogger(__name__)

#: The report notebook and the batch overview notebook.
REPORT_NOTEBOOK = config.NOTEBOOKS_DIR / "check_document.ipynb"
OVERVIEW_NOTEBOOK = config.NOTEBOOKS_DIR / "batch_index.ipynb"

#: File name of each output inside a report folder.
OUTPUTS = {
    "notebook": "check_document.ipynb",
    "html": "report.html",
    "markdown": "summary.md",
    "excel": "report.xlsx",
    "pdf": "report.pdf",
}
INDEX_FILE = "index.html"
OVERVIEW_FILES = ("overview.ipynb", "overview.html")

#: Suffixes a folder given to a batch is searched for (documents.load reads these).
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


@dataclass
class Job:
    """What an exporter needs: the tables, the folder being assembled, the language."""

    tables: Tables
    folder: Path
    language: str
    title: str


def _export_html(job: Job) -> Path:
    from analysis.reports import html

    return html.export(
        job.folder / OUTPUTS["notebook"], job.folder / OUTPUTS["html"], title=job.title
    )


def _export_markdown(job: Job) -> Path:
    from analysis.reports import markdown

    return markdown.export(job.tables, job.folder / OUTPUTS["markdown"], job.language)


def _export_excel(job: Job) -> Path:
    from analysis.reports import excel

    t = job.tables
    sheets = {"figures": t.figures, "checks": t.checks, "flags": t.flags, "scenarios": t.scenarios}
    return excel.export(sheets, job.folder / OUTPUTS["excel"])


def _export_pdf(job: Job) -> Path:
    from analysis.reports import pdf

    return pdf.export_memo(
        job.tables, job.folder / OUTPUTS["notebook"], job.folder / OUTPUTS["pdf"], job.language
    )


#: Exporters by name, run in this order.
EXPORTS: dict[str, Callable[[Job], Path]] = {
    "html": _export_html,
    "markdown": _export_markdown,
    "excel": _export_excel,
    "pdf": _export_pdf,
}


@dataclass
class ReportResult:
    """The outcome for one document."""

    source: Path
    doc_id: str = ""
    status: str = "built"  # built | skipped | failed (| earlier, on the index only)
    folder: Path | None = None
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (for ``--format json``)."""
        return {
            "source": str(self.source),
            "doc_id": self.doc_id,
            "status": self.status,
            "folder": str(self.folder) if self.folder else None,
            "error": self.error,
            "counts": self.counts,
            "files": {k: str(v) for k, v in self.files.items()},
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def _formats(formats: Sequence[str] | None) -> list[str]:
    if formats is None:
        return list(EXPORTS)
    unknown = [f for f in formats if f not in EXPORTS]
    if unknown:
        raise ReportError(
            f"unknown report format(s) {', '.join(unknown)} (known: {', '.join(EXPORTS)})"
        )
    return [f for f in EXPORTS if f in formats]


def _settings(language: str, rules: Any, tolerance: float, formats: list[str]) -> dict[str, Any]:
    return {
        "language": language,
        "rules": parse_rules(rules),
        "tolerance": float(tolerance),
        "formats": formats,
    }


def _expected_files(formats: list[str]) -> list[str]:
    return [
        OUTPUTS["notebook"],
        *TABLE_FILES.values(),
        DOCUMENT_FILE,
        *(OUTPUTS[f] for f in formats),
    ]


def _execute(*args: Any, **kwargs: Any) -> Path:
    """runner.execute, for a notebook whose folder is discarded on failure: the error
    then cannot point at the executed notebook (no partial output is kept)."""
    try:
        return runner.execute(*args, **kwargs)
    except runner.CellError as exc:
        raise ReportError(exc.summary) from None


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
) -> ReportResult:
    """Build the report folder ``<out_dir>/<document-id>/`` for one document.

    ``language`` is zh | en | both; ``rules`` the check rules to run (None:
    all); ``tolerance`` the checks' extra relative slack; ``formats`` a subset
    of :data:`EXPORTS` (None: all).  Raises an
    :class:`~analysis.exceptions.AnalysisError` whose one-line message names
    the file; nothing is left in ``out_dir`` then (an earlier report of the
    document stays as it was).
    """
    from analysis import documents

    labels.check_language(language)
    chosen = _formats(formats)
    source = resolve_document(doc_path)
    started = time.perf_counter()
    doc = documents.load(source)
    doc_id = doc_id or doc.doc_id
    out_dir = Path(out_dir).resolve()          # the notebook runs elsewhere: absolute paths
    folder = Path(config.REPORT_DIR_TEMPLATE.format(out=out_dir, doc_id=doc_id))
    result = ReportResult(source=source, doc_id=doc_id, folder=folder)
    remove_stale(folder.parent, folder.name)
    with atomic_dir(folder) as tmp:
        t0 = time.perf_counter()
        _execute(
            REPORT_NOTEBOOK,
            tmp / OUTPUTS["notebook"],
            {
                "document": str(source),
                "language": language,
                "out_dir": str(tmp),
                "rules": ",".join(parse_rules(rules) or []),
                "tolerance": float(tolerance),
            },
            document=source,
            kernel=kernel,
            cwd=config.NOTEBOOKS_DIR,
        )
        result.seconds["notebook"] = time.perf_counter() - t0
        try:
            tables = Tables.load(tmp)
        except (OSError, KeyError, ValueError) as exc:
            raise ReportError(
                f"{source}: the report notebook wrote no readable tables ({exc})"
            ) from exc
        job = Job(
            tables=tables,
            folder=tmp,
            language=language,
            title=f"{labels.heading('report', language)}: {views.display_title(tables.document)}",
        )
        for name in chosen:
            t0 = time.perf_counter()
            try:
                EXPORTS[name](job)
            except AnalysisError:
                raise
            except Exception as exc:
                raise ReportError(
                    f"{source}: {name} export failed: {type(exc).__name__}: {exc}"
                ) from exc
            result.seconds[name] = time.perf_counter() - t0
        result.counts = tables.counts()
    result.files = {
        name: folder / file
        for name, file in OUTPUTS.items()
        if name == "notebook" or name in chosen
    }
    result.files.update({name: folder / file for name, file in TABLE_FILES.items()})
    result.seconds["total"] = time.perf_counter() - started
    return result


def document_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to report on: each file as given, each folder's documents (sorted, not
    recursive, README files and hidden files left out).

    >>> [p.name for p in document_paths([config.PACKAGE_DIR / "reports"])]
    []
    """
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.iterdir()
                    if f.is_file()
                    and f.suffix.lower() in DOCUMENT_SUFFIXES
                    and not f.name.startswith(".")
                    and not f.stem.upper().startswith("README")
                )
            )
        else:
            out.append(p)
    return out


def build_reports(
    paths: Iterable[str | Path],
    out_dir: str | Path = config.REPORTS_DIR,
    language: str = "both",
    rules: str | Sequence[str] | None = None,
    tolerance: float = 0.0,
    formats: Sequence[str] | None = None,
    *,
    force: bool = False,
    overview: bool = True,
    kernel: str | None = None,
) -> list[ReportResult]:
    """Build a report for each document (folders expand to their documents).

    Each document is independent: a failure becomes a result with
    ``status="failed"`` and a one-line ``error`` naming the file, and the
    others still run.  Documents whose report is current (same sha256,
    package version and settings in ``<out>/manifest.json``) are skipped
    unless ``force``.  Writes ``<out>/index.html`` (every document of this
    batch with its flag counts and failures) and, when ``overview``, executes
    ``batch_index.ipynb`` over the out folder into ``overview.html``.
    """
    from analysis import __version__, documents

    labels.check_language(language)
    chosen = _formats(formats)
    settings = _settings(language, rules, tolerance, chosen)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = manifest.load(out_dir)
    results: list[ReportResult] = []
    seen: dict[str, Path] = {}
    for path in document_paths(paths):
        result = ReportResult(source=Path(path), doc_id=Path(path).stem)
        duplicate = False
        try:
            doc = documents.load(resolve_document(path))
            result.doc_id = doc.doc_id
            folder = Path(config.REPORT_DIR_TEMPLATE.format(out=out_dir, doc_id=doc.doc_id))
            if doc.doc_id in seen:
                duplicate = True
                raise ReportError(
                    f"{path}: same document id {doc.doc_id!r} as {seen[doc.doc_id]} "
                    "(rename one of the files: the id is the file name without its suffix)"
                )
            seen[doc.doc_id] = Path(path)
            entry = entries.get(doc.doc_id)
            if (
                not force
                and entry is not None
                and manifest.is_current(
                    entry, doc.sha256, __version__, settings, folder, _expected_files(chosen)
                )
            ):
                result.status, result.folder = "skipped", folder
                result.counts = dict(entry.get("counts") or {})
                built_at = entry.get("built_at")
            else:
                result = build_report(
                    path, out_dir, language, rules, tolerance, chosen, kernel=kernel
                )
                built_at = dt.datetime.now().isoformat(timespec="seconds")
            entries[doc.doc_id] = {
                "source": str(result.source),
                "sha256": doc.sha256,
                "version": __version__,
                "settings": settings,
                "status": "built",
                "counts": result.counts,
                "error": None,
                "built_at": built_at,
            }
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a nightly batch
            result.status = "failed"
            result.error = _one_line(exc, path)
            log.error("%s", result.error)
            if not duplicate:
                entries[result.doc_id] = {
                    "source": str(path),
                    "status": "failed",
                    "error": result.error,
                    "version": __version__,
                    "settings": settings,
                }
        results.append(result)
        manifest.save(out_dir, entries)
    if overview and (
        any(r.status == "built" for r in results)
        or (any(r.ok for r in results) and not (out_dir / OVERVIEW_FILES[1]).is_file())
    ):
        _overview(out_dir, language, kernel)
    earlier = [
        ReportResult(
            source=Path(e.get("source", doc_id)),
            doc_id=doc_id,
            status="earlier",
            folder=out_dir / doc_id,
            counts=dict(e.get("counts") or {}),
        )
        for doc_id, e in sorted(entries.items())
        if e.get("status") == "built"
        and doc_id not in {r.doc_id for r in results}
        and (out_dir / doc_id / OUTPUTS["html"]).is_file()
    ]
    write_index([*results, *earlier], out_dir, language)
    return results


def _one_line(exc: BaseException, path: str | Path) -> str:
    """The error of one document as one line that names the file."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, AnalysisError):
        text = f"{type(exc).__name__}: {text}"
    return text if str(path) in text else f"{path}: {text}"


def _overview(out_dir: Path, language: str, kernel: str | None) -> None:
    """Execute the overview notebook over ``out_dir`` (a failure is logged, not fatal)."""
    from analysis.reports import html

    try:
        with atomic_path(out_dir / OVERVIEW_FILES[0]) as nb_out:
            runner.execute(
                OVERVIEW_NOTEBOOK,
                nb_out,
                {"reports_dir": str(out_dir), "language": language},
                document=out_dir,
                kernel=kernel,
                cwd=config.NOTEBOOKS_DIR,
            )
        html.export(
            out_dir / OVERVIEW_FILES[0],
            out_dir / OVERVIEW_FILES[1],
            title=labels.heading("overview", language),
        )
    except AnalysisError as exc:
        log.error("overview: %s", exc)


def write_index(
    results: Sequence[ReportResult], out_dir: str | Path, language: str = "both"
) -> Path:
    """Write ``<out>/index.html`` linking each document's report, with counts and failures."""
    from analysis.reports import html

    out_dir = Path(out_dir)
    rows = []
    for r in results:
        report = ""
        if r.ok and r.folder is not None and (r.folder / OUTPUTS["html"]).is_file():
            report = f"{r.folder.name}/{OUTPUTS['html']}"
        rows.append(
            {
                "doc_id": r.doc_id,
                "source": r.source.name,
                "status": r.status,
                "report": report,
                "figures": r.counts.get("figures"),
                "inconsistent": r.counts.get("inconsistent"),
                "warning": r.counts.get("warning"),
                "error": r.error,
            }
        )
    overview = OVERVIEW_FILES[1] if (out_dir / OVERVIEW_FILES[1]).is_file() else ""
    return write_text(out_dir / INDEX_FILE, html.index_page(rows, language, overview=overview))
