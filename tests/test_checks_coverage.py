"""Coverage (what the checks looked at), severity, and rules that fail on odd figures.

Figures are built by hand (tests.test_checks.Doc) from sentences in the seeds' style.
"""
from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from analysis import checks
from analysis.checks import coverage, unchecked_figures
from analysis.checks.core import excluded_reason, unregister
from analysis.checks.severity import SEVERITIES, SEVERITY_DEFINITIONS, assess, classify
from analysis.growth import Interval, rounding_interval
from tests.test_checks import Doc, seed_003

# --------------------------------------------------------------------------- coverage

def _county() -> list:
    """A county bulletin: GDP with growth (checked), 粮食 once (no partner), a 费率 (rate),
    an unnamed count, and 财政收入 in two years (partners, but nothing compares them)."""
    d = Doc("cty-")
    s = d.sentence("2023年全县地区生产总值120.5亿元，2022年为110.0亿元，增长9.5%。",
                   indicator="地区生产总值")
    s.fig("120.5", "亿元", "level", year=2023)
    s.fig("110.0", "亿元", "level", year=2022, after="2022年为")
    s.fig("9.5", "%", "yoy_growth", year=2023, after="增长")
    d.sentence("粮食总产量12.3万吨。", indicator="粮食总产量", year=2023).fig(
        "12.3", "万吨", "level")
    d.sentence("综合费率1.2%。", year=2023, indicator="综合费率",
               indicator_canonical=None).fig("1.2", "%", "rate")
    d.sentence("新建成4个。", year=2023).fig("4", "个", "count")
    s = d.sentence("一般公共预算收入5.1亿元，2021年目标6亿元。", indicator="一般公共预算收入")
    s.fig("5.1", "亿元", "level", year=2023)
    s.fig("6", "亿元", "level", year=2021, status="target", after="目标")
    return d.figures


def test_coverage_counts_checked_and_reasons():
    figs = _county()
    cov = coverage(figs, checks.run(figs))
    assert (cov.figures, cov.checked) == (8, 3)
    assert cov.by_rule == {"yoy_levels": 3}
    assert cov.unchecked == {"unknown_indicator": 2, "no_partner": 1, "not_comparable": 2}
    assert cov.share_checked == pytest.approx(3 / 8)
    assert cov.summary_en() == (
        "8 figures, 3 checked (38%) by 1 rule; 5 not checked: 2 unknown indicator, "
        "1 no partner figure, 2 partners differ in year/period/unit/status (few checks: "
        "absence of flags says little)")
    assert cov.summary_zh().startswith("共8个数字，核查3个（38%），涉及1条规则；未核查5个：指标未识别2个")
    assert cov.is_thin()
    json.dumps(cov.to_dict())  # JSON-ready


def test_unchecked_figures_lists_each_with_its_reason():
    figs = _county()
    table = unchecked_figures(figs, checks.run(figs))
    assert dict(zip(table["printed"], table["reason"])) == {
        "12.3万吨": "no_partner", "1.2%": "unknown_indicator", "4个": "unknown_indicator",
        "5.1亿元": "not_comparable", "6亿元": "not_comparable"}
    assert table["reason_zh"].str.len().gt(0).all() and table["quote"].str.len().gt(0).all()


def test_seed_003_by_hand_is_not_thin():
    figs = seed_003()
    cov = coverage(figs, checks.run(figs))
    assert cov.checked > 0.5 * cov.figures and not cov.is_thin()
    assert {"avg_growth", "duplicate", "share"} <= set(cov.by_rule)


THIN = [
    # figures, checked, thin
    (0, 0, True),
    (3, 3, False),     # a short note, all checked
    (3, 2, True),
    (100, 19, True),   # under a fifth
    (100, 20, False),
]


@pytest.mark.parametrize("n, k, thin", THIN)
def test_is_thin(n, k, thin):
    assert checks.Coverage(figures=n, checked=k).is_thin() is thin


def test_too_large_values_are_counted_and_not_computed():
    d = Doc("big-")
    s = d.sentence("外贸进出口总额" + "9" * 400 + "亿元，2022年为164.80亿元。",
                   indicator="外贸进出口总额")
    big = s.fig("9" * 400, "亿元", "level", year=2023)
    s.fig("164.80", "亿元", "level", year=2022)
    assert excluded_reason(big) == "value beyond 10^20 base units: excluded from arithmetic"
    df = checks.run(d.figures)
    assert not (df["verdict"] == "error").any()
    assert big.id not in {i for ids in df["figures"] for i in ids}
    assert coverage(d.figures, df).unchecked["too_large"] == 1


# --------------------------------------------------------------------------- severity

# Seed 003's four inconsistencies and rounding-only gaps: stated vs implied (printed values,
# their rounding intervals, qualifier) -> label.  None: rounding explains the gap.
SEVERITY_CASES = [
    # stated, qualifier, implied interval, unit, label
    ("2.58", None, Interval(1.7026, 1.7052), "%", "major"),        # overstated by half
    ("280", "exceeds", rounding_interval("277.48"), "亿元", "major"),  # 突破280 is false
    ("1", None, rounding_interval("0.2"), "亿美元", "gross"),        # factor 5
    ("153.76", None, rounding_interval("153.9"), "亿元", "minor"),   # a revision
    ("1.70", None, Interval(1.7026, 1.7052), "%", None),           # rounding only
    ("1.7", "about", Interval(1.7026, 1.7052), "%", None),
    ("0.1", None, rounding_interval("0.09062"), "亿美元", None),     # 906.2万美元
    ("7.5", None, Interval(7.52, 7.62), "%", None),
    ("7.3", None, Interval(7.52, 7.62), "%", "minor"),             # a fifth of a point
    ("1.70", None, Interval(-1.71, -1.70), "%", "gross"),          # a fall read as a rise
]


@pytest.mark.parametrize("stated, qualifier, implied, unit, label", SEVERITY_CASES)
def test_severity_table(stated, qualifier, implied, unit, label):
    assert assess(rounding_interval(stated, qualifier), implied, unit=unit) == label


def test_severity_definitions_are_data_in_both_languages():
    assert tuple(SEVERITY_DEFINITIONS) == SEVERITIES == ("minor", "major", "gross")
    for entry in SEVERITY_DEFINITIONS.values():
        assert {"zh", "en", "definition_zh", "definition_en"} <= set(entry)
        assert all(entry[k] for k in entry)


def test_a_changed_conclusion_is_at_least_major():
    assert classify(100.0, 99.5) == "minor"
    assert classify(100.0, 99.5, conclusion_changes=True) == "major"
    assert classify(100.0, 99.5, stated_iv=Interval(99.95, math.inf)) == "major"


# --------------------------------------------------------------------------- failures

def _bad_rule(ctx):
    for f in ctx.figures:
        if f.value == Decimal("9.5"):
            raise RuntimeError("boom")


FAILING = [
    (lambda ctx: [1 / 0], "ZeroDivisionError"),
    (_bad_rule, "RuntimeError: boom"),
]


@pytest.mark.parametrize("fn, message", FAILING)
def test_a_failing_rule_is_an_error_row_naming_the_document(fn, message):
    figs = _county()
    checks.rule("bad")(fn)
    try:
        df = checks.run(figs)
    finally:
        unregister("bad")
    err = df[df["verdict"] == "error"]
    assert err["rule"].tolist() == ["bad"]
    assert message in err.iloc[0]["message_en"] and "cty-" in err.iloc[0]["message_en"]
    assert err.iloc[0]["document"] == "cty-"
    assert (df["verdict"] == "consistent").sum() == 1   # the other rules still ran
    assert checks.flags(df).empty


def test_a_failing_combination_is_an_error_row_for_that_group(monkeypatch):
    from analysis.checks import rules_repeats

    real = rules_repeats._compare

    def compare(ctx, name, a, b, *args, **kw):
        if a.value == Decimal("153.76"):
            raise KeyError("odd figure")
        return real(ctx, name, a, b, *args, **kw)

    monkeypatch.setattr(rules_repeats, "_compare", compare)
    figs = seed_003()
    df = checks.run(figs, rules=["duplicate"])
    # the group with 153.76 fails; the others are still checked (280 vs 277.48 among them)
    err = df[df["verdict"] == "error"]
    assert len(err) == 1 and "KeyError" in err.iloc[0]["message_en"]
    by_id = {f.id: f for f in figs}
    assert {str(by_id[i].value) for i in err.iloc[0]["figures"]} == {"153.76", "153.9"}
    assert (df["verdict"] == "inconsistent").sum() == 2


def test_duplicates_are_not_quadratic():
    d = Doc("many-")
    for i in range(800):
        d.sentence(f"第{i}处：社会消费品零售总额290.5亿元。", indicator="社会消费品零售总额",
                   year=2020).fig("290.5", "亿元", "level")
    df = checks.run(d.figures, rules=["duplicate"])
    assert len(df) == 799 and (df["verdict"] == "consistent").all()
