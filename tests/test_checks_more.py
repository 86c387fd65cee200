"""Rules of analysis/checks/rules_more.py on real-style sentences read by the real extractor.

Each rule has a table: a consistent case, an inconsistent one and a rounding trap
(consistent only because of the rounding intervals of the printed inputs).  Expected
values are worked out by hand in the comments.
"""
from __future__ import annotations

import pytest

from analysis import checks
from analysis.documents import from_text
from analysis.figures import extract


def _rows(text: str, rule: str) -> list[dict]:
    df = checks.run(extract(from_text(text)), rules=[rule])
    return df.to_dict("records")


def _one(text: str, rule: str, verdict: str, computed: float) -> dict:
    """The one check ``rule`` makes on ``text``, with its verdict and computed value."""
    rows = _rows(text, rule)
    assert len(rows) == 1, [r["arithmetic"] for r in rows]
    assert rows[0]["verdict"] == verdict, rows[0]["arithmetic"]
    assert rows[0]["computed"] == pytest.approx(computed)
    return rows[0]


# --------------------------------------------------------------------------- pull: 拉动 = 贡献率 × g

PULL_TIMES = [
    # 50.0 × 8.0 / 100 = 4.00; interval [49.95 × 7.95, 50.05 × 8.05] / 100 = [3.971, 4.029]
    ("2023年，第三产业对经济增长的贡献率为50.0%，地区生产总值增长8.0%，"
     "第三产业拉动经济增长4.0个百分点。", "consistent", 4.0),
    # 4.4 ∈ [4.35, 4.45] misses [3.971, 4.029]
    ("2023年，第三产业对经济增长的贡献率为50.0%，地区生产总值增长8.0%，"
     "第三产业拉动经济增长4.4个百分点。", "inconsistent", 4.0),
    # trap: 50.7 × 8.0 / 100 = 4.056 would print 4.1, but 50.65 × 7.95 / 100 = 4.0267
    # lies inside 4.0's [3.95, 4.05]
    ("2023年，第三产业对经济增长的贡献率为50.7%，地区生产总值增长8.0%，"
     "第三产业拉动经济增长4.0个百分点。", "consistent", 4.056),
]


@pytest.mark.parametrize("text, verdict, computed", PULL_TIMES)
def test_pull_is_contribution_times_growth(text, verdict, computed):
    row = _one(text, "pull", verdict, computed)
    assert (row["severity"] is not None) == (verdict == "inconsistent")


PULL_SUM = [
    # 0.3 + 3.1 + 2.6 = 6.0; the list after 第一、二、三产业分别 gives the sectors in order
    ("2023年全市地区生产总值增长6.0%。第一、二、三产业分别拉动经济增长0.3、3.1、2.6个百分点。",
     "consistent", 6.0),
    # 0.3 + 3.1 + 2.3 = 5.7, interval [5.55, 5.85] misses 6.0's [5.95, 6.05]
    ("2023年全市地区生产总值增长6.0%。第一、二、三产业分别拉动经济增长0.3、3.1、2.3个百分点。",
     "inconsistent", 5.7),
    # trap: 0.3 + 3.1 + 2.5 = 5.9, but each ±0.05 gives [5.75, 6.05], which meets [5.95, 6.05]
    ("2023年全市地区生产总值增长6.0%。第一产业拉动经济增长0.3个百分点，"
     "第二产业拉动经济增长3.1个百分点，第三产业拉动经济增长2.5个百分点。", "consistent", 5.9),
]


@pytest.mark.parametrize("text, verdict, computed", PULL_SUM)
def test_sector_pulls_add_up_to_growth(text, verdict, computed):
    assert _one(text, "pull", verdict, computed)["stated"] == pytest.approx(6.0)


def test_pull_lists_pair_in_order_and_sum():
    """Three 贡献率 and three 拉动 of one sentence pair in order (5.0 × 6.0 = 0.30,
    51.7 × 6.0 = 3.10, 43.3 × 6.0 = 2.60), the pulls add up to 6.0 and the
    contributions to 100 (5.0 + 51.7 + 43.3)."""
    rows = _rows("第一、二、三产业对经济增长的贡献率分别为5.0%、51.7%、43.3%，"
                 "分别拉动经济增长0.3、3.1、2.6个百分点。全年地区生产总值增长6.0%。", "pull")
    assert [r["verdict"] for r in rows] == ["consistent"] * 5
    assert [round(r["computed"], 2) for r in rows] == [0.30, 3.10, 2.60, 6.0, 100.0]


CONTRIBUTION_SUM = [
    # corpus 11 (Pingchang 2024): 6.3 + 32.8 + 60.9 = 100.0
    ("三次产业对经济增长的贡献率分别为6.3%、32.8%和60.9%。", "consistent", 100.0),
    # 6.3 + 32.8 + 61.9 = 101.0, interval [100.85, 101.15] does not hold 100
    ("三次产业对经济增长的贡献率分别为6.3%、32.8%和61.9%。", "inconsistent", 101.0),
    # trap: 6.3 + 32.8 + 61.0 = 100.1, but each ±0.05 gives [99.95, 100.25], which holds 100
    ("第一产业对经济增长的贡献率为6.3%，第二产业对经济增长的贡献率为32.8%，"
     "第三产业对经济增长的贡献率为61.0%。", "consistent", 100.1),
]


@pytest.mark.parametrize("text, verdict, computed", CONTRIBUTION_SUM)
def test_sector_contributions_add_up_to_100(text, verdict, computed):
    assert _one(text, "pull", verdict, computed)["stated"] == 100.0


@pytest.mark.parametrize("text", [
    # two GDP rates (region and country): which total is meant is ambiguous
    "2023年全市地区生产总值增长6.0%，全国国内生产总值增长5.2%。"
    "第一、二、三产业分别拉动经济增长0.3、3.1、2.3个百分点。",
    # a sector missing: nothing to add up
    "2023年全市地区生产总值增长6.0%。第二产业拉动经济增长3.1个百分点。",
    # a pull of industry's growth, not the economy's
    "2023年，工业对经济增长的贡献率为50.0%，地区生产总值增长8.0%，"
    "其中高技术制造业拉动工业增长4.4个百分点。",
])
def test_pull_skips_ambiguous_pairings(text):
    assert _rows(text, "pull") == []


# --------------------------------------------------------------------------- increment

INCREMENT = [
    # 2.1 / (52.1 − 2.1) = 2.1 / 50.0 = 4.20 %
    ("全年粮食产量52.1万吨，比上年增加2.1万吨，增长4.2%。", "consistent", 4.2),
    # a decrease: −2.1 / (52.1 + 2.1) = −3.875 %
    ("全年粮食产量52.1万吨，比上年减少2.1万吨，下降3.9%。", "consistent", -2.1 / 54.2 * 100),
    # a unit slip (万吨 for 千吨 -> ×10): 21 / (52.1 − 21) = 67.5 %, not 4.2 %
    ("全年粮食产量52.1万吨，比上年增加21万吨，增长4.2%。", "inconsistent", 21 / 31.1 * 100),
    # trap: 2.1 / 50.0 = 4.20 would not print 4.3, but 2.15 / (52.05 − 2.15) = 4.309 does
    ("全年粮食产量52.1万吨，比上年增加2.1万吨，增长4.3%。", "consistent", 4.2),
]


@pytest.mark.parametrize("text, verdict, computed", INCREMENT)
def test_increment_against_level_and_rate(text, verdict, computed):
    _one(text, "increment", verdict, computed)


def test_increment_needs_the_rate_after_it():
    assert _rows("全年粮食产量52.1万吨，比上年增加2.1万吨。", "increment") == []


# --------------------------------------------------------------------------- share_rounding

SECTORS = "第一产业增加值29.73亿元，第二产业增加值75.10亿元，第三产业增加值17.81亿元，"
SHARE_ROUNDING = [
    # 29.73 / 122.64 = 24.242 %, interval [29.725 / 122.645, 29.735 / 122.635] = [24.237, 24.247]
    (SECTORS + "地区生产总值122.64亿元，第一产业增加值占地区生产总值的比重为24.2%。",
     "consistent", 29.73 / 122.64 * 100),
    # 24.3's [24.25, 24.35] misses [24.237, 24.247]
    (SECTORS + "地区生产总值122.64亿元，第一产业增加值占地区生产总值的比重为24.3%。",
     "inconsistent", 29.73 / 122.64 * 100),
    # trap: 29.8 / 122.8 = 24.267 % would print 24.3, but 29.75 / 122.85 = 24.216 % lies in
    # 24.2's [24.15, 24.25]
    ("全年实现地区生产总值122.8亿元，第一产业增加值29.8亿元，"
     "第一产业增加值占地区生产总值的比重为24.2%。", "consistent", 29.8 / 122.8 * 100),
]


@pytest.mark.parametrize("text, verdict, computed", SHARE_ROUNDING)
def test_share_rounds_from_part_and_whole(text, verdict, computed):
    _one(text, "share_rounding", verdict, computed)


def test_share_after_its_part_is_left_to_the_share_rule():
    """4.3亿元，占38.9% with the whole in another sentence: the ``share`` rule's case."""
    text = "全年进口额11.04亿元。其中，机电产品进口4.3亿元，占进口额的比重为38.9%。"
    assert _rows(text, "share_rounding") == []


# --------------------------------------------------------------------------- target_share

TARGET = "全年完成固定资产投资{actual}亿元，年度目标为110亿元，完成年度目标的{share}%。"
TARGET_SHARE = [
    # 120.5 / 110 = 109.545 %, interval [120.45 / 110.5, 120.55 / 109.5] = [109.005, 110.091]
    ("120.5", "109.5", "consistent", None),
    # 119.5's [119.45, 119.55] misses [109.005, 110.091]
    ("120.5", "119.5", "inconsistent", "minor"),
    # below target: 98.5 / 110 = 89.55 %, printed as above target: the conclusion changes
    ("98.5", "109.5", "inconsistent", "major"),
    # trap: 109.545 would print 109.5, but 110 stands for [109.5, 110.5]: 109.9 is reachable
    ("120.5", "109.9", "consistent", None),
]


@pytest.mark.parametrize("actual, share, verdict, severity", TARGET_SHARE)
def test_target_attainment(actual, share, verdict, severity):
    row = _one(TARGET.format(actual=actual, share=share), "target_share", verdict,
               float(actual) / 110 * 100)
    assert row["severity"] == severity


def test_target_attainment_needs_the_target_printed():
    assert _rows("招商引资到位资金85.3亿元，占年度目标的85.3%。", "target_share") == []


# --------------------------------------------------------------------------- structure_sum

STRUCTURE_SUMS = [
    # (sentence, verdict): the parts' rounding box must reach 100
    ("2024年全县三次产业结构为22.8:21.2:56.0。", "consistent"),     # 100.0 exactly
    ("2024年全县三次产业结构为22.8:21.2:57.0。", "inconsistent"),   # 101.0: box [100.85, 101.15]
    # trap: 33.3 + 33.3 + 33.3 = 99.9, but each ±0.05 gives [99.75, 100.05], which holds 100
    ("2024年全县三次产业结构为33.3:33.3:33.3。", "consistent"),
]


@pytest.mark.parametrize("text, verdict", STRUCTURE_SUMS)
def test_structure_ratio_adds_up_to_100(text, verdict):
    df = checks.run(extract(from_text(text)), rules=["structure_sum"])
    assert df["verdict"].tolist() == [verdict]


# --------------------------------------------------------------------------- prose_parts

PROSE = ("2023年末，全市存款余额1200亿元，由住户存款和企业存款两部分构成。"
         "其中，住户存款800亿元，企业存款{}亿元。")
PROSE_PARTS = [
    ("400", "consistent"),       # 800 + 400 = 1200
    ("300", "inconsistent"),     # 800 + 300 = 1100, not 1200
    # trap: 800 + 399.6 = 1199.6; with 1200 = [1199.5, 1200.5] and 800 = [799.5, 800.5],
    # 399.6 = [399.55, 399.65], the sum [1199.05, 1200.15] still reaches 1200
    ("399.6", "consistent"),
]


@pytest.mark.parametrize("part, verdict", PROSE_PARTS)
def test_parts_named_in_prose_add_up_to_their_total(part, verdict):
    df = checks.run(extract(from_text(PROSE.format(part))), rules=["prose_parts"])
    assert df["verdict"].tolist() == [verdict]
    assert "亿元" in df.iloc[0]["arithmetic"] and "e+" not in df.iloc[0]["arithmetic"]


def test_parts_in_prose_that_are_not_printed_are_not_checked():
    text = "2023年末，全市存款余额1200亿元，由住户存款和企业存款两部分构成。"
    assert checks.run(extract(from_text(text)), rules=["prose_parts"]).empty
