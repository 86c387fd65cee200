"""Results of :meth:`TargetModel.fit <analysis.scenarios.model.TargetModel.fit>`: the tables.

Every table is a pandas DataFrame with fixed columns.  Rendering sits on top:
:func:`analysis.scenarios.run.save` writes them as CSV with ``meta.json``
(where every input came from) and the fan chart
(:func:`analysis.scenarios.chart.fan_chart`); :func:`analysis.scenarios.run.render_text`
prints them.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis import growth
from analysis.scenarios.forecast import Forecast, coverage_table
from analysis.scenarios.paths import attainment_probability, scenario_path, verdict

if TYPE_CHECKING:
    from analysis.scenarios.model import TargetModel

__all__ = ["SUMMARY_COLUMNS", "TargetResults", "fmt_number", "json_default"]

#: The fixed leading columns of :meth:`TargetResults.summary_frame`; one column per scenario follows.
SUMMARY_COLUMNS = ["year", "mean", "pi_lower", "pi_upper", "target_path"]
REQUIRED_COLUMNS = [
    "measure",
    "from_year",
    "from_value",
    "to_year",
    "to_value",
    "rate_pct",
    "rate_lo",
    "rate_hi",
    "vs_implied_pp",
    "vs_stated_pp",
    "vs_history_pp",
    "source",
    "note",
]
SCENARIO_COLUMNS = [
    "scenario",
    "label",
    "start_year",
    "start_value",
    "rates",
    "end_year",
    "end_level",
    "level_at_target_year",
    "target",
    "gap",
    "gap_pct",
    "reaches_year",
    "verdict",
]
PROBABILITY_COLUMNS = [
    "method",
    "basis",
    "start_year",
    "start_value",
    "target_year",
    "target",
    "direction",
    "probability",
    "reliability",
    "shown",
    "note",
]
CHOICE_COLUMNS = ["method", "backtests", "coverage_80", "mape_pct", "degenerate", "chosen", "reason"]

#: Below this many yearly growth rates (or observations) a probability is withheld ...
MIN_RATES = 3
#: ... and below this many it is shown as indicative only.
RELIABLE_RATES = 8
#: A method needs this many one-step backtests to be chosen by them.
MIN_BACKTESTS = 3
#: The interval level whose backtest coverage is reported (80 %).
COVERAGE_ALPHA = 0.2


def _f(x: Decimal | float) -> float:
    return float(x)


class TargetResults:
    """Results of :meth:`TargetModel.fit`: tables, probabilities and the fan chart."""

    def __init__(
        self,
        model: TargetModel,
        alpha: float,
        forecasts: dict[str, Forecast],
        unavailable: dict[str, str],
        one_step: pd.DataFrame,
        simulation: dict[str, Any],
        n_paths: int,
        seed: int | None,
    ):
        self.model = model
        self.spec = model.spec
        self.alpha = alpha
        self.forecasts = forecasts
        self.unavailable = unavailable
        self._one_step = one_step
        self.simulation = simulation
        self.n_paths = n_paths
        self.seed = seed

    # -- which forecast fills the summary frame ------------------------------------------------

    @property
    def primary_method(self) -> str | None:
        """The forecast shown in ``mean``/``pi_*`` and drawn as the band: see :meth:`method_choice`."""
        chosen = self.method_choice()
        hit = chosen[chosen["chosen"]]
        return str(hit.iloc[0]["method"]) if len(hit) else None

    def _candidates(self) -> list[str]:
        methods = [m for m in self.spec.forecast.methods if m in self.forecasts]
        return methods + (["simulation"] if self.simulation["paths"] is not None else [])

    def method_choice(self) -> pd.DataFrame:
        """Which forecast is used, and why: chosen by rolling-origin backtest.

        Degenerate fits (:attr:`Forecast.degenerate`) are never chosen.  Among
        the others, a method with at least ``MIN_BACKTESTS`` one-step backtests
        competes on mean absolute percentage error (lowest wins); when none has
        enough, the first of the spec's methods that fitted is used, else the
        simulation.  Every candidate gets a row with its backtest record.
        """
        cov = coverage_table(self._one_step, COVERAGE_ALPHA).set_index("method")
        rows = []
        for method in self._candidates():
            fc = self.forecasts.get(method)
            n = int(cov.loc[method, "n"]) if method in cov.index else 0
            rows.append(
                {
                    "method": method,
                    "backtests": n,
                    "coverage_80": float(cov.loc[method, "coverage"]) if n else np.nan,
                    "mape_pct": float(cov.loc[method, "mape_pct"]) if n else np.nan,
                    "degenerate": (fc.degenerate if fc is not None else None) or "",
                    "chosen": False,
                    "reason": "",
                }
            )
        frame = pd.DataFrame(rows, columns=CHOICE_COLUMNS)
        ok = frame[frame["degenerate"] == ""]
        tested = ok[ok["backtests"] >= MIN_BACKTESTS]
        if len(tested):
            best = tested["mape_pct"].idxmin()
            why = (
                f"lowest one-step backtest error (MAPE {frame.loc[best, 'mape_pct']:.2f} % over "
                f"{frame.loc[best, 'backtests']} years) among methods with >= {MIN_BACKTESTS}"
            )
        elif len(ok):
            best = ok.index[0]
            why = f"too few backtests to compare (< {MIN_BACKTESTS}): first usable method"
        else:
            best, why = None, ""
        for i in frame.index:
            if i == best:
                frame.loc[i, ["chosen", "reason"]] = [True, why]
            elif frame.loc[i, "degenerate"]:
                frame.loc[i, "reason"] = "dropped: degenerate fit"
            else:
                frame.loc[i, "reason"] = "not chosen"
        return frame.astype({"chosen": bool})

    def forecast_frame(self, method: str | None = None, alpha: float | None = None) -> pd.DataFrame:
        """``year, mean, pi_lower, pi_upper`` for the years after the last actual."""
        alpha = self.alpha if alpha is None else alpha
        method = method or self.primary_method
        if method in self.forecasts:
            return self.forecasts[method].frame(alpha)
        if method == "simulation" and self.simulation["paths"] is not None:
            paths = self.simulation["paths"]
            q = np.quantile(paths, [0.5, alpha / 2, 1 - alpha / 2], axis=0)
            years = range(
                self.simulation["start_year"] + 1,
                self.simulation["start_year"] + 1 + paths.shape[1],
            )
            return pd.DataFrame(
                {"year": list(years), "mean": q[0], "pi_lower": q[1], "pi_upper": q[2]}
            )
        return pd.DataFrame(columns=["year", "mean", "pi_lower", "pi_upper"])

    # -- tables -------------------------------------------------------------------------------

    def target_path(self) -> pd.Series:
        """Levels from the base at the constant implied CAGR, through the horizon."""
        m = self.model
        return scenario_path(m.base_year, m.base, m.horizon, rate=m.implied)

    def scenario_paths(self) -> dict[str, pd.Series]:
        """Each scenario's path from its start (latest actual, or base) to the horizon."""
        m = self.model
        out = {}
        for sc in m.scenarios:
            y0, v0 = (m.base_year, m.base) if sc.start == "base" else (m.start_year, m.start)
            out[sc.name] = scenario_path(
                y0,
                v0,
                m.horizon,
                rate=m.resolve_rate(sc.rate),
                rates={y: float(r) for y, r in sc.rates.items()},
                shocks={y: float(v) for y, v in sc.shocks.items()},
            )
        return out

    def summary_frame(self, alpha: float | None = None, method: str | None = None) -> pd.DataFrame:
        """One row per year from the first observation to the horizon.

        Columns: ``year, mean, pi_lower, pi_upper`` (the forecast of
        :attr:`primary_method`, or ``method``; empty over observed years),
        ``target_path`` (the implied constant-CAGR path from the base), then one
        column per scenario.  The models work on log levels, so ``mean`` is
        ``exp(E[log level])``, the median level (for the simulation: the median
        path), and ``pi_*`` are the ``alpha/2`` and ``1 - alpha/2`` quantiles.
        """
        m = self.model
        first = min([m.base_year, *[int(y) for y in m.actual.index]])
        frame = pd.DataFrame({"year": range(first, m.horizon + 1)})
        fc = self.forecast_frame(method, alpha)
        frame = (
            frame.merge(fc.astype({"year": int}), on="year", how="left")
            if len(fc)
            else frame.assign(mean=np.nan, pi_lower=np.nan, pi_upper=np.nan)
        )
        frame["target_path"] = frame["year"].map(self.target_path())
        for name, path in self.scenario_paths().items():
            frame[name] = frame["year"].map(path)
        return frame[SUMMARY_COLUMNS + [sc.name for sc in m.scenarios]].astype(
            {c: float for c in SUMMARY_COLUMNS[1:]}
        )

    def history_frame(self) -> pd.DataFrame:
        """The actuals: ``year, actual, growth_pct`` (the history's basis) and notes."""
        m = self.model
        a = self.spec.actuals
        frame = pd.DataFrame({"year": [int(y) for y in m.actual.index], "actual": m.actual.values})
        frame["growth_pct"] = frame["year"].map(m.history.yoy)
        frame["note"] = frame["year"].map(lambda y: a.notes.get(y, "") if a else "")
        return frame

    def required_growth_table(self) -> pd.DataFrame:
        """The implied CAGR, the stated rate, the rate still required after each actual,
        and the history's averages, each compared with the others (percentage points).

        ``rate_lo``/``rate_hi`` bound the rate when the printed inputs are read
        as rounding intervals (and the target's qualifier as a half-line).
        """
        m, s = self.model, self.spec
        tq = s.target_qualifier
        rows: list[dict[str, Any]] = []
        if s.target_value is not None:
            iv = growth.cagr_interval(
                growth.rounding_interval(s.base_value),
                growth.rounding_interval(s.target_value, tq),
                m.years,
            )
            note = f"target {s.target_value} {s.unit}" + (f" ({tq})" if tq else "")
        else:
            iv = growth.rounding_interval(s.target_rate, tq)  # type: ignore[arg-type]
            note = f"target stated as a rate: {s.target_rate} %" + (f" ({tq})" if tq else "")
        rows.append(
            {
                "measure": "implied",
                "from_year": m.base_year,
                "from_value": m.base,
                "to_year": m.target_year,
                "to_value": m.target,
                "rate_pct": m.implied,
                "rate_lo": iv.lo,
                "rate_hi": iv.hi,
                "source": f"base: {s.base_source}; target: {s.target_source}",
                "note": f"constant CAGR base -> target; {note}",
            }
        )
        if s.stated_rate is not None:
            siv = growth.rounding_interval(s.stated_rate, s.stated_rate_qualifier)
            rows.append(
                {
                    "measure": "stated",
                    "from_year": m.base_year,
                    "from_value": m.base,
                    "to_year": m.target_year,
                    "to_value": growth.project(m.base, s.stated_rate, m.years),
                    "rate_pct": _f(s.stated_rate),
                    "rate_lo": siv.lo,
                    "rate_hi": siv.hi,
                    "source": s.target_source,
                    "note": "stated rate"
                    + (f" ({s.stated_rate_qualifier})" if s.stated_rate_qualifier else "")
                    + "; to_value = base at this rate",
                }
            )
        target_iv = (
            growth.rounding_interval(s.target_value, tq)
            if s.target_value is not None
            else growth.Interval.point(m.target)
        )
        assert s.actuals is not None or not len(m.actual)
        for year, value in zip(
            s.actuals.years if s.actuals else (), s.actuals.values if s.actuals else ()
        ):
            if not m.base_year < year < m.target_year:
                continue
            rate = growth.required_rate(value, year, m.target, m.target_year)
            riv = growth.required_rate_interval(
                growth.rounding_interval(value), year, target_iv, m.target_year
            )
            rows.append(
                {
                    "measure": "required",
                    "from_year": year,
                    "from_value": _f(value),
                    "to_year": m.target_year,
                    "to_value": m.target,
                    "rate_pct": rate,
                    "rate_lo": riv.lo,
                    "rate_hi": riv.hi,
                    "source": s.actuals.source,  # type: ignore[union-attr]
                    "note": f"needed each year {year + 1}-{m.target_year}"
                    + (" (latest actual)" if year == m.start_year else ""),
                }
            )
        h = m.history
        if h.avg is not None:
            a = m.series
            rows.append(
                {
                    "measure": "history_avg",
                    "from_year": int(a.index[0]),
                    "from_value": float(a.iloc[0]),
                    "to_year": int(a.index[-1]),
                    "to_value": float(a.iloc[-1]),
                    "rate_pct": h.avg,
                    "source": s.actuals.source,  # type: ignore[union-attr]
                    "note": h.avg_note,
                }
            )
        if h.mean is not None:
            rows.append(
                {
                    "measure": "history_mean",
                    "from_year": int(h.yoy.index[0]),
                    "to_year": int(h.yoy.index[-1]),
                    "rate_pct": h.mean,
                    "source": s.actuals.source,  # type: ignore[union-attr]
                    "note": f"arithmetic mean of {len(h.yoy)} yoy rates ({h.basis}); "
                    f"sd {h.sd:.2f} pp",
                }
            )
        frame = pd.DataFrame(rows, columns=REQUIRED_COLUMNS)
        frame["vs_implied_pp"] = frame["rate_pct"] - m.implied
        frame["vs_stated_pp"] = frame["rate_pct"] - m.stated if m.stated is not None else np.nan
        frame["vs_history_pp"] = frame["rate_pct"] - h.avg if h.avg is not None else np.nan
        return frame.astype(
            {
                c: float
                for c in (
                    "from_value",
                    "to_value",
                    "rate_pct",
                    "rate_lo",
                    "rate_hi",
                    "vs_implied_pp",
                    "vs_stated_pp",
                    "vs_history_pp",
                )
            }
        )

    def scenario_table(self) -> pd.DataFrame:
        """Each scenario's start, end level and verdict: reaches the target in year X, or misses by Y."""
        m = self.model
        rows = []
        paths = self.scenario_paths()
        for sc in m.scenarios:
            path = paths[sc.name]
            v = verdict(path, m.target, m.target_year, m.direction)
            rate = m.resolve_rate(sc.rate)
            desc = (
                []
                if rate is None
                else [f"{rate:.4g} %" + (f" ({sc.rate})" if isinstance(sc.rate, str) else "")]
            )
            desc += [f"{y}: {r} %" for y, r in sorted(sc.rates.items())]
            desc += [f"shock {y}: {r} %" for y, r in sorted(sc.shocks.items())]
            rows.append(
                {
                    "scenario": sc.name,
                    "label": sc.label,
                    "start_year": int(path.index[0]),
                    "start_value": float(path.iloc[0]),
                    "rates": "; ".join(desc),
                    "end_year": int(path.index[-1]),
                    "end_level": float(path.iloc[-1]),
                    "level_at_target_year": v["level_at_target_year"],
                    "target": m.target,
                    "gap": v["gap"],
                    "gap_pct": v["gap_pct"],
                    "reaches_year": v["reaches_year"],
                    "verdict": v["verdict"],
                }
            )
        frame = pd.DataFrame(rows, columns=SCENARIO_COLUMNS)
        frame["reaches_year"] = frame["reaches_year"].astype("Int64")
        return frame

    def sensitivity_table(
        self, rates: list[float] | None = None, start_levels: list[float] | None = None
    ) -> pd.DataFrame:
        """Target-year level over a grid of growth rates (rows, %) and start levels (columns).

        The start is the latest actual (or the base); default grid: whole
        rates within ±3 pp of the implied CAGR plus the implied and stated
        rates, and the start level -10 % … +10 %.
        """
        m, s = self.model, self.spec
        if rates is None:
            if s.sensitivity_rates is not None:
                rates = [float(r) for r in s.sensitivity_rates]
            else:
                c = round(m.implied)
                rates = list(range(c - 3, c + 4)) + [round(m.implied, 3)]
                if m.stated is not None:
                    rates.append(m.stated)
        if start_levels is None:
            if s.sensitivity_start_levels is not None:
                start_levels = [float(v) for v in s.sensitivity_start_levels]
            else:
                changes = [float(c) for c in (s.sensitivity_start_changes or (-10, -5, 0, 5, 10))]
                start_levels = [m.start * (1 + c / 100) for c in changes]
        rates = sorted({float(r) for r in rates})
        years = m.target_year - m.start_year
        grid = np.array([[growth.project(v, r, years) for v in start_levels] for r in rates])
        frame = pd.DataFrame(
            grid,
            index=pd.Index(rates, name="rate_pct"),
            columns=pd.Index(
                [round(v, 6) for v in start_levels], name=f"start_level_{m.start_year}"
            ),
        )
        frame.attrs.update(start_year=m.start_year, target_year=m.target_year, target=m.target)
        return frame

    def probability(self, target: float | None = None, year: int | None = None) -> pd.DataFrame:
        """Probability of reaching ``target`` (default: the spec's) in ``year`` (default: the
        target year), one row per method: each fitted model's predictive distribution, and
        the simulation of growth paths.  Methods that cannot run have a NaN and a note."""
        m = self.model
        target = m.target if target is None else float(target)
        year = m.target_year if year is None else int(year)
        rows: list[dict[str, Any]] = []
        for method in ("ets", "arima"):
            row: dict[str, Any] = {
                "method": method,
                "target_year": year,
                "target": target,
                "direction": m.direction,
            }
            if method in self.forecasts:
                fc = self.forecasts[method]
                row.update(
                    basis=f"predictive distribution of {fc.label}",
                    start_year=fc.last_year,
                    start_value=float(m.actual[fc.last_year]),
                )
                if year > fc.last_year:
                    row["probability"] = fc.probability(target, year, m.direction)
                else:
                    row["note"] = f"{year} is observed"
            else:
                row.update(basis="statistical forecast", note=self.unavailable.get(method, ""))
            rows.append(row)
        sim = self.simulation
        row = {
            "method": "simulation",
            "target_year": year,
            "target": target,
            "direction": m.direction,
            "start_year": sim["start_year"],
            "start_value": sim["start"],
            "basis": (
                f"{self.n_paths} simulated paths, yearly growth AR(1) around "
                f"{fmt_number(sim['mean'])} %, sd {fmt_number(sim['sd'])} pp, "
                f"persistence {sim['persistence']:.2f}"
                if sim["paths"] is not None
                else "simulation of growth paths"
            ),
        }
        if sim["paths"] is not None and year > sim["start_year"]:
            col = year - sim["start_year"] - 1
            if col < sim["paths"].shape[1]:
                row["probability"] = attainment_probability(
                    sim["paths"][:, col], target, m.direction
                )
            row["note"] = f"{sim['source']}; seed {self.seed}"
        else:
            row["note"] = sim["reason"] or f"{year} is observed"
        rows.append(row)
        for row in rows:
            label, why = self._reliability(str(row["method"]))
            p: Any = row.get("probability")
            if p is None or pd.isna(p):
                label, p = "unavailable", None
            n = self.n_paths if row["method"] == "simulation" else None
            row["reliability"] = label
            row["shown"] = show_probability(np.nan if p is None else float(p), label, n)
            if why and p is not None:
                row["note"] = f"{why}; {row['note']}" if row.get("note") else why
            if label in ("withheld", "degenerate"):
                row["probability"] = None
        frame = pd.DataFrame(rows, columns=PROBABILITY_COLUMNS).astype({"probability": float})
        return frame

    def one_step_errors(self) -> pd.DataFrame:
        """Rolling-origin one-step-ahead forecast errors of each fitted model (out of sample)."""
        return self._one_step.copy()

    def coverage(self, alpha: float | None = None) -> pd.DataFrame:
        """Per method (ETS, ARIMA, the simulation's growth model): number of one-step
        backtests, nominal and actual coverage of the ``1 - alpha`` interval (default:
        the fit's), mean absolute error, RMSE and mean absolute percentage error."""
        return coverage_table(self._one_step, self.alpha if alpha is None else alpha)

    @property
    def warnings(self) -> list[str]:
        """What a reader must know before trusting the numbers: small samples, degenerate fits."""
        out = []
        n = len(self.model.history.yoy)
        if n < MIN_RATES:
            out.append(
                f"small sample: {n} yearly growth rate(s) in the history (base included); "
                f"probabilities are withheld below {MIN_RATES}"
            )
        elif n < RELIABLE_RATES:
            out.append(
                f"small sample: {n} yearly growth rates in the history (base included); "
                f"probabilities are indicative only below {RELIABLE_RATES}"
            )
        for method, fc in self.forecasts.items():
            if fc.degenerate:
                out.append(f"{method} fit is degenerate and not used: {fc.degenerate}")
        return out

    def _reliability(self, method: str) -> tuple[str, str]:
        """(reliable | indicative | assumed | withheld | degenerate, why) for a probability."""
        fc = self.forecasts.get(method)
        if fc is not None and fc.degenerate:
            return "degenerate", f"degenerate fit: {fc.degenerate}"
        s = self.spec
        if method == "simulation" and s.simulation_mean is not None and s.simulation_sd is not None:
            return "assumed", "growth mean and sd assumed in the spec, not estimated"
        n = len(self.model.history.yoy)
        if n < MIN_RATES:
            return "withheld", f"only {n} yearly growth rate(s) (< {MIN_RATES})"
        if n < RELIABLE_RATES:
            return "indicative", f"only {n} yearly growth rates (< {RELIABLE_RATES})"
        return "reliable", ""

    def attainment(self) -> dict[str, Any]:
        """The headline probability: the chosen method's, else the first available one's.

        Returns ``method, probability, reliability, shown, note``; ``probability``
        is NaN when withheld or unavailable.
        """
        prob = self.probability().set_index("method")
        order = [self.primary_method] + [m for m in prob.index if m != self.primary_method]
        usable = ("reliable", "indicative", "assumed")
        keys = ("probability", "reliability", "shown", "note")
        for m in order:
            if m not in prob.index or prob.loc[m, "reliability"] not in usable:
                continue
            if not pd.isna(prob.loc[m, "probability"]):
                return {"method": m, **{k: prob.loc[m, k] for k in keys}}
        notes = "; ".join(self.warnings) or "; ".join(
            f"{m}: {prob.loc[m, 'note']}" for m in prob.index if prob.loc[m, "note"]
        )
        return {
            "method": None,
            "probability": np.nan,
            "reliability": "withheld",
            "shown": "withheld",
            "note": notes,
        }

    def meta(self) -> dict[str, Any]:
        """Where every input came from, and the choices the model made."""
        m, s = self.model, self.spec
        return {
            "name": s.name,
            "title": s.title,
            "spec": s.path,
            "indicator": s.indicator,
            "unit": s.unit,
            "base_year": m.base_year,
            "base_value": str(s.base_value),
            "base_source": s.base_source,
            "base_note": s.base_note,
            "target_year": m.target_year,
            "target_value": m.target,
            "target_kind": "level" if s.target_value is not None else "rate",
            "target_qualifier": s.target_qualifier,
            "target_source": s.target_source,
            "stated_rate_pct": m.stated,
            "implied_cagr_pct": m.implied,
            "direction": m.direction,
            "start_year": m.start_year,
            "start_value": m.start,
            "start_source": m.start_source,
            "horizon": m.horizon,
            "confidence": 1 - self.alpha,
            "primary_forecast": self.primary_method,
            "forecasts": {
                k: {"label": f.label, "params": f.params, "warnings": list(f.warnings)}
                for k, f in self.forecasts.items()
            },
            "forecasts_unavailable": self.unavailable,
            "method_choice": json.loads(self.method_choice().to_json(orient="records")),
            "warnings": self.warnings,
            "simulation": {
                k: self.simulation[k]
                for k in ("mean", "sd", "persistence", "source", "start_year", "start", "reason")
            }
            | {"n_paths": self.n_paths, "seed": self.seed},
            "notes": s.notes,
        }

    # -- output ---------------------------------------------------------------------------------

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by its file name stem (the CSVs :func:`analysis.scenarios.run.save` writes)."""
        return {
            "summary": self.summary_frame(),
            "required_growth": self.required_growth_table(),
            "scenarios": self.scenario_table(),
            "sensitivity": self.sensitivity_table().reset_index(),
            "probability": self.probability(),
            "history": self.history_frame(),
            "one_step_errors": self.one_step_errors(),
            "coverage": self.coverage(),
            "coverage_80": self.coverage(COVERAGE_ALPHA),
            "method_choice": self.method_choice(),
        }

    def to_dict(self) -> dict[str, Any]:
        """Meta and every table as JSON-ready records (NaN -> null)."""
        tables = {
            k: json.loads(v.to_json(orient="records", force_ascii=False))
            for k, v in self.tables().items()
        }
        return {
            "meta": json.loads(json.dumps(self.meta(), default=json_default)),
            "tables": tables,
        }

    def __repr__(self) -> str:
        return (
            f"<TargetResults {self.spec.name}: {self.spec.indicator} {self.model.base_year}"
            f"->{self.model.target_year}, implied {self.model.implied:.3f} %>"
        )


def show_probability(p: float, reliability: str, n_paths: int | None = None) -> str:
    """A probability as a reader should see it: never a bare 0 or 1 from a finite sample.

    >>> show_probability(0.0, "reliable", 100000), show_probability(0.231, "indicative")
    ('< 0.00001 (no simulated path)', '≈0.23 (indicative)')
    >>> show_probability(0.4, "withheld"), show_probability(0.681, "reliable")
    ('withheld', '0.68')
    """
    if reliability in ("withheld", "degenerate"):
        return reliability
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    if n_paths and p == 0:
        text = f"< {1 / n_paths:.5f} (no simulated path)"
    elif n_paths and p == 1:
        text = f"> {1 - 1 / n_paths:.5f} (every simulated path)"
    else:
        text = f"{p:.2f}"
    if reliability in ("indicative", "assumed"):
        return f"≈{text} ({reliability})"
    return text


def fmt_number(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def json_default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return None if np.isnan(obj) else float(obj)
    return str(obj)
