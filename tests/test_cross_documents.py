"""Checks across documents (analysis.checks.rules_cross via analysis.tracker.cross_check) and
region comparisons, on the sample documents and on planted mismatches."""

from __future__ import annotations

import pytest

from analysis import checks, config, tracker
from analysis.checks.rules_cross import CROSS_RULES

SAMPLES = config.PROJECT_ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def samples() -> tracker.Corpus:
    return tracker.read_documents([SAMPLES])


def test_cross_rules_are_registered():
    assert set(CROSS_RULES) <= set(checks.registered())


def test_work_plan_growth_agrees_with_last_years_summary(samples):
    """workplan_2023 "社会消费品零售总额增长5%左右，达到285亿元" vs summary_2022 271.3亿元:
    285 / 271.3 - 1 = 5.0498 % (hand), inside 5 %左右 = [4, 6]."""
    found = tracker.cross_check(samples)
    row = found[(found["rule"] == "cross_growth") & (found["indicator"] == "社会消费品零售总额")
                & (found["document"] == "workplan_2023")]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["verdict"] == "consistent"
    assert row["computed"] == pytest.approx(5.0498, abs=1e-4)
    assert row["document"] == "workplan_2023"
    assert any("285亿元" in q for q in row["quotes"]) and any("271.3亿元" in q for q in row["quotes"])


# Hand values: level / previous level - 1 from the two Xiling bulletins.
BULLETINS = [
    ("网络零售额", 58.1 / 52.8 * 100 - 100),      # 10.0379 vs 增长10.0%
    ("出口额", 52.3 / 49.6 * 100 - 100),          # 5.4435 vs 增长5.4%
    ("实际利用外资", 9120 / 9870 * 100 - 100),     # -7.5988 vs 下降7.6%
]


@pytest.mark.parametrize("indicator,expected", BULLETINS)
def test_bulletin_growth_agrees_with_the_previous_bulletin(samples, indicator, expected):
    found = tracker.cross_check(samples)
    row = found[(found["rule"] == "cross_growth") & (found["indicator"] == indicator)].iloc[0]
    assert row["verdict"] == "consistent"
    assert row["computed"] == pytest.approx(expected, abs=1e-9)


def _write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


PLAN = "示例市南湖区2023年商务工作计划\n\n2023年，全区社会消费品零售总额增长{rate}左右，达到285亿元。\n"
SUMMARY = "示例市南湖区2022年商务工作总结\n\n2022年，全区实现社会消费品零售总额{level}亿元，同比增长1.8%。\n"


@pytest.mark.parametrize("rate,verdict", [("5%", "consistent"), ("8%", "inconsistent"),
                                          ("6%", "consistent")])  # 6 % 左右 = [5, 7] holds 5.05
def test_planted_mismatch_is_flagged_with_both_documents_quoted(tmp_path, rate, verdict):
    plan = _write(tmp_path, "plan.txt", PLAN.format(rate=rate))
    summary = _write(tmp_path, "summary.txt", SUMMARY.format(level="271.3"))
    found = tracker.cross_check(tracker.read_documents([plan, summary]))
    row = found[found["rule"] == "cross_growth"].iloc[0]
    assert row["verdict"] == verdict
    assert "plan" in row["message_en"] and "summary" in row["message_en"]
    quotes = " ".join(row["quotes"])
    assert f"增长{rate}左右" in quotes and "271.3亿元" in quotes
    if verdict == "inconsistent":
        # 8 % 左右 ([7.5, 8.5]) against 5.05 % implied: a gap of 2.45 pp or more, "major"
        # by analysis.checks.severity (10 % of the larger value and at least 0.5 pp)
        assert row["severity"] == "major" and "∉" in row["arithmetic"]


def test_other_regions_figures_are_not_compared(tmp_path):
    plan = _write(tmp_path, "plan.txt", PLAN.format(rate="8%"))
    other = _write(tmp_path, "other.txt", SUMMARY.format(level="271.3").replace("南湖区", "北山县")
                   .replace("全区", "全县"))
    found = tracker.cross_check(tracker.read_documents([plan, other]))
    assert found.empty


@pytest.mark.parametrize("second,verdict", [
    ("271.3亿元", "consistent"),
    ("270.5亿元", "warning"),       # revised
    ("2713000万元", "consistent"),   # the same level in another unit: 271.3亿元 = 2713000万元
    ("271.34亿元", "consistent"),    # inside 271.3's rounding interval [271.25, 271.35]
])
def test_the_same_figure_in_two_documents_is_a_revision_warning(tmp_path, second, verdict):
    a = _write(tmp_path, "summary_a.txt", SUMMARY.format(level="271.3"))
    b = _write(tmp_path, "summary_b.txt", SUMMARY.format(level="x").replace("x亿元", second))
    found = tracker.cross_check(tracker.read_documents([a, b]))
    row = found[found["rule"] == "cross_revision"].iloc[0]
    assert row["verdict"] == verdict
    assert "summary_a" in row["message_en"] and "summary_b" in row["message_en"]


def test_regions_side_by_side(samples):
    """社零 targets of both plans: implied CAGR vs each region's own 2015-2020 CAGR (hand)."""
    frame = tracker.compare_regions(samples, "社会消费品零售总额").set_index("document")
    dg, xl = frame.loc["plan_2021_2025"], frame.loc["xiling_plan_2021_2025"]
    assert dg["implied_pct"] == pytest.approx(((355 / 253.7) ** 0.2 - 1) * 100, abs=1e-9)
    assert dg["history_pct"] == pytest.approx(((253.7 / 186.4) ** 0.2 - 1) * 100, abs=1e-9)
    assert xl["implied_pct"] == pytest.approx(((170 / 126.4) ** 0.2 - 1) * 100, abs=1e-9)
    assert xl["history_pct"] == pytest.approx(((126.4 / 95.3) ** 0.2 - 1) * 100, abs=1e-9)
    assert dg["ambition_pp"] == pytest.approx(dg["implied_pct"] - dg["history_pct"])
