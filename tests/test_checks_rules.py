"""Rules of issue 9 on real sentences (corpus cases 13, 14, 15, 17 and the issue's examples).

Each rule has a table: consistent, inconsistent and a rounding-trap case (consistent only
because of the rounding intervals of the printed inputs).  Figures are built by hand with
the fields the extractor gives (tests.test_checks.Doc).
"""
from __future__ import annotations

import pytest

from analysis import checks
from analysis.checks.core import sub_period
from tests.test_checks import Doc

# --------------------------------------------------------------------------- period model

SUB_PERIODS = [
    ("今年前三季度,山西省出口565.7亿元", "565.7", (1, 9)),
    ("第三季度山西省进出口430.3亿元", "430.3", (7, 9)),
    ("三季度进出口430.3亿元", "430.3", (7, 9)),
    ("1-4月,社会消费品零售总额12.5万亿元", "12.5", (1, 4)),
    ("1至9月份全市固定资产投资增长6.1%", "6.1", (1, 9)),
    ("4月份,全国规模以上工业增加值同比增长7.0%", "7.0", (4, 4)),
    ("上半年,全区生产总值150.2亿元", "150.2", (1, 6)),
    ("全年地区生产总值295.4亿元", "295.4", None),          # the whole year
    ("2020年全国发电量77790.6亿千瓦时", "77790.6", None),
    ("截至2020年12月末，存款余额500亿元", "500", None),   # a stock at a date, not a period
]


@pytest.mark.parametrize("quote, printed, months", SUB_PERIODS)
def test_sub_period(quote, printed, months):
    """The checks read the months the extractor found (one place for the period model)."""
    from analysis.documents import from_text
    from analysis.figures import extract

    (f,) = [f for f in extract(from_text(quote)) if f.printed.startswith(printed)]
    assert sub_period(f) == months


def _shanxi():
    """Case 13: the first three quarters, then the third quarter alone."""
    d = Doc("sx-")
    s = d.sentence("据太原海关统计,今年前三季度,山西省出口565.7亿元,同比下降2.7%;",
                   sub_period="M01-M09")
    s.fig("565.7", "亿元", "level", indicator="出口额")
    s.fig("2.7", "%", "yoy_growth", sign=-1, indicator="出口额")
    s = d.sentence("进口417.4亿元,同比下降9.8%。")
    s.fig("417.4", "亿元", "level", indicator="进口额")
    s.fig("9.8", "%", "yoy_growth", sign=-1, indicator="进口额")
    s = d.sentence("第三季度山西省进出口430.3亿元,同比下降0.6%,其中出口249.9亿元,同比增长7.7%,"
                   "进口180.4亿元,同比下降10.1%。", sub_period="M07-M09")
    s.fig("430.3", "亿元", "level", indicator="外贸进出口总额")
    s.fig("0.6", "%", "yoy_growth", sign=-1, indicator="外贸进出口总额")
    s.fig("249.9", "亿元", "level", indicator="出口额")
    s.fig("7.7", "%", "yoy_growth", indicator="出口额")
    s.fig("180.4", "亿元", "level", indicator="进口额")
    s.fig("10.1", "%", "yoy_growth", sign=-1, indicator="进口额")
    return d.figures


def test_cumulative_and_single_quarter_are_not_the_same_figure():
    df = checks.run(_shanxi())
    assert not (df["verdict"] == "inconsistent").any()
    assert "duplicate" not in set(df["rule"])
    # the third quarter's parts still add up (430.3 = 249.9 + 180.4) and lie within it
    assert set(df.loc[df["rule"] == "sum_of_parts", "verdict"]) == {"consistent"}


def test_the_same_cumulative_figure_printed_twice_is_compared():
    figs = _shanxi()
    d = Doc("sx-t", text="x" * 400)
    d.sentence("前三季度 出口额(亿元) 556.7", source="table", indicator="出口额",
               sub_period="M01-M09").fig(
        "556.7", "亿元", "level", after=")")
    df = checks.run(figs + d.figures, rules=["duplicate"])
    assert df["verdict"].tolist() == ["inconsistent"]
    assert set(df.iloc[0]["figures"]) == {figs[0].id, d.figures[0].id}   # 565.7 vs 556.7


# --------------------------------------------------------------------------- growth of parts

def _retail(total_growth: str):
    """Case 14 (in simplified script; no year printed, 前三季度 once at the top)."""
    d = Doc("yn-")
    s = d.sentence(f"前三季度,全市实现社会消费品零售总额251.12亿元,同比增长{total_growth}%。",
                   indicator="社会消费品零售总额", sub_period="M01-M09")
    s.fig("251.12", "亿元", "level")
    s.fig(total_growth, "%", "yoy_growth", after="增长")
    s = d.sentence("按消费类型分,商品零售210.05亿元,增长6.1%;", indicator="商品零售额")
    s.fig("210.05", "亿元", "level")
    s.fig("6.1", "%", "yoy_growth")
    s = d.sentence("实现餐饮收入41.07亿元,增长15.8%。", indicator="餐饮收入")
    s.fig("41.07", "亿元", "level")
    s.fig("15.8", "%", "yoy_growth")
    return d.figures


GROWTH_OF_PARTS = [
    ("7.3", "inconsistent", "minor"),   # case 14: 7.52–7.63 % implied
    ("7.6", "consistent", None),
    ("7.5", "consistent", None),        # trap: [7.45, 7.55] meets [7.517, 7.630]
    ("9.6", "inconsistent", "major"),   # two points off
    ("17.6", "inconsistent", "gross"),  # a factor of 2
]


@pytest.mark.parametrize("printed, verdict, severity", GROWTH_OF_PARTS)
def test_growth_of_parts_weighted_by_previous_levels(printed, verdict, severity):
    df = checks.run(_retail(printed), rules=["growth_of_parts"])
    assert df[["verdict", "severity"]].values.tolist() == [[verdict, severity]]
    assert df.iloc[0]["computed"] == pytest.approx(7.57, abs=0.01)
    assert "None" not in df.iloc[0]["message_en"]     # no year printed, none shown


# --------------------------------------------------------------------------- part of a total

def _power(part: str, total: str = "77790.6"):
    """Case 17: 全国发电量 then, in the next sentence, 其中 火电."""
    d = Doc("pw-")
    d.sentence(f"2020年,全国发电量{total}亿千瓦时,同比增长3.7%。", year=2020,
               indicator="发电量", indicator_canonical=None).fig(total, "亿千瓦时", "level")
    d.sentence(f"其中,火电发电量{part}亿千瓦时,同比增长2.1%;", year=2020, indicator="火电发电量",
               indicator_canonical=None).fig(part, "亿千瓦时", "level")
    return d.figures


PARTS = [
    ("253302.5", "inconsistent", "gross"),   # case 17: a stray “2”
    ("53302.5", "consistent", None),
    ("77790.6", "consistent", None),         # all of it
    ("77791", "consistent", None),           # trap: [77790.5, 77791.5] reaches 77790.65
    ("77800", "inconsistent", "major"),      # barely above: impossible all the same
]


@pytest.mark.parametrize("part, verdict, severity", PARTS)
def test_part_introduced_by_qizhong_is_within_its_total(part, verdict, severity):
    df = checks.run(_power(part), rules=["part_of_total"])
    assert df[["verdict", "severity"]].values.tolist() == [[verdict, severity]]


def test_qizhong_in_the_same_sentence_takes_the_level_before_it():
    df = checks.run(_shanxi(), rules=["part_of_total"])
    # 430.3 contains 249.9 and 180.4; 565.7 (前三季度) contains nothing here
    assert len(df) == 2 and set(df["verdict"]) == {"consistent"}
    assert all(len(ids) == 2 for ids in df["figures"])


def test_qizhong_part_in_another_unit_is_not_compared():
    d = Doc("u-")
    s = d.sentence("全市新增市场主体1.2万户,其中企业投资120亿元。", year=2023,
                   indicator_canonical=None)
    s.fig("1.2", "万户", "count", indicator="市场主体")
    s.fig("120", "亿元", "level", indicator="企业投资")
    assert checks.run(d.figures, rules=["part_of_total"]).empty


# --------------------------------------------------------------------------- multiple vs average

def _multiple(times: str, rate: str, name: str = "一般公共预算收入"):
    """Case 15 / issue 9: 是2015年的k倍，年均增长r% over the five years 2016–2020."""
    d = Doc("mv-")
    s = d.sentence(f"“十三五”期间,{name}600亿元左右,是2015年的{times}倍,年均增长{rate}%。",
                   indicator=name, year=2020)
    s.fig(times, "倍", "multiple", after="2015年的", base_year=2015, form="times_of")
    s.fig(rate, "%", "avg_growth", after="年均增长", base_year=2015, span_years=5,
          period="2016-2020")
    return d.figures


MULTIPLES = [
    ("2.0", "18.0", "inconsistent", "major"),   # issue 9: 1.18^5 = 2.29 against [1.95, 2.05]
    ("2.0", "14.9", "consistent", None),       # 1.149^5 = 2.00
    ("1.5", "8.3", "consistent", None),        # case 15, trap: 1.083^5 = 1.49 within [1.45, 1.55]
    ("3.0", "8.3", "inconsistent", "major"),
]


@pytest.mark.parametrize("times, rate, verdict, severity", MULTIPLES)
def test_multiple_against_average_growth_over_the_same_span(times, rate, verdict, severity):
    df = checks.run(_multiple(times, rate), rules=["cumulative"])
    assert df[["verdict", "severity"]].values.tolist() == [[verdict, severity]]


# --------------------------------------------------------------------------- structure ratios

def _panji(gdp_growth: str):
    """Case 10: GDP, the three sectors, then 由上年的9.4:66.8:23.8调整为8.3:71.1:20.6."""
    d = Doc("pj-")
    s = d.sentence(f"初步核算,全年完成地区生产总值295.4亿元,按可比价格计算,比上年增长{gdp_growth}%。",
                   year=2022, indicator="地区生产总值")
    s.fig("295.4", "亿元", "level")
    s.fig(gdp_growth, "%", "yoy_growth", after="增长")
    for name, level, rate, sign in (("第一产业增加值", "24.4", "3.3", 1),
                                    ("第二产业增加值", "210.1", "11.6", 1),
                                    ("第三产业增加值", "60.9", "0.2", -1)):
        s = d.sentence(f"{name}{level}亿元,同比{'增长' if sign > 0 else '下降'}{rate}%;", year=2022,
                       indicator=name, indicator_canonical=None)
        s.fig(level, "亿元", "level")
        s.fig(rate, "%", "yoy_growth", after="同比", sign=sign)
    d.sentence("三次产业结构由上年的9.4:66.8:23.8调整为8.3:71.1:20.6,服务业在全区经济中的比重比上年"
               "下降3.2个百分点。", year=2022, indicator="服务业比重").fig(
        "3.2", "个百分点", "pp_change", after="下降", sign=-1)
    return d.figures


PREVIOUS_STRUCTURE = [
    ("7.7", "inconsistent", "minor"),   # case 10: [7.95, 8.07] implied
    ("8.0", "consistent", None),
    ("8.1", "consistent", None),        # trap: [8.05, 8.15] reaches 8.0697
    ("9.5", "inconsistent", "major"),
]


@pytest.mark.parametrize("printed, verdict, severity", PREVIOUS_STRUCTURE)
def test_previous_year_structure_weighted_by_sector_growth_gives_gdp_growth(
        printed, verdict, severity):
    df = checks.run(_panji(printed), rules=["structure"])
    growth_rows = df[df["message_en"].str.startswith("last year's structure")]
    assert growth_rows[["verdict", "severity"]].values.tolist() == [[verdict, severity]]
    assert growth_rows.iloc[0]["computed"] == pytest.approx(8.01, abs=0.01)
    # this year's structure 8.3:71.1:20.6 agrees with the levels 24.4, 210.1, 60.9
    shares = df[~df.index.isin(growth_rows.index)]
    assert len(shares) == 3 and set(shares["verdict"]) == {"consistent"}


def _pingchang(ratio: str):
    """Case 11: 民营经济 sectors, then 民营经济三次产业结构调整为a:b:c (terms as share figures)."""
    d = Doc("pc-")
    for name, level in (("第一产业增加值", "44.56"), ("第二产业增加值", "29.73"),
                        ("第三产业增加值", "48.35")):
        d.sentence(f"{name}{level}亿元,增长2.6%;", year=2024, indicator=name,
                   indicator_canonical=None).fig(level, "亿元", "level")
    s = d.sentence(f"民营经济三次产业结构调整为{ratio}。", year=2024, indicator="民营经济结构",
                   indicator_canonical=None)
    for term in ratio.split(":"):
        s.fig(term, "%", "share", after="为")
    return d.figures


STRUCTURE_SHARES = [
    ("36.3:24.3:39.4", "inconsistent", "minor"),   # case 11: 29.73/122.64 = 24.24 %
    ("36.3:24.2:39.4", "consistent", None),
    ("36.33:24.24:39.42", "consistent", None),     # trap: 36.33 only with the levels' rounding
    ("36.3:34.3:29.4", "inconsistent", "major"),
]


@pytest.mark.parametrize("ratio, verdict, severity", STRUCTURE_SHARES)
def test_structure_ratio_against_the_sectors_levels(ratio, verdict, severity):
    df = checks.run(_pingchang(ratio), rules=["structure"])
    second = df[df["indicator"] == "第二产业"]
    assert second[["verdict", "severity"]].values.tolist() == [[verdict, severity]]
