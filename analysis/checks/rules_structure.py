"""Industrial structure ratios (三次产业结构 a:b:c): against 100, the sectors' levels, and GDP growth.

Rule ``structure``.  A ratio is read from the quote of a figure that prints it
(so it needs no figure of its own); the sectors are the levels named 第一产业/
第二产业/第三产业 printed last before the ratio, and their year-on-year rates.

- Against the levels: term i must round from level_i / Σ levels (e.g. seed-style
  29.73 / 122.64 = 24.24 % cannot print as 24.3).
- The previous year's structure (由上年的9.4:66.8:23.8) weighted by the sectors'
  growth rates gives GDP growth (NBS: real GDP growth is the share-weighted mean of
  the sectors' real growth, shares at the previous year's current prices):
  Σ sᵢ(1 + gᵢ) / Σ sᵢ − 1.  The bounds are exact: the expression is increasing in
  every gᵢ and a weighted mean, so its extremes over the shares' box lie at vertices.
"""
from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from analysis import growth
from analysis.checks.core import (
    Context,
    Finding,
    base_interval,
    fmt,
    guard,
    judge,
    printed_interval,
    rule,
    show,
    verdict_text,
)
from analysis.figures.model import Figure
from analysis.growth import Interval

__all__ = ["SECTORS", "ratios_in"]

#: Sector names, in ratio order.
SECTORS = (("第一产业", "一产"), ("第二产业", "二产"), ("第三产业", "三产"))
_RATIO = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*[:：∶]\s*(\d{1,3}(?:\.\d+)?)\s*[:：∶]\s*"
                    r"(\d{1,3}(?:\.\d+)?)(?![\d.:：∶])")
_CUE = re.compile(r"(?:三次)?产业(?:结构|比例|构成)")
_LAST_YEAR = re.compile(r"(?:上年|去年|上一年)[的为是]?\s*$")


def ratios_in(quote: str) -> list[tuple[int, tuple[Decimal, ...], bool]]:
    """(offset, terms, previous_year) of each a:b:c in a quote that names a sector structure.

    >>> [(t, p) for _, t, p in ratios_in("三次产业结构由上年的9.4:66.8:23.8调整为8.3:71.1:20.6")]
    [((Decimal('9.4'), Decimal('66.8'), Decimal('23.8')), True), ((Decimal('8.3'), Decimal('71.1'), Decimal('20.6')), False)]
    """
    if not _CUE.search(quote):
        return []
    out = []
    for m in _RATIO.finditer(quote):
        head = quote[max(0, m.start() - 8):m.start()].replace("由", "")
        out.append((m.start(), tuple(Decimal(g) for g in m.groups()),
                    bool(_LAST_YEAR.search(head))))
    return out


def _sector(f: Figure) -> int | None:
    name = f.indicator or f.indicator_canonical or ""
    for i, words in enumerate(SECTORS):
        if any(w in name for w in words):
            return i
    return None


def _sectors_before(ctx: Context, at: int) -> list[Figure] | None:
    """The last level of each sector printed before ``at``, all in one year and unit."""
    last: dict[int, Figure] = {}
    for f in sorted(ctx.figures, key=lambda f: f.start):
        if f.start >= at:
            break
        i = _sector(f)
        if i is not None and f.kind == "level":
            last[i] = f
    if len(last) != 3:
        return None
    levels = [last[i] for i in range(3)]
    if len({(f.year, f.base_unit) for f in levels}) != 1:
        return None
    return levels


def _yoy(g: Figure) -> bool:
    """A one-year rate: 同比/比上年 (growth over the previous year, whatever kind it got)."""
    return g.kind == "yoy_growth" or (g.kind == "cum_growth" and g.year is not None and (
        g.base_year is None or g.base_year == g.year - 1))


def _rate_of(ctx: Context, level: Figure) -> Figure | None:
    """The yoy growth printed right after a level in its sentence (增长3.3%)."""
    cands = [g for g in ctx.figures if _yoy(g) and g.quote_start ==
             level.quote_start and g.start >= level.end]
    return min(cands, key=lambda g: g.start) if cands else None


def _gdp_growth(ctx: Context, year: int | None, before: int) -> Figure | None:
    """GDP's yoy growth: printed after a 生产总值 level of ``year``, before the ratio."""
    gdp = [f for f in ctx.figures if f.kind == "level" and f.year == year and f.start < before
           and any(w in (f.indicator or "") for w in ("生产总值", "GDP")) and "人均" not in
           (f.indicator or "")]
    for level in sorted(gdp, key=lambda f: -f.start):
        g = _rate_of(ctx, level)
        if g is not None:
            return g
    return None


def _iv(d: Decimal) -> Interval:
    return growth.rounding_interval(d)


@rule("structure")
def structure(ctx: Context) -> Iterator[Finding]:
    """三次产业结构 a:b:c against 100, against the sectors' levels (shares rounding to the
    printed terms) and, for the previous year's structure, against GDP growth."""
    seen: set[tuple[int, int]] = set()
    for carrier in sorted(ctx.figures, key=lambda f: f.start):
        key = (carrier.quote_start, carrier.quote_end)
        if key in seen:
            continue
        seen.add(key)
        for offset, terms, previous in ratios_in(carrier.quote):
            at = carrier.quote_start + offset
            levels = _sectors_before(ctx, at)
            if levels is None:
                continue
            if previous:
                rates = [_rate_of(ctx, f) for f in levels]
                total = _gdp_growth(ctx, levels[0].year, at)
                found = [r for r in rates if r is not None]
                if len(found) == 3 and total is not None:
                    f = guard((carrier, *levels), functools.partial(
                        _growth_finding, ctx, carrier, terms, levels, found, total))
                    if f is not None:
                        yield f
                continue
            for i in range(3):
                f = guard((carrier, *levels), functools.partial(
                    _share_finding, ctx, carrier, terms, levels, i))
                if f is not None:
                    yield f


def _share_finding(ctx: Context, carrier: Figure, terms: Sequence[Decimal],
                   levels: list[Figure], i: int) -> Finding:
    ivs = [base_interval(f) for f in levels]
    others = [iv for j, iv in enumerate(ivs) if j != i]
    lo = ivs[i].lo / (ivs[i].lo + sum(iv.hi for iv in others)) * 100
    hi = ivs[i].hi / (ivs[i].hi + sum(iv.lo for iv in others)) * 100
    implied_iv = Interval(lo, hi)
    implied = levels[i].normalized / sum(f.normalized for f in levels) * 100
    stated_iv = _iv(terms[i])
    verdict, severity = judge(ctx, stated_iv, implied_iv, float(terms[i]), implied, unit="%")
    ok = verdict == "consistent"
    ratio = ":".join(format(t, "f") for t in terms)
    name = SECTORS[i][0]
    return Finding(
        rule="structure", verdict=verdict, severity=severity, figures=(carrier, *levels),
        stated=float(terms[i]), computed=implied, interval=str(implied_iv), unit="%",
        message_zh=(f"产业结构{ratio}中{name}占{terms[i]}，按各产业增加值计算为{fmt(implied)}%"
                    f"{'，一致' if ok else '，不符'}"),
        message_en=(f"structure {ratio}: {name} {terms[i]} {'agrees with' if ok else 'differs from'}"
                    f" {fmt(implied)} % from the sectors' levels"),
        arithmetic=(f"{show(levels[i])} / ({' + '.join(show(f) for f in levels)}) × 100 = "
                    f"{fmt(implied)} %; " + verdict_text(f"printed {terms[i]}", stated_iv,
                                                        implied_iv, verdict)),
        tolerance=ctx.tolerance_note(levels) + f"; {terms[i]} ±half its last digit",
        indicator=name, year=levels[i].year, extra={"gap": growth.gap(stated_iv, implied_iv)})


def _weighted(shares: Sequence[float], rates: Sequence[float]) -> float:
    return sum(s * (1 + g / 100) for s, g in zip(shares, rates)) / sum(shares) * 100 - 100


def _growth_finding(ctx: Context, carrier: Figure, terms: Sequence[Decimal],
                    levels: list[Figure], rates: list[Figure], total: Figure) -> Finding:
    s_ivs = [_iv(t) for t in terms]
    g_ivs = [printed_interval(g) for g in rates]
    corners = list(itertools.product(*((iv.lo, iv.hi) for iv in s_ivs)))
    lo = min(_weighted(c, [iv.lo for iv in g_ivs]) for c in corners)
    hi = max(_weighted(c, [iv.hi for iv in g_ivs]) for c in corners)
    implied_iv = Interval(lo, hi)
    implied = _weighted([float(t) for t in terms], [float(g.value) for g in rates])
    stated_iv = printed_interval(total)
    verdict, severity = judge(ctx, stated_iv, implied_iv, float(total.value), implied, unit="%")
    ok = verdict == "consistent"
    ratio = ":".join(format(t, "f") for t in terms)
    terms_text = " + ".join(f"{t}×(1{'+' if g.value >= 0 else '−'}{abs(g.value)}%)"
                            for t, g in zip(terms, rates))
    return Finding(
        rule="structure", verdict=verdict, severity=severity,
        figures=(total, carrier, *levels, *rates),
        stated=float(total.value), computed=implied, interval=str(implied_iv), unit="%",
        message_zh=(f"按上年产业结构{ratio}加权三次产业增速，地区生产总值应增长{fmt(implied)}%，"
                    f"文中为{show(total)}{'，一致' if ok else '，不符'}"),
        message_en=(f"last year's structure {ratio} weighted by the sectors' growth gives GDP "
                    f"growth {fmt(implied)} %, stated {show(total)}"
                    f"{'' if ok else ' (does not match)'}"),
        arithmetic=(f"({terms_text}) / {sum(terms)} − 1 = {fmt(implied)} %; "
                    + verdict_text(f"stated {show(total)}", stated_iv, implied_iv, verdict)),
        tolerance=ctx.tolerance_note((*rates, total)) + "; each share ±half its last digit",
        indicator="地区生产总值", year=total.year,
        extra={"gap": growth.gap(stated_iv, implied_iv)})
