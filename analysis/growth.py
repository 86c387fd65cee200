"""Growth arithmetic: rates, multiples and shares, exact and as intervals (STYLE.md §5).

Every rate is in PERCENT (``6.977`` means 6.977 %).  Scalar functions take
``int``/``float``/``Decimal``/``str`` and return ``float``; interval functions
take :class:`Interval` (a bare ``int``/``float``/``Decimal`` is a point) and
return :class:`Interval`.

Why intervals: a printed figure is rounded.  ``290.5亿元`` stands for any level
in [290.45, 290.55] and ``年均增长15.62%`` for any rate in [15.615, 15.625].  A
stated figure is consistent with the figures it derives from when values
inside their rounding intervals reproduce it (DEVELOPERS.md), i.e. when the
stated interval meets the implied one (:func:`is_consistent`).  Every formula
here is monotone in each argument, so the implied interval is exact: it is
computed from the ends of the input intervals.

Conventions of the interval functions:

- Levels (amounts, counts) are non-negative.  Level intervals reaching below
  zero (the open side of 以内/不超过) are cut at zero; a level interval whose
  lower end is zero, as divisor, makes the result unbounded above.
- A growth rate cannot be below -100 % (the level would turn negative), so
  rate intervals are cut at -100.
- :func:`div` by an interval containing zero raises ``ZeroDivisionError``.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

__all__ = [
    "MULTIPLE_FORMS",
    "QUALIFIER_BANDS",
    "Interval",
    "add",
    "as_interval",
    "avg_from_cumulative",
    "avg_from_cumulative_interval",
    "cagr",
    "cagr_interval",
    "cumulative_from_avg",
    "cumulative_growth",
    "cumulative_interval",
    "div",
    "factor_from_multiple",
    "factor_interval",
    "gap",
    "hull",
    "intersection",
    "is_consistent",
    "is_gross",
    "last_digit_unit",
    "mul",
    "multi_year_average",
    "multi_year_average_interval",
    "pct_change",
    "pp_change",
    "pp_change_interval",
    "project",
    "project_interval",
    "range_interval",
    "relative_gap",
    "required_rate",
    "required_rate_interval",
    "rounding_interval",
    "scale",
    "share",
    "share_interval",
    "sub",
    "two_year_average_from_levels",
    "whole_from_share",
    "whole_from_share_interval",
]

#: What scalar arguments accept.
Number: TypeAlias = int | float | Decimal | str
#: What interval arguments accept besides an Interval (a point).
Real: TypeAlias = int | float | Decimal

INF = math.inf


# --------------------------------------------------------------------------- coercion

def _num(x: Number, name: str, *, allow_inf: bool = False) -> float:
    """``x`` as float; errors name the argument (statsmodels-style validation)."""
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal, str)):
        raise TypeError(f"{name}: expected a number (int, float, Decimal or str), "
                        f"got {type(x).__name__}")
    if isinstance(x, str):
        try:
            x = Decimal(x.strip())
        except InvalidOperation:
            raise ValueError(f"{name}: {x!r} is not a number") from None
    try:
        v = float(x)
    except ValueError:  # Decimal('sNaN')
        raise ValueError(f"{name}: {x!r} is not a number") from None
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ValueError(f"{name}: {x!r} is not a finite number")
    return v


def _dec(x: Number, name: str) -> Decimal:
    """``x`` as the exact Decimal that was printed (a float by its shortest repr)."""
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal, str)):
        raise TypeError(f"{name}: expected a number (int, float, Decimal or str), "
                        f"got {type(x).__name__}")
    try:
        d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x.strip() if isinstance(
            x, str) else x)
    except InvalidOperation:
        raise ValueError(f"{name}: {x!r} is not a number") from None
    if not d.is_finite():
        raise ValueError(f"{name}: {x!r} is not a finite number")
    return d


def _years(years: Number, name: str = "years") -> float:
    n = _num(years, name)
    if n <= 0:
        raise ValueError(f"{name} must be positive, got {n:g}")
    return n


def as_interval(x: Interval | Real, name: str = "value") -> Interval:
    """An Interval as is; a number as the point interval [x, x].

    Strings are refused: a printed value means its rounding interval, so say
    which one you want (``rounding_interval("290.5")``) instead.

    >>> as_interval(3)
    Interval(lo=3.0, hi=3.0)
    >>> as_interval("3")
    Traceback (most recent call last):
    TypeError: value: a string is ambiguous here; use rounding_interval('3') or a number
    """
    if isinstance(x, Interval):
        return x
    if isinstance(x, str):
        raise TypeError(f"{name}: a string is ambiguous here; use rounding_interval({x!r}) "
                        "or a number")
    return Interval.point(_num(x, name, allow_inf=True))


# --------------------------------------------------------------------------- Interval

def _fmt(x: float, decimals: int | None = None) -> str:
    """A float for people: at most 10 significant digits, no exponent, no trailing zeros."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if decimals is not None:
        x = round(x, decimals)
    s = format(Decimal(f"{x:.10g}"), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


@dataclass(frozen=True)
class Interval:
    """The closed interval [lo, hi] of the reals; ``lo=-inf`` / ``hi=inf`` make half-lines.

    Ends are stored as floats (strings and Decimals are converted).

    >>> Interval(6.95, 7.05).contains(7)
    True
    >>> str(Interval(280, math.inf))
    '[280, ∞)'
    >>> Interval(2, 1)
    Traceback (most recent call last):
    ValueError: empty interval: lo=2 > hi=1
    """

    lo: float
    hi: float

    def __post_init__(self) -> None:
        lo = _num(self.lo, "lo", allow_inf=True)
        hi = _num(self.hi, "hi", allow_inf=True)
        if lo > hi:
            raise ValueError(f"empty interval: lo={_fmt(lo)} > hi={_fmt(hi)}")
        if lo == INF or hi == -INF:
            raise ValueError(f"[{_fmt(lo)}, {_fmt(hi)}] is not an interval of real numbers")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @classmethod
    def point(cls, x: Number) -> Interval:
        """The degenerate interval [x, x].

        >>> Interval.point("1.5")
        Interval(lo=1.5, hi=1.5)
        """
        v = _num(x, "x")
        return cls(v, v)

    def contains(self, x: Number) -> bool:
        """``lo <= x <= hi``.

        >>> Interval(1, 2).contains(2), Interval(1, 2).contains("2.01")
        (True, False)
        """
        return self.lo <= _num(x, "x", allow_inf=True) <= self.hi

    def __contains__(self, x: Number) -> bool:
        return self.contains(x)

    def intersects(self, other: Interval | Real) -> bool:
        """True when the two closed intervals share at least one point (touching counts).

        >>> Interval(1, 2).intersects(Interval(2, 3)), Interval(1, 2).intersects(2.5)
        (True, False)
        """
        o = as_interval(other, "other")
        return self.lo <= o.hi and o.lo <= self.hi

    @property
    def width(self) -> float:
        """``hi - lo``; ``inf`` for a half-line.

        >>> Interval(290.45, 290.55).width < 0.1000001, Interval(0, math.inf).width
        (True, inf)
        """
        return self.hi - self.lo

    @property
    def mid(self) -> float:
        """The midpoint; the infinite end for a half-line; ValueError for the whole line.

        >>> Interval(6, 8).mid, Interval(406.5, math.inf).mid
        (7.0, inf)
        """
        if self.lo == -INF and self.hi == INF:
            raise ValueError("the whole real line has no midpoint")
        return self.lo / 2 + self.hi / 2 if self.is_bounded else self.lo + self.hi

    @property
    def is_bounded(self) -> bool:
        """Both ends finite.

        >>> Interval(1, 2).is_bounded, Interval(-math.inf, 2).is_bounded
        (True, False)
        """
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    def __str__(self) -> str:
        """``[lo, hi]``, open at infinite ends, rounded for reading (``repr`` is exact).

        Bounded intervals get 3 significant decimals of their width, so both
        ends stay distinct; points and half-lines get up to 4 decimals, enough
        for printed values and their rounding bounds.

        >>> print(Interval(6.95, 7.05), Interval(-math.inf, 5.5), Interval(62.7912, 103.0291))
        [6.95, 7.05] (-∞, 5.5] [62.79, 103.03]
        """
        decimals = 4  # points and half-lines: enough for printed values and their bounds
        if 0 < self.width < INF:
            decimals = min(10, max(0, 3 - math.floor(math.log10(self.width))))
        left = "(" if self.lo == -INF else "["
        right = ")" if self.hi == INF else "]"
        return f"{left}{_fmt(self.lo, decimals)}, {_fmt(self.hi, decimals)}{right}"


def hull(a: Interval | Real, b: Interval | Real) -> Interval:
    """The smallest interval containing both.

    >>> print(hull(Interval(1, 2), 5))
    [1, 5]
    """
    a, b = as_interval(a, "a"), as_interval(b, "b")
    return Interval(min(a.lo, b.lo), max(a.hi, b.hi))


def intersection(a: Interval | Real, b: Interval | Real) -> Interval | None:
    """The common part of two intervals, ``None`` when they do not meet.

    >>> print(intersection(Interval(1, 3), Interval(2, math.inf)))
    [2, 3]
    >>> intersection(Interval(1, 2), Interval(3, 4)) is None
    True
    """
    a, b = as_interval(a, "a"), as_interval(b, "b")
    lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
    return Interval(lo, hi) if lo <= hi else None


def gap(a: Interval | Real, b: Interval | Real) -> float:
    """Distance between two intervals: 0 when they meet, else the space between them.

    This is how far a stated figure misses (in the intervals' units).

    >>> round(gap(Interval(2.575, 2.585), Interval(1.69, 1.72)), 3)
    0.855
    >>> gap(Interval(1, 2), Interval(2, 3))
    0.0
    """
    a, b = as_interval(a, "a"), as_interval(b, "b")
    return max(0.0, a.lo - b.hi, b.lo - a.hi)


# --------------------------------------------------------------------------- interval arithmetic

def _mul(x: float, y: float) -> float:
    """Endpoint product with the interval-arithmetic convention 0 × ∞ = 0."""
    return 0.0 if x == 0 or y == 0 else x * y


def add(a: Interval | Real, b: Interval | Real) -> Interval:
    """[a.lo + b.lo, a.hi + b.hi].

    >>> print(add(Interval(1, 2), Interval(10, math.inf)))
    [11, ∞)
    """
    a, b = as_interval(a, "a"), as_interval(b, "b")
    return Interval(a.lo + b.lo, a.hi + b.hi)


def sub(a: Interval | Real, b: Interval | Real) -> Interval:
    """[a.lo - b.hi, a.hi - b.lo].

    >>> print(sub(Interval(5, 6), Interval(1, 2)))
    [3, 5]
    """
    a, b = as_interval(a, "a"), as_interval(b, "b")
    return Interval(a.lo - b.hi, a.hi - b.lo)


def mul(a: Interval | Real, b: Interval | Real) -> Interval:
    """Min and max of the four endpoint products (signs may differ; 0 × ∞ = 0).

    >>> print(mul(Interval(-1, 2), Interval(3, 4)))
    [-4, 8]
    """
    a, b = as_interval(a, "a"), as_interval(b, "b")
    ps = [_mul(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return Interval(min(ps), max(ps))


def div(a: Interval | Real, b: Interval | Real) -> Interval:
    """Min and max of the endpoint quotients; ZeroDivisionError when ``b`` contains 0.

    >>> print(div(Interval(4.25, 4.35), Interval(11.035, 11.045)))
    [0.384789, 0.3942]
    >>> div(1, Interval(-1, 1))
    Traceback (most recent call last):
    ZeroDivisionError: divisor [-1, 1] contains 0
    """
    a, b = as_interval(a, "a"), as_interval(b, "b")
    if b.contains(0):
        raise ZeroDivisionError(f"divisor {b} contains 0")
    qs = []
    for x in (a.lo, a.hi):
        for y in (b.lo, b.hi):
            if math.isinf(x) and math.isinf(y):
                continue  # ∞/∞: an adjacent corner already gives the extreme
            qs.append(x / y if math.isfinite(y) else 0.0)
    return Interval(min(qs), max(qs))


def scale(a: Interval | Real, k: Number) -> Interval:
    """``k`` × a for a number k (the ends swap when k < 0).

    >>> print(scale(Interval(0.3848, 0.3942), 100), scale(Interval(1, math.inf), -2))
    [38.48, 39.42] (-∞, -2]
    """
    a, f = as_interval(a, "a"), _num(k, "k")
    ends = (_mul(a.lo, f), _mul(a.hi, f))
    return Interval(min(ends), max(ends))


# --------------------------------------------------------------------------- printed values

def last_digit_unit(value: Number) -> Decimal:
    """One unit of the last printed digit: "290.5" -> 0.1, "407" -> 1, "1.39" -> 0.01.

    >>> last_digit_unit("290.5"), last_digit_unit(407), last_digit_unit(Decimal("1.39"))
    (Decimal('0.1'), Decimal('1'), Decimal('0.01'))
    """
    exp = _dec(value, "value").as_tuple().exponent
    assert isinstance(exp, int)  # finite, checked by _dec
    return Decimal(1).scaleb(min(exp, 0))


_Band = Callable[[Decimal, Decimal], tuple[Decimal | float, Decimal | float]]

#: Qualifier (as in ``analysis.figures.model.QUALIFIERS``) -> (value, unit) -> (lo, hi).
QUALIFIER_BANDS: dict[str | None, _Band] = {
    None: lambda v, u: (v - u / 2, v + u / 2),         # exact as printed: rounding only
    "about": lambda v, u: (v - u, v + u),               # 左右/约/近: ± one unit of last digit
    "at_least": lambda v, u: (v - u / 2, INF),          # 以上/不低于
    "exceeds": lambda v, u: (v - u / 2, INF),           # 超过/突破 (strictness lost in rounding)
    "at_most": lambda v, u: (-INF, v + u / 2),          # 以内/不超过
    "below": lambda v, u: (-INF, v + u / 2),            # 低于 (strictness lost in rounding)
}


def rounding_interval(value: Number, qualifier: str | None = None) -> Interval:
    """The interval a printed value stands for, from its printed decimals and qualifier.

    With ``qualifier=None`` the value is exact as printed, so only rounding to
    the last printed digit: value ± half a unit of that digit.  ``"about"``
    (左右/约/近) is deliberately wider: ± one full unit of the last digit.
    ``"at_least"``/``"exceeds"`` give [lower rounding bound, ∞) and
    ``"at_most"``/``"below"`` give (-∞, upper rounding bound].  Pass the value
    as printed (a str or Decimal): the float ``290.50`` has lost its last zero.

    >>> print(rounding_interval(Decimal("290.5")), rounding_interval("0.1"))
    [290.45, 290.55] [0.05, 0.15]
    >>> print(rounding_interval("407"), rounding_interval("1.39"))
    [406.5, 407.5] [1.385, 1.395]
    >>> print(rounding_interval("7", "about"), rounding_interval("7.5", "about"))
    [6, 8] [7.4, 7.6]
    >>> print(rounding_interval("407", "exceeds"), rounding_interval("5", "at_most"))
    [406.5, ∞) (-∞, 5.5]
    >>> rounding_interval("7", "roughly")
    Traceback (most recent call last):
    ValueError: unknown qualifier 'roughly'; known: None, 'about', 'at_least', 'exceeds', 'at_most', 'below'
    """
    if qualifier not in QUALIFIER_BANDS:
        if qualifier == "range":
            raise ValueError("qualifier 'range' needs both ends: use range_interval(low, high)")
        known = ", ".join(repr(q) for q in QUALIFIER_BANDS)
        raise ValueError(f"unknown qualifier {qualifier!r}; known: {known}")
    v = _dec(value, "value")
    lo, hi = QUALIFIER_BANDS[qualifier](v, last_digit_unit(v))
    return Interval(float(lo), float(hi))


def range_interval(low: Number, high: Number) -> Interval:
    """A printed range such as "5—10家": from low's lower to high's upper rounding bound.

    >>> print(range_interval("5", "10"), range_interval("1.5", "2"))
    [4.5, 10.5] [1.45, 2.5]
    """
    lo, hi = rounding_interval(low), rounding_interval(high)
    if _dec(low, "low") > _dec(high, "high"):
        raise ValueError(f"range {low}—{high}: low end is above high end")
    return Interval(lo.lo, hi.hi)


# --------------------------------------------------------------------------- growth rates

def _rate_from_factor(factor: float, years: float) -> float:
    """Average annual rate (%) of a growth factor over ``years``: (factor^(1/years) - 1) × 100."""
    if factor == 0:
        return -100.0
    if factor == INF:
        return INF
    return math.expm1(math.log(factor) / years) * 100  # expm1/log: exact near factor 1


def _factor_from_rate(rate_pct: float, years: float) -> float:
    """(1 + rate/100)^years; rate -100 gives 0 (years > 0), 1 (0) or ∞ (years < 0)."""
    if rate_pct == -100:
        return 0.0 if years > 0 else (1.0 if years == 0 else INF)
    if rate_pct == INF:
        return INF if years > 0 else (1.0 if years == 0 else 0.0)
    return math.exp(years * math.log1p(rate_pct / 100))


def _level(iv: Interval | Real, name: str) -> Interval:
    """A level interval cut at zero (levels are non-negative)."""
    iv = as_interval(iv, name)
    if iv.hi < 0:
        raise ValueError(f"{name}: level interval {iv} lies below zero")
    return Interval(max(iv.lo, 0.0), iv.hi)


def _level_ratio(num: Interval | Real, den: Interval | Real, num_name: str,
                 den_name: str) -> Interval:
    """[num.lo/den.hi, num.hi/den.lo] for non-negative levels; ∞ above when den reaches 0."""
    n, d = _level(num, num_name), _level(den, den_name)
    if d.hi == 0:
        raise ValueError(f"{den_name}: interval {d} is zero; cannot divide by it")
    lo = n.lo / d.hi if math.isfinite(d.hi) else 0.0
    if d.lo > 0:
        hi = n.hi / d.lo
    else:
        hi = INF if n.hi > 0 else 0.0
    return Interval(lo, hi)


def cagr(base: Number, target: Number, years: Number) -> float:
    """Compound average annual growth rate (年均增长速度), percent.

    ``((target / base) ** (1 / years) - 1) * 100`` — the NBS level method
    (水平法, geometric mean): 平均发展速度 = (a_n / a_0)^(1/n), 平均增长速度 =
    平均发展速度 - 1 (国家统计局《统计指标解释》).

    Seed 003: 社会消费品零售总额 290.5亿元 (2020) -> 407亿元 (2025):

    >>> round(cagr(290.5, 407, 5), 3)
    6.977
    >>> cagr(0, 407, 5)
    Traceback (most recent call last):
    ValueError: base must be positive for a growth rate, got 0
    """
    b, t, n = _num(base, "base"), _num(target, "target"), _years(years)
    if b <= 0:
        raise ValueError(f"base must be positive for a growth rate, got {b:g}")
    if t < 0:
        raise ValueError(f"target must not be negative for a growth rate, got {t:g}")
    return _rate_from_factor(t / b, n)


def cagr_interval(base: Interval | Real, target: Interval | Real, years: Number) -> Interval:
    """Every CAGR reachable from base ∈ ``base`` and target ∈ ``target``: exact, as cagr is monotone.

    [cagr(base.hi, target.lo), cagr(base.lo, target.hi)]; a base reaching 0
    makes the upper end ∞, an infinite target or base is a limit (∞, -100).
    Seed 003: 0.1亿美元 -> 1.72亿美元 "年均增长75.08%" is 76.64 % on the printed
    values but 0.1 may be anything in [0.05, 0.15]:

    >>> print(cagr_interval(rounding_interval("0.1"), rounding_interval("1.72"), 5))
    [62.79, 103.03]
    >>> print(cagr_interval(290.5, rounding_interval("407", "exceeds"), 5))
    [6.9505, ∞)
    """
    n = _years(years)
    ratio = _level_ratio(target, base, "target", "base")
    return Interval(_rate_from_factor(ratio.lo, n), _rate_from_factor(ratio.hi, n))


def project(base: Number, rate_pct: Number, years: Number) -> float:
    """Level after ``years`` of constant growth: base × (1 + rate/100)^years.

    Negative ``years`` projects backwards (the base a target implies).

    >>> round(project(290.5, 7, 5), 2), round(project(407, 7, -5), 2)
    (407.44, 290.19)
    """
    b, r, n = _num(base, "base"), _num(rate_pct, "rate_pct"), _num(years, "years")
    if r < -100:
        raise ValueError(f"rate_pct below -100 % is impossible, got {r:g}")
    if r == -100 and n < 0:
        raise ValueError("cannot project backwards at -100 %: every earlier level fits")
    return b * _factor_from_rate(r, n)


def project_interval(base: Interval | Real, rate: Interval | Real, years: Number) -> Interval:
    """Every level reachable by ``project`` from base ∈ ``base`` at rate ∈ ``rate``.

    The rate interval is cut at -100 %; the growth factor is monotone in the
    rate, and the product with the base is taken by :func:`mul`.

    >>> print(project_interval(rounding_interval("290.5"), rounding_interval("7", "about"), 5))
    [388.69, 426.91]
    """
    n = _num(years, "years")
    r = as_interval(rate, "rate")
    if r.hi < -100:
        raise ValueError(f"rate interval {r} lies below -100 %")
    ends = (_factor_from_rate(max(r.lo, -100.0), n), _factor_from_rate(r.hi, n))
    return mul(base, Interval(min(ends), max(ends)))


def required_rate(actual: Number, actual_year: int, target: Number, target_year: int) -> float:
    """The constant annual rate (%) that takes the latest actual to the target in time.

    ``cagr(actual, target, target_year - actual_year)``.  E.g. 320 in 2022
    toward 407 in 2025 needs 8.35 % a year:

    >>> round(required_rate(320, 2022, 407, 2025), 2)
    8.35
    >>> required_rate(320, 2025, 407, 2025)
    Traceback (most recent call last):
    ValueError: target_year (2025) must be after actual_year (2025)
    """
    span = _num(target_year, "target_year") - _num(actual_year, "actual_year")
    if span <= 0:
        raise ValueError(f"target_year ({target_year}) must be after actual_year ({actual_year})")
    return cagr(actual, target, span)


def required_rate_interval(actual: Interval | Real, actual_year: int,
                           target: Interval | Real, target_year: int) -> Interval:
    """Interval version of :func:`required_rate` (= :func:`cagr_interval` over the span).

    >>> print(required_rate_interval(320, 2022, rounding_interval("407", "at_least"), 2025))
    [8.3021, ∞)
    """
    span = _num(target_year, "target_year") - _num(actual_year, "actual_year")
    if span <= 0:
        raise ValueError(f"target_year ({target_year}) must be after actual_year ({actual_year})")
    return cagr_interval(actual, target, span)


# --------------------------------------------------------------------------- cumulative growth

def cumulative_growth(base: Number, level: Number) -> float:
    """Growth over the whole span (较2015年增长…%): (level / base - 1) × 100.

    >>> round(cumulative_growth(231.6, 290.5), 1)
    25.4
    """
    b, v = _num(base, "base"), _num(level, "level")
    if b <= 0:
        raise ValueError(f"base must be positive for a growth rate, got {b:g}")
    if v < 0:
        raise ValueError(f"level must not be negative, got {v:g}")
    return (v / b - 1) * 100


def cumulative_interval(base: Interval | Real, level: Interval | Real) -> Interval:
    """Every cumulative growth (%) reachable from base ∈ ``base`` and level ∈ ``level``.

    >>> print(cumulative_interval(rounding_interval("3815"), rounding_interval("4087")))
    [7.10261, 7.1569]
    """
    ratio = _level_ratio(level, base, "level", "base")
    return Interval((ratio.lo - 1) * 100, (ratio.hi - 1) * 100)


def avg_from_cumulative(cum_pct: Number, years: Number) -> float:
    """Average annual rate (%) from a cumulative growth: ((1 + cum)^(1/years) - 1) × 100.

    Seed 003: 较"十二五"末增长25.4% over 2015–2020 is 4.63 % a year:

    >>> round(avg_from_cumulative(25.4, 5), 2)
    4.63
    """
    c, n = _num(cum_pct, "cum_pct"), _years(years)
    if c < -100:
        raise ValueError(f"cum_pct below -100 % is impossible, got {c:g}")
    return _rate_from_factor(1 + c / 100, n)


def avg_from_cumulative_interval(cum: Interval | Real, years: Number) -> Interval:
    """Interval version of :func:`avg_from_cumulative` (monotone; cut at -100 %).

    >>> print(avg_from_cumulative_interval(rounding_interval("25.4"), 5))
    [4.62245, 4.63913]
    """
    c, n = as_interval(cum, "cum"), _years(years)
    if c.hi < -100:
        raise ValueError(f"cumulative growth interval {c} lies below -100 %")
    return Interval(_rate_from_factor(1 + max(c.lo, -100.0) / 100, n),
                    _rate_from_factor(1 + c.hi / 100, n))


def cumulative_from_avg(rate_pct: Number, years: Number) -> float:
    """Cumulative growth (%) of ``years`` at an average rate: ((1 + r)^years - 1) × 100.

    >>> round(cumulative_from_avg(7, 5), 2)
    40.26
    """
    r, n = _num(rate_pct, "rate_pct"), _years(years)
    if r < -100:
        raise ValueError(f"rate_pct below -100 % is impossible, got {r:g}")
    return (_factor_from_rate(r, n) - 1) * 100


# --------------------------------------------------------------------------- multiples

#: Multiple wordings -> growth factor.  Chinese usage: 增长n倍 counts the
#: increase (new = (n+1) × old), 为/是…的n倍 and 增长到n倍 the result (new = n × old);
#: 翻n番 doubles n times (翻一番 ×2, 翻两番 ×4).
MULTIPLE_FORMS: dict[str, Callable[[float], float]] = {
    "fan": lambda n: 2.0 ** n,            # 翻n番
    "increase_times": lambda n: n + 1.0,  # 增长n倍 / 增加了n倍
    "times_of": lambda n: n,              # 为…的n倍 / 是…的n倍 / 增长到n倍
}


def factor_from_multiple(n: Number, form: str) -> float:
    """The growth factor (new / old) a multiple wording states; see ``MULTIPLE_FORMS``.

    >>> factor_from_multiple(1, "fan"), factor_from_multiple(2, "fan")
    (2.0, 4.0)
    >>> factor_from_multiple("1.5", "increase_times"), factor_from_multiple("19.8", "times_of")
    (2.5, 19.8)
    >>> factor_from_multiple(2, "double")
    Traceback (most recent call last):
    ValueError: unknown multiple form 'double'; known: 'fan', 'increase_times', 'times_of'
    """
    if form not in MULTIPLE_FORMS:
        known = ", ".join(repr(f) for f in MULTIPLE_FORMS)
        raise ValueError(f"unknown multiple form {form!r}; known: {known}")
    v = _num(n, "n")
    if v < 0:
        raise ValueError(f"n must not be negative for a multiple, got {v:g}")
    return MULTIPLE_FORMS[form](v)


def factor_interval(n: Interval | Real, form: str) -> Interval:
    """Interval version of :func:`factor_from_multiple` (every form is increasing in n).

    >>> print(factor_interval(rounding_interval("19.8", "at_least"), "times_of"))
    [19.75, ∞)
    """
    iv = as_interval(n, "n")
    if iv.hi < 0:
        raise ValueError(f"n interval {iv} lies below zero")
    hi = factor_from_multiple(iv.hi, form) if math.isfinite(iv.hi) else INF
    return Interval(factor_from_multiple(max(iv.lo, 0.0), form), hi)


# --------------------------------------------------------------------------- multi-year averages

def multi_year_average(rates_pct: Iterable[Number]) -> float:
    """Geometric average (%) of consecutive yoy rates: (∏(1 + g_i))^(1/n) - 1.

    The NBS 两年平均增速 used since 2021: "以2019年相应同期数为基数，采用几何平均
    的方法计算的增速" (国家统计局 monthly releases, 2021, notes).  Retail sales
    2021 +12.5 %, 2022 -0.2 % (NBS communiqués):

    >>> round(multi_year_average([12.5, -0.2]), 2)
    5.96
    """
    rates = [_num(g, f"rates_pct[{i}]") for i, g in enumerate(rates_pct)]
    if not rates:
        raise ValueError("rates_pct is empty; need at least one yoy rate")
    for i, g in enumerate(rates):
        if g < -100:
            raise ValueError(f"rates_pct[{i}] below -100 % is impossible, got {g:g}")
    if any(g == -100 for g in rates):
        return -100.0
    return math.expm1(sum(math.log1p(g / 100) for g in rates) / len(rates)) * 100


def multi_year_average_interval(rates: Sequence[Interval | Real]) -> Interval:
    """Interval version of :func:`multi_year_average` (increasing in every rate).

    >>> print(multi_year_average_interval([rounding_interval("12.5"), rounding_interval("-0.2")]))
    [5.9098, 6.01]
    """
    ivs = [as_interval(r, f"rates[{i}]") for i, r in enumerate(rates)]
    for i, iv in enumerate(ivs):
        if iv.hi < -100:
            raise ValueError(f"rates[{i}]: interval {iv} lies below -100 %")
    if any(iv.hi == INF for iv in ivs):
        hi = INF
    else:
        hi = multi_year_average([iv.hi for iv in ivs])
    return Interval(multi_year_average([max(iv.lo, -100.0) for iv in ivs]), hi)


def two_year_average_from_levels(level_t_minus_2: Number, level_t: Number) -> float:
    """两年平均增长 from the levels two years apart: ``cagr(level_t_minus_2, level_t, 2)``.

    NBS retail sales 2020 391981 -> 2022 439733 (亿元, as first published);
    the bureau's comparable-basis rates give 5.96 %, the raw levels 5.92 %:

    >>> round(two_year_average_from_levels(391981, 439733), 2)
    5.92
    """
    return cagr(level_t_minus_2, level_t, 2)


# --------------------------------------------------------------------------- changes and shares

def pct_change(old: Number, new: Number) -> float:
    """Percent change (增长…%): (new / old - 1) × 100.

    Not the same as :func:`pp_change`: a share going from 20 % to 25 % rises
    by 5 percentage points (提高5个百分点) but by 25 percent (增长25%).

    >>> pct_change(20, 25), pp_change(20, 25)
    (25.0, 5.0)
    """
    o, n = _num(old, "old"), _num(new, "new")
    if o <= 0:
        raise ValueError(f"old must be positive for a percent change, got {o:g}")
    return (n / o - 1) * 100


def pp_change(old_pct: Number, new_pct: Number) -> float:
    """Percentage-point change (提高/下降…个百分点) of two rates or shares: new - old.

    See :func:`pct_change` for the difference: 20 % -> 25 % is +5 pp, +25 %.

    >>> pp_change("71.9", "74.1") == 74.1 - 71.9
    True
    """
    return _num(new_pct, "new_pct") - _num(old_pct, "old_pct")


def pp_change_interval(old: Interval | Real, new: Interval | Real) -> Interval:
    """Interval version of :func:`pp_change`: ``sub(new, old)``.

    >>> print(pp_change_interval(rounding_interval("71.9"), rounding_interval("74.1")))
    [2.1, 2.3]
    """
    return sub(new, old)


def share(part: Number, whole: Number) -> float:
    """Share (占比…%) of a part in its whole: part / whole × 100.

    Seed 003: 光电产品 4.3亿元 of 进口额 11.04亿元:

    >>> round(share(4.3, 11.04), 2)
    38.95
    """
    p, w = _num(part, "part"), _num(whole, "whole")
    if w <= 0:
        raise ValueError(f"whole must be positive for a share, got {w:g}")
    if p < 0:
        raise ValueError(f"part must not be negative for a share, got {p:g}")
    return p / w * 100


def whole_from_share(part: Number, share_pct: Number) -> float:
    """The whole a part and its share imply: part / share × 100.

    >>> round(whole_from_share(4.3, 38.9), 2)
    11.05
    """
    p, s = _num(part, "part"), _num(share_pct, "share_pct")
    if s <= 0:
        raise ValueError(f"share_pct must be positive to imply a whole, got {s:g}")
    if p < 0:
        raise ValueError(f"part must not be negative, got {p:g}")
    return p / s * 100


def share_interval(part: Interval | Real, whole: Interval | Real) -> Interval:
    """Every share (%) reachable from part ∈ ``part`` and whole ∈ ``whole``.

    >>> print(share_interval(rounding_interval("4.3"), rounding_interval("11.04")))
    [38.4789, 39.42]
    """
    return scale(_level_ratio(part, whole, "part", "whole"), 100)


def whole_from_share_interval(part: Interval | Real, share: Interval | Real) -> Interval:
    """Every whole implied by part ∈ ``part`` and share (%) ∈ ``share``.

    >>> print(whole_from_share_interval(rounding_interval("4.3"), rounding_interval("38.9")))
    [10.9114, 11.1969]
    """
    return scale(_level_ratio(part, share, "part", "share"), 100)


# --------------------------------------------------------------------------- verdicts

def is_consistent(stated: Interval | Real, implied: Interval | Real, *, slack: float = 0.0
                  ) -> bool:
    """Rounding-aware verdict: the stated figure fits when its interval meets the implied one.

    ``slack`` (same units, default 0 = rounding only) widens ``implied`` on
    both sides, e.g. for known revisions.  Seed 003 "年均增长2.58%" from
    151.45亿元 -> 164.80亿元 over 2015–2020 (implied 1.70 %) does not fit:

    >>> is_consistent(rounding_interval("2.58"),
    ...               cagr_interval(rounding_interval("151.45"), rounding_interval("164.80"), 5))
    False
    >>> is_consistent(rounding_interval("7", "about"), cagr(290.5, 407, 5))
    True
    """
    s, i = as_interval(stated, "stated"), as_interval(implied, "implied")
    if slack < 0:
        raise ValueError(f"slack must not be negative, got {slack:g}")
    return s.intersects(Interval(i.lo - slack, i.hi + slack))


def relative_gap(stated: Number, implied: Number) -> float:
    """How far the stated value is from the implied one, percent of the implied one.

    ``(stated - implied) / |implied| × 100``; ±∞ when implied is 0 and stated is not.

    >>> round(relative_gap(2.58, 1.704), 1), round(relative_gap(75.08, 76.64), 2)
    (51.4, -2.04)
    """
    s, i = _num(stated, "stated"), _num(implied, "implied")
    if i == 0:
        return 0.0 if s == 0 else math.copysign(INF, s)
    return (s - i) / abs(i) * 100


def is_gross(stated: Number, implied: Number) -> bool:
    """A discrepancy too big for rounding: a sign flip, or a factor of 2 or more.

    The factor rule compares magnitudes of two non-zero values of the same
    sign (for two positive values: max/min >= 2); a zero on either side is
    not gross by itself.  Caveat: level-over-level growth of first-published
    levels can differ from a stated comparable-basis rate by more than that
    (NBS retail sales 2018: 4.0 % from the levels, 9.0 % stated), so a gross
    yoy gap across data vintages is a lead, not proof of an error.

    >>> is_gross(2.58, 1.704), is_gross(9.0, 4.0), is_gross(3.0, -1.0), is_gross(0, 5)
    (False, True, True, False)
    """
    s, i = _num(stated, "stated"), _num(implied, "implied")
    if s * i < 0:
        return True
    if s == 0 or i == 0:
        return False
    return max(abs(s), abs(i)) / min(abs(s), abs(i)) >= 2
