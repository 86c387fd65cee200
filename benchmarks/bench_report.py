"""The report notebook vs a bare papermill run (target: at most 1.5×), and a full report.

Run: ``python -m benchmarks.bench_report``.  Side by side, each through
papermill with the project's kernel, kernel start included, exports
excluded:

- *baseline*: a notebook whose only cell imports pandas, matplotlib and
  statsmodels (what any analysis notebook pays);
- *report*: ``notebooks/check_document.ipynb`` on seed 003 (or the first
  sample when ../shared is absent), saving its tables.

Then the full report of that document (notebook + HTML + Markdown + Excel +
PDF, assembled and renamed into place) with the time of each step.
Best of ``REPEAT`` runs each, after one warm-up of both.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from analysis import config, runner
from analysis.reports import REPORT_NOTEBOOK, build_report

REPEAT = 3
TARGET_RATIO = 1.5
BASELINE_SOURCE = (
    "import pandas\nimport matplotlib\nimport matplotlib.pyplot\nimport statsmodels.api"
)


def _document() -> Path:
    seeds = [p for p in config.seed_paths() if p.name.startswith("003")]
    return seeds[0] if seeds else min(config.SAMPLES_DIR.glob("*.txt"))


def _baseline_notebook(folder: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(BASELINE_SOURCE)])
    nb.metadata["kernelspec"] = {
        "name": runner.kernel_name(),
        "display_name": "policycheck",
        "language": "python",
    }
    path = folder / "baseline.ipynb"
    nbformat.write(nb, str(path))
    return path


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> dict:
    doc = _document()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        baseline_nb = _baseline_notebook(tmp)

        def baseline() -> None:
            runner.execute(baseline_nb, tmp / "baseline.out.ipynb", document="baseline")

        def report() -> None:
            out = tmp / "tables"
            runner.execute(
                REPORT_NOTEBOOK,
                tmp / "report.out.ipynb",
                {"document": str(doc), "out_dir": str(out)},
                cwd=config.NOTEBOOKS_DIR,
            )

        baseline(), report()  # warm-up: bytecode and font caches
        base_runs = [_timed(baseline) for _ in range(REPEAT)]
        report_runs = [_timed(report) for _ in range(REPEAT)]
        b, r = min(base_runs), min(report_runs)
        ratio = r / b
        print(f"document: {doc.name}   kernel: {runner.kernel_name()}   best of {REPEAT}")
        print(f"{'':28}{'best s':>8}{'median s':>10}")
        print(f"{'baseline (imports only)':28}{b:8.2f}{statistics.median(base_runs):10.2f}")
        print(f"{'check_document.ipynb':28}{r:8.2f}{statistics.median(report_runs):10.2f}")
        verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
        print(f"ratio report / baseline: {ratio:.2f}× (target ≤ {TARGET_RATIO}×: {verdict})")

        result = build_report(doc, tmp / "reports")
        steps = "  ".join(f"{k} {v:.2f}s" for k, v in result.seconds.items() if k != "total")
        print(f"full report of {doc.name}: {result.seconds['total']:.2f} s ({steps})")
    return {
        "baseline": b,
        "report": r,
        "ratio": ratio,
        "full_report": result.seconds["total"],
        "steps": result.seconds,
    }


if __name__ == "__main__":
    main()
