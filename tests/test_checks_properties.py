"""Property tests: the checks never raise on arbitrary figures, and coverage adds up.

Figures are drawn with hypothesis: any kind, unit, qualifier, year, region; values from
zero to 400 digits, negative, with many decimals; indicators the relations know and names
they do not; quotes with period words (前三季度, 三季度, 其中).  2,000 examples per property
when the environment variable CI is set (the CI run), 60 locally.
"""
from __future__ import annotations

import os
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import checks
from analysis.checks import COLUMNS, VERDICTS
from analysis.figures.model import KINDS, QUALIFIERS, Figure

EXAMPLES = 2000 if os.environ.get("CI") else 60
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

UNITS = [("亿元", Decimal(10) ** 8, "CNY"), ("万元", Decimal(10) ** 4, "CNY"),
         ("亿美元", Decimal(10) ** 8, "USD"), ("万吨", Decimal(10) ** 4, "t"),
         ("家", Decimal(1), "count"), ("%", Decimal(1), "%"), ("个百分点", Decimal(1), "pp"),
         ("倍", Decimal(1), "x"), ("亩", Decimal(1), "mu")]
NAMES = [("外贸进出口总额", True), ("出口额", True), ("进口额", True), ("社会消费品零售总额", True),
         ("商品零售额", True), ("餐饮收入", True), ("发电量", False), ("火电发电量", False),
         ("第一产业增加值", False), (None, False)]
WORDS = ["", "前三季度,", "第三季度", "1-9月,", "4月份,", "全年", "其中,", "累计", "按可比价格计算,",
         "名义", "突破", "年均增长"]

values = st.one_of(
    st.decimals(min_value=-1000, max_value=10**6, allow_nan=False, allow_infinity=False,
                places=2),
    st.integers(min_value=0, max_value=10**30).map(Decimal),
    st.just(Decimal("9" * 400)), st.just(Decimal(0)),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@st.composite
def figure(draw: st.DrawFn, i: int) -> Figure:
    unit, scale, base = draw(st.sampled_from(UNITS))
    name, canonical = draw(st.sampled_from(NAMES))
    value = draw(values)
    words = draw(st.sampled_from(WORDS))
    printed = format(value, "f")[:40]
    quote = f"{words}{name or ''}{printed}{unit}。"
    qs = draw(st.integers(min_value=0, max_value=2000))
    start = qs + len(words) + len(name or "")
    qualifier = draw(st.sampled_from((None, *QUALIFIERS)))
    rng = None
    if qualifier == "range":
        rng = (value, value + draw(st.integers(min_value=0, max_value=5)))
    year = draw(st.one_of(st.none(), st.integers(min_value=2019, max_value=2021),
                          st.integers(min_value=2010, max_value=2026)))
    kind = draw(st.sampled_from(KINDS))
    return Figure(
        id=f"H{i:04d}", value=value, unit=unit, kind=kind, start=start,
        end=start + len(printed), quote=quote, indicator=name,
        indicator_canonical=name if canonical else None,
        region=draw(st.sampled_from((None, None, "山西省", "椒江区"))), year=year,
        period=draw(st.sampled_from((None, None, "2016-2020", "2021-2025"))),
        scale=scale, base_unit=base, qualifier=qualifier, range=rng,
        status=draw(st.sampled_from(("actual", "target"))),
        source=draw(st.sampled_from(("text", "table"))),
        base_year=draw(st.one_of(st.none(), st.integers(min_value=2005, max_value=2025))),
        span_years=draw(st.one_of(st.none(), st.integers(min_value=-2, max_value=10))),
        form=draw(st.sampled_from((None, "fan", "increase_times", "times_of", "bogus"))),
        printed=printed, quote_start=qs, quote_end=qs + len(quote), document="hyp")


figure_lists = st.integers(min_value=0, max_value=25).flatmap(
    lambda n: st.tuples(*(figure(i) for i in range(n))))


@SETTINGS
@given(figure_lists)
def test_run_never_raises_nor_errs_keeps_its_schema_and_coverage_adds_up(figs):
    """One property, both halves on each example (checks.run is the cost of an example)."""
    figs = list(figs)
    df = checks.run(figs)
    assert list(df.columns) == list(COLUMNS)
    assert set(df["verdict"]) <= set(VERDICTS)
    assert "error" not in set(df["verdict"]), df.loc[df["verdict"] == "error", "message_en"]
    ids = {f.id for f in figs}
    assert all(set(row) <= ids for row in df["figures"])
    checks.flags(df)  # orders whatever it gets
    cov = checks.coverage(figs, df)
    assert cov.figures == len(figs)
    assert cov.checked + sum(cov.unchecked.values()) == cov.figures
    assert 0.0 <= cov.share_checked <= 1.0
    assert len(checks.unchecked_figures(figs, df)) == cov.figures - cov.checked
    assert cov.summary_en() and cov.summary_zh()
