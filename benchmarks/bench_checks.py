"""`policycheck check` on all five seeds together, in-process (target: under 1 s).

Run: ``python -m benchmarks.bench_checks``.  Measures loading, extraction and
every check rule for the five seeds (or the samples when ../shared is absent),
after one warm-up run that loads lexicons and compiles patterns.
"""
from __future__ import annotations

import time

from analysis import checks, config
from analysis.documents import load
from analysis.figures import extract


def check_all(paths) -> int:
    n = 0
    for p in paths:
        n += len(checks.run(extract(load(p))))
    return n


def main() -> dict:
    paths = config.seed_paths() or sorted(p for p in config.SAMPLES_DIR.iterdir() if p.is_file())
    check_all(paths[:1])                                  # warm-up: lexicons, regexes, imports
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        n = check_all(paths)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    print(f"check {len(paths)} documents: {n} checks in {best:.3f} s (best of 3) "
          f"= {best / 1.0:.2f} of the 1 s target")
    return {"seconds": best, "checks": n, "documents": len(paths)}


if __name__ == "__main__":
    main()
