"""The pipeline, once: document -> figures -> checks, and the per-document loop of a call.

:func:`analyse` is the one place that loads a document, extracts its figures
and checks them; the report tables (:func:`analysis.reports.tables.collect`),
``policycheck extract`` and ``policycheck check`` all call it.
:func:`each_document` runs a function over several paths so that one bad
document (unreadable, or a bug on its text) becomes one line naming it and the
others are still processed.  :func:`payload` is the JSON schema of
``extract``/``check`` output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from analysis.exceptions import AnalysisError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Analysis", "Outcome", "analyse", "analyse_paths", "dumps", "each_document", "one_line",
           "payload"]

T = TypeVar("T")


@dataclass
class Analysis:
    """One document's pipeline result: the document, its figures and (if run) its checks."""

    document: Any  # analysis.documents.Document
    figures: list[Any]  # list[analysis.figures.Figure]
    checks: pd.DataFrame | None = None

    @property
    def figures_frame(self) -> pd.DataFrame:
        from analysis.figures import to_frame

        return to_frame(self.figures)

    def coverage(self) -> Any:
        """What the checks covered (:func:`analysis.checks.coverage`)."""
        from analysis import checks

        frame = self.checks if self.checks is not None else checks.run([])
        return checks.coverage(self.figures, frame)

    def counts(self) -> dict[str, int]:
        out = {"figures": len(self.figures)}
        if self.checks is not None:
            out["checks"] = len(self.checks)
            for verdict in ("inconsistent", "warning"):
                out[verdict] = int((self.checks["verdict"] == verdict).sum())
        return out


def analyse(
    source: str | Path | Any,
    *,
    check: bool = True,
    rules: Sequence[str] | None = None,
    tolerance: float = 0.0,
    date: Any = None,
) -> Analysis:
    """Load ``source`` (a path, or an already loaded Document), extract, and check.

    ``date`` (``YYYY-MM-DD`` or a date) reads the document as of that date when it
    prints none (:func:`analysis.documents.with_date`).

    >>> from analysis.documents import from_text
    >>> a = analyse(from_text("2020年社会消费品零售总额290.5亿元，到2025年达到407亿元。"))
    >>> a.counts()["figures"], list(a.checks.columns)[:2]
    (2, ['rule', 'verdict'])
    """
    from analysis import checks as checks_mod
    from analysis import documents
    from analysis import figures as figures_mod

    doc = documents.load(source) if isinstance(source, (str, Path)) else source
    doc = documents.with_date(doc, date) if date else doc
    found = list(figures_mod.extract(doc))
    frame = checks_mod.run(found, rules=rules, tolerance=float(tolerance)) if check else None
    return Analysis(doc, found, frame)


def payload(analysis: Analysis) -> dict[str, Any]:
    """The JSON document of ``extract`` (document, figures) and ``check`` (plus checks)."""
    out: dict[str, Any] = {
        "document": analysis.document.info(),
        "figures": [f.to_dict() for f in analysis.figures],
    }
    if analysis.checks is not None:
        import json

        out["checks"] = json.loads(
            analysis.checks.to_json(orient="records", force_ascii=False, default_handler=str)
        )
        out["coverage"] = analysis.coverage().to_dict()
    return out


def one_line(exc: BaseException, path: str | Path) -> str:
    """The error of one document as one line that names the file once.

    >>> one_line(ValueError("bad\\nnumber"), "a.txt")
    'a.txt: ValueError: bad number'
    >>> one_line(AnalysisError("a.txt: empty file"), "a.txt")
    'a.txt: empty file'
    """
    from analysis.exceptions import printable

    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, AnalysisError):
        text = f"{type(exc).__name__}: {text}"
    name = printable(str(path))                    # a\nb.txt stays on one line
    return text if name in text or str(path) in text else f"{name}: {text}"


@dataclass
class Outcome(Generic[T]):
    """What one path of a multi-path call gave: a value or a one-line error."""

    path: str
    value: T | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def each_document(paths: Iterable[str | Path], work: Callable[[str], T]) -> Iterator[Outcome[T]]:
    """``work(path)`` for each path; any exception becomes that path's one-line error.

    >>> [o.error for o in each_document(["x"], lambda p: 1 / 0)]
    ['x: ZeroDivisionError: division by zero']
    """
    for p in paths:
        try:
            yield Outcome(str(p), value=work(str(p)))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
            yield Outcome(str(p), error=one_line(exc, p))


def analyse_paths(
    paths: Iterable[str | Path],
    *,
    check: bool = True,
    rules: Sequence[str] | None = None,
    tolerance: float = 0.0,
    out: str | Path | None = None,
    store: str | Path | None = None,
    date: Any = None,
) -> Iterator[Outcome[Analysis]]:
    """:func:`analyse` each path (``extract``/``check`` of the CLI), one :class:`Outcome` each.

    With ``out``, each document's ``figures.json``/``figures.csv`` (extract) or
    ``checks.json``/``checks.csv``/``figures.csv`` (check) go to
    ``out/<document-id>/``, each file written atomically and never outside
    ``out``.  With ``store``, every document's rows go to that figure store
    under one run id (this process is the only writer).
    """
    from analysis import __version__
    from analysis.reports.batch import document_id
    from analysis.store import FigureStore, new_run_id

    run_id = new_run_id()
    figure_store = FigureStore(store) if store else None
    taken: set[str] = set()
    try:
        if figure_store:
            figure_store.start_run(run_id, "check" if check else "extract", version=__version__,
                                   settings={"rules": rules, "tolerance": tolerance})

        def work(path: str) -> Analysis:
            result = analyse(path, check=check, rules=rules, tolerance=tolerance, date=date)
            if out:
                _write(Path(out), _unique(document_id(path), taken), result)
            if figure_store:
                figure_store.add_rows(run_id, result.document.info(), result.figures_frame,
                                      result.checks)
            return result

        for outcome in each_document(paths, work):
            if figure_store:
                doc = outcome.value.document if outcome.value is not None else None
                figure_store.record(run_id, doc.doc_id if doc else Path(outcome.path).stem,
                                    doc.sha256 if doc else None, outcome.path,
                                    "checked" if outcome.ok else "failed", outcome.error)
            yield outcome
        if figure_store:
            figure_store.finish_run(run_id)
    finally:
        if figure_store:
            figure_store.close()


def _unique(doc_id: str, taken: set[str]) -> str:
    out, n = doc_id, 1
    while out.casefold() in taken:
        n += 1
        out = f"{doc_id}-{n}"
    taken.add(out.casefold())
    return out


def _write(out: Path, doc_id: str, result: Analysis) -> None:
    from analysis.cells import to_csv
    from analysis.reports.atomic import ensure_inside, write_text
    from analysis.reports.tables import csv_ready

    folder = ensure_inside(out, out / doc_id)
    text = dumps(payload(result))
    files = {"figures.csv": to_csv(csv_ready(result.figures_frame))}
    if result.checks is None:
        files["figures.json"] = text
    else:
        files["checks.json"] = text
        files["checks.csv"] = to_csv(csv_ready(result.checks))
    for name, content in files.items():
        write_text(folder / name, content)


def _json_default(o: Any) -> Any:
    from decimal import Decimal

    if isinstance(o, Decimal):
        return format(o, "f")
    if isinstance(o, (set, tuple, frozenset)):
        return list(o)
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def dumps(obj: Any) -> str:
    """JSON as the CLI prints it (Decimals exact, Chinese unescaped)."""
    import json

    return json.dumps(obj, ensure_ascii=False, indent=1, default=_json_default)
