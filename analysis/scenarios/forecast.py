"""Statistical forecasts of an annual series on log levels (statsmodels), and their checks.

Two models, both on ``log(level)`` so that growth is additive and intervals
stay positive:

- ``ets``: exponential smoothing with additive error and additive (optionally
  damped) trend, ETS(A,A,N) — ``statsmodels.tsa.exponential_smoothing.ets.ETSModel``;
- ``arima``: ARIMA(p,d,q), by default (0,1,0) with drift, i.e. a random walk
  with drift in log levels — ``statsmodels.tsa.arima.model.ARIMA``.

Both give a Gaussian predictive distribution of the log level (mean and
standard deviation per step), so the level's prediction interval is
``exp(mean ± z·sd)`` and the probability of reaching a target ``T`` is
``P(log level >= log T)``.  The point forecast ``exp(mean)`` is the median
level.  Parameter uncertainty is not included (as in statsmodels).

A fit can be *degenerate* (:func:`degenerate_reason`): smoothing parameters at
their lower bound make ETS a fixed trend line whose interval barely widens
(the national retail series gives smoothing_level 0.0001, smoothing_trend
7e-6).  Such a fit is kept in the tables, flagged, and never chosen.

:func:`one_step_errors` backtests a method with a rolling origin: each year is
forecast from the years before it only.  It keeps the predictive mean and
standard deviation of the log level, so coverage can be read at any level
(:func:`coverage_table`, 80 % by default).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from analysis.scenarios.spec import ForecastOptions

__all__ = [
    "BACKTEST_COLUMNS",
    "DEGENERATE_SMOOTHING",
    "FLAT_INTERVAL_RATIO",
    "Forecast",
    "contiguous_tail",
    "coverage_table",
    "degenerate_reason",
    "fit_forecast",
    "normal_attainment_probability",
    "one_step_errors",
    "unavailable_reason",
]

LABELS = {"ets": "ETS(A,A,N) on log levels", "arima": "ARIMA{order} with drift on log levels"}

#: Smoothing parameters below this make ETS a fixed line (statsmodels' lower bound is 1e-4).
DEGENERATE_SMOOTHING = 1e-3
#: An interval whose width after h >= 4 steps is less than this multiple of the first
#: step's is flat (a random walk's grows like sqrt(h): 2 at h = 4).
FLAT_INTERVAL_RATIO = 1.25

#: Columns of :func:`one_step_errors`.
BACKTEST_COLUMNS = [
    "method",
    "year",
    "actual",
    "forecast",
    "error",
    "error_pct",
    "pi_lower",
    "pi_upper",
    "inside",
    "log_mean",
    "log_sd",
]


def contiguous_tail(series: pd.Series) -> pd.Series:
    """The latest unbroken run of consecutive years of a year-indexed series.

    >>> contiguous_tail(pd.Series([1.0, 2, 3, 4], index=[2015, 2020, 2021, 2022])).index.tolist()
    [2020, 2021, 2022]
    """
    years = list(series.index)
    start = len(years) - 1
    while start > 0 and years[start - 1] == years[start] - 1:
        start -= 1
    return series.iloc[start:]


def normal_attainment_probability(
    log_mean: float, log_sd: float, target: float, direction: str = "up"
) -> float:
    """P(level >= target) (``"up"``) or P(level <= target) when log(level) ~ N(mean, sd).

    >>> round(normal_attainment_probability(math.log(100), 0.1, 100), 3)
    0.5
    >>> normal_attainment_probability(math.log(100), 0.0, 99), normal_attainment_probability(math.log(100), 0.0, 101)
    (1.0, 0.0)
    """
    lt = math.log(target)
    if log_sd <= 0:
        above = 1.0 if log_mean >= lt else 0.0
    else:
        above = 1.0 - NormalDist(log_mean, log_sd).cdf(lt)
    return above if direction == "up" else 1.0 - above


@dataclass(frozen=True)
class Forecast:
    """A fitted model's Gaussian forecast of log levels for the years after ``last_year``."""

    method: str
    label: str
    last_year: int
    log_mean: tuple[float, ...]
    log_sd: tuple[float, ...]
    params: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def degenerate(self) -> str | None:
        """Why the fit is degenerate (see :func:`degenerate_reason`), or None."""
        return degenerate_reason(self.params, self.log_sd)

    @property
    def years(self) -> list[int]:
        return list(range(self.last_year + 1, self.last_year + 1 + len(self.log_mean)))

    def frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """``year, mean, pi_lower, pi_upper`` in levels (mean = exp(E log level), the median)."""
        z = NormalDist().inv_cdf(1 - alpha / 2)
        mu, sd = np.array(self.log_mean), np.array(self.log_sd)
        return pd.DataFrame(
            {
                "year": self.years,
                "mean": np.exp(mu),
                "pi_lower": np.exp(mu - z * sd),
                "pi_upper": np.exp(mu + z * sd),
            }
        )

    def probability(self, target: float, year: int, direction: str = "up") -> float:
        """P(reaching ``target`` in ``year``) under the model's predictive distribution."""
        step = year - self.last_year
        if not 1 <= step <= len(self.log_mean):
            raise ValueError(f"{year} is outside the forecast ({self.years[0]}-{self.years[-1]})")
        return normal_attainment_probability(
            self.log_mean[step - 1], self.log_sd[step - 1], target, direction
        )


def degenerate_reason(params: dict[str, float], log_sd: tuple[float, ...] | list[float]) -> str | None:
    """Why a fit is degenerate: smoothing at its bound, or an interval that does not widen.

    >>> print(degenerate_reason({"smoothing_level": 0.0001, "smoothing_trend": 7e-6}, [0.05] * 6))
    smoothing_level 0.0001, smoothing_trend 7e-06 (near zero: a fixed trend line); interval width after 6 years is 1.00x the first year's (flat)
    >>> degenerate_reason({"sigma2": 0.01}, [0.1, 0.14, 0.17, 0.2]) is None
    True
    """
    parts = []
    low = {
        k: v for k, v in params.items() if k.startswith("smoothing_") and v < DEGENERATE_SMOOTHING
    }
    if low:
        listed = ", ".join(f"{k} {v:.2g}" for k, v in low.items())
        parts.append(f"{listed} (near zero: a fixed trend line)")
    if len(log_sd) >= 4 and log_sd[0] > 0:
        ratio = log_sd[-1] / log_sd[0]
        if ratio < FLAT_INTERVAL_RATIO:
            parts.append(
                f"interval width after {len(log_sd)} years is {ratio:.2f}x the first year's (flat)"
            )
    return "; ".join(parts) or None


def unavailable_reason(n_obs: int, method: str, options: ForecastOptions) -> str | None:
    """Why ``method`` cannot be fitted on ``n_obs`` consecutive years, or None when it can.

    >>> unavailable_reason(3, "ets", ForecastOptions())
    'ets needs at least 5 consecutive annual observations, the series has 3'
    """
    if method not in options.methods:
        return f"{method} not requested (forecast.methods)"
    need = options.min_obs_ets if method == "ets" else options.min_obs_arima
    if n_obs < need:
        return f"{method} needs at least {need} consecutive annual observations, the series has {n_obs}"
    return None


def fit_forecast(
    series: pd.Series, method: str, steps: int, options: ForecastOptions | None = None
) -> Forecast:
    """Fit ``method`` (``"ets"`` or ``"arima"``) on the log of a consecutive annual series.

    ``series`` is indexed by year (consecutive); ``steps`` years are forecast.
    Fitting warnings (convergence on short series) are kept in ``warnings``.
    """
    options = options or ForecastOptions()
    last_year = int(series.index[-1])
    # An annual PeriodIndex: statsmodels' prediction code wants a pandas index it understands.
    y = pd.Series(
        np.log(series.to_numpy(dtype=float)),
        index=pd.period_range(str(int(series.index[0])), periods=len(series), freq="Y"),
    )
    steps = max(int(steps), 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method == "ets":
            from statsmodels.tsa.exponential_smoothing.ets import ETSModel

            res = ETSModel(y, error="add", trend="add", damped_trend=options.damped).fit(disp=False)
            pred = res.get_prediction(start=len(y), end=len(y) + steps - 1)
            mean = np.asarray(pred.predicted_mean, dtype=float)
            sd = np.sqrt(np.asarray(pred.forecast_variance, dtype=float))
            label = LABELS["ets"].replace("A,A,N", "A,Ad,N" if options.damped else "A,A,N")
        elif method == "arima":
            from statsmodels.tsa.arima.model import ARIMA

            order = options.arima_order
            trend = "t" if order[1] == 1 else ("c" if order[1] == 0 else "n")
            res = ARIMA(y, order=order, trend=trend).fit()
            fc = res.get_forecast(steps)
            mean = np.asarray(fc.predicted_mean, dtype=float)
            sd = np.asarray(fc.se_mean, dtype=float)
            label = LABELS["arima"].format(order=tuple(order))
        else:
            raise ValueError(f"method must be 'ets' or 'arima', got {method!r}")
    names = getattr(res.model, "param_names", None) or [f"p{i}" for i in range(len(res.params))]
    params = {str(k): float(v) for k, v in zip(names, np.asarray(res.params, dtype=float))}
    notes = tuple(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    return Forecast(
        method=method,
        label=label,
        last_year=last_year,
        log_mean=tuple(mean.tolist()),
        log_sd=tuple(sd.tolist()),
        params=params,
        warnings=notes,
    )


def one_step_errors(
    series: pd.Series, method: str, options: ForecastOptions | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """Rolling-origin one-step-ahead forecasts: refit on the years before each year, forecast it.

    Every year after the first ``min_obs`` is forecast from the years before
    it only (out of sample).  Columns: ``method, year, actual, forecast,
    error`` (actual - forecast), ``error_pct`` (of the forecast), ``pi_lower,
    pi_upper, inside`` (actual within the (1 - alpha) interval).
    """
    options = options or ForecastOptions()
    need = options.min_obs_ets if method == "ets" else options.min_obs_arima
    rows = []
    for t in range(need, len(series)):
        fit = fit_forecast(series.iloc[:t], method, 1, options)
        rows.append(
            backtest_row(
                method, int(series.index[t]), float(series.iloc[t]), fit.log_mean[0],
                fit.log_sd[0], alpha,
            )
        )
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def backtest_row(
    method: str, year: int, actual: float, log_mean: float, log_sd: float, alpha: float
) -> dict[str, object]:
    """One backtest: a Gaussian forecast of the log level against the actual level."""
    z = NormalDist().inv_cdf(1 - alpha / 2)
    fc, lo, hi = math.exp(log_mean), math.exp(log_mean - z * log_sd), math.exp(log_mean + z * log_sd)
    return {
        "method": method,
        "year": year,
        "actual": actual,
        "forecast": fc,
        "error": actual - fc,
        "error_pct": (actual / fc - 1) * 100,
        "pi_lower": lo,
        "pi_upper": hi,
        "inside": bool(lo <= actual <= hi),
        "log_mean": log_mean,
        "log_sd": log_sd,
    }


def coverage_table(backtests: pd.DataFrame, alpha: float = 0.2) -> pd.DataFrame:
    """Per method: backtests, nominal and actual coverage of the (1 - alpha) interval, errors.

    Coverage is recomputed from each backtest's log mean and sd, so it can be
    read at any level (80 % by default) whatever level the intervals were shown at.
    """
    z = NormalDist().inv_cdf(1 - alpha / 2)
    rows = []
    for method, g in backtests.groupby("method", sort=False):
        la = np.log(g["actual"].to_numpy(dtype=float))
        inside = np.abs(la - g["log_mean"].to_numpy(dtype=float)) <= z * g["log_sd"].to_numpy(
            dtype=float
        )
        rows.append(
            {
                "method": method,
                "n": len(g),
                "nominal": 1 - alpha,
                "coverage": float(inside.mean()),
                "mae": float(g["error"].abs().mean()),
                "rmse": float(np.sqrt((g["error"] ** 2).mean())),
                "mape_pct": float(g["error_pct"].abs().mean()),
            }
        )
    return pd.DataFrame(
        rows, columns=["method", "n", "nominal", "coverage", "mae", "rmse", "mape_pct"]
    )
