"""Issue 3 acceptance: the checks on the real seed documents (skipped without ../shared).

Expectations are written as printed values, read off the seed texts by hand
(see the quotes beside each row), never as figure ids, so they hold whatever
ids the extractor assigns.
"""
from __future__ import annotations

import functools

import pandas as pd
import pytest

from analysis import checks, documents, figures
from analysis.figures.model import Figure
from tests.conftest import seed_path

pytestmark = pytest.mark.seeds


@functools.cache
def _checked(prefix: str) -> tuple[dict[str, Figure], pd.DataFrame]:
    figs = figures.extract(documents.load(seed_path(prefix)))
    return {f.id: f for f in figs}, checks.run(figs)


def checked(prefix: str) -> tuple[dict[str, Figure], pd.DataFrame]:
    seed_path(prefix)  # skip cleanly when the seeds are absent (before the cache)
    return _checked(prefix)


def printed_values(by_id: dict[str, Figure], ids: tuple[str, ...]) -> frozenset[str]:
    return frozenset(format(by_id[i].value, "f").lstrip("-") for i in ids)


def rows(prefix: str, verdict: str) -> list[tuple[str, str, frozenset[str], object]]:
    by_id, df = checked(prefix)
    sub = df[df["verdict"] == verdict]
    return [(r.rule, r.indicator, printed_values(by_id, r.figures), r.severity)
            for r in sub.itertuples()]


# 003 — exactly these inconsistencies (rule, indicator, printed values, severity).
SEED_003_INCONSISTENT = [
    # 由2015年的151.45亿元增长至2020年的164.80亿元，年均增长2.58% (implied 1.70 %)
    ("avg_growth", "外贸进出口总额", frozenset({"2.58", "151.45", "164.80"}), "major"),
    # 外贸进出口总额突破280亿元 vs 表1 进出口额 2025年目标值 277.48
    ("duplicate", "外贸进出口总额", frozenset({"280", "277.48"}), "major"),
    # 中方投资额达到1亿美元 vs 表1 中方投资额(亿美元) 0.2
    ("duplicate", "中方投资额", frozenset({"1", "0.2"}), "gross"),
    # 2020年出口额达到153.76亿元 vs 表1 出口额 2020 153.9
    ("duplicate", "出口额", frozenset({"153.76", "153.9"}), "minor"),
]

# 003 — checked and found consistent.
SEED_003_CONSISTENT = [
    ("avg_growth", "社会消费品零售总额", frozenset({"7", "290.5", "407"})),
    ("avg_growth", "网络零售额", frozenset({"15.62", "73.22", "151.28"})),
    ("avg_growth", "离岸服务外包合同额", frozenset({"1.39", "3815", "4087"})),
    ("avg_growth", "实际利用外资", frozenset({"75.08", "0.1", "1.72"})),
    ("avg_growth", "中方投资额", frozenset({"24.75", "1552.5", "3759.8"})),
    ("sum_of_parts", "外贸进出口总额", frozenset({"164.80", "153.76", "11.04"})),
    ("share", "进口额", frozenset({"38.9", "4.3", "11.04"})),
    ("share", "进口额", frozenset({"23.5", "2.59", "11.04"})),
]


def test_003_inconsistencies_are_exactly_the_known_ones():
    found = sorted(rows("003", "inconsistent"), key=str)
    assert found == sorted(SEED_003_INCONSISTENT, key=str)


@pytest.mark.parametrize("rule, indicator, values, severity", SEED_003_INCONSISTENT)
def test_003_inconsistency_shows_quotes_and_arithmetic(rule, indicator, values, severity):
    by_id, df = checked("003")
    hits = [r for r in df[df["verdict"] == "inconsistent"].itertuples()
            if r.rule == rule and printed_values(by_id, r.figures) == values]
    assert len(hits) == 1
    row = hits[0]
    for v in values:  # every compared number is in a quote and in the arithmetic
        assert any(v in q for q in row.quotes)
        assert v in row.arithmetic
    assert "∉" in row.arithmetic and row.tolerance.startswith("rounding")
    assert row.message_zh and row.message_en
    if rule == "duplicate":  # text vs table: both places quoted
        assert len(row.quotes) == 2


def test_003_avg_growth_arithmetic_names_the_implied_rate():
    _, df = checked("003")
    row = next(r for r in df.itertuples() if r.rule == "avg_growth"
               and r.verdict == "inconsistent")
    assert row.computed == pytest.approx(1.70, abs=0.005)
    assert "1.70 %" in row.arithmetic and "^(1/5)" in row.arithmetic


@pytest.mark.parametrize("rule, indicator, values", SEED_003_CONSISTENT)
def test_003_checked_and_consistent(rule, indicator, values):
    by_id, df = checked("003")
    hits = [r for r in df.itertuples()
            if r.rule == rule and values <= printed_values(by_id, r.figures)]
    assert hits, f"{rule} {sorted(values)} was not checked"
    assert {r.verdict for r in hits} == {"consistent"}


@pytest.mark.parametrize("printed", [
    "10.49",   # 贱金属(10.49亿元，占比50.2%): a share of an earlier year's imports
    "50.2",
    "77.82",   # 年均增速较“十二五”期间提高77.82个百分点: no 十二五 rate to compare with
])
def test_003_ambiguous_bases_are_never_flagged(printed):
    by_id, df = checked("003")
    flagged = checks.flags(df)
    assert not any(printed in printed_values(by_id, r.figures) for r in flagged.itertuples())


def test_003_flags_put_gross_first():
    _, df = checked("003")
    flagged = checks.flags(df)
    assert flagged.iloc[0]["severity"] == "gross"
    assert set(flagged["verdict"]) <= {"inconsistent", "warning"}


def test_004_trade_adds_up_as_sum_and_as_growth():
    # 外贸进出口总额474.4亿元，同比下降0.4%。其中出口454.6亿元，同比下降1.8%，
    # 进口19.8亿元，同比增长48.9%。
    found = rows("004", "consistent")
    assert ("sum_of_parts", "外贸进出口总额",
            frozenset({"474.4", "454.6", "19.8"}), None) in [
        (r, i, v, None) for r, i, v, _ in found]
    growth_rows = [v for r, _, v, _ in found if r == "growth_of_parts"]
    assert frozenset({"474.4", "0.4", "454.6", "1.8", "19.8", "48.9"}) in growth_rows
    assert rows("004", "inconsistent") == []


def _body_annex_pairs(by_id: dict[str, Figure]) -> set[frozenset[str]]:
    """Body figures restated in the annex: same printed statement, year and kind, and one
    printed indicator name containing the other (an independent, simpler criterion)."""
    body = [f for f in by_id.values() if f.source == "text"]
    annex = [f for f in by_id.values() if f.source != "text"]
    out = set()
    for a in body:
        for b in annex:
            names = sorted((a.indicator or "", b.indicator or ""), key=len)
            if ((a.value, a.unit, a.qualifier, a.year, a.kind) == (b.value, b.unit, b.qualifier,
                                                                   b.year, b.kind)
                    and names[0] and names[0] in names[1]):
                out.add(frozenset((a.id, b.id)))
    return out


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_body_and_annex_figures_compared_and_consistent(prefix):
    by_id, df = checked(prefix)
    assert (df["verdict"] == "inconsistent").sum() == 0
    compared = {frozenset(r.figures) for r in df.itertuples() if r.rule == "duplicate"}
    expected = _body_annex_pairs(by_id)
    assert expected, "the annex restates body figures"
    assert expected <= compared
    assert set(df.loc[df["rule"] == "duplicate", "verdict"]) == {"consistent"}


def test_run_document_returns_document_figures_and_checks():
    document, figs, df = checks.run_document(seed_path("003"))
    assert document.text
    assert figs and all(isinstance(f, Figure) for f in figs)
    assert list(df.columns) == list(checks.COLUMNS)
    assert len(df) == len(checks.run(figs))


def test_nbs_series_revisions_are_warnings(shared_data_dir):
    df = pd.read_csv(shared_data_dir / "national_retail_sales_nbs.csv", dtype=str)
    out = checks.run(checks.figures_from_series(df, "社会消费品零售总额", "亿元"))
    assert (out["verdict"] == "inconsistent").sum() == 0
    warned = sorted(out.loc[out["verdict"] == "warning", "year"].tolist())
    # level-over-level growth vs the stated rate, from the CSV itself
    levels = df["retail_sales_100m_yuan"].astype(float).tolist()
    stated = df["stated_yoy_growth_pct"].astype(float).tolist()
    years = df["year"].astype(int).tolist()
    off = [y for y, a, b, g in zip(years[1:], levels, levels[1:], stated[1:])
           if abs((b / a - 1) * 100 - g) > 0.1]
    assert warned == off == [2018, 2020]
    assert (out["verdict"] == "consistent").sum() == len(years) - 1 - len(off)
