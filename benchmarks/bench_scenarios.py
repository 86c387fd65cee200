"""Benchmark: simulate 1 000 000 growth paths × 10 years, vectorised.

Targets (issue 4): under 1 s and under 1 GB.  Prints wall time (best of a few
runs), peak memory traced by ``tracemalloc`` (numpy reports its buffers to
it) and the process's peak resident set size, and each ratio to its target
(< 1 means within target).  Run ``python -m benchmarks.bench_scenarios``.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

from analysis.scenarios import attainment_probability, simulate_paths

N_PATHS = 1_000_000
YEARS = 10
TARGET_SECONDS = 1.0
TARGET_BYTES = 1 << 30  # 1 GB
REPEATS = 3


def _run() -> float:
    paths = simulate_paths(487895.0, 5.65, 5.58, YEARS, N_PATHS, seed=2027)
    return attainment_probability(paths, 800000.0)


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
        f"bench_scenarios: simulate_paths {N_PATHS:,} paths x {YEARS} years (float32) "
        f"+ attainment probability (p={p:.4f})"
    )
    print(
        f"  time        best of {REPEATS}: {best:.3f} s   (target {TARGET_SECONDS:g} s, "
        f"ratio {out['time_ratio']:.2f})"
    )
    print(
        f"  peak memory traced: {peak / 2**20:.1f} MiB   (target 1 GiB, "
        f"ratio {out['memory_ratio']:.3f})"
    )
    print(
        f"  peak RSS (whole process, incl. interpreter and libraries): "
        f"{rss_bytes / 2**20:.1f} MiB   (ratio {out['rss_ratio']:.3f})"
    )
    return out


if __name__ == "__main__":
    main()
