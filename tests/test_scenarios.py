"""Scenario lab (analysis.scenarios): arithmetic, scenarios, forecasts, probabilities, CLI.

Expected numbers are hand computed (the formula is in each comment) and
re-derived by tests/scenarios_expected.py, which uses plain ``math`` and no
project code.  Tolerances are explicit.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import config, scenarios
from analysis.cli import main
from analysis.scenarios import (
    TargetModel,
    attainment_probability,
    load_spec,
    simulate_paths,
    spec_from_inline,
)
from analysis.scenarios.results import SUMMARY_COLUMNS
from tests.scenarios_expected import expected

EXPECTED = expected()
RATE_TOL = 5e-4  # percent: the numbers are given to 3 decimals
SPECS = {p.stem: p for p in sorted(config.SCENARIOS_DIR.glob("*.yaml"))}


def rows(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    return frame[frame["measure"] == measure]


# --------------------------------------------------------------------------- arithmetic

IMPLIED_CASES = [
    # label, base year, base, target year, target, implied CAGR %
    ("seed 003 290.5 -> 407 over 5 years", 2020, "290.5", 2025, "407", 6.977),  # (407/290.5)^(1/5)-1
    ("x2 (翻一番) over 6 years", 2020, 100, 2026, 200, 12.246),  # 2^(1/6)-1
    ("national 391981 -> 550000 over 7", 2020, 391981, 2027, 550000, 4.958),  # (550000/391981)^(1/7)-1
    ("decline 100 -> 80 over 4 years", 2020, 100, 2024, 80, -5.426),  # 0.8^(1/4)-1
]


@pytest.mark.parametrize("label,by,base,ty,target,expected_rate", IMPLIED_CASES,
                         ids=[c[0] for c in IMPLIED_CASES])
def test_implied_cagr(label, by, base, ty, target, expected_rate):
    res = TargetModel(spec_from_inline("x", by, base, ty, target)).fit(seed=0, n_paths=10)
    implied = rows(res.required_growth_table(), "implied").iloc[0]
    assert implied["rate_pct"] == pytest.approx(expected_rate, abs=RATE_TOL)
    # the implied path ends exactly at the target, year by year at that rate
    path = res.summary_frame().set_index("year")["target_path"]
    assert path[ty] == pytest.approx(float(target), rel=1e-12)
    assert path[by + 1] / path[by] == pytest.approx(1 + implied["rate_pct"] / 100, rel=1e-12)


REQUIRED_CASES = [
    # actuals after the 2020 base 290.5 -> 407 in 2025; latest actual year; required %
    ("2021:300", 2021, 7.924),  # (407/300)^(1/4)-1
    ("2021:300,2022:320", 2022, 8.346),  # (407/320)^(1/3)-1: the rate needed 2023-2025
    ("2021:300,2022:320,2023:360,2024:390", 2024, 4.359),  # 407/390-1
]


@pytest.mark.parametrize("actuals,latest,expected_rate", REQUIRED_CASES)
def test_required_rate_after_actual(actuals, latest, expected_rate):
    spec = spec_from_inline("社会消费品零售总额", 2020, "290.5", 2025, 407, actuals=actuals,
                            stated_rate=7)
    table = TargetModel(spec).fit(seed=0, n_paths=10).required_growth_table()
    req = rows(table, "required").set_index("from_year").loc[latest]
    assert req["rate_pct"] == pytest.approx(expected_rate, abs=RATE_TOL)
    assert "latest actual" in req["note"]
    # compared with the stated 7 % and the implied 6.977 %
    assert req["vs_stated_pp"] == pytest.approx(expected_rate - 7, abs=RATE_TOL)
    assert req["vs_implied_pp"] == pytest.approx(expected_rate - 6.977, abs=2 * RATE_TOL)
    # the rounding interval of the printed inputs brackets the rate
    assert req["rate_lo"] <= req["rate_pct"] <= req["rate_hi"]


def test_rate_target_without_base_in_document():
    """Seed 002: 年均增长10%以上 to 2025 with a user-supplied base; the level is projected."""
    res = TargetModel(load_spec(SPECS["chongqing_rural_online_2025"])).fit(seed=0, n_paths=10)
    implied = rows(res.required_growth_table(), "implied").iloc[0]
    assert implied["rate_pct"] == 10
    assert implied["to_value"] == pytest.approx(100 * 1.1**5, rel=1e-12)
    assert (implied["rate_lo"], implied["rate_hi"]) == (9.5, math.inf)  # 10% 以上
    assert "USER-SUPPLIED" in res.meta()["base_source"]


BASE_SOURCES = [
    # spec, base_source starts with
    ("jiaojiang_retail_2025", "spec data/scenarios/jiaojiang_retail_2025.yaml"),
    ("national_retail_2027", "actuals CSV data/reference/national_retail_sales_nbs.csv"),
    ("chongqing_rural_online_2025", "spec data/scenarios/chongqing_rural_online_2025.yaml"),
]


@pytest.mark.parametrize("name,prefix", BASE_SOURCES)
def test_base_source_says_where_the_base_came_from(name, prefix):
    spec = load_spec(f"data/scenarios/{name}.yaml")
    assert spec.base_source.startswith(prefix)


def test_derived_history_and_gaps_are_explained():
    """Seed 003's 2015 level is derived from 较“十二五”末增长25.4%; the gap is allowed, so no ETS/ARIMA."""
    res = TargetModel(load_spec(SPECS["jiaojiang_retail_2025"])).fit(seed=0, n_paths=1000)
    hist = res.history_frame().set_index("year")
    assert hist.loc[2015, "actual"] == pytest.approx(EXPECTED["jiaojiang 2015 level"], rel=1e-12)
    assert "DERIVED" in hist.loc[2015, "note"]
    avg = rows(res.required_growth_table(), "history_avg").iloc[0]
    assert avg["rate_pct"] == pytest.approx(EXPECTED["jiaojiang 2015-2020 avg"], abs=1e-9)
    assert set(res.unavailable) == {"ets", "arima"}
    assert all("consecutive" in reason for reason in res.unavailable.values())
    prob = res.probability().set_index("method")
    assert prob.loc[["ets", "arima"], "probability"].isna().all()
    assert 0 < prob.loc["simulation", "probability"] < 1
    assert "ASSUMPTION" in prob.loc["simulation", "note"]


def test_growth_column_switches_history_to_stated_rates(tmp_path):
    spec_file = tmp_path / "stated.yaml"
    spec_file.write_text(
        f"indicator: 社会消费品零售总额\nbase: {{year: 2020}}\ntarget: {{year: 2027, value: 550000}}\n"
        f"actuals: {{csv: {config.DATA_DIR / 'reference' / 'national_retail_sales_nbs.csv'}, "
        "value_column: retail_sales_100m_yuan, growth_column: stated_yoy_growth_pct}\n"
        "forecast: {methods: []}\n",
        encoding="utf-8")
    table = TargetModel(load_spec(spec_file)).fit(seed=0, n_paths=10).required_growth_table()
    assert rows(table, "history_avg").iloc[0]["rate_pct"] == pytest.approx(
        EXPECTED["national stated geometric mean"], abs=1e-9)
    mean = rows(table, "history_mean").iloc[0]
    assert mean["rate_pct"] == pytest.approx(EXPECTED["national stated mean"], abs=1e-9)
    assert f"sd {EXPECTED['national stated sd']:.2f} pp" in mean["note"]


# --------------------------------------------------------------------------- scenarios

SCENARIO_CASES = [
    # label, scenario body, horizon, reaches year (None: misses), level in 2025 (hand computed)
    ("7 % a year", {"rate": 7}, 2025, 2025, EXPECTED["290.5 at 7% for 5 years"]),  # 290.5*1.07^5
    ("4 % a year", {"rate": 4}, 2025, None, EXPECTED["290.5 at 4% for 5 years"]),  # 290.5*1.04^5
    ("10 % reaches early", {"rate": 10}, 2025, 2024, 290.5 * 1.1**5),  # 290.5*1.1^4 = 425.3 >= 407
    ("7 % with a -5 % shock in 2022", {"rate": 7, "shocks": {2022: -5}}, 2027, 2026,
     EXPECTED["290.5 at 7% with -5% shock"]),  # 387.07 in 2025, *1.07 = 414.2 in 2026
    ("stalls, then 20 %", {"rate": 20, "rates": {2021: 0, 2022: 0}}, 2025, 2024,
     290.5 * 1.2**3),  # 2024: 290.5*1.2^2 = 418.3
    ("implied (symbolic)", {"rate": "implied"}, 2025, 2025, 407.0),
]


@pytest.mark.parametrize("label,body,horizon,reaches,level_2025", SCENARIO_CASES,
                         ids=[c[0] for c in SCENARIO_CASES])
def test_scenario_verdicts(label, body, horizon, reaches, level_2025):
    spec = spec_from_inline("x", 2020, "290.5", 2025, 407, horizon=horizon,
                            scenarios={"s": body})
    row = TargetModel(spec).fit(seed=0, n_paths=10).scenario_table().iloc[0]
    assert row["level_at_target_year"] == pytest.approx(level_2025, rel=1e-12)
    if reaches is None:
        assert pd.isna(row["reaches_year"])
        gap = 407 - level_2025
        assert row["verdict"] == f"misses by {gap:.2f} ({gap / 407 * 100:.1f} %) in 2025"
    else:
        assert row["reaches_year"] == reaches
        assert row["verdict"].startswith(f"reaches the target in {reaches}")
        assert ("late" in row["verdict"]) == (reaches > 2025)


def test_required_scenario_starts_at_latest_actual_and_lands_on_target():
    spec = spec_from_inline("x", 2020, "290.5", 2025, 407, actuals="2021:300,2022:320",
                            scenarios={"needed": {"rate": "required"}, "from_base": {
                                "rate": 7, "start": "base"}})
    res = TargetModel(spec).fit(seed=0, n_paths=10)
    table = res.scenario_table().set_index("scenario")
    assert table.loc["needed", "start_year"] == 2022
    assert table.loc["needed", "level_at_target_year"] == pytest.approx(407, rel=1e-12)
    assert table.loc["from_base", "start_year"] == 2020
    frame = res.summary_frame()
    assert list(frame.columns) == SUMMARY_COLUMNS + ["needed", "from_base"]
    assert frame["year"].tolist() == list(range(2020, 2026))


def test_sensitivity_grid():
    res = TargetModel(spec_from_inline("x", 2020, "290.5", 2025, 407)).fit(seed=0, n_paths=10)
    grid = res.sensitivity_table()
    implied = EXPECTED["implied 290.5->407 over 5"]
    # row at the implied rate, column at the base itself, is the target
    row = grid.loc[min(grid.index, key=lambda r: abs(r - implied))]
    assert row[290.5] == pytest.approx(407, abs=0.01)
    # a hand-checked cell: 290.5 * 1.04^5
    assert grid.loc[4.0, 290.5] == pytest.approx(EXPECTED["290.5 at 4% for 5 years"], rel=1e-12)
    assert (np.diff(grid.to_numpy(), axis=0) > 0).all() and (np.diff(grid.to_numpy(), axis=1) > 0).all()
    custom = res.sensitivity_table(rates=[0], start_levels=[100, 200])
    assert custom.to_numpy().tolist() == [[100.0, 200.0]]


# --------------------------------------------------------------------------- forecasts (national)


@pytest.fixture(scope="module")
def national():
    return TargetModel(load_spec(SPECS["national_retail_2027"])).fit(alpha=0.05, n_paths=20000,
                                                                     seed=11)


def test_one_step_errors_and_coverage_are_reported(national):
    errors = national.one_step_errors()
    # rolling origin: ETS from 5 years on (2020-2024), ARIMA from 8 (2023-2024)
    # rolling origin: ETS from 5 years on (2020-2024), ARIMA from 8 (2023-2024), the
    # simulation's growth model from 3 (two earlier growth rates: 2018-2024)
    assert errors.groupby("method")["year"].apply(list).to_dict() == {
        "arima": [2023, 2024], "ets": [2020, 2021, 2022, 2023, 2024],
        "simulation": list(range(2018, 2025))}
    actual = load_spec(SPECS["national_retail_2027"]).actuals.series()
    assert (errors["actual"] == errors["year"].map(actual)).all()
    assert np.allclose(errors["error"], errors["actual"] - errors["forecast"])
    assert (errors["inside"] == ((errors["pi_lower"] <= errors["actual"])
                                 & (errors["actual"] <= errors["pi_upper"]))).all()
    cov = national.coverage().set_index("method")
    assert cov.loc["ets", "n"] == 5 and cov.loc["arima", "n"] == 2 and cov.loc["simulation", "n"] == 7
    assert cov.loc["ets", "coverage"] == errors[errors.method == "ets"]["inside"].mean()
    # coverage at another level is recomputed from each backtest's log mean and sd
    c80 = national.coverage(0.2).set_index("method")
    assert (c80["nominal"] == 0.8).all() and (c80["coverage"] <= cov["coverage"]).all()
    assert (cov["nominal"] == 0.95).all()
    assert (cov["mape_pct"] > 0).all() and (cov["rmse"] >= cov["mae"]).all()


def test_arima_random_walk_with_drift_matches_independent_estimate(national):
    fc = national.forecasts["arima"]
    assert fc.log_mean[0] - math.log(487895) == pytest.approx(EXPECTED["arima drift"], abs=1e-4)
    assert fc.log_sd[0] == pytest.approx(EXPECTED["arima sigma"], rel=1e-3)
    # a random walk's h-step sd grows with sqrt(h)
    assert fc.log_sd[2] == pytest.approx(fc.log_sd[0] * math.sqrt(3), rel=1e-6)
    row = national.forecast_frame("arima").iloc[0]
    assert row["mean"] == pytest.approx(EXPECTED["arima 2025 median"], rel=1e-4)


def test_prediction_intervals(national):
    frame = national.summary_frame().set_index("year")
    future = frame.loc[2025:]
    assert (future["pi_lower"] < future["mean"]).all() and (future["mean"] < future["pi_upper"]).all()
    assert frame.loc[:2024, ["mean", "pi_lower", "pi_upper"]].isna().all().all()
    narrow = national.summary_frame(alpha=0.2).set_index("year").loc[2025:]
    assert (narrow["pi_upper"] - narrow["pi_lower"] < future["pi_upper"] - future["pi_lower"]).all()


TARGETS = [400000, 450000, 500000, 550000, 600000, 650000, 700000, 800000]


def test_degenerate_ets_fit_is_flagged_and_not_chosen(national):
    """The national ETS fit has smoothing at its bound: a fixed trend line (issue 13)."""
    ets = national.forecasts["ets"]
    assert ets.params["smoothing_level"] < 1e-3 and "near zero" in ets.degenerate
    choice = national.method_choice().set_index("method")
    assert not choice.loc["ets", "chosen"] and "degenerate" in choice.loc["ets", "reason"]
    assert national.primary_method != "ets"
    assert any("ets fit is degenerate" in w for w in national.warnings)
    prob = national.probability().set_index("method")
    assert prob.loc["ets", "reliability"] == "degenerate" and pd.isna(prob.loc["ets", "probability"])


def test_probability_is_monotone_in_the_target(national):
    probs = pd.DataFrame({t: national.probability(target=t).set_index("method")["probability"]
                          for t in TARGETS})
    assert set(probs.index) == {"ets", "arima", "simulation"}
    probs = probs.drop(index="ets")  # degenerate: withheld
    for method, p in probs.iterrows():
        assert p.notna().all(), method
        assert (np.diff(p.to_numpy()) <= 0).all(), f"{method}: {p.tolist()}"
        assert p.iloc[0] > 0.9 and p.iloc[-1] < 0.1, f"{method}: {p.tolist()}"


def test_probability_at_the_forecast_median_is_one_half(national):
    for method in ("arima",):
        median = national.forecast_frame(method).set_index("year").loc[2027, "mean"]
        p = national.probability(target=median).set_index("method").loc[method, "probability"]
        assert p == pytest.approx(0.5, abs=1e-9)


def test_probability_is_reproducible_with_a_seed(national):
    again = TargetModel(load_spec(SPECS["national_retail_2027"])).fit(n_paths=20000, seed=11)
    other = TargetModel(load_spec(SPECS["national_retail_2027"])).fit(n_paths=20000, seed=12)
    p = national.probability().set_index("method")["probability"]
    assert again.probability().set_index("method")["probability"].equals(p)
    assert other.probability().set_index("method").loc["simulation", "probability"] != p["simulation"]
    assert other.probability().set_index("method").loc["arima", "probability"] == p["arima"]


# --------------------------------------------------------------------------- simulation


def test_simulated_growth_has_the_requested_mean_and_sd():
    paths = simulate_paths(100.0, 5.0, 2.0, 4, 200_000, seed=3)
    assert paths.shape == (200_000, 4) and paths.dtype == np.float32
    first = (paths[:, 0].astype(np.float64) / 100 - 1) * 100
    assert first.mean() == pytest.approx(5.0, abs=4 * 2.0 / math.sqrt(200_000))
    assert first.std(ddof=1) == pytest.approx(2.0, rel=0.02)
    assert (paths > 0).all()
    later = (paths[:, 3].astype(np.float64) / paths[:, 2] - 1) * 100
    assert later.mean() == pytest.approx(5.0, abs=0.05)


def test_simulation_never_goes_negative_with_huge_volatility():
    paths = simulate_paths(100.0, 0.0, 300.0, 5, 10_000, seed=1)
    assert (paths > 0).all() and np.isfinite(paths).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=50), st.floats(0, 1e6), st.floats(0, 1e6))
def test_attainment_probability_never_rises_with_the_target(levels, t1, t2):
    lo, hi = sorted((t1, t2))
    assert attainment_probability(levels, hi) <= attainment_probability(levels, lo)
    assert attainment_probability(levels, hi, "down") >= attainment_probability(levels, lo, "down")


# --------------------------------------------------------------------------- CLI


def run_cli(spec: str, out: str | None, fmt: str) -> int:
    """``policycheck scenario --spec SPEC [--out OUT] --format FMT``."""
    return main(["scenario", "--spec", spec, "--format", fmt] + (["--out", out] if out else []))


def test_run_cli_table(capsys):
    assert run_cli("data/scenarios/jiaojiang_retail_2025.yaml", None, "table") == 0
    out = capsys.readouterr().out
    assert "implied CAGR 6.977 %" in out and "stated 7 %" in out
    assert "reaches the target in 2025" in out and "misses by" in out


def test_run_cli_json_and_csv(capsys, tmp_path):
    assert run_cli(str(SPECS["national_retail_2027"]), str(tmp_path / "out"), "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["meta"]["base_source"].startswith("actuals CSV")
    assert data["tables"]["required_growth"][0]["measure"] == "implied"
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(["summary.csv", "required_growth.csv", "scenarios.csv",
                              "sensitivity.csv", "probability.csv", "history.csv",
                              "one_step_errors.csv", "coverage.csv", "coverage_80.csv",
                              "method_choice.csv", "meta.json",
                              "fan_chart.png"])
    assert run_cli(str(SPECS["national_retail_2027"]), None, "csv") == 0
    from io import StringIO

    frame = pd.read_csv(StringIO(capsys.readouterr().out))
    assert list(frame.columns) == SUMMARY_COLUMNS + ["baseline", "slow", "recovery", "shock"]


def test_run_cli_bad_spec_writes_nothing(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicator: x\ntarget: {year: 2025, value: 407}\n", encoding="utf-8")
    assert run_cli(str(bad), str(tmp_path / "out"), "table") == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"{bad}: base: missing" in err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- small samples, persistence


def test_inline_target_history_includes_the_base_and_warns_on_a_small_sample():
    """Issue 13: base 2020 = 100, actuals 2021-23: three growth rates (base included), not two."""
    spec = spec_from_inline("指数", 2020, 100, 2025, 150, actuals="2021:103,2022:108,2023:110")
    res = TargetModel(spec).fit(n_paths=20000, seed=0)
    assert list(res.model.history.yoy.index) == [2021, 2022, 2023]
    assert res.model.history.yoy[2021] == pytest.approx(3.0)
    assert any(w.startswith("small sample: 3 yearly growth rates") for w in res.warnings)
    sim = res.probability().set_index("method").loc["simulation"]
    assert sim["reliability"] == "indicative" and "indicative" in sim["shown"]
    # 150 needs 16.8 %/yr from 110: no path gets there, and that is not shown as a bare 0
    assert sim["probability"] == 0 and sim["shown"].startswith("≈< 0.00005")
    assert "no simulated path" in sim["shown"]


def test_two_actuals_withhold_the_probability():
    spec = spec_from_inline("指数", 2020, 100, 2025, 120, actuals="2021:103,2022:108")
    res = TargetModel(spec).fit(n_paths=5000, seed=0)
    assert any("small sample: 2 yearly growth rate" in w for w in res.warnings)
    prob = res.probability().set_index("method")
    assert prob.loc["simulation", "reliability"] == "withheld"
    assert prob["probability"].isna().all()
    assert res.attainment()["shown"] == "withheld"
    assert "WARNING: small sample" in scenarios.render_text(res)


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.8])
def test_simulated_growth_is_ar1_with_the_stated_persistence(phi):
    paths = simulate_paths(100.0, 5.0, 2.0, 6, 200_000, seed=5, persistence=phi).astype(float)
    levels = np.hstack([np.full((paths.shape[0], 1), 100.0), paths])
    g = (levels[:, 1:] / levels[:, :-1] - 1) * 100
    assert g.mean() == pytest.approx(5.0, abs=0.02)
    # started at the mean, year t's sd is sd * sqrt(1 - phi^(2t)): the stationary sd in the limit
    assert g[:, -1].std() == pytest.approx(2.0 * math.sqrt(1 - phi ** 12), rel=0.02)
    # the AR(1) coefficient: regression slope of a year's growth on the year before's
    slope = np.cov(g[:, 3], g[:, 4])[0, 1] / g[:, 3].var(ddof=1)
    assert slope == pytest.approx(phi, abs=0.01)


def test_persistence_widens_the_spread_of_levels():
    iid = simulate_paths(100.0, 5.0, 2.0, 10, 100_000, seed=1)[:, -1]
    ar = simulate_paths(100.0, 5.0, 2.0, 10, 100_000, seed=1, persistence=0.6)[:, -1]
    assert ar.std() > 1.5 * iid.std()


def test_persistence_comes_from_the_spec_the_history_or_a_stated_assumption(tmp_path):
    national = TargetModel(load_spec(SPECS["national_retail_2027"]))
    phi, source = national.persistence()
    assert 0 <= phi <= 0.9 and "autocorrelation of the history's 9 yoy rates" in source
    small = TargetModel(spec_from_inline("x", 2020, 100, 2025, 120, actuals="2021:103,2022:108"))
    assert small.persistence() == (0.5, small.persistence()[1])
    assert "ASSUMED" in small.persistence()[1]
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicator: x\nbase: {year: 2020, value: 1}\ntarget: {year: 2025, value: 2}\n"
                   "simulation: {persistence: 1.2, note: a guess}\n", encoding="utf-8")
    with pytest.raises(Exception, match="simulation.persistence: 1.2 is not in"):
        load_spec(bad)
