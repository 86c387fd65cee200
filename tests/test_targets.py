"""analysis.targets: one set of rules for a target's base, stated rate and unit (reports,
scenarios and the tracker all call it)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from analysis import targets
from analysis.figures.model import Figure


def fig(id: str, value: str, year: int | None, *, unit: str = "亿元", scale: int = 10**8,
        status: str = "actual", kind: str = "level", source: str = "text",
        qualifier: str | None = None, region: str | None = None, indicator: str = "社零",
        document: str = "d") -> Figure:
    return Figure(id=id, value=D(value), unit=unit, kind=kind, start=0, end=1, quote=id,
                  indicator=indicator, year=year, scale=D(scale), base_unit="CNY" if kind != "avg_growth" else "%",
                  status=status, source=source, qualifier=qualifier, region=region,
                  document=document)


TARGET = fig("T", "407", 2025, status="target")

# (figures, chosen base id or None, ambiguous)
BASES = [
    ([fig("A", "290.5", 2020), fig("B", "280", 2019)], "A", False),           # latest year wins
    ([fig("A", "290.5", 2020, source="table"), fig("B", "290.5", 2020)], "B", False),  # text first
    ([fig("A", "290.5", 2020, source="table"), fig("B", "291", 2020)], "B", True),   # differ
    # the same value in 万元 and 亿元 is no ambiguity (document order then decides)
    ([fig("A", "2905000", 2020, unit="万元", scale=10**4), fig("B", "290.5", 2020)], "A", False),
    ([fig("A", "300", 2025)], None, False),                                  # not before
    ([fig("A", "290.5", 2020, region="西岭县")], "A", False),                 # target's region unnamed
    ([fig("A", "290.5", 2020, indicator="网零")], None, False),              # other indicator
    ([fig("A", "290.5", 2020, status="target")], None, False),               # a target is no base
]


@pytest.mark.parametrize("figs,chosen,ambiguous", BASES)
def test_base_rules(figs, chosen, ambiguous):
    c = targets.base_for(TARGET, figs)
    assert (c.figure.id if c else None) == chosen
    assert (c.ambiguous if c else False) == ambiguous


def test_regions_must_match_when_both_are_named():
    t = TARGET.replace(region="示例市东港区")
    assert targets.base_for(t, [fig("A", "1", 2020, region="西岭县")]) is None
    assert targets.base_for(t, [fig("A", "1", 2020, region="东港区")]).figure.id == "A"


@pytest.mark.parametrize("value,unit,scale,expected", [
    ("906.2", "万美元", 10**4, D("0.09062")),   # 906.2万美元 in 亿美元
    ("2905000", "万元", 10**4, D("290.5")),
    ("290.5", "亿元", 10**8, D("290.5")),
])
def test_in_unit_is_exact(value, unit, scale, expected):
    assert targets.in_unit(fig("A", value, 2020, unit=unit, scale=scale), TARGET) == expected


def test_stated_rate_without_a_year_stands_for_the_targets_year():
    rate = fig("R", "7", None, unit="%", scale=1, status="target", kind="avg_growth",
               qualifier="about")
    other = fig("S", "9", 2030, unit="%", scale=1, status="target", kind="avg_growth")
    c = targets.stated_rate_for(TARGET, [rate, other])
    assert c.figure.id == "R" and c.figure.year is None  # the figure itself, not a copy


def test_indicator_key_drops_list_markers():
    assert targets.indicator_key(fig("A", "1", 2020, indicator="- 社零：")) == "社零"
