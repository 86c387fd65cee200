"""Report batches: a papermill loop vs ``policycheck report`` with 1 and default workers.

Run: ``python -m benchmarks.bench_batch [--n 40]``.  Builds ``n`` distinct
documents (the seeds and samples, each copy with a small edit: one more
target sentence), then times, in one run:

1. *papermill loop*: one ``papermill`` call per document of
   ``check_document.ipynb`` (a new kernel each time, no exports) — what a
   shell loop does;
2. ``policycheck report DIR --workers 1`` (every export: HTML, Markdown,
   Excel, PDF);
3. ``policycheck report DIR`` with the default workers (one per core);
4. the same command again on the unchanged documents (target: < 2 s), and
   after editing one document (only that one is rebuilt);
5. one document's full report vs the floor: papermill of a notebook that only
   imports pandas, matplotlib and statsmodels (target: ≤ 1.5×).

Prints documents/minute and the ratios (goal: default workers ≥ 3× the
papermill loop on 2 cores).  Wall-clock times: on a shared machine they are
noisy; the CPU time of the command and its children is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import config

TARGET_SPEEDUP = 3.0
TARGET_UNCHANGED_S = 2.0
TARGET_SINGLE_RATIO = 1.5
FLOOR_SOURCE = "import pandas\nimport matplotlib\nimport matplotlib.pyplot\nimport statsmodels.api"


def make_documents(folder: Path, n: int) -> list[Path]:
    """``n`` distinct documents: seeds and samples, each copy with one more sentence."""
    from analysis import documents
    from analysis.reports import document_paths

    sources = [*config.seed_paths(), *document_paths([config.SAMPLES_DIR])]
    texts = [documents.load(p).text for p in sources]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        j = i % len(texts)
        edit = f"\n到2025年，示例指标{i}达到{100 + i}亿元，年均增长{3 + i % 7}%。\n"
        path = folder / f"{i:02d}_{sources[j].stem[:40]}.txt"
        path.write_text(texts[j] + edit, encoding="utf-8")
        out.append(path)
    return out


def _timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall and CPU seconds (this child and its children) of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        print(f"  ! {' '.join(cmd[:4])} … exit {proc.returncode}: {proc.stderr[-500:]}")
    return wall, cpu, proc


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _floor_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    path = folder / "floor.ipynb"
    nbformat.write(nb, str(path))
    return path


def _rate(n: int, seconds: float) -> float:
    return n / seconds * 60 if seconds else float("inf")


def main(argv: list[str] | None = None) -> None:
    from analysis import runner

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--n", type=int, default=40, help="documents (default 40)")
    opts = args.parse_args(argv if argv is not None else [])
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    policycheck, papermill = _bin("policycheck"), _bin("papermill")
    kernel = runner.kernel_name()
    try:
        docs = make_documents(tmp / "docs", opts.n)
        n = len(docs)
        print(f"{n} documents, {os.cpu_count()} cores; times are wall clock (CPU in brackets)")

        (tmp / "pm").mkdir()
        loop_wall = loop_cpu = 0.0
        for i, doc in enumerate(docs):
            wall, cpu, _ = _timed([
                papermill, str(config.NOTEBOOKS_DIR / "check_document.ipynb"),
                str(tmp / "pm" / f"{i}.ipynb"), "-p", "document", str(doc), "-k", kernel,
                "--cwd", str(config.NOTEBOOKS_DIR), "--no-progress-bar",
            ])
            loop_wall, loop_cpu = loop_wall + wall, loop_cpu + cpu
        print(f"papermill loop (no exports)      {loop_wall:7.1f} s  [{loop_cpu:6.1f}]  "
              f"{_rate(n, loop_wall):5.1f} docs/min")

        one_wall, one_cpu, _ = _timed([policycheck, "report", str(tmp / "docs"), "--out",
                                       str(tmp / "w1"), "--workers", "1"])
        print(f"report --workers 1 (all exports) {one_wall:7.1f} s  [{one_cpu:6.1f}]  "
              f"{_rate(n, one_wall):5.1f} docs/min  ({loop_wall / one_wall:.2f}x the loop)")
        all_wall, all_cpu, _ = _timed([policycheck, "report", str(tmp / "docs"), "--out",
                                       str(tmp / "wn")])
        speedup = loop_wall / all_wall
        print(f"report, default workers          {all_wall:7.1f} s  [{all_cpu:6.1f}]  "
              f"{_rate(n, all_wall):5.1f} docs/min  ({speedup:.2f}x the loop; "
              f"target >= {TARGET_SPEEDUP}x: {'met' if speedup >= TARGET_SPEEDUP else 'NOT met'})")

        again_wall, again_cpu, _ = _timed([policycheck, "report", str(tmp / "docs"), "--out",
                                           str(tmp / "wn")])
        print(f"re-run, {n} unchanged             {again_wall:7.2f} s  [{again_cpu:6.2f}]  "
              f"(target < {TARGET_UNCHANGED_S} s: "
              f"{'met' if again_wall < TARGET_UNCHANGED_S else 'NOT met'})")
        with open(docs[0], "a", encoding="utf-8") as fh:
            fh.write("\n到2030年，示例指标达到999亿元。\n")
        edit_wall, edit_cpu, proc = _timed([policycheck, "report", str(tmp / "docs"), "--out",
                                            str(tmp / "wn")])
        rebuilt = sum(line.startswith("built") for line in proc.stdout.splitlines())
        print(f"re-run, one edited               {edit_wall:7.2f} s  [{edit_cpu:6.2f}]  "
              f"({rebuilt} rebuilt)")

        floor_nb = _floor_notebook(tmp)
        floor = min(
            _timed([papermill, str(floor_nb), str(tmp / "floor-out.ipynb"), "-k", kernel,
                    "--no-progress-bar"])[0]
            for _ in range(2)
        )
        single = min(
            _timed([policycheck, "report", str(docs[1]), "--out", str(tmp / f"single{i}"),
                    "--no-store"])[0]
            for i in range(2)
        )
        ratio = single / floor
        print(f"single document, full report     {single:7.2f} s vs floor {floor:.2f} s: "
              f"{ratio:.2f}x (target <= {TARGET_SINGLE_RATIO}x: "
              f"{'met' if ratio <= TARGET_SINGLE_RATIO else 'NOT met'})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
