"""A batch of reports: plan it, then run it on an executor.

**Plan** (:func:`plan`, in the calling process, cheap): expand folders, hash
each file's bytes (sha256, the same the documents carry), give each a safe,
unique document id (:func:`document_id`), drop repeats of one file, and
consult ``<out>/manifest.json``: a document whose content, settings and
package version match a complete earlier report is *unchanged* and not
rebuilt.  Nothing is decoded here: each document is loaded once, inside its
report notebook.

**Run** (:func:`run_batch`): the remaining documents go to an executor
(:mod:`analysis.reports.executor`: local warm workers, or Dask) as
:class:`~analysis.reports.build.Task` objects; as each comes back the parent
(the only writer) updates the manifest, writes its rows to the figure store
and tells the listener (progress bar, one line per document).  Then the index
page and, for more than one document, the overview notebook.

The output folder is locked for the whole run (:mod:`filelock`,
``<out>/.policycheck.lock``): a second run on the same folder waits up to
``wait`` seconds, then refuses with one line.  Holding the lock, the run
removes temporary folders that killed runs left behind.  Reports whose source
file no longer exists leave the manifest, the index and the folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from analysis import config
from analysis.exceptions import AnalysisError, ReportError
from analysis.reports import labels, manifest
from analysis.reports.atomic import (
    OutsideError,
    atomic_path,
    ensure_inside,
    remove_all_stale,
    write_text,
)
from analysis.reports.build import (
    EXPORTS,
    OUTPUTS,
    Built,
    ReportResult,
    Task,
    build_one,
    expected_files,
    worker_setup,
)
from analysis.reports.layout import parse_rules

__all__ = [
    "BatchResult",
    "Listener",
    "Plan",
    "document_id",
    "document_paths",
    "plan",
    "run_batch",
    "write_index",
]

log = logging.getLogger(__name__)

OVERVIEW_NOTEBOOK = config.NOTEBOOKS_DIR / "batch_index.ipynb"
INDEX_FILE = "index.html"
OVERVIEW_FILES = ("overview.ipynb", "overview.html")
LOCK_FILE = ".policycheck.lock"
INDEX_KEY_FILE = ".index.sha256"
STORE_FILE = "policycheck.duckdb"

#: Suffixes a folder given to a batch is searched for (documents.load reads these).
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

#: Names a report folder must not take (they are the batch's own files).
RESERVED = frozenset(
    n.casefold()
    for n in (
        INDEX_FILE,
        *OVERVIEW_FILES,
        manifest.MANIFEST,
        STORE_FILE,
        f"{STORE_FILE}.lock",
        f"{STORE_FILE}.wal",
        "parquet",
    )
)

#: Longest document id, in UTF-8 bytes (file names may be 255 bytes; temp names add a little).
MAX_ID_BYTES = 100

#: Appended to the error of a document that failed before and has not changed since.
UNCHANGED_FAILURE = " (unchanged since; --force retries)"

_UNSAFE = re.compile(r'[\\/:*?"<>|]')


def document_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to report on: each file as given, each folder's documents (sorted, not
    recursive; README files and macOS ``._`` resource forks left out — a document whose
    name merely starts with a dot, such as ``..txt``, is still a document).

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
                    and not f.name.startswith("._")
                    and not f.stem.upper().startswith("README")
                )
            )
        else:
            out.append(p)
    return out


def document_id(path: str | Path) -> str:
    """A report folder name from a file name: NFC, no separators, control characters,
    leading dots or reserved names, at most :data:`MAX_ID_BYTES` bytes.

    >>> [document_id(n) for n in ["plan.txt", "..txt", "...txt", "manifest.json.txt",
    ...                           "a/b.txt", "x\\ny.txt", "-rf.txt", "规划.txt"]]
    ['plan', 'document', 'document', 'manifest.json_', 'b', 'x_y', '-rf', '规划']
    >>> len(document_id("长" * 250 + ".txt").encode()) <= MAX_ID_BYTES
    True
    """
    stem = unicodedata.normalize("NFC", Path(str(path)).stem)
    cleaned = "".join("_" if unicodedata.category(c)[0] == "C" else c for c in stem)
    cleaned = _UNSAFE.sub("_", cleaned).strip(" .")
    cleaned = cleaned or "document"
    if cleaned.casefold() in RESERVED:
        cleaned += "_"
    if len(cleaned.encode("utf-8")) > MAX_ID_BYTES:
        tag = "-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
        room = MAX_ID_BYTES - len(tag)
        cut = cleaned.encode("utf-8")[:room].decode("utf-8", errors="ignore")
        cleaned = cut + tag
    return cleaned


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@dataclass
class Plan:
    """What a batch will do: tasks to run, and results already known (unchanged, failed)."""

    out_dir: Path
    settings: dict[str, Any]
    tasks: list[Task] = field(default_factory=list)
    known: list[ReportResult] = field(default_factory=list)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # sources in input order


def _settings(
    language: str, rules: Any, tolerance: float, formats: Sequence[str] | None
) -> dict[str, Any]:
    labels.check_language(language)
    chosen = list(EXPORTS) if formats is None else list(formats)
    unknown = [f for f in chosen if f not in EXPORTS]
    if unknown:
        raise ReportError(
            f"unknown report format(s) {', '.join(unknown)} (known: {', '.join(EXPORTS)})"
        )
    return {
        "language": language,
        "rules": parse_rules(rules),
        "tolerance": float(tolerance),
        "formats": [f for f in EXPORTS if f in chosen],
    }


def plan(
    paths: Iterable[str | Path],
    out_dir: Path,
    settings: dict[str, Any],
    *,
    force: bool = False,
    kernel: str | None = None,
    engine: str | None = "policycheck-warm",
    budget: float | None = None,
) -> Plan:
    """Expand, hash, name, dedupe and consult the manifest (nothing is decoded)."""
    from analysis import __version__

    result = Plan(out_dir=out_dir, settings=settings, entries=manifest.load(out_dir))
    known_ids = {str(e.get("source")): doc_id for doc_id, e in result.entries.items()}
    taken: set[str] = set()
    seen: set[Path] = set()
    for given in document_paths(paths):
        src = Path(given).expanduser().absolute()
        src_key = str(src)
        if src.resolve() in seen:
            continue  # the same file twice in one call
        seen.add(src.resolve())
        result.order.append(src_key)
        doc_id = _claim_id(src, known_ids, result.entries, taken)
        res = ReportResult(source=src, doc_id=doc_id)
        try:
            if not src.exists():
                raise ReportError(f"{src}: no such file")
            if not src.is_file():
                raise ReportError(f"{src}: not a regular file (a folder, device or pipe)")
            size = src.stat().st_size
            if size > config.MAX_INPUT_BYTES:
                raise ReportError(
                    f"{src}: {size / 2**20:.0f} MB is over the "
                    f"{config.MAX_INPUT_BYTES / 2**20:.0f} MB input limit"
                )
            res.sha256 = _sha256(src)
        except (OSError, AnalysisError) as exc:
            from analysis.pipeline import one_line

            res.status, res.error = "failed", one_line(exc, src)
            result.known.append(res)
            continue
        task = Task(
            source=src,
            doc_id=doc_id,
            sha256=res.sha256,
            out_dir=out_dir,
            language=settings["language"],
            rules=settings["rules"],
            tolerance=settings["tolerance"],
            formats=settings["formats"],
            kernel=kernel,
            engine=engine,
            budget=budget,
        )
        entry = result.entries.get(doc_id)
        if not force and _failed_before(entry, src_key, res.sha256, __version__, settings):
            res.status = "failed"
            res.error = f"{entry['error']}{UNCHANGED_FAILURE}"  # type: ignore[index]
            result.known.append(res)
        elif (
            not force
            and entry is not None
            and entry.get("source") == src_key
            and manifest.is_current(
                entry,
                res.sha256,
                __version__,
                settings,
                task.folder,
                expected_files(settings["formats"]),
            )
        ):
            res.status, res.folder = "skipped", task.folder
            res.counts = dict(entry.get("counts") or {})
            result.known.append(res)
        else:
            result.tasks.append(task)
    return result


def _failed_before(
    entry: dict[str, Any] | None, source: str, sha256: str, version: str, settings: dict[str, Any]
) -> bool:
    """Whether this very input failed with these settings before (it would fail again)."""
    return bool(
        entry
        and entry.get("status") == "failed"
        and entry.get("error")
        and not entry.get("retry")
        and entry.get("source") == source
        and entry.get("sha256") == sha256
        and entry.get("version") == version
        and entry.get("settings") == settings
    )


def _claim_id(
    src: Path, known: dict[str, str], entries: dict[str, dict[str, Any]], taken: set[str]
) -> str:
    """The document's id: the one it had before, else a safe name not used by another source."""
    earlier = known.get(str(src))
    if earlier and earlier.casefold() not in taken:
        taken.add(earlier.casefold())
        return earlier
    base = document_id(src)
    doc_id, n = base, 1
    while doc_id.casefold() in taken or _owned_by_other(entries.get(doc_id), src):
        n += 1
        doc_id = f"{base}-{n}"
    taken.add(doc_id.casefold())
    return doc_id


def _owned_by_other(entry: dict[str, Any] | None, src: Path) -> bool:
    if not entry:
        return False
    other = str(entry.get("source") or "")
    return other != str(src) and Path(other).is_file()


class Listener(Protocol):
    """Told about a batch as it runs (the CLI's progress bar and per-document lines)."""

    def start(self, total: int, workers: int) -> None: ...

    def done(self, result: ReportResult) -> None: ...

    def close(self) -> None: ...


@dataclass
class BatchResult:
    """A whole run: every document's result, in input order, and where things are."""

    out_dir: Path
    run_id: str
    results: list[ReportResult]
    store: Path | None = None
    workers: int = 1
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def counts(self) -> dict[str, int]:
        out = {"built": 0, "skipped": 0, "failed": 0}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "run_id": self.run_id,
            "store": str(self.store) if self.store else None,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "documents": [r.to_dict() for r in self.results],
        }


def _writable(out_dir: Path) -> None:
    """One clear line when the output folder cannot be created or written (read-only, full)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".policycheck-probe.", suffix=".tmp", dir=out_dir)
        import os

        try:
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as exc:
        raise ReportError(
            f"{out_dir}: cannot write to the output folder ({exc.strerror or exc}); "
            "existing reports were left as they were"
        ) from None


def _lock(out_dir: Path, wait: float) -> Any:
    from filelock import FileLock, Timeout

    lock = FileLock(out_dir / LOCK_FILE)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise ReportError(
            f"{out_dir}: another policycheck report run is writing this output folder "
            f"(lock {LOCK_FILE}); wait for it to finish, use --wait SECONDS, or another --out"
        ) from None
    return lock


def run_batch(
    paths: Iterable[str | Path],
    out_dir: str | Path = config.REPORTS_DIR,
    *,
    language: str = "both",
    rules: str | Sequence[str] | None = None,
    tolerance: float = 0.0,
    formats: Sequence[str] | None = None,
    force: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    budget: float | None = config.DOCUMENT_BUDGET,
    store: str | Path | bool = True,
    overview: bool = True,
    kernel: str | None = None,
    engine: str | None = "policycheck-warm",
    wait: float = 0,
    listener: Listener | None = None,
) -> BatchResult:
    """Build a report for each document (folders expand to their documents).

    Each document is independent: a failure is a result with
    ``status="failed"`` and a one-line ``error`` naming the file, and the
    others still run.  ``workers`` warm local processes (default: the number
    of cores), or a Dask ``scheduler`` (``tcp://host:8786`` or ``local``).
    ``budget`` seconds per document (None: unbounded).  ``store``: the DuckDB
    figure store (True: ``<out>/policycheck.duckdb``; False: none).  Raises
    :class:`ReportError` (one line) when the output folder cannot be written
    or is locked by another run.
    """
    import time

    from analysis import __version__
    from analysis.pipeline import one_line
    from analysis.reports.executor import default_workers, executor_for
    from analysis.store import FigureStore, new_run_id

    started = time.perf_counter()
    settings = _settings(language, rules, tolerance, formats)
    out = Path(out_dir).expanduser().absolute()
    _writable(out)
    lock = _lock(out, wait)
    run_id = new_run_id()
    store_path = (out / STORE_FILE) if store is True else (Path(store) if store else None)
    try:
        remove_all_stale(out)
        the_plan = plan(
            paths, out, settings, force=force, kernel=kernel, engine=engine, budget=budget
        )
        entries = the_plan.entries
        by_source: dict[str, ReportResult] = {}
        figure_store = FigureStore(store_path) if store_path else None
        try:
            if figure_store:
                figure_store.start_run(
                    run_id, "report", version=__version__, settings=settings, out_dir=out
                )

            def finish(res: ReportResult, built: Built | None = None, save: bool = True) -> None:
                if res.status == "built":
                    entries[res.doc_id] = _entry(res, settings, __version__)
                    if figure_store and built is not None and built.info is not None:
                        figure_store.add_rows(run_id, built.info, **built.rows)
                elif res.status == "failed":
                    entries[res.doc_id] = _entry(res, settings, __version__)
                if figure_store:
                    figure_store.record(
                        run_id, res.doc_id, res.sha256, str(res.source), res.status, res.error
                    )
                if save:  # each finished document at once: a killed run resumes from here
                    manifest.save(out, entries)
                by_source[str(res.source)] = res
                if listener:
                    listener.done(res)

            local = len(the_plan.tasks) == 1 and not scheduler  # one document: run here
            n_workers = 1 if local else (workers or default_workers())
            if listener:
                listener.start(len(the_plan.order), n_workers)
            for res in the_plan.known:
                finish(res, save=False)  # nothing new to record: one save below
            manifest.save(out, entries)
            if local:
                built = build_one(the_plan.tasks[0])
                finish(built.result, built)
            elif the_plan.tasks:
                executor = executor_for(workers, scheduler, initializer=worker_setup)
                n_workers = executor.workers
                try:
                    for task, got in executor.run(build_one, the_plan.tasks, budget):
                        if isinstance(got, Built):
                            finish(got.result, got)
                            continue
                        finish(ReportResult(
                            source=task.source, doc_id=task.doc_id, sha256=task.sha256,
                            status="failed", error=one_line(got, task.source),
                        ))
                        entries[task.doc_id]["retry"] = True  # budget, lost worker: try again
                finally:
                    executor.close()
            results = [by_source[s] for s in the_plan.order if s in by_source]
            _forget_vanished(out, entries)
            manifest.save(out, entries)
            listed = _index_rows(out, results, entries)
            if (
                overview
                and sum(r.ok for r in listed) > 1
                and (
                    any(r.status == "built" for r in results)
                    or not (out / OVERVIEW_FILES[1]).is_file()
                )
            ):
                _overview(out, language, kernel)
            write_index(listed, out, language)
            if figure_store:
                figure_store.finish_run(run_id)
        finally:
            if figure_store:
                figure_store.close()
    except OSError as exc:
        raise ReportError(
            f"{out}: could not write the output folder ({exc.strerror or exc}); "
            "reports already in place were left as they were"
        ) from None
    finally:
        lock.release()
        if listener:
            listener.close()
    return BatchResult(
        out_dir=out,
        run_id=run_id,
        results=results,
        store=store_path,
        workers=n_workers,
        seconds=time.perf_counter() - started,
    )


def _entry(res: ReportResult, settings: dict[str, Any], version: str) -> dict[str, Any]:
    if res.status == "failed":
        return {
            "source": str(res.source),
            "sha256": res.sha256,
            "status": "failed",
            "error": (res.error or "").removesuffix(UNCHANGED_FAILURE),
            "version": version,
            "settings": settings,
        }
    return {
        "source": str(res.source),
        "sha256": res.sha256,
        "version": version,
        "settings": settings,
        "status": "built",
        "counts": res.counts,
        "error": None,
        "built_at": dt.datetime.now().isoformat(timespec="seconds"),
    }


def _forget_vanished(out: Path, entries: dict[str, dict[str, Any]]) -> list[str]:
    """Drop manifest entries (and report folders) whose source file no longer exists."""
    import shutil

    gone = [d for d, e in entries.items() if not Path(str(e.get("source") or "")).is_file()]
    for doc_id in gone:
        entries.pop(doc_id)
        try:
            folder = ensure_inside(out, out / doc_id)
        except OutsideError:
            continue
        if folder.is_dir() and folder.parent == out.resolve():
            shutil.rmtree(folder, ignore_errors=True)
    return gone


def _index_rows(
    out: Path, results: list[ReportResult], entries: dict[str, dict[str, Any]]
) -> list[ReportResult]:
    """This run's documents, then reports of earlier runs whose sources still exist."""
    here = {r.doc_id for r in results}
    earlier = [
        ReportResult(
            source=Path(e.get("source", doc_id)),
            doc_id=doc_id,
            status="earlier",
            folder=out / doc_id,
            counts=dict(e.get("counts") or {}),
        )
        for doc_id, e in sorted(entries.items())
        if e.get("status") == "built"
        and doc_id not in here
        and (out / doc_id / OUTPUTS["html"]).is_file()
    ]
    return [*results, *earlier]


def _overview(out_dir: Path, language: str, kernel: str | None) -> None:
    """Execute the overview notebook over ``out_dir`` (a failure is logged, not fatal)."""
    from analysis import runner
    from analysis.reports import html

    worker_setup()  # the warm engine here too (quiet, IPC)
    try:
        with atomic_path(out_dir / OVERVIEW_FILES[0]) as nb_out:
            runner.execute(
                OVERVIEW_NOTEBOOK,
                nb_out,
                {"reports_dir": str(out_dir), "language": language},
                document=out_dir,
                kernel=kernel,
                cwd=config.NOTEBOOKS_DIR,
                engine="policycheck-warm",
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
                # a current report reads "built" whether this run built or kept it, so an
                # unchanged batch leaves the page (and its font subset) as it was
                "status": "built" if r.status == "skipped" else r.status,
                "report": report,
                "figures": r.counts.get("figures"),
                "inconsistent": r.counts.get("inconsistent"),
                "warning": r.counts.get("warning"),
                "error": r.error,
            }
        )
    overview = OVERVIEW_FILES[1] if (out_dir / OVERVIEW_FILES[1]).is_file() else ""
    # the page embeds a font subset (seconds): rewrite it only when its content changes
    key = hashlib.sha256(
        json.dumps([rows, language, overview], sort_keys=True, default=str).encode()
    ).hexdigest()
    key_file, index = out_dir / INDEX_KEY_FILE, out_dir / INDEX_FILE
    if index.is_file() and key_file.is_file() and key_file.read_text().strip() == key:
        return index
    write_text(index, html.index_page(rows, language, overview=overview))
    write_text(key_file, key + "\n")
    return index
