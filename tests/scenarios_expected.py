"""Independent derivation of the expected numbers in tests/test_scenarios*.py.

Plain ``math`` and the published figures only — no project code — so the
tests compare ``analysis.scenarios`` against arithmetic done another way.
Run ``python tests/scenarios_expected.py`` to print every number.
"""

from __future__ import annotations

import csv
import itertools
import math
import statistics
from pathlib import Path

HERE = Path(__file__).resolve().parent
NATIONAL = HERE.parent / "data" / "reference" / "national_retail_sales_nbs.csv"


def rate(ratio: float, years: float) -> float:
    """Average annual growth in percent: (ratio ** (1 / years) - 1) * 100."""
    return (ratio ** (1.0 / years) - 1.0) * 100.0


def national() -> tuple[list[int], list[float], list[float]]:
    with open(NATIONAL, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return (
        [int(r["year"]) for r in rows],
        [float(r["retail_sales_100m_yuan"]) for r in rows],
        [float(r["stated_yoy_growth_pct"]) for r in rows],
    )


def expected() -> dict[str, float]:
    years, levels, stated = national()
    yoy = [(b / a - 1) * 100 for a, b in itertools.pairwise(levels)]
    dlog = [math.log(b / a) for a, b in itertools.pairwise(levels)]
    drift = statistics.fmean(dlog)
    return {
        # seed 003: 290.5 (2020) -> 407 (2025)
        "implied 290.5->407 over 5": rate(407 / 290.5, 5),
        # 翻一番 over 6 years
        "x2 over 6": rate(2.0, 6),
        "national 391981->550000 over 7": rate(550000 / 391981, 7),
        "decline 100->80 over 4": rate(0.8, 4),
        "required 300 (2021) -> 407 (2025)": rate(407 / 300, 4),
        "required 320 (2022) -> 407 (2025)": rate(407 / 320, 3),
        "required 390 (2024) -> 407 (2025)": rate(407 / 390, 1),
        # 较2015年增长25.4%: 2015 level and the 2015-2020 average
        "jiaojiang 2015 level": 290.5 / 1.254,
        "jiaojiang 2015-2020 avg": rate(1.254, 5),
        # scenario levels in 2025 from 290.5 (2020)
        "290.5 at 7% for 5 years": 290.5 * 1.07**5,
        "290.5 at 4% for 5 years": 290.5 * 1.04**5,
        "290.5 at 7% with -5% shock": 290.5 * 1.07**5 * 0.95,
        "290.5 at 10% for 4 years": 290.5 * 1.1**4,
        # national history
        "national level CAGR 2015-2024": rate(levels[-1] / levels[0], years[-1] - years[0]),
        "national yoy mean": statistics.fmean(yoy),
        "national yoy sd": statistics.stdev(yoy),
        "national stated geometric mean": (math.prod(1 + g / 100 for g in stated) ** (1 / len(stated)) - 1) * 100,
        "national stated mean": statistics.fmean(stated),
        "national stated sd": statistics.stdev(stated),
        # ARIMA(0,1,0) with drift on log levels = random walk with drift: the MLE drift is
        # the mean log difference, the variance the mean squared deviation (ddof 0).
        "arima drift": drift,
        "arima sigma": math.sqrt(statistics.pvariance(dlog, drift)),
        "arima 2025 median": levels[-1] * math.exp(drift),
    }


if __name__ == "__main__":
    for name, value in expected().items():
        print(f"{name:40s} {value:.6f}")
