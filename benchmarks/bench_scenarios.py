"""Benchmark: simulate 1 000 000 growth paths × 10 years with persistent growth, vectorised;
and the backtest coverage of 80 % intervals on the national retail series, per method.

Targets (issues 4 and 13): under 0.5 s for 1e6 AR(1) paths × 10 years, under 1 GB.
Prints wall time (best of a few runs), peak memory traced by ``tracemalloc``
(numpy reports its buffers to it) and the process's peak resident set size,
and each ratio to its target (< 1 means within target).  The machine may be
shared: timings are noisy.  Run ``python -m benchmarks.bench_scenarios``.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

from analysis import config
from analysis.scenarios import TargetModel, attainment_probability, load_spec, simulate_paths

N_PATHS = 1_000_000
YEARS = 10
PERSISTENCE = 0.5
TARGET_SECONDS = 0.5
TARGET_BYTES = 1 << 30  # 1 GB
REPEATS = 3


def _run() -> float:
    paths = simulate_paths(487895.0, 5.65, 5.58, YEARS, N_PATHS, seed=2027,
                           persistence=PERSISTENCE, last_growth=3.5)
    return attainment_probability(paths, 800000.0)


def coverage() -> None:
    """Rolling-origin backtests of every method on the national series: 80 % coverage, errors."""
    res = TargetModel(load_spec(config.SCENARIOS_DIR / "national_retail_2027.yaml")).fit(
        n_paths=20000, seed=1)
    cov = res.coverage(0.2).set_index("method")
    choice = res.method_choice().set_index("method")
    print("backtest (one step ahead, rolling origin) on national_retail_2027, 80 % intervals:")
    for method, row in cov.iterrows():
        flag = choice.loc[method, "degenerate"] if method in choice.index else ""
        chosen = " <- chosen" if method in choice.index and choice.loc[method, "chosen"] else ""
        print(f"  {method:10s} n={int(row['n'])}  coverage {row['coverage']:.2f} (nominal 0.80)  "
              f"MAPE {row['mape_pct']:.2f} %{chosen}" + (f"  DEGENERATE: {flag}" if flag else ""))


def main() -> dict[str, float]:
    """Time and trace the simulation; print a report; return the numbers."""
    _run()  # warm-up: imports, page faults
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        _run()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    p = _run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    import numpy as np

    rng = np.random.default_rng(1)
    draws = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        rng.standard_normal((YEARS, N_PATHS), dtype=np.float32)
        draws.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_bytes = rss if sys.platform == "darwin" else rss * 1024
    best = min(times)
    out = {
        "seconds": best,
        "peak_traced_bytes": float(peak),
        "peak_rss_bytes": float(rss_bytes),
        "time_ratio": best / TARGET_SECONDS,
        "memory_ratio": peak / TARGET_BYTES,
        "rss_ratio": rss_bytes / TARGET_BYTES,
    }
    print(
        f"bench_scenarios: simulate_paths {N_PATHS:,} paths x {YEARS} years, AR(1) growth "
        f"(persistence {PERSISTENCE}, float32) + attainment probability (p={p:.4f})"
    )
    print(
        f"  time        best of {REPEATS}: {best:.3f} s   (target {TARGET_SECONDS:g} s, "
        f"ratio {out['time_ratio']:.2f}); of which drawing the 1e7 normals alone: "
        f"{min(draws):.3f} s (numpy's floor on this machine now)"
    )
    print(
        f"  peak memory traced: {peak / 2**20:.1f} MiB   (target 1 GiB, "
        f"ratio {out['memory_ratio']:.3f})"
    )
    print(
        f"  peak RSS (whole process, incl. interpreter and libraries): "
        f"{rss_bytes / 2**20:.1f} MiB   (ratio {out['rss_ratio']:.3f})"
    )
    coverage()
    return out


if __name__ == "__main__":
    main()
