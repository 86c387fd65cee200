"""Extraction on the sentences users bring: numerals, units, time, status and kind.

Every expected value below was written by reading the sentence (STYLE.md §8),
never copied from the extractor's output.  The sentences are in the style of
statistical bulletins, work reports, completion reviews and plans; none is
copied from the development corpus.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from analysis.documents import from_text
from analysis.figures import extract


def _figs(text):
    return extract(from_text(text, "t"))


def _one(text, printed):
    doc = from_text(text, "t")
    hits = [f for f in extract(doc) if f.printed.startswith(printed)
            and not f.printed[len(printed):len(printed) + 1].isdigit()]
    assert len(hits) == 1, [(f.printed, f.value) for f in extract(doc)]
    return hits[0]


# (sentence, printed number, value, unit as printed, kind) ------------------------------------
VALUES = [
    ("全县粮食播种面积达到46.2千公顷。", "46.2", D("46.2"), "千公顷", "level"),
    ("年末全市发电装机容量1200千瓦。", "1200", D("1200"), "千瓦", "level"),
    ("城区PM2.5年均浓度为32微克/立方米。", "32", D("32"), "微克/立方米", "level"),
    ("水稻单产达到512公斤/亩。", "512", D("512"), "公斤/亩", "level"),
    ("水电和核电发电量分别为1350、2210亿千瓦时。", "1350", D("1350"), "亿千瓦时", "level"),
    ("水电和核电发电量分别为1350、2210亿千瓦时。", "2210", D("2210"), "亿千瓦时", "level"),
    ("全年GDP3015.6亿元，比上年增长6.1%。", "3015.6", D("3015.6"), "亿元", "level"),
    ("外资企业出口占全市出口的三分之一。", "三分之一", D("33.33"), "%", "share"),
    ("高新技术产品占出口七成以上。", "七", D("70"), "成", "share"),
    ("研发投入强度提高到百分之二点八。", "百分之二点八", D("2.8"), "%", "share"),
    ("会同十二个部门联合印发方案。", "十二", D("12"), "个", "count"),
    ("国家发展改革委等九部门联合印发。", "九", D("9"), "部门", "count"),
    ("确定了二十三个重点项目。", "二十三", D("23"), "个", "count"),
    ("该县茶叶出口连续9年位居全省第一。", "9", D("9"), "年", "count"),
    ("全市出栏生猪62.3万头。", "62.3", D("62.3"), "万头", "count"),
    ("居民消费价格总指数为101.2，比上年上涨1.2%。", "101.2", D("101.2"), "", "level"),
    ("城乡居民收入比由2.35缩小至2.28，指数从2020年的80提高到92", "92", D("92"), "", "level"),
]


@pytest.mark.parametrize("text,printed,value,unit,kind", VALUES)
def test_values_units_kinds(text, printed, value, unit, kind):
    f = _one(text, printed)
    assert (f.value, f.unit, f.kind) == (value, unit, kind)


# Multiples in words -------------------------------------------------------------------------
MULTIPLES = [
    ("到2025年，农村网络零售额实现翻倍。", D(2), "times_of", None),
    ("力争用五年时间实现工业投资倍增。", D(2), "times_of", None),
    ("全市外贸总额比2015年翻了一番多。", D(1), "fan", "exceeds"),
    ("到2020年城乡居民收入比2010年翻一番。", D(1), "fan", None),
]


@pytest.mark.parametrize("text,value,form,qualifier", MULTIPLES)
def test_multiples_in_words(text, value, form, qualifier):
    (f,) = [f for f in _figs(text) if f.kind == "multiple"]
    assert (f.value, f.form, f.qualifier) == (value, form, qualifier)


# Never figures, never a crash ---------------------------------------------------------------
NOT_FIGURES = [
    "市商务局关于印发工作要点的通知（椒商务〔2022〕48号）",   # document number
    "发布日期：2023年3月15日",                             # date
    "2022-07-15 10:26:06 来源：市统计局",                  # timestamp
    "一、综合  二、农业  （三）工业",                       # list numbering
    "根据《条例》第三十五条规定",                            # article number
    "咨询电话：0576-88512345",                               # phone number
    "开展9610、1210跨境电商业务试点",                        # customs codes
    "打造百亿元产业集群，培育千万元以上企业",                  # class names with 百/千
    "依托5G和IPv6网络，实施“两个一百年”目标",                 # codes and slogans
    "推动三次产业协调发展，落实二期工程",                     # names with numerals
    "城市PM2.5浓度持续下降",                                 # pollutant name
    "实施为期3个月的专项行动",                                # a duration in months
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(text):
    assert [(f.printed, f.unit) for f in _figs(text)] == []


def test_unparsable_numerals_are_skipped_and_counted():
    doc = from_text("打造百亿元产业集群，千万元以上企业达到12家。", "t")
    figs = extract(doc)
    assert [(f.printed, f.unit) for f in figs] == [("12家", "家")]
    assert [t for _, t, _ in doc.diagnostics["skipped"]] == ["百亿元", "千万元以上"]
    assert doc.info()["skipped"][0]["reason"] == "unparsable numeral"


# Time: the figure's own year, never the comparison base -------------------------------------
YEARS = [
    # (text, printed, year, kind)
    ("2022年，全市规模以上工业增加值比2021年增长6.3%。", "6.3", 2022, "yoy_growth"),
    ("2020年，全市出口额是2015年的1.8倍。", "1.8", 2020, "multiple"),
    ("2023年是攻坚之年。\n全年粮食总产量52.1万吨，比上年增长1.3%。", "52.1", 2023, "level"),
    ("2023年是攻坚之年。\n全年粮食总产量52.1万吨，比上年增长1.3%。", "1.3", 2023, "yoy_growth"),
    ("一、2021年工作回顾\n全年完成固定资产投资236.8亿元。", "236.8", 2021, "level"),
    ("到2025年，数字经济核心产业增加值占GDP比重从2020年的7.8%提高到10%。", "7.8", 2020, "share"),
    ("到2025年，数字经济核心产业增加值占GDP比重从2020年的7.8%提高到10%。", "10", 2025, "share"),
    ("2011～2020年，装机容量从10.62亿千瓦增长到22亿千瓦。", "10.62", 2011, "level"),
    ("2011～2020年，装机容量从10.62亿千瓦增长到22亿千瓦。", "22", 2020, "level"),
]


@pytest.mark.parametrize("text,printed,year,kind", YEARS)
def test_years_and_kinds(text, printed, year, kind):
    f = _one(text, printed)
    assert (f.year, f.kind) == (year, kind)


def test_relative_years_need_a_printed_date():
    dated = "（2022年2月23日）\n去年全区地区生产总值412.6亿元，今年预期增长6%。"
    assert _one(dated, "412.6").year == 2021
    assert _one(dated, "6").year == 2022 and _one(dated, "6").status == "target"
    undated = "去年全区地区生产总值412.6亿元，今年预期增长6%。"
    assert _one(undated, "412.6").year is None
    assert _one(undated, "412.6").status == "actual"


def test_sub_periods_pair_like_with_like():
    text = ("前三季度，全省进出口983.1亿元，同比下降5.8%。第三季度进出口430.3亿元。"
            "1-4月份，规模以上工业增加值增长6.9%。4月份增长7.0%。")
    assert _one(text, "983.1").sub_period == "M01-M09"
    assert _one(text, "430.3").sub_period == "M07-M09"
    assert _one(text, "6.9").sub_period == "M01-M04"
    assert _one(text, "7.0").sub_period == "M04"


# Status and kind from the sentence's own cues and the document's kind -----------------------
BULLETIN = ("2024年全县经济运行稳中有进。\n全年地区生产总值201.2亿元，比上年增长6.5%。"
            "居民消费价格比上年上涨0.4%。三次产业结构为22.8:21.2:56.0。")


def test_bulletin_figures_are_actuals_with_signed_one_year_rates():
    figs = _figs(BULLETIN)
    assert {f.status for f in figs} == {"actual"}
    assert _one(BULLETIN, "6.5").kind == "yoy_growth"
    assert _one(BULLETIN, "0.4").kind == "yoy_growth"
    shares = [f for f in figs if f.form == "structure"]
    assert [(f.value, f.indicator, f.year) for f in shares] == [
        (D("22.8"), "第一产业比重", 2024), (D("21.2"), "第二产业比重", 2024),
        (D("56.0"), "第三产业比重", 2024)]


def test_falls_carry_their_sign():
    assert _one("全市工业用电量同比下降9.4%。", "9.4").value == D("-9.4")
    assert _one("全市工业用电量增长-9.4%。", "9.4").value == D("9.4")   # printed sign kept below
    assert _one("进口额回落2.1个百分点。", "2.1").value == D("-2.1")


def test_work_report_targets_after_an_introducing_colon():
    text = ("（2022年1月20日）\n今年经济社会发展的主要预期目标是：地区生产总值增长6.5%；"
            "一般公共预算收入增长5%；居民消费价格涨幅3%左右。")
    for printed in ("6.5", "5", "3"):
        assert _one(text, printed).status == "target", printed
    assert _one(text, "3").kind == "yoy_growth"


def test_parts_after_qizhong_name_their_total():
    text = ("全年民营经济增加值122.64亿元，比上年增长5.8%。其中，第一产业增加值44.56亿元，"
            "增长2.6%；第二产业增加值29.73亿元。")
    assert _one(text, "44.56").whole == "民营经济增加值"
    assert _one(text, "29.73").whole == "民营经济增加值"
    assert _one(text, "5.8").indicator == "民营经济增加值"


def test_garbled_pinyin_glosses_are_read_through():
    text = "規模以上工業增加值同比增長(zhǎng)7.0%,增速比上月加快1.0個(gè)百分點(diǎn)。"
    assert _one(text, "7.0").kind == "yoy_growth"
    f = _one(text, "1.0")
    assert f.kind == "pp_change" and text[f.start:f.end].startswith("1.0個")


def test_a_given_date_reads_relative_years():
    from analysis.pipeline import analyse

    text = "今年全区地区生产总值预期增长6%，去年完成412.6亿元。"
    undated = analyse(from_text(text, "t"), check=False)
    dated = analyse(from_text(text, "t"), check=False, date="2022-01-20")
    assert [f.year for f in undated.figures] == [None, None]
    assert [(f.year, f.status) for f in dated.figures] == [(2022, "target"), (2021, "actual")]


def test_a_bad_date_parameter_is_one_line_before_the_kernel():
    from analysis import config, runner
    from analysis.exceptions import ParameterError

    with pytest.raises(ParameterError, match="parameter 'date' must be a date YYYY-MM-DD"):
        runner.validate_parameters(config.NOTEBOOKS_DIR / "check_document.ipynb",
                                   {"date": "2022-13-01"})
