"""The ``policycheck`` command (also ``python -m analysis``).

Thin by design (STYLE.md §9): each verb parses its options and makes one
library call, then prints.  Verbs are a registry (:data:`VERBS`, filled by
:func:`verb`): a new verb is one decorated function plus its options.  Bad
input prints one line naming the file and the problem on stderr; the other
paths are still processed; the exit code is non-zero when any path failed (2
for bad input, 1 for ``--fail-on`` findings).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.cells import to_csv
from analysis.exceptions import AnalysisError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

# Columns of the readable tables (the JSON/CSV outputs carry every field).
FIGURE_COLUMNS = ["id", "indicator", "year", "period", "printed", "unit", "kind", "qualifier",
                  "status", "source"]
CHECK_COLUMNS = ["rule", "verdict", "severity", "figures", "arithmetic"]


@dataclass
class Verb:
    name: str
    help: str
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: Every verb of the command, by name, in the order ``--help`` lists them.
VERBS: dict[str, Verb] = {}


def verb(name: str, help: str, options: Callable[[argparse.ArgumentParser], None]
         ) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register ``run(args) -> exit code`` as the verb ``name`` with its ``options``."""
    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        VERBS[name] = Verb(name, help, options, run)
        return run
    return register


def _err(msg: str) -> None:
    print(f"policycheck: error: {msg}", file=sys.stderr)


def _table(df: Any, columns: list[str]) -> str:
    import pandas as pd

    cols = [c for c in columns if c in df.columns]
    if df.empty:
        return "(none)"
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 60,
                           "display.width", 200):
        return df[cols].to_string(index=False)


def _store_option(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--store", metavar="DUCKDB", default=None,
                   help=f"figure store to fill (default: {default})")
    p.add_argument("--no-store", action="store_true", help="do not write the figure store")


def _store(args: argparse.Namespace) -> Path | None:
    from analysis import config

    if args.no_store:
        return None
    return Path(args.store) if args.store else config.STORE_PATH


# --- extract / check ------------------------------------------------------------------------
_PATHS_HELP = "documents: .txt, .md, .html, .docx or .pdf"
_FORMAT_HELP = "output on stdout: table (readable), csv or json (default: %(default)s)"


def _paths_options(p: argparse.ArgumentParser, out_help: str) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help=_FORMAT_HELP)
    p.add_argument("--out", metavar="DIR", help=out_help)
    p.add_argument("--date", metavar="YYYY-MM-DD", default=None,
                   help="read the documents as of this date (今年/去年, targets vs actuals) "
                        "when they print none")
    _store_option(p, "reports/policycheck.duckdb, or $POLICYCHECK_STORE")


def _extract_options(p: argparse.ArgumentParser) -> None:
    _paths_options(p, "also write DIR/<doc-id>/figures.{csv,json}")


def _check_options(p: argparse.ArgumentParser) -> None:
    _paths_options(p, "also write DIR/<doc-id>/checks.{csv,json} and figures.csv")
    p.add_argument("--rules", nargs="+", metavar="RULE",
                   help=f"run only these rules (default: all): {_rule_names()}")
    p.add_argument("--fail-on", nargs="+", choices=["inconsistent", "warning"], default=[],
                   help="exit 1 when findings of these verdicts exist (scheduled pipelines); "
                        "give at least one of: inconsistent, warning")


def _rule_names() -> str:
    """The registered check rules, for ``check --help``."""
    from analysis import checks

    return ", ".join(checks.registered())


def _print_extract(result: Any, fmt: str) -> None:
    from analysis.pipeline import dumps, payload

    df = result.figures_frame
    if fmt == "json":
        print(dumps(payload(result)))
    elif fmt == "csv":
        print(to_csv(df), end="")
    else:
        doc = result.document
        print(f"== {doc.path}  ({len(result.figures)} figures, {doc.encoding}, {doc.chars} chars)")
        print(_table(df, FIGURE_COLUMNS))


def _print_check(result: Any, fmt: str) -> None:
    from analysis import checks
    from analysis.pipeline import dumps, payload

    df = result.checks
    if fmt == "json":
        print(dumps(payload(result)))
        return
    if fmt == "csv":
        print(to_csv(df), end="")
        return
    n = result.counts()
    print(f"== {result.document.path}: {n['figures']} figures, {n['checks']} checks, "
          f"{n['inconsistent']} inconsistent, {n['warning']} warnings; "
          f"coverage: {result.coverage().summary_en()}")
    for _, row in checks.flags(df).iterrows():
        sev = row.get("severity")
        sev = f" ({sev})" if isinstance(sev, str) and sev else ""
        print(f"\n[{row['verdict']}{sev}] {row['rule']}: {row['message_en']}")
        print(f"  {row['message_zh']}")
        print(f"  arithmetic: {row['arithmetic']}")
        print(f"  tolerance:  {row['tolerance']}")
        for q in row.get("quotes") or []:
            print(f"  > {' '.join(str(q).split())}")    # table rows: one line


def _analyse_verb(args: argparse.Namespace, check: bool) -> int:
    from analysis.pipeline import analyse_paths

    failures, found = 0, {"inconsistent": 0, "warning": 0}
    for outcome in analyse_paths(args.paths, check=check, rules=getattr(args, "rules", None),
                                 out=args.out, store=_store(args), date=args.date):
        if not outcome.ok or outcome.value is None:
            failures += 1
            _err(outcome.error or f"{outcome.path}: failed")
            continue
        (_print_check if check else _print_extract)(outcome.value, args.format)
        for v, n in outcome.value.counts().items():
            if v in found:
                found[v] += n
    if failures:
        return EXIT_BAD_INPUT
    if check and args.fail_on and any(found[v] for v in args.fail_on):
        return EXIT_FINDINGS
    return EXIT_OK


@verb("extract", "every figure in the documents", _extract_options)
def cmd_extract(args: argparse.Namespace) -> int:
    return _analyse_verb(args, check=False)


@verb("check", "growth arithmetic and consistency checks", _check_options)
def cmd_check(args: argparse.Namespace) -> int:
    return _analyse_verb(args, check=True)


# --- scenario -------------------------------------------------------------------------------
def _scenario_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--spec", required=True, metavar="YAML",
                   help="scenario spec (schema: data/scenarios/README.md)")
    p.add_argument("--out", metavar="DIR", help="also write the tables (CSV) and chart to DIR")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help=_FORMAT_HELP)


@verb("scenario", "target paths, forecasts and attainment probability", _scenario_options)
def cmd_scenario(args: argparse.Namespace) -> int:
    from analysis.scenarios import run

    try:
        result = run(args.spec, args.out, args.format)
    except (AnalysisError, ValueError) as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    sys.stdout.write(result["output"])
    if result["files"]:
        folder = Path(next(iter(result["files"].values()))).parent
        print(f"wrote {len(result['files'])} files to {folder}", file=sys.stderr)
    return EXIT_OK


def _track_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="DOCUMENT|FOLDER",
                   help="documents to read (and store) first; none: read --store")
    p.add_argument("--store", metavar="FILE", help="DuckDB figure store (analysis.store)")
    p.add_argument("--region", help="only targets of this region (东港区 matches 示例市东港区)")
    p.add_argument("--indicator", help="only this indicator (canonical name)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help=_FORMAT_HELP)


@verb("track", "targets across documents: base, actuals, progress, verdict", _track_options)
def cmd_track(args: argparse.Namespace) -> int:
    """``policycheck track``: each target against its base and the later actuals."""
    from analysis.tracker import run as track

    output, errors = track(args.paths, args.store, args.region, args.indicator, args.format)
    for e in errors:
        _err(e)
    sys.stdout.write(output)
    return EXIT_BAD_INPUT if errors else EXIT_OK


# --- report ---------------------------------------------------------------------------------
def _report_options(p: argparse.ArgumentParser) -> None:
    from analysis import config

    p.add_argument("paths", nargs="+", metavar="PATH", help="documents or folders of documents")
    p.add_argument("--out", default="reports", metavar="DIR",
                   help="reports folder: DIR/<doc-id>/ per document, DIR/index.html "
                        "(default: %(default)s)")
    p.add_argument("--language", choices=["zh", "en", "both"], default="both",
                   help="language of the report text (default: %(default)s)")
    p.add_argument("--formats", metavar="LIST", default=None,
                   help="exports to write, comma-separated: html,markdown,excel,pdf "
                        "(default: all; the notebook and CSV tables are always written)")
    p.add_argument("--force", action="store_true", help="re-run unchanged documents too")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="warm worker processes (default: the number of cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run on a Dask cluster: tcp://HOST:8786, or 'local' for a LocalCluster")
    p.add_argument("--budget", type=float, default=config.DOCUMENT_BUDGET, metavar="SECONDS",
                   help="time one document may take before it is stopped (default: %(default)s)")
    p.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                   help="wait this long for another run on the same --out (default: refuse)")
    p.add_argument("--store", metavar="DUCKDB", default=None,
                   help="figure store to fill (default: OUT/policycheck.duckdb)")
    p.add_argument("--no-store", action="store_true", help="do not write the figure store")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="json: print the run's summary as JSON (per document: status, error, "
                        "counts, files)")


class _Progress:
    """A progress bar on a terminal (tqdm), one line per document; quiet bar otherwise."""

    def __init__(self, lines: bool):
        self.lines = lines
        self.bar: Any = None

    def start(self, total: int, workers: int) -> None:
        if sys.stderr.isatty() and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=sys.stderr, leave=False,
                            desc=f"reports ({workers} worker{'s' * (workers != 1)})")

    def done(self, result: Any) -> None:
        if self.lines:
            word = {"built": "built", "skipped": "unchanged", "failed": "failed"}[result.status]
            line = f"{word:9} {result.doc_id}"
            if result.error:
                line += f"  {result.error}"
            if self.bar is not None:
                self.bar.write(line, file=sys.stdout)
            else:
                print(line, flush=True)
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@verb("report", "full reports (notebook, HTML, Markdown, Excel, PDF)", _report_options)
def cmd_report(args: argparse.Namespace) -> int:
    from analysis.pipeline import dumps
    from analysis.reports import run_batch

    formats = None
    if args.formats is not None:
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    store: Any = False if args.no_store else (args.store or True)
    batch = run_batch(
        args.paths, args.out, language=args.language, formats=formats, force=args.force,
        workers=args.workers, scheduler=args.scheduler, budget=args.budget or None,
        store=store, wait=args.wait, listener=_Progress(lines=args.format == "text"),
    )
    if args.format == "json":
        print(dumps(batch.to_dict()))
    else:
        n = batch.counts()
        print(f"policycheck: {n['built']} report(s) written, {n['skipped']} unchanged, "
              f"{n['failed']} failed in {batch.seconds:.1f} s; reports are in {batch.out_dir} "
              "(open index.html)")
    return EXIT_OK if batch.ok else EXIT_BAD_INPUT


# --- query ----------------------------------------------------------------------------------
def _query_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("sql", nargs="?", metavar="SQL",
                   help="SQL over runs, run_documents, documents, figures, checks, scenarios")
    p.add_argument("--store", metavar="DUCKDB", default=None,
                   help="figure store (default: reports/policycheck.duckdb, or $POLICYCHECK_STORE)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--parquet", metavar="DIR", help="write every table to DIR/<table>.parquet")


@verb("query", "SQL over the figure store (figures across documents and runs)", _query_options)
def cmd_query(args: argparse.Namespace) -> int:
    from analysis import config
    from analysis.store import FigureStore

    path = Path(args.store) if args.store else config.STORE_PATH
    if not path.is_file():
        raise AnalysisError(f"{path}: no figure store yet (run `policycheck report` or `check`)")
    if args.sql is None and args.parquet is None:
        raise AnalysisError("query: give SQL, --parquet DIR, or both")
    with FigureStore(path, read_only=True) as store:
        if args.parquet:
            for written in store.export_parquet(args.parquet):
                print(written, file=sys.stderr)
        if args.sql:
            try:
                df = store.query(args.sql)
            except Exception as exc:  # noqa: BLE001 - duckdb's errors: one line, not a traceback
                raise AnalysisError(f"query: {' '.join(str(exc).split())}") from None
            if args.format == "json":
                print(df.to_json(orient="records", force_ascii=False, date_format="iso"))
            elif args.format == "csv":
                print(to_csv(df), end="")
            else:
                print(_table(df, list(df.columns)))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policycheck",
        description="Figures, growth checks, scenarios and reports for Chinese policy documents.",
    )
    parser.add_argument("--version", action="version", version=f"policycheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for v in VERBS.values():
        p = sub.add_parser(v.name, help=v.help)
        v.options(p)
        p.set_defaults(func=v.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AnalysisError as exc:
        _err(" ".join(str(exc).split()))
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `policycheck extract … | head`
        return EXIT_OK
    except KeyboardInterrupt:
        _err("interrupted; a re-run finishes only what is missing")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
