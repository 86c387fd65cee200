"""The scenario lab's model: a target, the actuals so far, the scenarios — and ``fit()``.

Statsmodels-like: build from a spec, ``.fit()``, then read tables::

    >>> from analysis import config
    >>> from analysis.scenarios import load_spec, TargetModel
    >>> spec = load_spec(config.SCENARIOS_DIR / "jiaojiang_retail_2025.yaml")
    >>> res = TargetModel(spec).fit(seed=1)
    >>> row = res.required_growth_table().set_index("measure").loc["implied"]
    >>> round(float(row["rate_pct"]), 3)
    6.977
    >>> list(res.summary_frame().columns[:5])
    ['year', 'mean', 'pi_lower', 'pi_upper', 'target_path']

Floats start here (the spec keeps exact Decimals); the scalar arithmetic is
:mod:`analysis.growth`, the random paths :mod:`analysis.scenarios.paths`, the
statistical forecasts :mod:`analysis.scenarios.forecast`, the tables
:mod:`analysis.scenarios.results`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import growth
from analysis.scenarios.forecast import (
    BACKTEST_COLUMNS,
    Forecast,
    backtest_row,
    contiguous_tail,
    fit_forecast,
    one_step_errors,
    unavailable_reason,
)
from analysis.scenarios.paths import ar1_persistence, simulate_paths
from analysis.scenarios.results import TargetResults
from analysis.scenarios.spec import Scenario, ScenarioSpec, load_spec

__all__ = ["TargetModel"]

DEFAULT_N_PATHS = 100_000
#: Growth persistence (AR(1) coefficient of yearly growth) assumed when the history has
#: fewer than MIN_RATES_PERSISTENCE rates to estimate it from; ``simulation.persistence``
#: in a spec overrides both.
DEFAULT_PERSISTENCE = 0.5
MIN_RATES_PERSISTENCE = 6


def _f(x: Decimal | float) -> float:
    return float(x)


@dataclass(frozen=True)
class _History:
    yoy: pd.Series  # year -> growth % (stated, or level over level)
    basis: str
    avg: float | None  # the "history" rate: geometric average annual growth
    avg_note: str
    mean: float | None  # arithmetic mean of yoy (for simulation)
    sd: float | None


class TargetModel:
    """A target (base -> target level or rate), the actuals so far, and the spec's scenarios.

    Parameters
    ----------
    spec : ScenarioSpec
        From :func:`~analysis.scenarios.load_spec` or :func:`~analysis.scenarios.spec_from_inline`.
    horizon : int, optional
        Last year of the paths and forecasts; overrides the spec's ``horizon``
        (default: the target year, or the year after the last actual if later).
    """

    def __init__(self, spec: ScenarioSpec, horizon: int | None = None):
        if horizon is not None and horizon < spec.target_year:
            raise ValueError(f"horizon: {horizon} is before the target year {spec.target_year}")
        self.spec = spec
        s = spec
        self.base_year, self.base = s.base_year, _f(s.base_value)
        self.target_year = s.target_year
        self.years = s.target_year - s.base_year
        if s.target_value is not None:
            self.target = _f(s.target_value)
            self.implied = growth.cagr(s.base_value, s.target_value, self.years)
        else:
            assert s.target_rate is not None
            self.implied = _f(s.target_rate)
            self.target = growth.project(s.base_value, s.target_rate, self.years)
        self.stated = (
            _f(s.stated_rate)
            if s.stated_rate is not None
            else (_f(s.target_rate) if s.target_rate is not None else None)
        )
        self.direction = s.direction
        self.actual = s.actuals.series() if s.actuals else pd.Series(dtype=float, name="actual")
        # The history the rates, volatility and forecasts come from: the actuals plus the base
        # (a level observed in the base year, even when the actuals start later).
        series = self.actual.copy()
        if self.base_year not in series.index:
            series[self.base_year] = self.base
        self.series = series.sort_index().astype(float)
        self.history = self._history()
        # Paths start from the latest actual at or after the base and before the target year.
        usable = [y for y in self.actual.index if self.base_year <= y < self.target_year]
        if usable:
            self.start_year = int(max(usable))
            self.start = float(self.actual[self.start_year])
            self.start_source = f"actual {self.start_year}"
        else:
            self.start_year, self.start, self.start_source = self.base_year, self.base, "base"
        self.required = (
            growth.required_rate(self.start, self.start_year, self.target, self.target_year)
            if self.start_year != self.base_year
            else self.implied
        )
        last = int(self.actual.index[-1]) if len(self.actual) else self.base_year
        self.last_year = last
        self.horizon = horizon or s.horizon or max(self.target_year, last + 1)
        self.scenarios = s.scenarios or self._default_scenarios()

    @classmethod
    def from_yaml(cls, path: str | Path) -> TargetModel:
        """Build from a spec file (:func:`~analysis.scenarios.load_spec`)."""
        return cls(load_spec(path))

    # -- derived inputs -----------------------------------------------------------------------

    def _history(self) -> _History:
        s, a = self.spec, self.series
        if s.actuals is not None and s.actuals.growth:
            yoy = pd.Series({y: _f(g) for y, g in s.actuals.growth.items()}, dtype=float)
            basis = "stated yoy growth (actuals.growth_column)"
            avg = growth.multi_year_average(yoy.tolist())
            avg_note = (
                f"geometric average of the stated yoy rates {int(yoy.index[0])}-"
                f"{int(yoy.index[-1])} ({len(yoy)} years)"
            )
        else:
            yoy = pd.Series(
                {int(y): growth.pct_change(a[y - 1], a[y]) for y in a.index if y - 1 in a.index},
                dtype=float,
            )
            basis = "level over level"
            avg, avg_note = None, ""
            if len(a) >= 2:
                y0, y1 = int(a.index[0]), int(a.index[-1])
                avg = growth.cagr(a.iloc[0], a.iloc[-1], y1 - y0)
                avg_note = f"CAGR of the levels {y0}-{y1} (level method, base included)"
        mean = float(yoy.mean()) if len(yoy) >= 2 else None
        sd = float(yoy.std(ddof=1)) if len(yoy) >= 2 else None
        return _History(yoy.rename_axis("year"), basis, avg, avg_note, mean, sd)

    def _default_scenarios(self) -> tuple[Scenario, ...]:
        out = []
        if self.stated is not None:
            out.append(Scenario("stated", "stated rate", rate="stated"))
        if self.history.avg is not None:
            out.append(Scenario("history", "history average", rate="history"))
        return tuple(out)

    def resolve_rate(self, rate: Decimal | str | None) -> float | None:
        """A scenario rate as a number: percent as given, or ``implied`` / ``stated`` /
        ``history`` / ``required`` resolved from the target and the actuals."""
        if rate is None or isinstance(rate, (Decimal, int, float)):
            return None if rate is None else float(rate)
        value = {
            "implied": self.implied,
            "stated": self.stated,
            "history": self.history.avg,
            "required": self.required,
        }[rate]
        if value is None:
            raise ValueError(f"rate {rate!r} is not available for this spec")
        return value

    def fit(
        self, alpha: float = 0.05, n_paths: int | None = None, seed: int | None = None
    ) -> TargetResults:
        """Fit the statistical forecasts and simulate growth paths.

        Parameters
        ----------
        alpha : float
            1 - confidence level of the prediction intervals (0.05: 95 %).
        n_paths : int, optional
            Simulated paths (default: the spec's ``simulation.n_paths``, else 100 000).
        seed : int, optional
            Random seed (default: the spec's ``simulation.seed``); fixed seed, same numbers.
        """
        if not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
        n_paths = n_paths or self.spec.n_paths or DEFAULT_N_PATHS
        seed = seed if seed is not None else self.spec.seed
        opts = self.spec.forecast
        tail = contiguous_tail(self.series)
        forecasts: dict[str, Forecast] = {}
        unavailable: dict[str, str] = {}
        errors = []
        for method in ("ets", "arima"):
            reason = unavailable_reason(len(tail), method, opts)
            if reason is None and self.last_year >= self.horizon:
                reason = f"the actuals already reach the horizon {self.horizon}"
            if reason:
                unavailable[method] = reason
                continue
            forecasts[method] = fit_forecast(tail, method, self.horizon - self.last_year, opts)
            errors.append(one_step_errors(tail, method, opts, alpha))
        errors.append(self._simulation_backtest(tail, alpha))
        one_step = pd.concat(
            [e for e in errors if len(e)] or [errors[-1]], ignore_index=True
        )
        return TargetResults(
            self,
            alpha,
            forecasts,
            unavailable,
            one_step,
            self._simulate(n_paths, seed),
            n_paths,
            seed,
        )

    def persistence(self) -> tuple[float, str]:
        """The AR(1) coefficient of yearly growth for the simulation, and where it came from."""
        s, h = self.spec, self.history
        if s.simulation_persistence is not None:
            return _f(s.simulation_persistence), "spec (simulation.persistence)"
        if len(h.yoy) >= MIN_RATES_PERSISTENCE:
            return ar1_persistence(h.yoy.tolist()), (
                f"lag-1 autocorrelation of the history's {len(h.yoy)} yoy rates, clipped to [0, 0.9]"
            )
        return DEFAULT_PERSISTENCE, (
            f"ASSUMED {DEFAULT_PERSISTENCE} (fewer than {MIN_RATES_PERSISTENCE} yoy rates to "
            "estimate it; set simulation.persistence)"
        )

    def _simulation_params(self) -> tuple[float | None, float | None, str]:
        s, h = self.spec, self.history
        mean = self.resolve_rate(s.simulation_mean) if s.simulation_mean is not None else h.mean
        sd = _f(s.simulation_sd) if s.simulation_sd is not None else h.sd
        hist = f"the history's {len(h.yoy)} yoy rates ({h.basis})"
        phi, phi_source = self.persistence()
        parts = [
            f"mean: {'spec (' + str(s.simulation_mean) + ')' if s.simulation_mean is not None else hist}",
            f"sd: {'spec' if s.simulation_sd is not None else hist}",
            f"persistence {phi:.2f}: {phi_source}",
        ]
        if s.simulation_note:
            parts.append(s.simulation_note)
        return mean, sd, "; ".join(parts)

    def _simulate(self, n_paths: int, seed: int | None) -> dict[str, Any]:
        mean, sd, source = self._simulation_params()
        # From the latest known level: the last actual, or the base when it is later.
        if len(self.actual) and self.last_year >= self.base_year:
            start_year, start = self.last_year, float(self.actual[self.last_year])
        else:
            start_year, start = self.base_year, self.base
        phi, _ = self.persistence()
        h = self.history
        last_growth = float(h.yoy.iloc[-1]) if len(h.yoy) and h.yoy.index[-1] == start_year else None
        out: dict[str, Any] = {
            "mean": mean,
            "sd": sd,
            "persistence": phi,
            "last_growth": last_growth,
            "n_rates": len(h.yoy),
            "source": source,
            "start_year": start_year,
            "start": start,
            "paths": None,
            "reason": "",
        }
        if mean is None or sd is None:
            out["reason"] = (
                f"needs at least two yoy growth rates in the actuals (has "
                f"{len(self.history.yoy)}) or simulation.mean_pct/sd_pct in the spec"
            )
        elif start_year >= self.horizon:
            out["reason"] = f"the actuals already reach the horizon {self.horizon}"
        else:
            out["paths"] = simulate_paths(
                start,
                mean,
                sd,
                self.horizon - start_year,
                n_paths,
                seed,
                persistence=phi,
                last_growth=last_growth,
            )
        return out

    def _simulation_backtest(self, tail: pd.Series, alpha: float) -> pd.DataFrame:
        """Rolling-origin one-step backtest of the simulation's growth model (level over level).

        Each year from the fourth on is forecast from the years before it: the
        mean and sd of the earlier yoy rates, the AR(1) step from the latest
        one, as a log-normal level.
        """
        phi, _ = self.persistence()
        rows = []
        levels = tail.to_numpy(dtype=float)
        for t in range(3, len(levels)):
            rates = (levels[1:t] / levels[: t - 1] - 1) * 100
            m, sd = float(rates.mean()), float(rates.std(ddof=1))
            g = m + phi * (rates[-1] - m)
            sd_c = sd * (1 - phi**2) ** 0.5
            log_mean = float(np.log(levels[t - 1]) + np.log1p(g / 100))
            log_sd = (sd_c / 100) / (1 + g / 100)
            rows.append(
                backtest_row(
                    "simulation", int(tail.index[t]), float(levels[t]), log_mean, log_sd, alpha
                )
            )
        return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)
