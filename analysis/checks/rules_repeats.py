"""Built-in rules about repeated figures: one quantity printed twice, or in two units.

Rules (issue 3 numbering): ``duplicate`` (2: the same indicator/year/quantity
printed twice — text vs table, body vs annex — with values no rounding or
qualifier reconciles) and ``unit_scale`` (8: a figure and its equivalent
printed beside it in another unit; a repeat off by a unit or scale factor,
万 vs 亿 = 10^4, 亩 vs 公顷 = 15).  Levels are compared in base units
(``Figure.normalized``), so 906.2万美元 and 0.1亿美元 are the same quantity up to
rounding.  Conversion factors come from the unit lexicon (units.yaml).
"""
from __future__ import annotations

import functools
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal

from analysis import growth
from analysis.checks.core import (
    Context,
    Finding,
    base_interval,
    distinct,
    effective_periods,
    guard,
    in_unit,
    indicator_of,
    is_period_total,
    iv_in,
    judge,
    place,
    printed_interval,
    regions_match,
    rule,
    show,
    trim,
    verdict_text,
)
from analysis.figures.model import Figure
from analysis.lexicons import load_data

__all__ = ["LEVEL_KINDS", "beside_pairs", "duplicate_pairs", "slip_factor", "unit_factors"]

LEVEL_KINDS = ("level", "count")
RELATIVE_KINDS = ("avg_growth", "cum_growth", "multiple", "pp_change")


# --------------------------------------------------------------------------- pairs

_BESIDE = re.compile(r"^\s*[（(]\s*(?:约|合|折合|即|相当于)?\s*$")


def beside_pairs(figures: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """A figure and the equivalent printed beside it in brackets: "1200公顷(1.8万亩)"."""
    out = []
    by_quote: dict[tuple[int, int], list[Figure]] = defaultdict(list)
    for f in figures:
        by_quote[(f.quote_start, f.quote_end)].append(f)
    for figs in by_quote.values():
        figs = sorted(figs, key=lambda f: f.start)
        for a, b in itertools.pairwise(figs):
            if a.kind not in LEVEL_KINDS or b.kind not in LEVEL_KINDS:
                continue
            if a.base_unit != b.base_unit or (a.unit == b.unit and a.scale == b.scale):
                continue
            between = a.quote[a.end - a.quote_start:b.start - a.quote_start]
            if _BESIDE.match(between):
                out.append((a, b))
    return out


def _key(f: Figure, periods: dict[str, tuple[int, int] | None]) -> tuple:
    """What makes two figures the same quantity, besides the indicator: time (year or period,
    and the months within the year: 前三季度 is not 三季度), kind, unit, status (and base
    year for relative kinds)."""
    when = f.year if f.year is not None else f.period
    rel = (f.base_year, f.span_years) if f.kind in RELATIVE_KINDS else None
    total = f.kind in LEVEL_KINDS and is_period_total(f)
    return (when, periods.get(f.id) or (1, 12), f.kind, f.base_unit, f.status, rel, total)


#: Shortest printed indicator name that may match a longer one containing it.
MIN_NAME = 4


def same_indicator(a: Figure, b: Figure) -> bool:
    """Same canonical indicator; or, both unknown to the lexicon, the same name as printed
    up to extra words around it ("特色电商品牌" in "具有一定影响力的特色电商品牌").

    >>> from decimal import Decimal
    >>> f = Figure(id="a", value=Decimal(20), unit="个", kind="count", start=0, end=1, quote="",
    ...            indicator="具有一定影响力的特色电商品牌")
    >>> same_indicator(f, f.replace(indicator="特色电商品牌")), same_indicator(
    ...     f, f.replace(indicator="企业"))
    (True, False)
    """
    if a.indicator_canonical or b.indicator_canonical:
        return a.indicator_canonical == b.indicator_canonical
    x, y = sorted((a.indicator or "", b.indicator or ""), key=len)
    return bool(x) and (x == y or (len(x) >= MIN_NAME and (x in y or _inserted(x, y))))


def _inserted(short: str, long: str) -> bool:
    """``long`` is ``short`` with at most two characters inserted (星级旅行社[等]电子商务应用率).

    >>> _inserted("星级旅行社电子商务应用率", "星级旅行社等电子商务应用率"), _inserted("省级供应链企业", "市级供应链企业")
    (True, False)
    """
    if not 0 < len(long) - len(short) <= 2:
        return False
    it = iter(long)
    return all(ch in it for ch in short)


def _statement(f: Figure) -> tuple:
    """What makes two printings the same statement: base-unit value, qualifier, range."""
    return (f.value * f.scale, f.qualifier, f.range)


def _clusters(figs: list[Figure]) -> list[list[Figure]]:
    """Figures grouped by indicator (connected by :func:`same_indicator`).

    Figures are first grouped by exact name, so only the distinct names are
    compared with each other (800 figures of one indicator: one group, no
    pairwise work).
    """
    by_name: dict[tuple[str | None, str | None], list[Figure]] = defaultdict(list)
    for f in figs:
        by_name[(f.indicator_canonical, None if f.indicator_canonical else f.indicator)].append(f)
    names = list(by_name)
    reps = [by_name[n][0] for n in names]
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(names)), 2):
        if same_indicator(reps[i], reps[j]):
            parent[root(i)] = root(j)
    out: dict[int, list[Figure]] = defaultdict(list)
    for i, n in enumerate(names):
        out[root(i)].extend(by_name[n])
    return list(out.values())


def _repeats(figs: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """Identical statements among ``figs`` (different quotes): each paired with the first
    printing only — n − 1 pairs, not n(n − 1)/2."""
    first: dict[tuple, Figure] = {}
    out = []
    for f in figs:
        g = first.setdefault(_statement(f), f)
        if g is not f and (g.quote_start, g.quote_end) != (f.quote_start, f.quote_end):
            out.append((g, f))
    return out


def duplicate_pairs(figures: Sequence[Figure]) -> list[tuple[Figure, Figure, bool]]:
    """Pairs of figures printing the same quantity twice, and whether a conflict between
    them may be called inconsistent (``decisive``).

    Decisive only when the reading is unambiguous: both indicators from the
    lexicon, and each place (text/table, body/annex) prints one statement of
    it — or, within one place, exactly two figures in different sentences.
    Otherwise only identical statements are paired (compared, consistent).
    """
    skip = {frozenset((a.id, b.id)) for a, b in beside_pairs(figures)}
    keyed: dict[tuple, list[Figure]] = defaultdict(list)
    periods = effective_periods(figures)
    for f in figures:
        if indicator_of(f):
            keyed[_key(f, periods)].append(f)
    groups = [c for figs in keyed.values() if len(figs) > 1 for c in _clusters(figs)]
    out: list[tuple[Figure, Figure, bool]] = []
    for figs in groups:
        if len(figs) < 2:
            continue
        canonical = all(f.indicator_canonical for f in figs)
        by_place: dict[tuple[str, str], list[Figure]] = defaultdict(list)
        for f in figs:
            by_place[place(f)].append(f)
        if len(by_place) == 1:
            a, b = figs[0], figs[-1]
            if (canonical and len(figs) == 2
                    and (a.quote_start, a.quote_end) != (b.quote_start, b.quote_end)):
                out.append((a, b, True))
            else:
                out += [(a, b, False) for a, b in _repeats(figs)]
            continue
        for (_, xs), (_, ys) in itertools.combinations(sorted(by_place.items()), 2):
            dx, dy = distinct(xs), distinct(ys)
            if len(dx) == 1 and len(dy) == 1:
                out.append((dx[0], dy[0], canonical))
            else:
                ky = {_statement(f): f for f in reversed(dy)}
                out += [(a, ky[_statement(a)], False) for a in dx if _statement(a) in ky]
    return [(a, b, d) for a, b, d in out
            if frozenset((a.id, b.id)) not in skip and regions_match(a, b) and wholes_match(a, b)]


def wholes_match(a: Figure, b: Figure) -> bool:
    """Not parts of two different totals: 其中第一产业增加值 of 民营经济增加值 is not the
    第一产业增加值 of the GDP (a figure whose whole is unknown may be either)."""
    return a.whole is None or b.whole is None or a.whole == b.whole


@functools.cache
def unit_factors(base_unit: str) -> tuple[float, ...]:
    """Factors a slip can multiply a value by: powers of ten (万 vs 亿, a misplaced
    decimal point) and the ratios between printed units of ``base_unit``
    (亩/公顷 = 15, 斤/公斤 = 2), from the unit lexicon.

    >>> 15.0 in unit_factors("m2"), 2.0 in unit_factors("kg"), 2.0 in unit_factors("CNY")
    (True, True, False)
    """
    units = load_data("units.yaml")["units"]
    factors = [float(Decimal(str(e["factor"]))) for e in units.values() if e["base"] == base_unit]
    out = {10.0 ** k for k in range(1, 9)}
    out.update(x / y for x, y in itertools.permutations(factors, 2) if x > y)
    return tuple(sorted(out))


def slip_factor(a: Figure, b: Figure) -> float | None:
    """The unit or scale factor by which ``a`` and ``b`` differ, when one explains the gap:
    the ratio within 10 % of the factor and the rescaled intervals meeting."""
    if a.normalized <= 0 or b.normalized <= 0 or a.base_unit != b.base_unit:
        return None
    big, small = (a, b) if a.normalized >= b.normalized else (b, a)
    ratio = big.normalized / small.normalized
    for k in unit_factors(a.base_unit):
        if abs(ratio / k - 1) <= 0.1 and growth.scale(base_interval(small), k).intersects(
                base_interval(big)):
            return k
    return None


def _factor_text(k: float) -> str:
    e = math.log10(k)
    return f"10^{round(e)}" if abs(e - round(e)) < 1e-9 else f"{k:g}"


def _compare(ctx: Context, name: str, a: Figure, b: Figure, decisive: bool,
             what_zh: str, what_en: str, note: str = "") -> Finding | None:
    """Two printings of one quantity: a is stated, b gives the interval it must meet."""
    a_iv, b_iv = base_interval(a), base_interval(b)
    verdict, severity = judge(ctx, a_iv, b_iv, a.normalized, b.normalized)
    if verdict != "consistent" and not decisive:
        return None
    ind = indicator_of(a) or ""
    when = a.year if a.year is not None else (a.period or "")
    ok = verdict == "consistent"
    b_shown = iv_in(a, b_iv)
    zh = (f"{ind}{when}{'年' if a.year is not None else ''}{what_zh}：{show(a)}与{show(b)}"
          f"{'一致' if ok else '不一致'}{note and '（' + note + '）'}")
    en = (f"{ind} {when}: {what_en} {show(a)} and {show(b)} "
          f"{'agree' if ok else 'disagree'}{note and ' (' + note + ')'}")
    same_unit = a.unit == b.unit and a.scale == b.scale
    b_text = show(b) if same_unit else f"{show(b)} = {trim(in_unit(a, b.normalized))}{a.unit}"
    return Finding(
        rule=name, verdict=verdict, severity=severity, figures=(a, b),
        stated=float(a.value), computed=in_unit(a, b.normalized), interval=str(b_shown),
        unit=a.unit, message_zh=zh, message_en=en,
        arithmetic=(f"{show(a)} ({a.source}) vs {b_text} ({b.source}); "
                    + verdict_text(show(a), printed_interval(a), b_shown, verdict)),
        tolerance=ctx.tolerance_note((a, b)), indicator=ind, year=a.year,
        extra={"gap": growth.gap(a_iv, b_iv)})


def _order(a: Figure, b: Figure) -> tuple[Figure, Figure]:
    """Text before table, then document order: the text is 'stated', the table 'computed'."""
    return tuple(sorted((a, b), key=lambda f: (f.source != "text", f.start)))  # type: ignore


# --------------------------------------------------------------------------- rule 2

@rule("duplicate")
def duplicate(ctx: Context) -> Iterator[Finding]:
    """The same indicator/year/quantity printed twice (text vs table, body vs annex) with
    values that no rounding or qualifier reconciles ("突破280亿元" vs 277.48)."""
    for a, b, decisive in duplicate_pairs(ctx.figures):
        if slip_factor(a, b) and not base_interval(a).intersects(base_interval(b)):
            continue  # unit_scale's
        a, b = _order(a, b)
        f = guard((a, b), functools.partial(
            _compare, ctx, "duplicate", a, b, decisive, "两处数值", "printed twice:"))
        if f is not None:
            yield f


# --------------------------------------------------------------------------- rule 8

@rule("unit_scale")
def unit_scale(ctx: Context) -> Iterator[Finding]:
    """Unit and scale slips: a figure and the equivalent printed beside it in another
    unit ("1200公顷(1.8万亩)"), and a quantity printed twice off by a unit factor
    (万 vs 亿 = 10^4, 亩 vs 公顷 = 15)."""
    for a, b in beside_pairs(ctx.figures):
        k = slip_factor(a, b)
        note = "" if k is None else f"相差{_factor_text(k)}倍 / off by {_factor_text(k)}"
        f = guard((a, b), functools.partial(
            _compare, ctx, "unit_scale", a, b, True, "换算", "unit equivalent:", note))
        if f is not None:
            yield f
    for a, b, decisive in duplicate_pairs(ctx.figures):
        k = slip_factor(a, b)
        if k is None or base_interval(a).intersects(base_interval(b)):
            continue
        a, b = _order(a, b)
        note = f"相差{_factor_text(k)}倍，疑为单位或数量级错误 / off by {_factor_text(k)}: unit slip?"
        f = guard((a, b), functools.partial(
            _compare, ctx, "unit_scale", a, b, decisive, "两处数值", "printed twice:", note))
        if f is not None:
            yield f


