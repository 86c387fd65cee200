"""Growth paths: deterministic scenario paths, verdicts, and vectorised random paths.

Rates are in PERCENT, as in :mod:`analysis.growth` (which does the scalar
arithmetic).  A path is a level per year; growth ``g`` in year ``t`` means
``level[t] = level[t-1] * (1 + g/100)``, and a shock ``s`` in year ``t``
multiplies that year's level once more by ``(1 + s/100)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis import growth

__all__ = [
    "ar1_persistence",
    "attainment_probability",
    "reaches",
    "scenario_path",
    "simulate_paths",
    "verdict",
]


def simulate_paths(
    base: float,
    mean: float,
    sd: float,
    years: int,
    n_paths: int,
    seed: int | np.random.Generator | None = None,
    dtype: type = np.float32,
    persistence: float = 0.0,
    last_growth: float | None = None,
) -> np.ndarray:
    """``n_paths`` random level paths over ``years`` years, shape ``(n_paths, years)``.

    Yearly growth (percent) follows an AR(1) around ``mean``::

        g[t] - mean = persistence * (g[t-1] - mean) + e[t],
        e[t] ~ Normal(0, sd * sqrt(1 - persistence**2))

    so ``sd`` is the growth rates' own (stationary) standard deviation and
    ``persistence`` (0 <= phi < 1) how much of a year's deviation carries into
    the next: a bad year makes the next one likelier to be bad, and the spread
    of the levels widens faster than with independent years.  ``last_growth``
    (the latest observed rate) starts the chain; default ``mean``.
    ``persistence=0`` draws each year independently.  Growth is floored just
    above -100 % so levels stay positive; column ``j`` is the level ``j + 1``
    years after ``base``.  One array, filled in place (float32 by default:
    1 000 000 paths x 10 years is 40 MB), laid out year-major so that each
    year's update is one contiguous vector operation.

    Assumptions: Gaussian shocks, constant mean, sd and persistence over the
    horizon; no parameter uncertainty.

    >>> p = simulate_paths(100, 5, 0, 3, 2, seed=1)
    >>> p.shape, p.dtype, [round(float(x), 2) for x in p[0]]
    ((2, 3), dtype('float32'), [105.0, 110.25, 115.76])
    >>> a, b = simulate_paths(100, 5, 2, 10, 1000, seed=7), simulate_paths(100, 5, 2, 10, 1000, seed=7)
    >>> bool((a == b).all())
    True
    >>> q = simulate_paths(100, 5, 0, 2, 1, persistence=0.5, last_growth=9)  # 5 + 2, 5 + 1
    >>> [round(float(x), 4) for x in q[0]]
    [107.0, 113.42]
    """
    if years < 1 or n_paths < 1:
        raise ValueError(f"years and n_paths must be >= 1, got years={years}, n_paths={n_paths}")
    if not (base > 0 and np.isfinite(base)):
        raise ValueError(f"base must be a positive number, got {base}")
    if sd < 0 or not np.isfinite(sd) or not np.isfinite(mean):
        raise ValueError(f"mean and sd must be finite and sd >= 0, got mean={mean}, sd={sd}")
    if not 0 <= persistence < 1:
        raise ValueError(f"persistence must be in [0, 1), got {persistence}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    phi, one_plus_mean = dtype(persistence), dtype(1 + mean / 100)
    out = rng.standard_normal((years, n_paths), dtype=dtype)  # year-major: row t is year t
    out *= dtype(sd * np.sqrt(1 - persistence**2) / 100)  # the shocks e[t]
    start = ((mean if last_growth is None else last_growth) - mean) / 100
    dev: np.ndarray = np.full(n_paths, start, dtype=dtype)  # growth's deviation, carried on
    level: Any = dtype(base)
    for t in range(years):
        row = out[t]
        dev *= phi
        dev += row
        np.add(dev, one_plus_mean, out=row)  # growth factor
        np.maximum(row, dtype(1e-6), out=row)  # a year can lose at most ~100 %
        row *= level
        level = row
    return out.T


def ar1_persistence(rates: Sequence[float]) -> float:
    """The lag-1 autocorrelation of yearly growth rates, clipped to [0, 0.9].

    >>> ar1_persistence([1, 2, 3, 4, 5, 6])
    0.5
    >>> ar1_persistence([1, -1, 1, -1, 1, -1])
    0.0
    """
    x = np.asarray(rates, dtype=float)
    if x.size < 3 or np.allclose(x, x[0]):
        return 0.0
    d = x - x.mean()
    phi = float((d[1:] * d[:-1]).sum() / (d * d).sum())
    return float(min(max(phi, 0.0), 0.9))


def attainment_probability(
    levels: np.ndarray | Sequence[float], target: float, direction: str = "up"
) -> float:
    """Share of simulated levels that reach ``target``.

    ``levels`` is 1-D (the levels in the target year) or the 2-D output of
    :func:`simulate_paths` (its last column is used).  ``direction="up"``
    counts levels >= target; ``"down"`` (a ceiling such as 不超过) counts
    levels <= target.  For ``"up"`` a higher target never has a higher
    probability.

    >>> attainment_probability([90, 100, 110, 120], 100)
    0.75
    >>> attainment_probability([90, 100, 110, 120], 100, direction="down")
    0.5
    """
    arr = np.asarray(levels)
    if arr.ndim == 2:
        arr = arr[:, -1]
    if arr.size == 0:
        raise ValueError("levels is empty")
    if direction == "up":
        return float(np.count_nonzero(arr >= target) / arr.size)
    if direction == "down":
        return float(np.count_nonzero(arr <= target) / arr.size)
    raise ValueError(f"direction must be 'up' or 'down', got {direction!r}")


def scenario_path(
    start_year: int,
    start_value: float,
    end_year: int,
    rate: float | None = None,
    rates: Mapping[int, float] | None = None,
    shocks: Mapping[int, float] | None = None,
) -> pd.Series:
    """Levels from ``start_year`` (the start value) to ``end_year``.

    ``rates`` gives the growth (%) of single years and ``rate`` the rest;
    ``shocks`` are one-off level changes (%) on top of that year's growth.
    A year without either rate raises ValueError.

    >>> scenario_path(2020, 100, 2023, rate=10, shocks={2022: -50}).round(2).tolist()
    [100.0, 110.0, 60.5, 66.55]
    """
    rates, shocks = dict(rates or {}), dict(shocks or {})
    levels = [float(start_value)]
    for year in range(start_year + 1, end_year + 1):
        r = rates.get(year, rate)
        if r is None:
            raise ValueError(f"no growth rate for {year}: give rate or rates[{year}]")
        level = growth.project(levels[-1], r, 1)
        if year in shocks:
            level = growth.project(level, shocks[year], 1)
        levels.append(level)
    return pd.Series(
        levels, index=pd.RangeIndex(start_year, end_year + 1, name="year"), dtype=float
    )


def reaches(level: float, target: float, direction: str = "up") -> bool:
    """Whether ``level`` meets ``target``: at or above it (``"up"``), at or below (``"down"``).

    "超过407亿元" is counted as reached at 407: strictness is lost in rounding
    (see :data:`analysis.growth.QUALIFIER_BANDS`).

    A relative tolerance of 1e-9 absorbs floating-point noise: a path at
    exactly the target's rate reaches it.

    >>> reaches(407.0, 407), reaches(406.9, 407), reaches(5, 6, "down")
    (True, False, True)
    >>> reaches(100 * 1.1 ** 5 - 1e-12, 100 * 1.1 ** 5)
    True
    """
    slack = abs(target) * 1e-9
    return level >= target - slack if direction == "up" else level <= target + slack


def verdict(path: pd.Series, target: float, target_year: int, direction: str = "up") -> dict:
    """When a path first reaches the target, and the gap in the target year.

    Returns ``reaches_year`` (None when it never does within the path),
    ``level_at_target_year``, ``gap`` (level minus target), ``gap_pct`` (of
    the target) and a sentence.

    >>> v = verdict(scenario_path(2020, 100, 2026, rate=10), 150, 2025)
    >>> v["reaches_year"], v["verdict"]
    (2025, 'reaches the target in 2025')
    >>> verdict(scenario_path(2020, 100, 2025, rate=5), 150, 2025)["verdict"]
    'misses by 22.37 (14.9 %) in 2025'
    """
    hit = [
        int(y) for y, v in zip(path.index, path.to_numpy()) if reaches(float(v), target, direction)
    ]
    reached = hit[0] if hit else None
    at_target = float(path.get(target_year, np.nan))
    gap = at_target - target
    if abs(gap) <= abs(target) * 1e-9:  # floating-point noise, see reaches()
        gap = 0.0
    gap_pct = gap / target * 100
    if reached is not None and reached <= target_year:
        text = f"reaches the target in {reached}"
        if reached == path.index[0]:
            text += " (already at the start)"
    elif reached is not None:
        text = f"reaches the target in {reached}, {reached - target_year} year(s) late"
    else:
        text = f"misses by {abs(gap):.2f} ({abs(gap_pct):.1f} %) in {target_year}"
        if path.index[-1] > target_year:
            text += f", not reached by {path.index[-1]}"
    return {
        "reaches_year": reached,
        "level_at_target_year": at_target,
        "gap": gap,
        "gap_pct": gap_pct,
        "verdict": text,
    }
