"""Figure extraction, as a table of examples (text -> expected figures).

Each example is a sentence in the style of the seeds; expected tuples are
(printed, value, unit, kind, qualifier, year, status).  Lists are named by
origin, after price-parser's habit (STYLE.md §8).
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from analysis.documents import from_text
from analysis.figures import extract, to_frame

D = Decimal

SEED_SENTENCES = [
    ("2020年，全区实现社会消费品零售总额290.5亿元，较“十二五”末(2015年)增长25.4%。",
     [("290.5亿元", D("290.5"), "亿元", "level", None, 2020, "actual"),
      ("25.4%", D("25.4"), "%", "cum_growth", None, 2020, "actual")]),
    ("全年累计完成外贸进出口总额474.4亿元，同比下降0.4%。",
     [("474.4亿元", D("474.4"), "亿元", "level", None, None, "actual"),
      ("0.4%", D("-0.4"), "%", "yoy_growth", None, None, "actual")]),
    ("从2015年的1552.5万美元稳步增长至2019年的3759.8万美元，年均增长24.75%2020年，中方投资额为906.2万美元。",
     [("1552.5万美元", D("1552.5"), "万美元", "level", None, 2015, "actual"),
      ("3759.8万美元", D("3759.8"), "万美元", "level", None, 2019, "actual"),
      ("24.75%", D("24.75"), "%", "avg_growth", None, 2019, "actual"),
      ("906.2万美元", D("906.2"), "万美元", "level", None, 2020, "actual")]),
    ("到2025年，外贸进出口总额突破280亿元。",
     [("280亿元", D("280"), "亿元", "level", "exceeds", 2025, "target")]),
    ("全年实现跨境电商综试区出口59.92亿元，为去年全年总额的19.8倍以上。",
     [("59.92亿元", D("59.92"), "亿元", "level", None, None, "actual"),
      ("19.8倍以上", D("19.8"), "倍", "multiple", "at_least", None, "actual")]),
    ("到2025年，培育 5—10 家农特产品出口龙头企业。",
     [("5—10 家", D("5"), "家", "count", "range", 2025, "target")]),
    ("第二届台州商务嘉年华成交额达1000多万元。",
     [("1000多万元", D("1000"), "万元", "level", "exceeds", None, "actual")]),
    ("到2020年，实现进口贸易总额比2014年翻一番。",
     [("翻一番", D("1"), "番", "multiple", None, 2020, "target")]),
    ("力争完成 69个应急供应网点和 440吨/日应急加工能力。",
     [("69个", D("69"), "个", "count", None, None, "target"),
      ("440吨/日", D("440"), "吨/日", "level", None, None, "target")]),
    ("2020年，全区机电高新出口比重达到71.9%，较2015年提高0.2个百分点。",
     [("71.9%", D("71.9"), "%", "share", None, 2020, "actual"),
      ("0.2个百分点", D("0.2"), "个百分点", "pp_change", None, 2020, "actual")]),
    ("市区两级配套启用三千万元财政资金。",
     [("三千万元", D("3000"), "万元", "level", None, None, "actual")]),
]

NOT_FIGURES = [
    "第二届台州商务嘉年华开幕",          # ordinal
    "上海优化营商环境4.0版",             # version
    "依托5G等信息技术",                  # code
    "成文日期: 2022- 07- 15",            # date
    "巩固提升“潮生夜市”十大标志性夜间经济项目",  # name with a numeral
    "加快构建“1+5+2”工作体系",          # formula-like name
    "推行线上线下同款同价、7天无理由退换货",  # policy term
]


def _rows(text, doc_id="t"):
    figs = extract(from_text(text, doc_id))
    return [(f.printed, f.value, f.unit, f.kind, f.qualifier, f.year, f.status) for f in figs]


@pytest.mark.parametrize("text,expected", SEED_SENTENCES)
def test_seed_sentences(text, expected):
    got = _rows(text)
    # years that come from the document's date or title are not part of these snippets
    assert [(p.replace(" ", ""), v, u, k, q, s) for p, v, u, k, q, _, s in got] == [
        (p.replace(" ", ""), v, u, k, q, s) for p, v, u, k, q, _, s in expected]
    for (_, *_, y_got, _), (_, *_, y_exp, _) in zip(got, expected):
        if y_exp is not None:
            assert y_got == y_exp


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(text):
    assert _rows(text) == []


def test_chinese_numerals_through_cn2an():
    fig = extract(from_text("市区两级配套启用三千万元财政资金。"))[0]
    assert fig.normalized == 3e7


def test_signed_kilo_units_and_normalized():
    fig = extract(from_text("地方储备粮规模达到12.87万吨。"))[0]
    assert fig.scale == D("1E+7") and fig.base_unit == "kg" and fig.normalized == 1.287e8
    area = extract(from_text("完成 5万亩省外粮源种植基地建设。"))[0]
    assert area.base_unit == "m2" and abs(area.normalized - 5e4 * 10000 / 15) < 1e-3


def test_qualifier_words_not_inside_other_words():
    fig = extract(from_text("截至2020年底，已签约226家中小企业。"))[0]
    assert fig.qualifier is None and fig.indicator == "中小企业"


def test_two_year_average_and_span():
    figs = extract(from_text("由2015年的151.45亿元增长至2020年的164.80亿元，年均增长2.58%。"))
    avg = figs[-1]
    assert (avg.kind, avg.base_year, avg.year, avg.span_years) == ("avg_growth", 2015, 2020, 5)
    two = extract(from_text("2021年社会消费品零售总额两年平均增长3.9%。"))[0]
    assert two.kind == "avg_growth"


def test_traditional_script_reads_like_simplified():
    simp = extract(from_text("到2025年，社会消费品零售总额超过407亿元，年均增幅保持在7%左右。"))
    trad = extract(from_text("到2025年，社會消費品零售總額超過407億元，年均增幅保持在7%左右。"))
    key = [(f.value, f.kind, f.qualifier, f.year, f.status, f.indicator_canonical) for f in simp]
    assert key == [(f.value, f.kind, f.qualifier, f.year, f.status, f.indicator_canonical)
                   for f in trad]
    assert trad[0].unit == "億元" and trad[0].scale == simp[0].scale   # unit as printed


def test_frame_has_stable_columns_and_int_years():
    df = to_frame(extract(from_text("2020年，全区实现社会消费品零售总额290.5亿元。")))
    assert list(df.columns[:20]) == [
        "id", "indicator", "indicator_canonical", "indicator_en", "region", "year", "period",
        "value", "unit", "scale", "base_unit", "normalized", "kind", "qualifier", "range",
        "status", "source", "start", "end", "quote"]
    assert str(df["year"].dtype) == "Int64" and df.loc[0, "indicator_en"].startswith("Total retail")
