"""One document's report folder: the notebook, its tables and the exports, assembled atomically.

:func:`build_one` is the per-document task of a batch: it runs in a worker
(local process or Dask worker), executes ``check_document.ipynb`` through
papermill on the worker's warm kernel (:mod:`analysis.reports.engine`) into a
hidden temporary folder, runs the chosen exports, renames the folder into
place, and returns a :class:`ReportResult` plus the tables for the figure
store (the parent process is the store's only writer).  It never raises: a
failure is a result with one line naming the file.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import config
from analysis.exceptions import AnalysisError, ReportError
from analysis.reports import labels, views
from analysis.reports.atomic import atomic_dir, ensure_inside
from analysis.reports.layout import DOCUMENT_FILE, OUTPUTS
from analysis.reports.layout import FILES as TABLE_FILES

if TYPE_CHECKING:
    from analysis.reports.tables import Tables

__all__ = ["EXPORTS", "OUTPUTS", "ReportResult", "Task", "build_one", "expected_files"]

log = logging.getLogger(__name__)

#: The report notebook.
REPORT_NOTEBOOK = config.NOTEBOOKS_DIR / "check_document.ipynb"

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


def expected_files(formats: list[str]) -> list[str]:
    """Every file a complete report folder with these exports has."""
    return [
        OUTPUTS["notebook"],
        *TABLE_FILES.values(),
        DOCUMENT_FILE,
        *(OUTPUTS[f] for f in formats),
    ]


@dataclass
class ReportResult:
    """The outcome for one document."""

    source: Path
    doc_id: str = ""
    status: str = "built"  # built | skipped | failed
    folder: Path | None = None
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    sha256: str | None = None

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
            "sha256": self.sha256,
            "counts": self.counts,
            "files": {k: str(v) for k, v in self.files.items()},
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


@dataclass
class Task:
    """One document to build (picklable: it travels to worker processes and Dask workers)."""

    source: Path
    doc_id: str
    sha256: str
    out_dir: Path
    language: str = "both"
    rules: list[str] | None = None
    tolerance: float = 0.0
    formats: list[str] = field(default_factory=lambda: list(EXPORTS))
    kernel: str | None = None
    engine: str | None = "policycheck-warm"
    budget: float | None = None

    @property
    def folder(self) -> Path:
        return Path(config.REPORT_DIR_TEMPLATE.format(out=self.out_dir, doc_id=self.doc_id))


@dataclass
class Built:
    """What a worker sends back: the result, and for the store the document's info and its
    tables as printed (None on failure)."""

    result: ReportResult
    info: dict[str, Any] | None = None
    rows: dict[str, Any] = field(default_factory=dict)


def _store_rows(folder: Path) -> dict[str, Any]:
    """figures, checks and scenarios as saved, every cell as text (exact decimals kept)."""
    import pandas as pd

    return {
        name: pd.read_csv(folder / TABLE_FILES[name], dtype=str, keep_default_na=False,
                          na_values=[""])
        for name in ("figures", "checks", "scenarios")
    }


_SET_UP: list[bool] = []


def worker_setup() -> None:
    """Once per worker: the warm engine registered, kernel chatter silenced, and the warm
    kernel shut down when the worker stops (pebble and Dask end workers through
    multiprocessing's exit handlers, also on a budget's SIGTERM)."""
    import multiprocessing.util

    from analysis.reports import engine

    if _SET_UP:
        return
    engine.register()
    quiet()
    multiprocessing.util.Finalize(None, engine.shutdown, exitpriority=10)
    _SET_UP.append(True)


def quiet() -> None:
    """Silence what kernels print on every start (not errors): the TCP-without-encryption
    warning, papermill's per-cell logging."""
    warnings.filterwarnings("ignore", message=".*running over TCP without encryption.*")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="jupyter_client")
    for name in ("papermill", "traitlets", "jupyter_client", "nbclient"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _cell_error(exc: Exception, source: Path) -> str:
    """One line for a failed notebook; the project's own errors (they name the file) as is."""
    from analysis import exceptions, pipeline, runner

    if isinstance(exc, runner.CellError):
        cls = getattr(exceptions, exc.ename, None)
        if isinstance(cls, type) and issubclass(cls, AnalysisError) and exc.evalue:
            return pipeline.one_line(AnalysisError(exc.evalue), source)
        return pipeline.one_line(ReportError(exc.summary), source)
    return pipeline.one_line(exc, source)


def build_one(task: Task) -> Built:
    """Build ``task``'s report folder; never raises (a failure is ``status="failed"``)."""
    from analysis import runner
    from analysis.reports.tables import Tables

    if task.engine:
        worker_setup()
    started = time.perf_counter()
    folder = task.folder
    result = ReportResult(source=task.source, doc_id=task.doc_id, folder=folder,
                          sha256=task.sha256)
    try:
        ensure_inside(task.out_dir, folder)
        with atomic_dir(folder, root=task.out_dir) as tmp:
            t0 = time.perf_counter()
            runner.execute(
                REPORT_NOTEBOOK,
                tmp / OUTPUTS["notebook"],
                {
                    "document": str(task.source),
                    "language": task.language,
                    "out_dir": str(tmp),
                    "rules": ",".join(task.rules or []),
                    "tolerance": float(task.tolerance),
                },
                document=task.source,
                kernel=task.kernel,
                cwd=config.NOTEBOOKS_DIR,
                timeout=int(task.budget) if task.budget else runner.CELL_TIMEOUT,
                engine=task.engine,
            )
            result.seconds["notebook"] = time.perf_counter() - t0
            try:
                tables = Tables.load(tmp)
            except (OSError, KeyError, ValueError) as exc:
                raise ReportError(
                    f"{task.source}: the report notebook wrote no readable tables ({exc})"
                ) from exc
            job = Job(tables, tmp, task.language,
                      f"{labels.heading('report', task.language)}: "
                      f"{views.display_title(tables.document)}")
            for name in task.formats:
                t0 = time.perf_counter()
                try:
                    EXPORTS[name](job)
                except AnalysisError:
                    raise
                except Exception as exc:
                    raise ReportError(
                        f"{task.source}: {name} export failed: {type(exc).__name__}: {exc}"
                    ) from exc
                result.seconds[name] = time.perf_counter() - t0
            result.counts = tables.counts()
            rows = _store_rows(tmp)
    except Exception as exc:  # noqa: BLE001 - one document's failure is its result
        result.status, result.error = "failed", _cell_error(exc, task.source)
        result.folder = None
        result.seconds["total"] = time.perf_counter() - started
        return Built(result)
    result.files = {
        name: folder / file
        for name, file in OUTPUTS.items()
        if name == "notebook" or name in task.formats
    }
    result.files.update({name: folder / file for name, file in TABLE_FILES.items()})
    result.seconds["total"] = time.perf_counter() - started
    return Built(result, {**tables.document, "id": task.doc_id}, rows)
