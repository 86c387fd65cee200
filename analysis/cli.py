"""The ``policycheck`` command (also ``python -m analysis``).

Thin by design (STYLE.md §9): each subcommand parses its options into one call
of the library.  Bad input prints one line naming the file and the problem on
stderr; the other paths are still processed; the exit code is non-zero when
any path failed (2 for bad input, 1 for ``--fail-on`` findings).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

import pandas as pd

from analysis import __version__
from analysis.cells import to_csv
from analysis.exceptions import AnalysisError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

# Columns of the readable tables (the JSON/CSV outputs carry every field).
FIGURE_COLUMNS = ["id", "indicator", "year", "period", "printed", "unit", "kind", "qualifier",
                  "status", "source"]
CHECK_COLUMNS = ["rule", "verdict", "severity", "figures", "arithmetic"]


def _err(msg: str) -> None:
    print(f"policycheck: error: {msg}", file=sys.stderr)


def _json_default(o):
    from decimal import Decimal

    if isinstance(o, Decimal):
        return format(o, "f")
    if isinstance(o, (set, tuple)):
        return list(o)
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=_json_default)


def _records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", force_ascii=False, default_handler=str))


def _table(df: pd.DataFrame, columns: list[str]) -> str:
    cols = [c for c in columns if c in df.columns]
    if df.empty:
        return "(none)"
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 60,
                           "display.width", 200):
        return df[cols].to_string(index=False)


def _write_outputs(out: str, doc, files: dict[str, str]) -> None:
    from analysis.reports.atomic import write_text

    folder = Path(out) / doc.doc_id
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_text(folder / name, text)


def _each_document(paths: list[str], work: Callable) -> int:
    """Run ``work(document)`` per path; a failing path is reported and the rest still run."""
    from analysis.documents import load

    failures = 0
    for p in paths:
        try:
            work(load(p))
        except AnalysisError as exc:
            failures += 1
            _err(str(exc))
    return EXIT_BAD_INPUT if failures else EXIT_OK


# --- subcommands ---------------------------------------------------------------------------
def cmd_extract(args: argparse.Namespace) -> int:
    from analysis.figures import extract, to_frame

    def work(doc):
        figures = extract(doc)
        df = to_frame(figures)
        payload = {"document": doc.info(), "figures": [f.to_dict() for f in figures]}
        if args.out:
            _write_outputs(args.out, doc, {
                "figures.json": _dumps(payload), "figures.csv": to_csv(df)})
        if args.format == "json":
            print(_dumps(payload))
        elif args.format == "csv":
            print(to_csv(df), end="")
        else:
            print(f"== {doc.path}  ({len(figures)} figures, {doc.encoding}, {doc.chars} chars)")
            print(_table(df, FIGURE_COLUMNS))

    return _each_document(args.paths, work)


def cmd_check(args: argparse.Namespace) -> int:
    from analysis import checks
    from analysis.figures import extract, to_frame

    found = {"inconsistent": 0, "warning": 0}

    def work(doc):
        figures = extract(doc)
        df = checks.run(figures, rules=args.rules or None)
        cov = checks.coverage(figures, df)
        for verdict in found:
            found[verdict] += int((df["verdict"] == verdict).sum())
        payload = {"document": doc.info(), "figures": [f.to_dict() for f in figures],
                   "checks": _records(df), "coverage": cov.to_dict()}
        if args.out:
            _write_outputs(args.out, doc, {
                "checks.json": _dumps(payload), "checks.csv": to_csv(df),
                "figures.csv": to_csv(to_frame(figures))})
        if args.format == "json":
            print(_dumps(payload))
        elif args.format == "csv":
            print(to_csv(df), end="")
        else:
            flags = checks.flags(df)
            print(f"== {doc.path}: {len(figures)} figures, {len(df)} checks, "
                  f"{int((df['verdict'] == 'inconsistent').sum())} inconsistent, "
                  f"{int((df['verdict'] == 'warning').sum())} warnings; "
                  f"coverage: {cov.summary_en()}")
            for _, row in flags.iterrows():
                sev = row.get("severity")
                sev = f" ({sev})" if isinstance(sev, str) and sev else ""
                print(f"\n[{row['verdict']}{sev}] {row['rule']}: {row['message_en']}")
                print(f"  {row['message_zh']}")
                print(f"  arithmetic: {row['arithmetic']}")
                print(f"  tolerance:  {row['tolerance']}")
                for q in row.get("quotes") or []:
                    print(f"  > {' '.join(str(q).split())}")    # table rows: one line

    code = _each_document(args.paths, work)
    if code == EXIT_OK and args.fail_on and any(found[v] for v in args.fail_on):
        return EXIT_FINDINGS
    return code


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


def cmd_track(args: argparse.Namespace) -> int:
    """``policycheck track``: each target against its base and the later actuals."""
    from analysis.tracker import run as track

    output, errors = track(args.paths, args.store, args.region, args.indicator, args.format)
    for e in errors:
        _err(e)
    sys.stdout.write(output)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from analysis.reports import build_reports

    results = build_reports(args.paths, args.out, language=args.language, force=args.force)
    failed = [r for r in results if not r.ok]
    for r in failed:
        _err(r.error or f"{r.source}: failed")
    built = sum(r.status == "built" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    print(f"policycheck: {built} report(s) written, {skipped} unchanged (skipped), "
          f"{len(failed)} failed")
    print(f"Reports are in {Path(args.out).resolve()} (open index.html)")
    return EXIT_BAD_INPUT if failed else EXIT_OK


_PATHS_HELP = "documents: .txt, .md, .html, .docx or .pdf"
_FORMAT_HELP = "output on stdout: table (readable), csv or json (default: %(default)s)"


def _rule_names() -> str:
    """The registered check rules, for ``check --help``."""
    from analysis import checks

    return ", ".join(checks.registered())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policycheck",
        description="Figures, growth checks, scenarios and reports for Chinese policy documents.",
    )
    parser.add_argument("--version", action="version", version=f"policycheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="every figure in the documents")
    p.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help=_FORMAT_HELP)
    p.add_argument("--out", metavar="DIR", help="also write DIR/<doc-id>/figures.{csv,json}")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="growth arithmetic and consistency checks")
    p.add_argument("paths", nargs="+", metavar="PATH", help=_PATHS_HELP)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help=_FORMAT_HELP)
    p.add_argument("--out", metavar="DIR",
                   help="also write DIR/<doc-id>/checks.{csv,json} and figures.csv")
    p.add_argument("--rules", nargs="+", metavar="RULE",
                   help=f"run only these rules (default: all): {_rule_names()}")
    p.add_argument("--fail-on", nargs="+", choices=["inconsistent", "warning"], default=[],
                   help="exit 1 when findings of these verdicts exist (scheduled pipelines); "
                        "give at least one of: inconsistent, warning")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("scenario", help="target paths, forecasts and attainment probability")
    p.add_argument("--spec", required=True, metavar="YAML",
                   help="scenario spec (schema: data/scenarios/README.md)")
    p.add_argument("--out", metavar="DIR", help="also write the tables (CSV) and chart to DIR")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help=_FORMAT_HELP)
    p.set_defaults(func=cmd_scenario)

    p = sub.add_parser("track", help="targets across documents: base, actuals, progress, verdict")
    p.add_argument("paths", nargs="*", metavar="DOCUMENT|FOLDER",
                   help="documents to read (and store) first; none: read --store")
    p.add_argument("--store", metavar="FILE", help="DuckDB figure store (analysis.store)")
    p.add_argument("--region", help="only targets of this region (东港区 matches 示例市东港区)")
    p.add_argument("--indicator", help="only this indicator (canonical name)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_track)

    p = sub.add_parser("report", help="full reports (notebook, HTML, Markdown, Excel, PDF)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="documents or folders of documents")
    p.add_argument("--out", default="reports", metavar="DIR",
                   help="reports folder: DIR/<doc-id>/ per document, DIR/index.html "
                        "(default: %(default)s)")
    p.add_argument("--language", choices=["zh", "en", "both"], default="both",
                   help="language of the report text (default: %(default)s)")
    p.add_argument("--force", action="store_true", help="re-run unchanged documents too")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AnalysisError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `policycheck extract … | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
