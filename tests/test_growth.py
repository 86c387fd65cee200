"""Growth arithmetic (analysis.growth): tables of hand-computed examples, seed figures, properties.

Expected numbers were computed by hand (the arithmetic is in the comments) and
are cross-checked against an independent Decimal implementation below; every
float comparison has an explicit tolerance.
"""
from __future__ import annotations

import csv
import itertools
import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import growth as g
from analysis.growth import Interval, cagr, cagr_interval, is_consistent, rounding_interval
from tests.conftest import seed_path

INF = math.inf
PROPERTY = settings(max_examples=200, deadline=None)


def cagr_decimal(base: Decimal, target: Decimal, years: int) -> Decimal:
    """Independent CAGR: 50-digit Decimal power instead of the module's expm1/log."""
    with localcontext() as ctx:
        ctx.prec = 50
        return ((target / base) ** (Decimal(1) / Decimal(years)) - 1) * 100


# --------------------------------------------------------------------------- printed values

ROUNDING_CASES = [
    # printed, qualifier, lo, hi
    (Decimal("290.5"), None, 290.45, 290.55),
    ("0.1", None, 0.05, 0.15),
    ("407", None, 406.5, 407.5),
    ("1.39", None, 1.385, 1.395),
    (Decimal("290.50"), None, 290.495, 290.505),   # a printed trailing zero counts
    ("-0.2", None, -0.25, -0.15),                  # 同比下降0.2%
    (7.5, None, 7.45, 7.55),                       # float: by its shortest repr
    (407, None, 406.5, 407.5),
    (Decimal("1E+2"), None, 99.5, 100.5),           # exponent form: integer precision
    (" 12.5 ", None, 12.45, 12.55),
    ("7", "about", 6.0, 8.0),                       # 7%左右: ± one unit of last digit
    ("7.5", "about", 7.4, 7.6),
    ("407", "at_least", 406.5, INF),                # 407亿元以上
    ("407", "exceeds", 406.5, INF),                 # 超过407亿元
    ("5", "at_most", -INF, 5.5),                    # 5%以内
    ("5.0", "below", -INF, 5.05),                   # 低于5.0%
]


@pytest.mark.parametrize("printed, qualifier, lo, hi", ROUNDING_CASES)
def test_rounding_interval(printed, qualifier, lo, hi):
    iv = rounding_interval(printed, qualifier)
    assert iv.lo == pytest.approx(lo, abs=1e-12)
    assert iv.hi == pytest.approx(hi, abs=1e-12)


ROUNDING_ERRORS = [
    # printed, qualifier, exception, message fragment
    ("7", "roughly", ValueError, "unknown qualifier 'roughly'"),
    ("7", "range", ValueError, "range_interval"),
    ("7%", None, ValueError, "'7%' is not a number"),
    (float("nan"), None, ValueError, "not a finite number"),
    ("inf", None, ValueError, "not a finite number"),
    (None, None, TypeError, "got NoneType"),
]


@pytest.mark.parametrize("printed, qualifier, exc, message", ROUNDING_ERRORS)
def test_rounding_interval_errors(printed, qualifier, exc, message):
    with pytest.raises(exc, match=message):
        rounding_interval(printed, qualifier)


@pytest.mark.parametrize("low, high, lo, hi", [
    ("5", "10", 4.5, 10.5),          # 5—10家
    ("1.5", "2", 1.45, 2.5),
    ("10", "10", 9.5, 10.5),
])
def test_range_interval(low, high, lo, hi):
    assert g.range_interval(low, high) == Interval(lo, hi)


def test_range_interval_rejects_reversed_ends():
    with pytest.raises(ValueError, match="low end is above high end"):
        g.range_interval("10", "5")


@pytest.mark.parametrize("printed, unit", [
    ("290.5", Decimal("0.1")), ("407", Decimal(1)), ("1.39", Decimal("0.01")),
    ("0.10", Decimal("0.01")), (12, Decimal(1)),
])
def test_last_digit_unit(printed, unit):
    assert g.last_digit_unit(printed) == unit


# --------------------------------------------------------------------------- Interval

@pytest.mark.parametrize("lo, hi, message", [
    (2, 1, "empty interval"),
    (INF, INF, "not an interval of real numbers"),
    (-INF, -INF, "not an interval of real numbers"),
    (float("nan"), 1, "not a number|not a finite"),
    ("abc", 1, "'abc' is not a number"),
])
def test_interval_rejects(lo, hi, message):
    with pytest.raises(ValueError, match=message):
        Interval(lo, hi)


def test_interval_converts_ends_to_float():
    iv = Interval("1.5", Decimal(2))
    assert (iv.lo, iv.hi) == (1.5, 2.0)
    assert type(iv.lo) is float and type(iv.hi) is float


@pytest.mark.parametrize("iv, x, inside", [
    (Interval(6.95, 7.05), 7, True),
    (Interval(6.95, 7.05), 6.95, True),          # closed
    (Interval(6.95, 7.05), "7.06", False),
    (Interval(406.5, INF), 1e300, True),
    (Interval(-INF, 5.5), -1e300, True),
    (Interval(-INF, 5.5), 5.51, False),
])
def test_contains(iv, x, inside):
    assert iv.contains(x) is inside
    assert (x in iv) is inside


@pytest.mark.parametrize("a, b, meet", [
    (Interval(1, 2), Interval(2, 3), True),       # touching counts
    (Interval(1, 2), Interval(2.0001, 3), False),
    (Interval(-INF, 0), Interval(0, INF), True),
    (Interval(1, 2), 1.5, True),
    (Interval(6.95, INF), Interval(6, 8), True),
])
def test_intersects(a, b, meet):
    assert a.intersects(b) is meet
    assert g.as_interval(b).intersects(a) is meet


@pytest.mark.parametrize("iv, width, mid", [
    (Interval(6, 8), 2.0, 7.0),
    (Interval(-3, -1), 2.0, -2.0),
    (Interval(406.5, INF), INF, INF),
    (Interval(-INF, 5), INF, -INF),
    (Interval.point(7), 0.0, 7.0),
])
def test_width_and_mid(iv, width, mid):
    assert iv.width == width
    assert iv.mid == mid


def test_whole_line_has_no_mid():
    with pytest.raises(ValueError, match="no midpoint"):
        _ = Interval(-INF, INF).mid


@pytest.mark.parametrize("iv, text", [
    (Interval(6.95, 7.05), "[6.95, 7.05]"),
    (rounding_interval("290.5"), "[290.45, 290.55]"),   # no float noise
    (rounding_interval("0.1"), "[0.05, 0.15]"),
    (Interval(280, INF), "[280, ∞)"),
    (Interval(-INF, 5.5), "(-∞, 5.5]"),
    (Interval(-INF, INF), "(-∞, ∞)"),
    (Interval.point(7), "[7, 7]"),
    (Interval(62.79123, 103.03371), "[62.79, 103.03]"),
    (Interval(1.381771, 1.392334), "[1.38177, 1.39233]"),
    (Interval(1e12, 2e12), "[1000000000000, 2000000000000]"),
    (Interval(-0.00001, 1), "[0, 1]"),                  # no "-0"
])
def test_interval_str(iv, text):
    assert str(iv) == text


def test_as_interval_refuses_strings():
    with pytest.raises(TypeError, match="rounding_interval"):
        g.as_interval("290.5")


# --------------------------------------------------------------------------- interval arithmetic

ARITHMETIC_CASES = [
    # op, a, b, expected
    (g.add, Interval(1, 2), Interval(10, 20), Interval(11, 22)),
    (g.add, Interval(1, 2), Interval(10, INF), Interval(11, INF)),
    (g.add, Interval(-INF, 2), 3, Interval(-INF, 5)),
    (g.sub, Interval(5, 6), Interval(1, 2), Interval(3, 5)),
    (g.sub, Interval(1, INF), Interval(0, 1), Interval(0, INF)),
    (g.sub, Interval(0, 1), Interval(1, INF), Interval(-INF, 0)),
    (g.mul, Interval(2, 3), Interval(4, 5), Interval(8, 15)),
    (g.mul, Interval(-1, 2), Interval(3, 4), Interval(-4, 8)),
    (g.mul, Interval(-2, -1), Interval(-3, 4), Interval(-8, 6)),    # 6, -8, 3, -4
    (g.mul, Interval(0, INF), Interval(2, 3), Interval(0, INF)),    # 0 × ∞ = 0
    (g.div, Interval(1, 2), Interval(4, 8), Interval(0.125, 0.5)),
    (g.div, Interval(-6, 3), Interval(-3, -1), Interval(-3, 6)),    # 2, 6, -1, -3
    (g.div, Interval(1, INF), Interval(2, INF), Interval(0, INF)),
    (g.div, 1, Interval(2, INF), Interval(0, 0.5)),
]


@pytest.mark.parametrize("op, a, b, expected", ARITHMETIC_CASES)
def test_interval_arithmetic(op, a, b, expected):
    assert op(a, b) == expected


@pytest.mark.parametrize("a, k, expected", [
    (Interval(1, 2), 3, Interval(3, 6)),
    (Interval(1, 2), -3, Interval(-6, -3)),
    (Interval(1, INF), -2, Interval(-INF, -2)),
    (Interval(1, INF), 0, Interval(0, 0)),
    (Interval(0.3848, 0.3942), "100", Interval(38.48, 39.42)),
])
def test_scale(a, k, expected):
    result = g.scale(a, k)
    assert result.lo == pytest.approx(expected.lo, abs=1e-12)
    assert result.hi == pytest.approx(expected.hi, abs=1e-12)


@pytest.mark.parametrize("divisor", [Interval(-1, 1), Interval(0, 5), Interval(-INF, 0), 0])
def test_div_by_interval_containing_zero_raises(divisor):
    with pytest.raises(ZeroDivisionError, match="contains 0"):
        g.div(Interval(1, 2), divisor)


@pytest.mark.parametrize("a, b, hull, common, distance", [
    (Interval(1, 3), Interval(2, 5), Interval(1, 5), Interval(2, 3), 0.0),
    (Interval(1, 2), Interval(3, 4), Interval(1, 4), None, 1.0),
    (Interval(2.575, 2.585), Interval(1.69, 1.72), Interval(1.69, 2.585), None, 0.855),
    (Interval(-INF, 0), Interval(5, INF), Interval(-INF, INF), None, 5.0),
])
def test_hull_intersection_gap(a, b, hull, common, distance):
    assert g.hull(a, b) == hull
    assert g.intersection(a, b) == common
    assert g.gap(a, b) == pytest.approx(distance, abs=1e-12)
    assert g.gap(b, a) == pytest.approx(distance, abs=1e-12)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
unit = st.floats(min_value=0, max_value=1)


@st.composite
def intervals(draw, positive: bool = False):
    lo, hi = sorted((draw(finite), draw(finite)))
    if positive:
        lo, hi = abs(lo) + 1e-3, abs(lo) + 1e-3 + (hi - lo)
    return Interval(lo, hi)


def inside(iv: Interval, t: float) -> float:
    """A point of ``iv`` (clamped: lo + t × width can overshoot by an ulp)."""
    return min(iv.hi, max(iv.lo, iv.lo + t * (iv.hi - iv.lo)))


@PROPERTY
@given(a=intervals(), b=intervals(), s=unit, t=unit)
def test_arithmetic_encloses_every_pointwise_result(a, b, s, t):
    x, y = inside(a, s), inside(b, t)
    assert g.add(a, b).contains(x + y)
    assert g.sub(a, b).contains(x - y)
    assert g.mul(a, b).contains(x * y)
    if not b.contains(0):
        assert g.div(a, b).contains(x / y)


# --------------------------------------------------------------------------- CAGR on seed 003

#: Seed 003 (台州市椒江区商务发展"十四五"规划): stated average annual growth
#: against the base and end levels printed beside it.  The quote proves the row.
CAGR_SEED_003 = [
    # quote, base, target, target qualifier, years, stated, stated qualifier,
    # rate on the printed values, tolerance, consistent
    pytest.param("全区社会消费品零售总额超过407亿元,在台州市排名前列,年均增幅保持在7%左右",
                 "290.5", "407", "exceeds", 5, "7", "about", 6.977, 0.001, True,
                 id="retail-2025-7pct-about"),
    pytest.param("网络零售总额从2015年的73.22亿元增加到2020年的151.28亿元",
                 "73.22", "151.28", None, 5, "15.62", None, 15.62, 0.005, True,
                 id="online-retail-15.62"),
    pytest.param("由2015年的3815万美元增长至2020年的4087万美元,年均增长1.39%",
                 "3815", "4087", None, 5, "1.39", None, 1.387, 0.001, True,
                 id="offshore-outsourcing-1.39"),
    pytest.param("由2015年的0.1亿美元增长至2020年的1.72亿美元,年均增长75.08%",
                 "0.1", "1.72", None, 5, "75.08", None, 76.647, 0.001, True,
                 id="fdi-75.08-only-with-rounding"),
    pytest.param("从2015年的1552.5万美元稳步增长至2019年的3759.8万美元,年均增长24.75%",
                 "1552.5", "3759.8", None, 4, "24.75", None, 24.75, 0.005, True,
                 id="outward-investment-24.75-4y"),
    pytest.param("从2015年的1552.5万美元稳步增长至2019年的3759.8万美元,年均增长24.75%",
                 "1552.5", "3759.8", None, 5, "24.75", None, 19.35, 0.005, False,
                 id="outward-investment-24.75-wrong-span"),
    pytest.param("由2015年的151.45亿元增长至2020年的164.80亿元,年均增长2.58%",
                 "151.45", "164.80", None, 5, "2.58", None, 1.70, 0.005, False,
                 id="foreign-trade-2.58-inconsistent"),
]


@pytest.mark.parametrize("quote, base, target, target_q, years, stated, stated_q, "
                         "point, tol, consistent", CAGR_SEED_003)
def test_cagr_point_value(quote, base, target, target_q, years, stated, stated_q, point,
                          tol, consistent):
    assert cagr(base, target, years) == pytest.approx(point, abs=tol)


@pytest.mark.parametrize("quote, base, target, target_q, years, stated, stated_q, "
                         "point, tol, consistent", CAGR_SEED_003)
def test_cagr_verdict(quote, base, target, target_q, years, stated, stated_q, point, tol,
                      consistent):
    implied = cagr_interval(rounding_interval(base), rounding_interval(target, target_q), years)
    assert is_consistent(rounding_interval(stated, stated_q), implied) is consistent


@pytest.mark.seeds
@pytest.mark.parametrize("quote", sorted({p.values[0] for p in CAGR_SEED_003}))
def test_cagr_rows_quote_the_seed(quote):
    assert quote in seed_path("003").read_text(encoding="utf-8")


def test_fdi_rate_is_not_the_point_value_but_fits_the_rounding_of_0_1():
    # 1.72 / 0.1 = 17.2; ln 17.2 / 5 = 0.568982; e^0.568982 = 1.766468 -> 76.647 %, not 75.08 %
    point = cagr("0.1", "1.72", 5)
    assert point == pytest.approx(76.647, abs=0.001)
    assert not rounding_interval("75.08").contains(point)
    assert not is_consistent(rounding_interval("75.08"), point)
    # 0.1 is [0.05, 0.15]: 1.715/0.15 = 11.433 -> 62.79 %; 1.725/0.05 = 34.5 -> 103.03 %
    implied = cagr_interval(rounding_interval("0.1"), rounding_interval("1.72"), 5)
    assert implied.lo == pytest.approx(62.79, abs=0.005)
    assert implied.hi == pytest.approx(103.03, abs=0.005)
    assert is_consistent(rounding_interval("75.08"), implied)


CAGR_POINTS = [
    # base, target, years, rate %, tolerance
    (1, 2, 6, 12.246, 0.001),            # 翻一番 in 6 years: 2 ** (1/6) = 1.122462
    (1, 4, 10, 14.870, 0.001),           # 翻两番 in 10 years: 4 ** 0.1 = 1.148698
    (100, 100, 3, 0.0, 1e-12),
    (100, 0, 3, -100.0, 1e-12),
    (100, 121, 2, 10.0, 1e-9),           # 1.1 ** 2 = 1.21
    (Decimal("290.5"), "407", 5, 6.977, 0.001),
    (320, 407, 3, 8.3465, 0.0001),       # (407/320) ** (1/3) = 1.083465
    (100, 100.0001, 10, 1e-5, 1e-9),     # near 1: expm1/log keeps the digits
]


@pytest.mark.parametrize("base, target, years, rate, tol", CAGR_POINTS)
def test_cagr_points(base, target, years, rate, tol):
    assert cagr(base, target, years) == pytest.approx(rate, abs=tol)


@pytest.mark.parametrize("base, target, years, message", [
    (0, 407, 5, "base must be positive"),
    (-1, 407, 5, "base must be positive"),
    (290.5, -1, 5, "target must not be negative"),
    (290.5, 407, 0, "years must be positive"),
    (290.5, 407, -2, "years must be positive"),
    ("abc", 407, 5, "base: 'abc' is not a number"),
    (290.5, INF, 5, "target: inf is not a finite number"),
])
def test_cagr_errors(base, target, years, message):
    with pytest.raises(ValueError, match=message):
        cagr(base, target, years)


CAGR_INTERVAL_EDGES = [
    # base, target, years, expected
    (Interval(0, 10), 20, 1, Interval(100, INF)),         # base may be 0: unbounded above
    (Interval(-INF, 10), 20, 1, Interval(100, INF)),      # 不超过10: cut at 0
    (10, Interval(-INF, 20), 1, Interval(-100, 100)),     # target 以内 20: cut at 0
    (Interval(10, INF), 20, 1, Interval(-100, 100)),
    (10, Interval(20, INF), 1, Interval(100, INF)),
    (Interval(0, 10), Interval(0, 0), 1, Interval(-100, -100)),
    (100, 121, 2, Interval(10, 10)),
]


@pytest.mark.parametrize("base, target, years, expected", CAGR_INTERVAL_EDGES)
def test_cagr_interval_edges(base, target, years, expected):
    result = cagr_interval(base, target, years)
    assert result.lo == pytest.approx(expected.lo, abs=1e-9)
    assert result.hi == pytest.approx(expected.hi, abs=1e-9)


@pytest.mark.parametrize("base, target, message", [
    (Interval(-5, -1), 10, "base: level interval .* lies below zero"),
    (Interval(0, 0), 10, "base: interval .* is zero"),
    (10, Interval(-5, -1), "target: level interval .* lies below zero"),
])
def test_cagr_interval_errors(base, target, message):
    with pytest.raises(ValueError, match=message):
        cagr_interval(base, target, 5)


def test_cagr_interval_ends_are_the_scalar_formula():
    base, target = rounding_interval("3815"), rounding_interval("4087")
    implied = cagr_interval(base, target, 5)
    assert implied == Interval(cagr(base.hi, target.lo, 5), cagr(base.lo, target.hi, 5))


# --------------------------------------------------------------------------- projection

@pytest.mark.parametrize("base, rate, years, level, tol", [
    (290.5, 7, 5, 407.44, 0.005),       # 290.5 × 1.07^5 = 290.5 × 1.4025517
    (407, 7, -5, 290.19, 0.005),        # backwards: 407 / 1.4025517
    (100, -100, 3, 0.0, 1e-12),
    (100, 12.5, 0, 100.0, 1e-12),
    (100, 10, 2, 121.0, 1e-9),
])
def test_project(base, rate, years, level, tol):
    assert g.project(base, rate, years) == pytest.approx(level, abs=tol)


@pytest.mark.parametrize("base, rate, years, message", [
    (100, -101, 3, "below -100 %"),
    (100, -100, -1, "cannot project backwards"),
])
def test_project_errors(base, rate, years, message):
    with pytest.raises(ValueError, match=message):
        g.project(base, rate, years)


@pytest.mark.parametrize("base, rate, years, expected, tol", [
    # [290.45 × 1.06^5, 290.55 × 1.08^5] = [290.45 × 1.3382256, 290.55 × 1.4693281]
    (rounding_interval("290.5"), rounding_interval("7", "about"), 5,
     Interval(388.69, 426.91), 0.005),
    (100, Interval(-INF, 5), 2, Interval(0, 110.25), 1e-9),       # 增速5%以内
    (100, Interval(10, INF), 2, Interval(121, INF), 1e-9),
    (100, Interval(-150, 10), 2, Interval(0, 121), 1e-9),         # cut at -100 %
    (Interval(100, 200), Interval(0, 10), -1, Interval(100 / 1.1, 200), 1e-9),
])
def test_project_interval(base, rate, years, expected, tol):
    result = g.project_interval(base, rate, years)
    assert result.lo == pytest.approx(expected.lo, abs=tol)
    assert result.hi == pytest.approx(expected.hi, abs=tol)


def test_required_rate_is_cagr_over_the_remaining_years():
    # 2022 actual 320 toward the 2025 target 407: three years left
    assert g.required_rate(320, 2022, 407, 2025) == cagr(320, 407, 3)
    assert g.required_rate(320, 2022, 407, 2025) == pytest.approx(8.3465, abs=0.0001)
    implied = g.required_rate_interval(320, 2022, rounding_interval("407", "exceeds"), 2025)
    assert implied.lo == pytest.approx(cagr(320, 406.5, 3), abs=1e-12)
    assert implied.hi == INF


@pytest.mark.parametrize("actual_year, target_year", [(2025, 2025), (2025, 2022)])
def test_required_rate_needs_a_later_target_year(actual_year, target_year):
    with pytest.raises(ValueError, match="must be after actual_year"):
        g.required_rate(320, actual_year, 407, target_year)
    with pytest.raises(ValueError, match="must be after actual_year"):
        g.required_rate_interval(320, actual_year, 407, target_year)


# --------------------------------------------------------------------------- cumulative growth

@pytest.mark.parametrize("base, level, cum, tol", [
    (100, 125.4, 25.4, 1e-9),
    (3815, 4087, 7.13, 0.005),        # 4087 / 3815 = 1.071298
    (100, 0, -100.0, 1e-12),
    (151.45, 164.80, 8.81, 0.005),    # 164.80 / 151.45 = 1.088148
])
def test_cumulative_growth(base, level, cum, tol):
    assert g.cumulative_growth(base, level) == pytest.approx(cum, abs=tol)


def test_cumulative_interval_uses_the_rounding_of_both_levels():
    # [4086.5 / 3815.5, 4087.5 / 3814.5] = [1.0710261, 1.0715690]
    iv = g.cumulative_interval(rounding_interval("3815"), rounding_interval("4087"))
    assert iv.lo == pytest.approx(7.1026, abs=0.0001)
    assert iv.hi == pytest.approx(7.1569, abs=0.0001)


@pytest.mark.parametrize("cum, years, rate, tol", [
    (25.4, 5, 4.6308, 0.0001),        # 1.254 ** 0.2 = 1.046308 (seed 003: 较2015年增长25.4%)
    (100, 6, 12.246, 0.001),          # doubling
    (-100, 5, -100.0, 1e-12),
    (0, 5, 0.0, 1e-12),
])
def test_avg_from_cumulative(cum, years, rate, tol):
    assert g.avg_from_cumulative(cum, years) == pytest.approx(rate, abs=tol)
    assert g.cumulative_from_avg(g.avg_from_cumulative(cum, years), years) == pytest.approx(
        cum, abs=1e-9)


def test_avg_from_cumulative_interval():
    # 25.4 is [25.35, 25.45]: 1.2535 ** 0.2 = 1.0462245, 1.2545 ** 0.2 = 1.0463913
    iv = g.avg_from_cumulative_interval(rounding_interval("25.4"), 5)
    assert iv.lo == pytest.approx(4.6225, abs=0.0001)
    assert iv.hi == pytest.approx(4.6391, abs=0.0001)
    assert g.avg_from_cumulative_interval(Interval(-INF, 0), 5) == Interval(-100, 0)


@pytest.mark.parametrize("call, message", [
    (lambda: g.cumulative_growth(0, 5), "base must be positive"),
    (lambda: g.cumulative_growth(5, -1), "level must not be negative"),
    (lambda: g.avg_from_cumulative(-101, 5), "below -100 %"),
    (lambda: g.avg_from_cumulative(10, 0), "years must be positive"),
    (lambda: g.avg_from_cumulative_interval(Interval(-300, -200), 5), "below -100 %"),
])
def test_cumulative_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- multiples

MULTIPLES = [
    # n, form, factor      wording
    (1, "fan", 2.0),        # 翻一番 (seed 001: 进口贸易总额比2014年翻一番)
    (2, "fan", 4.0),        # 翻两番
    (3, "fan", 8.0),        # 翻三番
    ("1.5", "increase_times", 2.5),   # 增长1.5倍
    (1, "increase_times", 2.0),       # 增长1倍 = 翻一番
    ("19.8", "times_of", 19.8),       # 为去年全年总额的19.8倍 (seed 004)
    (2, "times_of", 2.0),             # 是…的2倍
    (0, "increase_times", 1.0),
]


@pytest.mark.parametrize("n, form, factor", MULTIPLES)
def test_factor_from_multiple(n, form, factor):
    assert g.factor_from_multiple(n, form) == pytest.approx(factor, abs=1e-12)


@pytest.mark.parametrize("n, form, years, rate, tol", [
    (1, "fan", 6, 12.246, 0.001),        # 2014 -> 2020 翻一番: 2 ** (1/6)
    (2, "fan", 20, 7.177, 0.001),        # 翻两番 in 20 years: 4 ** 0.05 = 1.071773
    ("1.5", "increase_times", 5, 20.112, 0.001),   # 2.5 ** 0.2 = 1.201124
])
def test_rate_implied_by_a_multiple(n, form, years, rate, tol):
    assert cagr(1, g.factor_from_multiple(n, form), years) == pytest.approx(rate, abs=tol)


@pytest.mark.parametrize("n, form, exc, message", [
    (2, "double", ValueError, "unknown multiple form 'double'"),
    (-1, "fan", ValueError, "n must not be negative"),
    ("两", "fan", ValueError, "'两' is not a number"),
])
def test_factor_from_multiple_errors(n, form, exc, message):
    with pytest.raises(exc, match=message):
        g.factor_from_multiple(n, form)


def test_factor_interval():
    # 19.8倍以上 -> [19.75, ∞); 增长1.5倍 printed: 1.5 is [1.45, 1.55] -> [2.45, 2.55]
    assert g.factor_interval(rounding_interval("19.8", "at_least"), "times_of") == Interval(
        19.75, INF)
    iv = g.factor_interval(rounding_interval("1.5"), "increase_times")
    assert (iv.lo, iv.hi) == pytest.approx((2.45, 2.55), abs=1e-12)


# --------------------------------------------------------------------------- multi-year averages

MULTI_YEAR = [
    # yoy rates, geometric average, tolerance
    ([12.5, -0.2], 5.960, 0.001),      # sqrt(1.125 × 0.998) = sqrt(1.12275) = 1.059599
    ([-3.9, 12.5], 3.977, 0.001),      # sqrt(0.961 × 1.125) = sqrt(1.081125) = 1.039772
    ([10, 10], 10.0, 1e-9),
    ([8], 8.0, 1e-9),
    ([10.4, 10.2, 9.0], 9.865, 0.001),  # (1.104 × 1.102 × 1.09) ** (1/3) = 1.3261027 ** (1/3) = 1.098650
    ([-100, 50], -100.0, 1e-12),
]


@pytest.mark.parametrize("rates, average, tol", MULTI_YEAR)
def test_multi_year_average(rates, average, tol):
    assert g.multi_year_average(rates) == pytest.approx(average, abs=tol)


def test_multi_year_average_is_not_the_arithmetic_mean():
    # (12.5 - 0.2) / 2 = 6.15, the geometric average is 5.96
    assert abs(g.multi_year_average([12.5, -0.2]) - 6.15) > 0.15


@pytest.mark.parametrize("rates, message", [
    ([], "empty"),
    ([5, -101], r"rates_pct\[1\] below -100 %"),
    ([5, "x"], r"rates_pct\[1\]: 'x' is not a number"),
])
def test_multi_year_average_errors(rates, message):
    with pytest.raises(ValueError, match=message):
        g.multi_year_average(rates)


def test_multi_year_average_interval():
    # sqrt(1.1245 × 0.9975) = 1.059098; sqrt(1.1255 × 0.9985) = 1.060100
    iv = g.multi_year_average_interval([rounding_interval("12.5"), rounding_interval("-0.2")])
    assert iv.lo == pytest.approx(5.9098, abs=0.0001)
    assert iv.hi == pytest.approx(6.0100, abs=0.0001)
    assert g.multi_year_average_interval([Interval(5, INF), 3]).hi == INF


@pytest.mark.parametrize("level_0, level_2, average, tol", [
    (100, 121, 10.0, 1e-9),
    (391981, 439733, 5.917, 0.001),    # NBS retail 2020 -> 2022: sqrt(1.121822) = 1.059161
])
def test_two_year_average_from_levels(level_0, level_2, average, tol):
    assert g.two_year_average_from_levels(level_0, level_2) == pytest.approx(average, abs=tol)
    assert g.two_year_average_from_levels(level_0, level_2) == cagr(level_0, level_2, 2)


# --------------------------------------------------------------------------- changes, shares

@pytest.mark.parametrize("old, new, pct, pp", [
    (20, 25, 25.0, 5.0),          # a share 20 % -> 25 %: +5 pp but +25 %
    (50, 25, -50.0, -25.0),
    (4, 5, 25.0, 1.0),
    ("71.9", "74.1", 3.0598, 2.2),
])
def test_pct_change_versus_pp_change(old, new, pct, pp):
    assert g.pct_change(old, new) == pytest.approx(pct, abs=0.0001)
    assert g.pp_change(old, new) == pytest.approx(pp, abs=1e-12)


def test_pct_change_needs_a_positive_base():
    with pytest.raises(ValueError, match="old must be positive"):
        g.pct_change(0, 5)


def test_pp_change_interval():
    iv = g.pp_change_interval(rounding_interval("71.9"), rounding_interval("74.1"))
    assert (iv.lo, iv.hi) == pytest.approx((2.1, 2.3), abs=1e-12)


SHARES_SEED_003 = [
    # part, whole, stated share, share on printed values, consistent
    # 光电产品(4.3亿元,占比38.9%) of 进口额11.04亿元: 4.3 / 11.04 = 0.389493
    ("4.3", "11.04", "38.9", 38.949, True),
    # 医化产品(2.59亿元,占比23.5%): 2.59 / 11.04 = 0.234601
    ("2.59", "11.04", "23.5", 23.460, True),
    # negative control: [4.25/11.045, 4.35/11.035] = [38.48, 39.42] misses 40.0
    ("4.3", "11.04", "40.0", 38.949, False),
]


@pytest.mark.parametrize("part, whole, stated, point, consistent", SHARES_SEED_003)
def test_share_verdict(part, whole, stated, point, consistent):
    assert g.share(part, whole) == pytest.approx(point, abs=0.001)
    implied = g.share_interval(rounding_interval(part), rounding_interval(whole))
    assert is_consistent(rounding_interval(stated), implied) is consistent


@pytest.mark.parametrize("part, share, whole, tol", [
    (4.3, 38.9, 11.054, 0.001),       # 4.3 / 0.389
    (25, 50, 50.0, 1e-12),
])
def test_whole_from_share(part, share, whole, tol):
    assert g.whole_from_share(part, share) == pytest.approx(whole, abs=tol)


def test_whole_from_share_interval_contains_the_printed_whole():
    # [4.25 / 0.3895, 4.35 / 0.3885] = [10.9114, 11.1969] contains 进口额 11.04
    iv = g.whole_from_share_interval(rounding_interval("4.3"), rounding_interval("38.9"))
    assert iv.lo == pytest.approx(10.9114, abs=0.0001)
    assert iv.hi == pytest.approx(11.1969, abs=0.0001)
    assert is_consistent(rounding_interval("11.04"), iv)
    assert g.whole_from_share_interval(4.3, Interval(0, 50)).hi == INF


@pytest.mark.parametrize("call, message", [
    (lambda: g.share(1, 0), "whole must be positive"),
    (lambda: g.share(-1, 10), "part must not be negative"),
    (lambda: g.whole_from_share(1, 0), "share_pct must be positive"),
    (lambda: g.share_interval(1, Interval(0, 0)), "whole: interval .* is zero"),
])
def test_share_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- verdict helpers

def test_is_consistent_slack():
    implied = cagr_interval(rounding_interval("151.45"), rounding_interval("164.80"), 5)
    stated = rounding_interval("2.58")
    assert not is_consistent(stated, implied)
    assert not is_consistent(stated, implied, slack=0.8)     # gap is 0.855 pp
    assert is_consistent(stated, implied, slack=0.9)
    with pytest.raises(ValueError, match="slack must not be negative"):
        is_consistent(stated, implied, slack=-1)


@pytest.mark.parametrize("stated, implied, gap, tol", [
    (2.58, 1.704, 51.41, 0.01),       # (2.58 - 1.704) / 1.704
    (75.08, 76.64, -2.035, 0.001),
    (-2, -4, 50.0, 1e-12),            # relative to |implied|
    (0, 0, 0.0, 0),
    (5, 0, INF, 0),
    (-5, 0, -INF, 0),
])
def test_relative_gap(stated, implied, gap, tol):
    assert g.relative_gap(stated, implied) == pytest.approx(gap, abs=tol)


IS_GROSS = [
    # stated, implied, gross
    (2.58, 1.70, False),      # seed 003 foreign trade: off, but by a factor 1.5
    (9.0, 4.02, True),        # factor 2.24
    (2, 4, True),             # exactly a factor 2
    (2, 3.99, False),
    (3, -1, True),            # sign flip
    (-0.2, 0.3, True),
    (-2, -5, True),           # same sign, factor 2.5
    (0, 5, False),            # zero alone is not gross
    (75.08, 76.64, False),
]


@pytest.mark.parametrize("stated, implied, gross", IS_GROSS)
def test_is_gross(stated, implied, gross):
    assert g.is_gross(stated, implied) is gross
    assert g.is_gross(implied, stated) is gross


# --------------------------------------------------------------------------- real NBS series

#: Year -> (stated yoy consistent with the levels, gross).  Hand arithmetic:
#: 2018: 380987/366262 = 1.04020 -> 4.02 % vs stated 9.0 (comparable basis);
#: 2020: 391981/411649 = 0.95222 -> -4.78 % vs stated -3.9; 2022: -0.247 % fits
#: [-0.25, -0.15]; 2021: 12.460 % fits [12.45, 12.55].
NBS_YOY_VERDICTS = {
    2016: (True, False), 2017: (True, False), 2018: (False, True), 2019: (True, False),
    2020: (False, False), 2021: (True, False), 2022: (True, False), 2023: (True, False),
    2024: (True, False),
}


def test_nbs_retail_sales_yoy_against_levels(shared_data_dir):
    with open(shared_data_dir / "national_retail_sales_nbs.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    verdicts = {}
    for prev, row in itertools.pairwise(rows):
        implied = g.cumulative_interval(rounding_interval(prev["retail_sales_100m_yuan"]),
                                        rounding_interval(row["retail_sales_100m_yuan"]))
        stated = row["stated_yoy_growth_pct"]
        point = g.pct_change(prev["retail_sales_100m_yuan"], row["retail_sales_100m_yuan"])
        verdicts[int(row["year"])] = (is_consistent(rounding_interval(stated), implied),
                                      g.is_gross(stated, point))
    assert verdicts == NBS_YOY_VERDICTS


# --------------------------------------------------------------------------- properties

@st.composite
def printed_levels(draw) -> Decimal:
    """A positive level as printed: 0–2 decimals, magnitudes from 0.01 to 10^9."""
    decimals = draw(st.integers(0, 2))
    digits = draw(st.integers(1, 9))
    mantissa = draw(st.integers(1, 10 ** digits))
    return Decimal(mantissa).scaleb(-decimals)


spans = st.integers(1, 10)
rate_decimals = st.sampled_from([1, 2])


def implied_rate(base: Decimal, target: Decimal, years: int) -> Interval:
    return cagr_interval(rounding_interval(base), rounding_interval(target), years)


@PROPERTY
@given(base=printed_levels(), target=printed_levels(), years=spans, decimals=rate_decimals)
def test_property_a_correctly_printed_rate_is_consistent(base, target, years, decimals):
    rate = cagr(base, target, years)
    stated = Decimal(rate).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    assert is_consistent(rounding_interval(stated), implied_rate(base, target, years))


@PROPERTY
@given(base=printed_levels(), target=printed_levels(), years=spans, decimals=rate_decimals,
       qualifier=st.sampled_from([None, "about"]), above=st.booleans())
def test_property_a_rate_moved_out_of_its_interval_is_inconsistent(base, target, years,
                                                                   decimals, qualifier, above):
    implied = implied_rate(base, target, years)
    unit = Decimal(1).scaleb(-decimals)
    # move by the stated interval's half-width plus one unit, then round outward (+ epsilon)
    move = unit * (2 if qualifier == "about" else 1)
    if above:
        stated = (Decimal(implied.hi) + move).quantize(unit, ROUND_CEILING)
    else:
        stated = (Decimal(implied.lo) - move).quantize(unit, ROUND_FLOOR)
    assert not is_consistent(rounding_interval(stated, qualifier), implied)


@PROPERTY
@given(base=printed_levels(), target=printed_levels(), years=spans)
def test_property_cagr_matches_an_independent_decimal_computation(base, target, years):
    expected = float(cagr_decimal(base, target, years))
    assert cagr(base, target, years) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@PROPERTY
@given(base=printed_levels(), target=printed_levels(), years=spans, s=unit, t=unit)
def test_property_cagr_interval_encloses_every_pointwise_rate(base, target, years, s, t):
    b, tg = rounding_interval(base), rounding_interval(target)
    assert cagr_interval(b, tg, years).contains(cagr(inside(b, s), inside(tg, t), years))


@PROPERTY
@given(base=printed_levels(), target=printed_levels(), years=spans)
def test_property_project_undoes_cagr(base, target, years):
    rate = cagr(base, target, years)
    # a rate near -100 % keeps ~1e-14 of the base in absolute terms, hence abs=
    expected = pytest.approx(float(target), rel=1e-9, abs=1e-12 * float(base))
    assert g.project(base, rate, years) == expected


@PROPERTY
@given(base=intervals(positive=True), rate=intervals(), years=spans, s=unit, t=unit)
def test_property_project_interval_encloses_every_pointwise_level(base, rate, years, s, t):
    rate = Interval(max(rate.lo / 1e4, -99.0), max(rate.hi / 1e4, -99.0))  # -99 % .. 100 %
    b, r = inside(base, s), inside(rate, t)
    iv = g.project_interval(base, rate, years)
    level = g.project(b, r, years)
    assert iv.lo * (1 - 1e-12) <= level <= iv.hi * (1 + 1e-12)


@PROPERTY
@given(printed=printed_levels(), qualifier=st.sampled_from([None, "about"]))
def test_property_rounding_interval_is_centred_on_the_printed_value(printed, qualifier):
    iv = rounding_interval(printed, qualifier)
    half = g.last_digit_unit(printed) / (2 if qualifier is None else 1)
    assert iv.contains(printed)
    assert iv.lo == float(printed - half) and iv.hi == float(printed + half)
