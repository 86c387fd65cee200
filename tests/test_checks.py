"""The checks engine on hand-made figures that mirror the seed sentences.

The sentences are copied from the seeds (003, 004, 000) or written in their
style; each figure is given the fields the extractor gives (value as printed,
unit, kind, year, qualifier, status, source), with real character offsets.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
import pytest

from analysis import checks
from analysis.checks.core import Finding, printed_interval, unregister
from analysis.checks.relations import load_relations, parse_relations
from analysis.checks.series import parse_unit
from analysis.exceptions import CheckError, LexiconError
from analysis.figures.model import Figure
from analysis.lexicons import load_data

RELATIVE_UNITS = {"%": "%", "％": "%", "个百分点": "pp", "倍": "x", "番": "x"}


@dataclass
class Doc:
    """Sentences laid end to end, as in a document; figures get real offsets."""

    name: str = "hand"
    text: str = ""
    figures: list[Figure] = field(default_factory=list)

    def sentence(self, quote: str, source: str = "text", **common) -> Sentence:
        start = len(self.text)
        self.text += quote
        return Sentence(self, quote, start, source, common)


@dataclass
class Sentence:
    doc: Doc
    quote: str
    start: int
    source: str
    common: dict

    def fig(self, printed: str, unit: str, kind: str, *, after: str = "", sign: int = 1,
            **fields) -> Figure:
        """The figure printed as ``printed`` (the number) in this sentence, after ``after``."""
        at = self.quote.index(after) + len(after) if after else 0
        rel = self.quote.index(printed, at)
        # like the extractor, the span covers the unit when it is printed right after
        width = len(printed) + (len(unit) if self.quote.startswith(unit, rel + len(printed))
                                else 0)
        if unit in RELATIVE_UNITS:
            scale, base = Decimal(1), RELATIVE_UNITS[unit]
        else:
            scale, base = parse_unit(unit)
        fields = {**self.common, **fields}
        if "indicator" in fields and "indicator_canonical" not in fields:
            fields["indicator_canonical"] = fields["indicator"]
        f = Figure(
            id=f"{self.doc.name}{len(self.doc.figures) + 1:03d}",
            value=Decimal(printed) * sign, unit=unit, kind=kind,
            start=self.start + rel, end=self.start + rel + width, quote=self.quote,
            scale=scale, base_unit=base, source=self.source,
            printed=self.quote[rel:rel + width],
            quote_start=self.start, quote_end=self.start + len(self.quote),
            document=self.doc.name, **fields)
        self.doc.figures.append(f)
        return f


def by_rule(df: pd.DataFrame, rule: str) -> pd.DataFrame:
    return df[df["rule"] == rule]


def values(figs: list[Figure], ids) -> frozenset[str]:
    by_id = {f.id: f for f in figs}
    return frozenset(format(by_id[i].value, "f").lstrip("-") for i in ids)


# --------------------------------------------------------------------------- seed 003, by hand

def seed_003() -> list[Figure]:
    """The figures of seed 003 that the checks read, as the extractor gives them."""
    d = Doc("s003-")
    s = d.sentence("2020年,全区实现社会消费品零售总额290.5亿元,较“十二五”末(2015年)增长25.4%,"
                   "数年来消费市场体量排名均保持在全市前列。", indicator="社会消费品零售总额")
    s.fig("290.5", "亿元", "level", year=2020)
    s.fig("25.4", "%", "cum_growth", year=2020, base_year=2015)
    s = d.sentence("“十三五”期间,全区网络零售额年均增速达15.62%,网络零售总额从2015年的73.22亿元"
                   "增加到2020年的151.28亿元,位居全市第三。", indicator="网络零售额")
    s.fig("15.62", "%", "avg_growth", year=2020, base_year=2015, span_years=5,
          period="2015-2020")
    s.fig("73.22", "亿元", "level", year=2015)
    s.fig("151.28", "亿元", "level", year=2020)
    s = d.sentence("“十三五”期间,椒江区外贸进出口总额累计达到888.22亿元,由2015年的151.45亿元增长"
                   "至2020年的164.80亿元,年均增长2.58%。", indicator="外贸进出口总额")
    s.fig("888.22", "亿元", "level", period="2016-2020")
    s.fig("151.45", "亿元", "level", year=2015)
    s.fig("164.80", "亿元", "level", year=2020)
    s.fig("2.58", "%", "avg_growth", year=2020, base_year=2015, span_years=5,
          period="2015-2020")
    s = d.sentence("其中,2020年出口额达到153.76亿元,年均增长3.57%,进口额达到11.04亿元。")
    s.fig("153.76", "亿元", "level", year=2020, indicator="出口额")
    s.fig("3.57", "%", "avg_growth", year=2020, base_year=2015, span_years=5,
          period="2015-2020", indicator="出口额")
    s.fig("11.04", "亿元", "level", year=2020, indicator="进口额")
    s = d.sentence("“十三五”期间,主要进口产品由贱金属(10.49亿元,占比50.2%)转变成光电产品"
                   "(4.3亿元,占比38.9%)、医化产品(2.59亿元,占比23.5%)等高附加值产品。",
                   period="2016-2020")
    for name, level, pct in (("贱金属", "10.49", "50.2"), ("光电产品", "4.3", "38.9"),
                             ("医化产品", "2.59", "23.5")):
        s.fig(level, "亿元", "level", indicator=name, indicator_canonical=None)
        s.fig(pct, "%", "share", after=level, indicator=name, indicator_canonical=None)
    s = d.sentence("“十三五”期间,累计完成离岸服务外包合同额达24653万美元,较“十二五”期间增长59.2%,"
                   "由2015年的3815万美元增长至2020年的4087万美元,年均增长1.39%,离岸服务外包合同额"
                   "连续五年位居全市首位。", indicator="离岸服务外包合同额")
    s.fig("24653", "万美元", "level", period="2016-2020")
    s.fig("59.2", "%", "cum_growth", period="2016-2020")
    s.fig("3815", "万美元", "level", year=2015)
    s.fig("4087", "万美元", "level", year=2020)
    s.fig("1.39", "%", "avg_growth", year=2020, base_year=2015, span_years=5)
    s = d.sentence("“十三五”期间,全区累计实际利用外资4.47亿美元,较“十二五”期间增长320.02%,由2015年"
                   "的0.1亿美元增长至2020年的1.72亿美元,年均增长75.08%,年均增速较“十二五”期间提高"
                   "77.82个百分点,实际利用外资额连续五年位居全市第一。", indicator="实际利用外资")
    s.fig("4.47", "亿美元", "level", period="2016-2020")
    s.fig("0.1", "亿美元", "level", year=2015)
    s.fig("1.72", "亿美元", "level", year=2020)
    s.fig("75.08", "%", "avg_growth", year=2020, base_year=2015, span_years=5)
    s.fig("77.82", "个百分点", "pp_change", year=2020, indicator="年均增速",
          indicator_canonical=None)
    s = d.sentence("从2015年的1552.5万美元稳步增长至2019年的3759.8万美元,年均增长24.75%2020年,"
                   "中方投资额为906.2万美元。", indicator="中方投资额")
    s.fig("1552.5", "万美元", "level", year=2015)
    s.fig("3759.8", "万美元", "level", year=2019)
    s.fig("24.75", "%", "avg_growth", year=2019, base_year=2015, span_years=4,
          period="2015-2019")
    s.fig("906.2", "万美元", "level", year=2020)
    s = d.sentence("到2025年,全区社会消费品零售总额超过407亿元,在台州市排名前列,年均增幅保持在7%左右。",
                   indicator="社会消费品零售总额", status="target", year=2025)
    s.fig("407", "亿元", "level", qualifier="exceeds")
    s.fig("7", "%", "avg_growth", qualifier="about", base_year=2020, span_years=5,
          period="2020-2025")
    d.sentence("到2025年,网络零售额达到235亿元,在台州市排名前列。").fig(
        "235", "亿元", "level", year=2025, status="target", indicator="网络零售额")
    d.sentence("到2025年,外贸进出口总额突破280亿元(占全国比重保持在1以上),外贸进出口更趋平衡。").fig(
        "280", "亿元", "level", year=2025, status="target", qualifier="exceeds",
        indicator="外贸进出口总额")
    d.sentence("到2025年,中方投资额达到1亿美元,重点支持优势行业建立境外生产加工基地。").fig(
        "1", "亿美元", "level", after="达到", year=2025, status="target", indicator="中方投资额")
    for row, unit, name, base, target in (
            ("社会消费品零售总额(亿元)  290.5  407", "亿元", "社会消费品零售总额", "290.5", "407"),
            ("网络零售额(亿元)  151.28  235", "亿元", "网络零售额", "151.28", "235"),
            ("进出口额(亿元)  164.8  277.48", "亿元", "外贸进出口总额", "164.8", "277.48"),
            ("出口额(亿元)  153.9  258.89", "亿元", "出口额", "153.9", "258.89"),
            ("中方投资额(亿美元)  0.1  0.2", "亿美元", "中方投资额", "0.1", "0.2")):
        s = d.sentence(row, source="table", indicator=name)
        s.fig(base, unit, "level", after=")", year=2020)
        s.fig(target, unit, "level", after=base + " ", year=2025, status="target")
    return d.figures


SEED_003_INCONSISTENT = {
    ("avg_growth", frozenset({"2.58", "151.45", "164.80"}), "major"),
    ("duplicate", frozenset({"280", "277.48"}), "major"),
    ("duplicate", frozenset({"1", "0.2"}), "gross"),
    ("duplicate", frozenset({"153.76", "153.9"}), "minor"),
}

SEED_003_CONSISTENT = [
    ("avg_growth", {"7", "290.5", "407"}),
    ("avg_growth", {"15.62", "73.22", "151.28"}),
    ("avg_growth", {"1.39", "3815", "4087"}),
    ("avg_growth", {"75.08", "0.1", "1.72"}),          # only with the rounding of 0.1
    ("avg_growth", {"24.75", "1552.5", "3759.8"}),     # a four-year span
    ("sum_of_parts", {"164.80", "153.76", "11.04"}),
    ("share", {"38.9", "4.3", "11.04"}),
    ("share", {"23.5", "2.59", "11.04"}),
    ("duplicate", {"906.2", "0.1"}),                   # 906.2万美元 rounds to 0.1亿美元
    ("duplicate", {"407"}),                            # 超过407亿元 vs 407
    ("duplicate", {"164.80", "164.8"}),
]


@pytest.fixture(scope="module")
def run_003() -> tuple[list[Figure], pd.DataFrame]:
    figs = seed_003()
    return figs, checks.run(figs)


def test_003_by_hand_inconsistencies_are_exactly_the_known_ones(run_003):
    figs, df = run_003
    bad = df[df["verdict"] == "inconsistent"]
    assert {(r.rule, values(figs, r.figures), r.severity) for r in bad.itertuples()} \
        == SEED_003_INCONSISTENT


@pytest.mark.parametrize("rule, printed", SEED_003_CONSISTENT)
def test_003_by_hand_consistent(run_003, rule, printed):
    figs, df = run_003
    hits = [r for r in by_rule(df, rule).itertuples() if values(figs, r.figures) == printed]
    assert [r.verdict for r in hits] == ["consistent"]


def test_003_by_hand_arithmetic(run_003):
    _, df = run_003
    row = by_rule(df, "avg_growth").query("verdict == 'inconsistent'").iloc[0]
    assert row["arithmetic"].startswith("(164.80 / 151.45)^(1/5) − 1 = 1.70 %; stated 2.58%")
    assert "∉" in row["arithmetic"]
    assert row["tolerance"] == ("rounding of printed values: 151.45 ±0.005; 164.80 ±0.005; "
                                "2.58 ±0.005")
    assert row["computed"] == pytest.approx(1.7039, abs=1e-4)
    assert row["stated"] == 2.58 and row["unit"] == "%"


NO_BASE = [
    ("10.49", None),         # 贱金属(10.49亿元，占比50.2%): an earlier year's imports
    ("50.2", None),
    ("77.82", None),         # 年均增速较“十二五”期间提高77.82个百分点: no 十二五 rate
    ("888.22", None),        # 累计达到888.22亿元: a five-year sum, not a level
    ("3.57", "avg_growth"),  # 出口额 年均增长3.57%: no 2015 export level printed
]


@pytest.mark.parametrize("printed, rule", NO_BASE)
def test_003_by_hand_skips_what_has_no_comparable_base(run_003, printed, rule):
    figs, df = run_003
    rows = df if rule is None else by_rule(df, rule)
    assert not any(printed in values(figs, r.figures) for r in rows.itertuples())


def test_003_by_hand_history_warns_on_trade_target(run_003):
    # 164.80 (2020) -> 突破280 (2025) needs 11.2 % a year after 2.58 % in 2015–2020
    figs, df = run_003
    warned = {values(figs, r.figures) for r in by_rule(df, "history").itertuples()
              if r.verdict == "warning"}
    assert frozenset({"280", "164.80", "2.58"}) in warned
    calm = {values(figs, r.figures) for r in by_rule(df, "history").itertuples()
            if r.verdict == "consistent"}
    assert frozenset({"407", "290.5", "25.4"}) in calm   # 6.98 % after 4.63 % a year


# --------------------------------------------------------------------------- rule tables

def _trade_2022(total_g="0.4", export="454.6", total="474.4"):
    """Seed 004: 外贸进出口总额474.4亿元，同比下降0.4%。其中出口454.6亿元 … 进口19.8亿元 …"""
    d = Doc("s004-")
    s = d.sentence(f"全年累计完成外贸进出口总额{total}亿元，同比下降{total_g}%。", year=2022,
                   indicator="外贸进出口总额")
    s.fig(total, "亿元", "level")
    s.fig(total_g, "%", "yoy_growth", after="下降", sign=-1)
    s = d.sentence(f"其中出口{export}亿元，同比下降1.8%，进口19.8亿元，同比增长48.9%。", year=2022)
    s.fig(export, "亿元", "level", indicator="出口额")
    s.fig("1.8", "%", "yoy_growth", sign=-1, indicator="出口额")
    s.fig("19.8", "亿元", "level", indicator="进口额")
    s.fig("48.9", "%", "yoy_growth", indicator="进口额")
    return d.figures


GROWTH_OF_PARTS = [
    # (total growth printed, verdict, severity)
    ("0.4", "consistent", None),      # seed 004: −0.38 % implied
    ("4", "inconsistent", "gross"),   # a slip of the decimal point: −4 % vs −0.38 %
    ("0.6", "inconsistent", "minor"),
]


@pytest.mark.parametrize("printed, verdict, severity", GROWTH_OF_PARTS)
def test_growth_of_parts(printed, verdict, severity):
    df = checks.run(_trade_2022(total_g=printed), rules=["growth_of_parts"])
    assert df[["verdict", "severity"]].values.tolist() == [[verdict, severity]]
    assert df.iloc[0]["computed"] == pytest.approx(-0.384, abs=1e-3)


SUMS = [
    ("474.4", "454.6", "consistent", None),
    ("474.4", "444.6", "inconsistent", "minor"),   # 10亿 off
    ("474.4", "4546", "inconsistent", "gross"),
]


@pytest.mark.parametrize("total, export, verdict, severity", SUMS)
def test_sum_of_parts(total, export, verdict, severity):
    df = checks.run(_trade_2022(total=total, export=export), rules=["sum_of_parts"])
    assert df[["verdict", "severity"]].values.tolist() == [[verdict, severity]]


def test_sum_of_parts_does_not_mix_table_exports_with_text_imports():
    # 表1 出口额 153.9 + text 进口额 11.04 = 164.94 ≠ 164.8: a combination nobody printed
    df = by_rule(checks.run(seed_003()), "sum_of_parts")
    assert len(df) == 1 and df.iloc[0]["verdict"] == "consistent"


def _avg(base, end, rate, years=5, qualifier=None, quote_extra=""):
    d = Doc("avg-")
    s = d.sentence(f"由{2020 - years}年的{base}亿元增长至2020年的{end}亿元，年均增长{rate}%"
                   f"{quote_extra}。", indicator="外贸进出口总额")
    s.fig(base, "亿元", "level", year=2020 - years)
    s.fig(end, "亿元", "level", after="至", year=2020)
    s.fig(rate, "%", "avg_growth", after="年均", year=2020, base_year=2020 - years,
          span_years=years, qualifier=qualifier)
    return d.figures


AVG_GROWTH = [
    # base, end, stated, years, qualifier, extra words, verdict, severity
    ("151.45", "164.80", "2.58", 5, None, "", "inconsistent", "major"),   # seed 003
    ("151.45", "164.80", "1.70", 5, None, "", "consistent", None),
    ("151.45", "164.80", "1.7", 5, "about", "", "consistent", None),
    ("164.80", "151.45", "1.70", 5, None, "", "inconsistent", "gross"),   # sign flip
    ("0.1", "1.72", "75.08", 5, None, "", "consistent", None),            # rounding of 0.1
    ("1552.5", "3759.8", "24.75", 4, None, "", "consistent", None),       # four years
    ("1552.5", "3759.8", "24.75", 5, None, "", "inconsistent", "major"),  # wrong span
    ("151.45", "164.80", "2.58", 5, None, "（按可比价格计算）", "consistent_if_real_growth",
     None),
    ("151.45", "164.80", "2.58", 5, None, "（现价，名义增长）", "inconsistent", "major"),
]


@pytest.mark.parametrize("base, end, rate, years, qualifier, extra, verdict, severity",
                         AVG_GROWTH)
def test_avg_growth(base, end, rate, years, qualifier, extra, verdict, severity):
    df = checks.run(_avg(base, end, rate, years, qualifier, extra), rules=["avg_growth"])
    assert df[["verdict", "severity"]].values.tolist() == [[verdict, severity]]
    implied = ((float(end) / float(base)) ** (1 / years) - 1) * 100
    assert df.iloc[0]["computed"] == pytest.approx(implied)


def _twice(first: tuple, second: tuple, indicator="中方投资额", canonical=True):
    """The same quantity in the text and in a table: (printed, unit, qualifier) each."""
    d = Doc("dup-")
    common: dict = {"year": 2025, "status": "target", "indicator": indicator}
    if not canonical:
        common["indicator_canonical"] = None
    (p1, u1, q1), (p2, u2, q2) = first, second
    d.sentence(f"到2025年，{indicator}达到{p1}{u1}。", **common).fig(p1, u1, "level",
                                                                after="达到", qualifier=q1)
    d.sentence(f"{indicator}  {p2}", source="table", **common).fig(
        p2, u2, "level", after="  ", qualifier=q2)
    return d.figures


DUPLICATES = [
    # text, table, rule, verdict, severity
    (("280", "亿元", "exceeds"), ("277.48", "亿元", None), "duplicate", "inconsistent", "major"),
    (("1", "亿美元", None), ("0.2", "亿美元", None), "duplicate", "inconsistent", "gross"),
    (("153.76", "亿元", None), ("153.9", "亿元", None), "duplicate", "inconsistent", "minor"),
    (("906.2", "万美元", None), ("0.1", "亿美元", None), "duplicate", "consistent", None),
    (("407", "亿元", "exceeds"), ("407", "亿元", None), "duplicate", "consistent", None),
    (("10", "家", "at_least"), ("10", "家", None), "duplicate", "consistent", None),
    (("20", "家", "exceeds"), ("20", "家", None), "duplicate", "consistent", None),
    (("1200", "公顷", None), ("1.8", "万亩", None), "duplicate", "consistent", None),
    (("153.76", "亿元", None), ("153.76", "万元", None), "unit_scale", "inconsistent", "gross"),
    (("1200", "公顷", None), ("1200", "亩", None), "unit_scale", "inconsistent", "gross"),
    (("12.87", "万吨", None), ("25.74", "万斤", None), "unit_scale", "inconsistent", "gross"),
]


@pytest.mark.parametrize("text, table, rule, verdict, severity", DUPLICATES)
def test_duplicates_and_unit_slips(text, table, rule, verdict, severity):
    df = checks.run(_twice(text, table), rules=["duplicate", "unit_scale"])
    assert df[["rule", "verdict", "severity"]].values.tolist() == [[rule, verdict, severity]]
    row = df.iloc[0]
    assert len(row["quotes"]) == 2 and row["figures"][0].startswith("dup-")


def test_unit_slip_names_the_factor():
    df = checks.run(_twice(("153.76", "亿元", None), ("153.76", "万元", None)))
    assert "10^4" in df.iloc[0]["message_en"]


def test_conflict_between_unknown_indicators_is_not_called_inconsistent():
    # names the lexicon does not know may be different things: compare, never flag
    df = checks.run(_twice(("5", "个", None), ("1", "个", None), indicator="现代商贸特色镇",
                           canonical=False))
    assert df.empty


def test_ambiguous_repeats_pair_only_identical_statements():
    # 000: 培育市级现代商贸特色镇5个…；争创省级现代商贸特色镇1个 — in body and annex
    d = Doc("000-")
    for source in ("text", "table"):
        s = d.sentence("培育现代商贸特色镇 5个；争创现代商贸特色镇 1个", source=source, year=2022,
                       status="target", indicator="现代商贸特色镇", indicator_canonical=None)
        s.fig("5", "个", "count")
        s.fig("1", "个", "count")
    df = checks.run(d.figures, rules=["duplicate"])
    assert sorted(sorted(values(d.figures, r.figures)) for r in df.itertuples()) == [
        ["1"], ["5"]]
    assert set(df["verdict"]) == {"consistent"}


EQUIVALENTS = [
    ("建成高标准农田1200公顷(1.8万亩)。", "1200", "公顷", "1.8", "万亩", "consistent", None),
    ("建成高标准农田1200公顷(18万亩)。", "1200", "公顷", "18", "万亩", "inconsistent", "gross"),
    ("储备粮12.87万吨（约2.574亿斤）。", "12.87", "万吨", "2.574", "亿斤", "consistent", None),
    ("交易额1.5亿元（15000万元）。", "1.5", "亿元", "15000", "万元", "consistent", None),
    ("交易额1.5亿元（1500万元）。", "1.5", "亿元", "1500", "万元", "inconsistent", "gross"),
]


@pytest.mark.parametrize("quote, p1, u1, p2, u2, verdict, severity", EQUIVALENTS)
def test_equivalent_printed_beside_in_another_unit(quote, p1, u1, p2, u2, verdict, severity):
    d = Doc("eq-")
    s = d.sentence(quote, year=2022)
    s.fig(p1, u1, "level")
    s.fig(p2, u2, "level", after=u1)
    df = checks.run(d.figures)
    assert df[["rule", "verdict", "severity"]].values.tolist() == [
        ["unit_scale", verdict, severity]]


def _share(part, pct, whole, year_in_sentence=True, whole_year=2020):
    d = Doc("sh-")
    when = "2020年，" if year_in_sentence else "“十三五”期间，"
    s = d.sentence(f"{when}主要进口产品为光电产品({part}亿元，占比{pct}%)。",
                   year=2020 if year_in_sentence else None,
                   period=None if year_in_sentence else "2016-2020")
    s.fig(part, "亿元", "level", indicator="光电产品", indicator_canonical=None)
    s.fig(pct, "%", "share", after="占比", indicator="光电产品", indicator_canonical=None)
    d.sentence(f"{whole_year}年进口额达到{whole}亿元。").fig(whole, "亿元", "level", year=whole_year,
                                                      indicator="进口额")
    return d.figures


SHARES = [
    # part, share, whole, year printed with the share, verdict (None = no check)
    ("4.3", "38.9", "11.04", True, "consistent"),
    ("2.59", "23.5", "11.04", False, "consistent"),
    ("10.49", "50.2", "11.04", False, None),           # base ambiguous: skipped
    ("10.49", "50.2", "11.04", True, "inconsistent"),  # same printed year: decisive
]


@pytest.mark.parametrize("part, pct, whole, explicit, verdict", SHARES)
def test_share(part, pct, whole, explicit, verdict):
    figs = _share(part, pct, whole, explicit)
    df = checks.run(figs, rules=["share"])
    assert df["verdict"].tolist() == ([verdict] if verdict else [])
    if verdict:
        assert df.iloc[0]["computed"] == pytest.approx(float(part) / float(pct) * 100)


def test_share_stated_of_the_sentence_subject():
    # sample plan: 出口额由82.3亿元增长至109.5亿元，年均增长5.88%，占全区进出口总额的比重为85.1%
    d = Doc("subj-")
    d.sentence("2020年外贸进出口总额128.6亿元。").fig("128.6", "亿元", "level", year=2020,
                                               indicator="外贸进出口总额")
    s = d.sentence("其中，出口额由82.3亿元增长至109.5亿元，年均增长5.88%，占全区进出口总额的比重为85.1%。",
                   year=2020, indicator="出口额")
    s.fig("109.5", "亿元", "level")
    s.fig("85.1", "%", "share")
    df = checks.run(d.figures, rules=["share"])
    assert df["verdict"].tolist() == ["consistent"]           # 109.5 / 85.1 % = 128.67
    assert values(d.figures, df.iloc[0]["figures"]) == {"85.1", "109.5", "128.6"}


def test_share_of_another_year_is_not_compared():
    df = checks.run(_share("4.3", "38.9", "11.04", True, whole_year=2019), rules=["share"])
    assert df.empty


PART_WHOLE = [
    ("10", "40", "consistent", None),     # 集中连片桑园10万亩 within 桑园达40万亩
    ("40", "40", "consistent", None),
    ("50", "40", "inconsistent", "major"),   # a part above its whole: impossible
    ("90", "40", "inconsistent", "gross"),
]


@pytest.mark.parametrize("part, whole, verdict, severity", PART_WHOLE)
def test_part_whole(part, whole, verdict, severity):
    d = Doc("pw-")
    s = d.sentence(f"到2025年，全市桑园达{whole}万亩，其中集中连片高标准桑园{part}万亩。", year=2025,
                   status="target")
    s.fig(whole, "万亩", "level", indicator="桑园面积")
    s.fig(part, "万亩", "level", after="其中", indicator="集中连片高标准桑园面积")
    df = checks.run(d.figures, rules=["part_whole"])
    assert df[["verdict", "severity"]].values.tolist() == [[verdict, severity]]


def test_part_whole_needs_a_whole_with_an_upper_bound():
    d = Doc("pu-")
    s = d.sentence("到2025年，外贸进出口总额突破180亿元，其中出口额155亿元以上。", year=2025,
                   status="target")
    s.fig("180", "亿元", "level", qualifier="exceeds", indicator="外贸进出口总额")
    s.fig("155", "亿元", "level", qualifier="at_least", indicator="出口额")
    assert checks.run(d.figures, rules=["part_whole"]).empty


def test_part_whole_leaves_complete_sums_to_sum_of_parts():
    df = checks.run(_trade_2022(export="4546"), rules=["part_whole", "sum_of_parts"])
    assert df["rule"].tolist() == ["sum_of_parts"]


CUMULATIVE = [
    # kind, printed, base level, verdict
    ("cum_growth", "25.4", "231.6", "consistent"),      # 290.5 / 231.6 − 1 = 25.43 %
    ("cum_growth", "25.4", "200", "inconsistent"),
    ("multiple", "1", "145.2", "consistent"),           # 翻一番: 290.5 ≈ 2 × 145.2
    ("multiple", "1", "290.5", "inconsistent"),
]


@pytest.mark.parametrize("kind, printed, base, verdict", CUMULATIVE)
def test_cumulative_and_multiples_vs_levels(kind, printed, base, verdict):
    d = Doc("cum-")
    d.sentence(f"2015年社会消费品零售总额{base}亿元。").fig(
        base, "亿元", "level", year=2015, indicator="社会消费品零售总额")
    words = "增长25.4%" if kind == "cum_growth" else "翻一番"
    s = d.sentence(f"2020年社会消费品零售总额290.5亿元，较2015年{words}。", year=2020,
                   indicator="社会消费品零售总额")
    s.fig("290.5", "亿元", "level")
    if kind == "cum_growth":
        s.fig("25.4", "%", "cum_growth", base_year=2015)
    else:
        f = Figure(id="cum-fan", value=Decimal(1), unit="番", kind="multiple", start=s.start + 27,
                   end=s.start + 30, quote=s.quote, year=2020, base_year=2015, base_unit="x",
                   indicator="社会消费品零售总额", indicator_canonical="社会消费品零售总额",
                   printed="翻一番", quote_start=s.start, quote_end=s.start + len(s.quote),
                   extra={"form": "fan"})
        d.figures.append(f)
    df = checks.run(d.figures, rules=["cumulative"])
    assert df["verdict"].tolist() == [verdict]


def test_cumulative_vs_stated_average_rate():
    d = Doc("ca-")
    s = d.sentence("2020年较2015年增长25.4%，年均增长4.6%。", year=2020, base_year=2015,
                   indicator="社会消费品零售总额")
    s.fig("25.4", "%", "cum_growth")
    s.fig("4.6", "%", "avg_growth", after="年均", span_years=5)
    df = checks.run(d.figures, rules=["cumulative"])
    assert df["verdict"].tolist() == ["consistent"]   # 1.046^5 = 1.2522 ≈ 1.254
    assert df.iloc[0]["computed"] == pytest.approx(1.046 ** 5)


PP_CHANGES = [
    ("71.7", "0.2", "consistent"),
    ("70.9", "0.2", "inconsistent"),
]


@pytest.mark.parametrize("old, change, verdict", PP_CHANGES)
def test_pp_change(old, change, verdict):
    d = Doc("pp-")
    d.sentence(f"2015年机电高新出口比重为{old}%。").fig(old, "%", "share", year=2015,
                                                 indicator="机电高新出口比重")
    s = d.sentence(f"2020年,全区机电高新出口比重达到71.9%,较2015年提高{change}个百分点。",
                   year=2020, indicator="机电高新出口比重")
    s.fig("71.9", "%", "share", after="达到")
    s.fig(change, "个百分点", "pp_change", after="提高", base_year=2015)
    df = checks.run(d.figures, rules=["pp_change"])
    assert df["verdict"].tolist() == [verdict]


def test_derived_ratio_per_capita():
    d = Doc("pc-")
    rel = parse_relations({"version": 1, "ratios": {
        "居民人均消费支出": {"numerator": "居民消费支出", "denominator": "人口"}}})
    d.sentence("2022年居民消费支出467.8亿元。").fig("467.8", "亿元", "level", year=2022,
                                               indicator="居民消费支出")
    d.sentence("常住人口115.8万人。").fig("115.8", "万人", "count", year=2022, indicator="人口")
    d.sentence("全年实现居民人均消费支出40400元。").fig("40400", "元", "level", year=2022,
                                                  indicator="居民人均消费支出")
    df = checks.run(d.figures, rules=["derived_ratio"], relations=rel)
    assert df["verdict"].tolist() == ["consistent"]   # 467.8亿 / 115.8万 = 40397元
    assert df.iloc[0]["computed"] == pytest.approx(467.8e8 / 115.8e4)
    bad = [f.replace(value=Decimal(44000)) if f.indicator == "居民人均消费支出" else f
           for f in d.figures]
    assert checks.run(bad, rules=["derived_ratio"], relations=rel)["verdict"].tolist() == [
        "inconsistent"]


CONTRIBUTIONS = [
    ("拉动外贸增长", "8.7", "个百分点", "pp_change", "consistent"),   # 41.44 / 474.32 = 8.74 pp
    ("拉动外贸增长", "9.1", "个百分点", "pp_change", "inconsistent"),
    ("对外贸增长的贡献率为", "82.4", "%", "rate", "consistent"),    # 41.44 / 50.28 = 82.4 %
    ("对外贸增长的贡献率为", "87.9", "%", "rate", "inconsistent"),
]


@pytest.mark.parametrize("words, printed, unit, kind, verdict", CONTRIBUTIONS)
def test_contribution(words, printed, unit, kind, verdict):
    # 2022: 出口 496.8 (+9.1 %: 2021 455.36); 进出口 524.6 (+10.6 %: 2021 474.32)
    d = Doc("ct-")
    s = d.sentence("2022年外贸进出口总额524.6亿元，增长10.6%。", year=2022, indicator="外贸进出口总额")
    s.fig("524.6", "亿元", "level")
    s.fig("10.6", "%", "yoy_growth")
    s = d.sentence(f"其中出口496.8亿元，增长9.1%，{words}{printed}{unit}。", year=2022,
                   indicator="出口额")
    s.fig("496.8", "亿元", "level")
    s.fig("9.1", "%", "yoy_growth", after="增长")
    s.fig(printed, unit, kind, after=words, indicator_canonical=None, indicator="外贸")
    df = checks.run(d.figures, rules=["contribution"])
    assert df["verdict"].tolist() == [verdict]


def test_yoy_levels_mismatch_is_a_revision_warning():
    # NBS 2018: 380987 / 366262 − 1 = 4.0 %, stated 9.0 % (comparable basis)
    df = pd.DataFrame({"year": ["2017", "2018", "2019"], "v": ["366262", "380987", "411649"],
                       "g": ["10.2", "9.0", "8.0"]})
    out = checks.run(checks.figures_from_series(df, "社会消费品零售总额", "亿元"))
    assert out[["year", "verdict"]].values.tolist() == [[2018, "warning"], [2019, "consistent"]]
    assert out["severity"].isna().all()
    assert "修订" in out.iloc[0]["message_zh"] and "revision" in out.iloc[0]["message_en"]


# --------------------------------------------------------------------------- engine

def test_run_has_fixed_columns_and_one_row_per_check():
    df = checks.run(_trade_2022())
    assert list(df.columns) == list(checks.COLUMNS)
    assert set(df["verdict"]) <= set(checks.VERDICTS)
    assert df["figures"].map(lambda ids: isinstance(ids, tuple) and len(ids) >= 2).all()


def test_flags_orders_gross_then_minor_then_warnings():
    df = pd.DataFrame([
        {"verdict": "warning", "severity": None, "rule": "w"},
        {"verdict": "inconsistent", "severity": "minor", "rule": "m"},
        {"verdict": "consistent", "severity": None, "rule": "c"},
        {"verdict": "inconsistent", "severity": "gross", "rule": "g"},
    ])
    assert checks.flags(df)["rule"].tolist() == ["g", "m", "w"]


def test_flags_refuses_other_tables():
    with pytest.raises(CheckError, match="not a checks table"):
        checks.flags(pd.DataFrame({"a": [1]}))


def test_unknown_rule_lists_the_registered_ones():
    with pytest.raises(CheckError) as exc:
        checks.run([], rules=["sums"])
    for name in ("avg_growth", "duplicate", "sum_of_parts", "share", "history"):
        assert name in str(exc.value)


def test_user_rule_registered_in_a_notebook():
    @checks.rule("big_levels")
    def big_levels(ctx):
        for f in ctx.figures:
            if f.kind == "level" and f.normalized > 4e10:
                yield Finding(rule="big_levels", verdict="warning", figures=(f,),
                              stated=float(f.value), computed=None, interval="", unit=f.unit,
                              message_zh="数值很大", message_en="large", arithmetic="",
                              tolerance="")

    try:
        df = checks.run(_trade_2022(), rules=["big_levels"])
        assert df["figures"].tolist() == [("s004-001",), ("s004-003",)]
        assert "big_levels" in checks.registered()
    finally:
        unregister("big_levels")
    assert "big_levels" not in checks.registered()


def _finding(**changes):
    base = {"rule": "bad", "verdict": "consistent", "figures": (_trade_2022()[0],),
            "stated": 1.0, "computed": 1.0, "interval": "", "unit": "", "message_zh": "",
            "message_en": "", "arithmetic": "", "tolerance": ""}
    return Finding(**{**base, **changes})


MISREGISTERED = [
    (lambda ctx: [_finding(verdict="wrong")], "verdict 'wrong'"),
    (lambda ctx: [_finding(verdict="inconsistent")], "needs severity"),
    (lambda ctx: [_finding(severity="gross")], "only for inconsistent"),
    (lambda ctx: [_finding(rule="other")], "labelled 'other'"),
    (lambda ctx: [_finding(figures=())], "must name the Figures"),
    (lambda ctx: [{"rule": "bad"}], "not a Finding"),
]


@pytest.mark.parametrize("fn, message", MISREGISTERED)
def test_misbehaving_rules_raise_check_error(fn, message):
    checks.rule("bad")(fn)
    try:
        with pytest.raises(CheckError, match=message):
            checks.run(_trade_2022(), rules=["bad"])
    finally:
        unregister("bad")


def test_rule_names_are_unique():
    with pytest.raises(CheckError, match="already registered"):
        checks.rule("sum_of_parts")(lambda ctx: [])


@pytest.mark.parametrize("tolerance", [-0.1, "0.1", math.nan, math.inf, True])
def test_bad_tolerance(tolerance):
    with pytest.raises(CheckError, match="tolerance"):
        checks.run([], tolerance=tolerance)


def test_tolerance_widens_computed_intervals():
    figs = _avg("151.45", "164.80", "1.72")   # implied 1.7039 %, stated 1.72 ± 0.005
    assert checks.run(figs, rules=["avg_growth"])["verdict"].tolist() == ["inconsistent"]
    relaxed = checks.run(figs, rules=["avg_growth"], tolerance=0.01)
    assert relaxed["verdict"].tolist() == ["consistent"]
    assert "slack 0.01" in relaxed.iloc[0]["tolerance"]


def test_run_refuses_what_is_not_a_figure():
    with pytest.raises(CheckError, match=r"figures\[0\] is a str"):
        checks.run(["290.5亿元"])


# --------------------------------------------------------------------------- data

def test_relations_lexicon_loads():
    rel = load_relations()
    assert rel.sums["社会消费品零售总额"] == (("商品零售额", "餐饮收入"),
                                      ("城镇消费品零售额", "乡村消费品零售额"))
    assert rel.ratios["单产"] == ("产量", "播种面积")
    assert ("跨境电商进口额", "跨境电商进出口额") in rel.containments()


BAD_RELATIONS = [
    ({"sums": {}}, "missing required field"),
    ({"version": 1, "sums": {"A": [{"parts": ["B"]}]}}, "at least two parts"),
    ({"version": 1, "sums": {"A": [{"parts": ["B", "B"]}]}}, "listed twice"),
    ({"version": 1, "sums": {"A": [{"part": ["B", "C"]}]}}, "unknown field"),
    ({"version": 1, "contains": {"A": {"whole": "A"}}}, "contained in itself"),
    ({"version": 1, "ratios": {"A": {"numerator": "B"}}}, "denominator"),
]


@pytest.mark.parametrize("data, message", BAD_RELATIONS)
def test_relations_are_validated(data, message):
    with pytest.raises(LexiconError, match=message):
        parse_relations(data)


def test_relations_refuse_duplicate_keys(tmp_path):
    (tmp_path / "relations.yaml").write_text(
        "version: 1\ncontains:\n  A: {whole: B}\n  A: {whole: C}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="duplicate key 'A'"):
        load_data("relations.yaml", tmp_path)


def test_printed_interval_uses_range_ends():
    f = Figure(id="r", value=Decimal(5), unit="家", kind="count", start=0, end=1, quote="5—10家",
               qualifier="range", range=(Decimal(5), Decimal(10)))
    assert (printed_interval(f).lo, printed_interval(f).hi) == (4.5, 10.5)


@pytest.mark.parametrize("level_2020,verdict", [("100", "consistent"), ("150", "inconsistent")])
def test_fan_multiple_from_text_uses_its_form(level_2020, verdict):
    """翻一番 is ×2 (form "fan" on the extracted figure), not ×1."""
    from analysis.documents import from_text
    from analysis.figures import extract

    text = f"2014年，全市进口额50亿元。到2020年，全市进口额达到{level_2020}亿元，比2014年翻一番。"
    df = checks.run(extract(from_text(text, "fan")))
    row = df[df["rule"] == "cumulative"].iloc[0]
    assert row["verdict"] == verdict and "翻一番" in row["arithmetic"]
