"""Target tracker (analysis.tracker, ``policycheck track``) on the sample documents in data/.

Expected numbers are hand calculations from the printed figures (formula in
each row's comment), not outputs of the tool:
progress = (latest - base) / (target - base); required = (target / latest) ** (1 / years left) - 1;
history = (latest / base) ** (1 / years) - 1.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis import config, tracker
from analysis.cli import main

SAMPLES = config.PROJECT_ROOT / "data" / "samples"
XILING = [SAMPLES / n for n in ("xiling_plan_2021_2025.txt", "xiling_bulletin_2023.txt",
                                "xiling_bulletin_2024.txt")]
TOL = 5e-4  # percent / percentage points: hand values are given to 4 decimals

# (region, indicator, base year, base, latest year, latest, progress %, required %, history %, verdict)
HAND = [
    # 西岭县: plan 2020 -> 2025, bulletins 2023 and 2024; 2024 is the latest, one year left.
    # 社零 (160.9-126.4)/(170-126.4) = 34.5/43.6; 170/160.9-1; (160.9/126.4)^(1/4)-1
    ("西岭县", "社会消费品零售总额", 2020, 126.4, 2024, 160.9, 79.1284, 5.6557, 6.2190, "on track"),
    # 网零 19.6/26.5; 65/58.1-1; (58.1/38.5)^(1/4)-1: 1.04 pp short of the need
    ("西岭县", "网络零售额", 2020, 38.5, 2024, 58.1, 73.9623, 11.8761, 10.8355,
     "needs acceleration"),
    # 进出口 16/24.8; 70/61.2-1; (61.2/45.2)^(1/4)-1
    ("西岭县", "外贸进出口总额", 2020, 45.2, 2024, 61.2, 64.5161, 14.3791, 7.8706, "out of reach"),
    # 出口 13.4/21.1; 60/52.3-1; (52.3/38.9)^(1/4)-1
    ("西岭县", "出口额", 2020, 38.9, 2024, 52.3, 63.5071, 14.7228, 7.6807, "out of reach"),
    # 实际利用外资: bulletins print 万美元, the plan 亿美元: 9120万美元 = 0.912亿美元
    # 0.052/0.34; 1.2/0.912-1; (0.912/0.86)^(1/4)-1
    ("西岭县", "实际利用外资", 2020, 0.86, 2024, 0.912, 15.2941, 31.5789, 1.4785, "out of reach"),
    # 东港区: plan 2020 -> 2025 and the 2022 summary; three years left.
    # 社零 17.6/101.3; (355/271.3)^(1/3)-1; (271.3/253.7)^(1/2)-1
    ("东港区", "社会消费品零售总额", 2020, 253.7, 2022, 271.3, 17.3741, 9.3770, 3.4105,
     "out of reach"),
    # 网零 (text target 160, not the table's 170) 23.25/61.65; (160/121.6)^(1/3)-1; (121.6/98.35)^(1/2)-1
    ("东港区", "网络零售额", 2020, 98.35, 2022, 121.6, 37.7129, 9.5794, 11.1936, "on track"),
    # 进出口 11.5/51.4; (180/140.1)^(1/3)-1; (140.1/128.6)^(1/2)-1
    ("东港区", "外贸进出口总额", 2020, 128.6, 2022, 140.1, 22.3735, 8.7122, 4.3755, "out of reach"),
    # 出口 11.9/45.5; (155/121.4)^(1/3)-1; (121.4/109.5)^(1/2)-1
    ("东港区", "出口额", 2020, 109.5, 2022, 121.4, 26.1538, 8.4853, 5.2937, "out of reach"),
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return tracker.track(tracker.read_documents([SAMPLES]), n_paths=2000)


def _row(table: pd.DataFrame, region: str, indicator: str) -> pd.Series:
    hit = table[(table["region"].str.endswith(region)) & (table["indicator"] == indicator)
                & (table["target_year"] == 2025)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


@pytest.mark.parametrize(
    "region,indicator,base_year,base,latest_year,latest,progress,required,history,verdict", HAND)
def test_targets_match_hand_calculations(table, region, indicator, base_year, base, latest_year,
                                         latest, progress, required, history, verdict):
    r = _row(table, region, indicator)
    assert (r["base_year"], r["latest_year"]) == (base_year, latest_year)
    assert r["base"] == pytest.approx(base, rel=1e-12)
    assert r["latest"] == pytest.approx(latest, rel=1e-12)
    assert r["progress_pct"] == pytest.approx(progress, abs=TOL)
    assert r["required_pct"] == pytest.approx(required, abs=TOL)
    assert r["history_pct"] == pytest.approx(history, abs=TOL)
    assert r["verdict"] == verdict


@pytest.mark.parametrize("indicator", ["社会消费品零售总额", "网络零售额", "外贸进出口总额", "出口额",
                                       "实际利用外资"])
def test_xiling_targets_pair_with_the_plans_base_and_both_bulletins(table, indicator):
    r = _row(table, "西岭县", indicator)
    assert r["target_document"] == r["base_document"] == "xiling_plan_2021_2025"
    assert r["base_note"] == "stated in the plan"
    assert "2023: " in r["actuals"] and "xiling_bulletin_2023" in r["actuals"]
    assert "2024: " in r["actuals"] and "xiling_bulletin_2024" in r["actuals"]
    # one growth rate between the actuals (2023 -> 2024; 2020 -> 2023 is a gap): P withheld
    assert r["p_shown"] == "withheld" and math.isnan(r["p_attain"])


def test_a_target_without_a_base_in_its_plan_takes_the_latest_earlier_actual(table):
    """workplan_2023: 出口额不低于125亿元 (2023), no base: the 2022 summary's 121.4亿元."""
    r = table[(table["target_document"] == "workplan_2023") & (table["indicator"] == "出口额")].iloc[0]
    assert (r["base_document"], r["base_year"], r["base"]) == ("summary_2022", 2022, 121.4)
    assert "another document" in r["base_note"]
    assert r["required_pct"] == pytest.approx((125 / 121.4 - 1) * 100, abs=1e-9)


def test_documents_without_a_known_region_do_not_pair_across(tmp_path):
    """A bulletin that does not say where it is about is not taken as the plan's region's."""
    anon = tmp_path / "bulletin.txt"
    anon.write_text("2024年统计公报\n\n全年社会消费品零售总额999.9亿元。\n", encoding="utf-8")
    t = tracker.track(tracker.read_documents([XILING[0], anon]), n_paths=500)
    r = t[t["indicator"] == "社会消费品零售总额"].iloc[0]
    assert r["latest_year"] == 2020 and r["actuals"] == ""


def test_regions_do_not_mix(table):
    """Both regions have 社零 targets; each pairs only with its own documents."""
    dg, xl = _row(table, "东港区", "社会消费品零售总额"), _row(table, "西岭县", "社会消费品零售总额")
    assert "xiling" not in dg["actuals"] and "summary_2022" not in xl["actuals"]


@pytest.mark.parametrize("latest,target,required,history,p,down,past,expected", [
    (100, 100, None, None, None, False, False, "on track"),      # already there
    (90, 100, 5.0, 5.0, None, False, False, "on track"),         # history = need
    (90, 100, 8.0, 5.0, None, False, False, "needs acceleration"),  # 3 pp short
    (90, 100, 8.01, 5.0, None, False, False, "out of reach"),    # just over 3 pp
    (90, 100, 6.0, 5.0, 0.01, False, False, "out of reach"),     # P below 5 %
    (90, 100, None, None, None, False, True, "missed"),
    (110, 100, -4.0, -2.0, None, True, False, "needs acceleration"),  # ceiling: must fall 4 %/yr
    (110, 100, -4.0, -5.0, None, True, False, "on track"),
])
def test_verdict_rules(latest, target, required, history, p, down, past, expected):
    assert tracker.verdict(latest, target, required, history, p, down=down, past=past) == expected


def test_cli_track_json_filters_and_bad_input(capsys):
    code = main(["track", *map(str, XILING), str(SAMPLES / "missing.txt"), "--format", "json",
                 "--indicator", "网络零售额"])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "missing.txt" in err
    rows = json.loads(out)
    assert [r["indicator"] for r in rows] == ["网络零售额"] and rows[0]["verdict"] == "needs acceleration"
    assert main(["track", str(SAMPLES), "--region", "西岭县", "--format", "csv"]) == 0
    frame = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert set(frame["region"]) == {"示例市西岭县"} and len(frame) == 5


def test_cli_track_stores_documents_then_reads_the_store(tmp_path, capsys):
    """All samples stored, then tracked from the store alone: the same pairing (summary_2022's
    title is its nav bar; its region comes from its first lines, the stored path)."""
    store = tmp_path / "figures.duckdb"
    assert main(["track", str(SAMPLES), "--store", str(store), "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["track", "--store", str(store), "--format", "json"]) == 0
    again = json.loads(capsys.readouterr().out)
    keep = ["region", "indicator", "target_document", "base", "latest", "progress_pct",
            "required_pct", "verdict", "actuals"]
    assert len(first) > 20
    assert [{k: r[k] for k in keep} for r in again] == [{k: r[k] for k in keep} for r in first]
    assert main(["track"]) == 2 and "nothing to read" in capsys.readouterr().err


def test_chart_draws_needed_and_actual_paths_and_a_fan_when_the_history_allows():
    series = {2018: 100.0, 2019: 106.0, 2020: 104.0, 2021: 111.0, 2022: 117.0, 2023: 122.0}
    row = {"region": "测试区", "indicator": "社会消费品零售总额", "unit": "亿元", "target_year": 2025,
           "target": 140.0, "base_year": 2018, "base": 100.0, "qualifier": None,
           "implied_pct": ((140 / 100) ** (1 / 7) - 1) * 100,
           "required_pct": ((140 / 122) ** 0.5 - 1) * 100, "series": series, "verdict": "x"}
    fig = tracker.target_chart(row, n_paths=2000)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("needed" in t for t in labels) and any("actual" in t for t in labels)
    assert any("预测 80%" in t for t in labels), labels  # the fan
    assert "withheld" not in ax.get_title()
    row["series"] = {2018: 100.0, 2023: 122.0}  # one gap, no yearly rates: no fan, and it says why
    title = tracker.target_chart(row, n_paths=2000).axes[0].get_title()
    assert "forecast withheld: small sample" in title


def test_a_longer_run_of_bulletins_gives_an_indicative_probability(tmp_path):
    """Plan 2020 -> 2025 and bulletins 2021-2024: four yearly rates, P(attain) shown as indicative."""
    (tmp_path / "plan.txt").write_text(
        "示例市北山县商务发展“十四五”规划\n\n2020年，全县实现社会消费品零售总额100亿元。"
        "到2025年，社会消费品零售总额达到125亿元。\n", encoding="utf-8")
    for year, level in [(2021, 105.0), (2022, 109.0), (2023, 115.0), (2024, 120.0)]:
        (tmp_path / f"bulletin_{year}.txt").write_text(
            f"示例市北山县{year}年国民经济和社会发展统计公报\n\n示例市北山县统计局\n\n"
            f"一、国内贸易\n\n全年全县实现社会消费品零售总额{level}亿元。\n",
            encoding="utf-8")
    r = tracker.track(tracker.read_documents([tmp_path]), n_paths=5000).iloc[0]
    assert r["actuals"].count("bulletin_") == 4 and r["latest"] == 120.0
    assert r["required_pct"] == pytest.approx((125 / 120 - 1) * 100, abs=1e-9)
    assert r["history_pct"] == pytest.approx(((120 / 100) ** 0.25 - 1) * 100, abs=1e-9)
    assert 0 < r["p_attain"] < 1 and r["p_shown"].endswith("(indicative)")
    assert "only 4 yearly growth rates" in r["p_note"] and "ASSUMED 0.5" in r["p_note"]


def test_a_target_without_later_actuals_has_no_verdict_yet(table):
    """东港区 实际利用外资 1.5亿美元 (2025): no document after the plan reports it."""
    r = _row(table, "东港区", "实际利用外资")
    assert r["latest_year"] == 2020 and math.isnan(r["progress_pct"])
    assert r["verdict"] == "no actual yet"
    assert r["required_pct"] == pytest.approx(((1.5 / 1.16) ** 0.2 - 1) * 100, abs=1e-9)
