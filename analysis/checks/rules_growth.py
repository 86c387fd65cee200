"""Built-in rules about growth: stated rates vs the levels they derive from.

Rules (issue 3 numbering): ``avg_growth`` (1), ``cumulative`` (6: cumulative
growth and multiples vs levels and average rates), ``pp_change`` (changes in
percentage points vs the two rates), ``yoy_levels`` and ``history`` (10:
revision warnings; a target needing a rate far above the indicator's own
history).  A stated rate that only fits a comparable-price (可比价) reading is
a warning, not an inconsistency.  Formulas are in :mod:`analysis.growth`.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from analysis import growth
from analysis.checks.core import (
    Context,
    Finding,
    base_interval,
    best,
    fmt,
    guard,
    indicator_of,
    judge,
    period_years,
    prefix_words,
    printed_interval,
    regions_match,
    rule,
    show,
    show_value,
    verdict_text,
)
from analysis.figures.model import Figure
from analysis.growth import Interval

__all__ = ["REAL_CUES"]

RATE_KINDS = ("avg_growth", "yoy_growth", "cum_growth", "share", "rate")
# Words saying a rate is at comparable prices / on a comparable basis (a real rate).
REAL_CUES = re.compile(r"可比价|可比口径|按可比|不变价|扣除价格因素|实际增长|实际年均|实际下降")
# Words saying a rate or level is nominal (at current prices).
NOMINAL_CUES = re.compile(r"现价|当年价|名义")


def _levels(ctx: Context, f: Figure, year: int) -> list[Figure]:
    name = indicator_of(f)
    if not name:
        return []
    return [x for x in ctx.of(name, year=year, canonical=bool(f.indicator_canonical))
            if regions_match(f, x)]


def _same_quote_levels(ctx: Context, g: Figure) -> tuple[Figure, Figure] | None:
    """The two levels the sentence itself gives: "由2015年的151.45亿元增长至2020年的164.80亿元"."""
    name = indicator_of(g)
    if not name:
        return None
    inq = sorted((x for x in ctx.of(name, canonical=bool(g.indicator_canonical))
                  if x.quote_start == g.quote_start and x.quote_end == g.quote_end),
                 key=lambda x: x.start)
    before = [x for x in inq if x.end <= g.start][-2:]
    after = [x for x in inq if x.start >= g.end][:2]
    for pair in (before, after):  # "由…的X增长至…的Y，年均增长r" or "年均增长r，从X增加到Y"
        if len(pair) == 2 and _ascending(pair[0], pair[1]):
            return pair[0], pair[1]
    return None


def _ascending(a: Figure, b: Figure) -> bool:
    return a.year is not None and b.year is not None and a.year < b.year


def _level_pairs(ctx: Context, g: Figure) -> tuple[list[dict[str, Figure]], int] | None:
    """Base and end level combinations for a rate figure, and the years between them."""
    pair = _same_quote_levels(ctx, g)
    if pair is not None:
        a, b = pair
        assert a.year is not None and b.year is not None
        return [{"base": a, "end": b}], b.year - a.year
    span = period_years(g)
    if span is None:
        return None
    base_year, end_year = span
    combos = [{"base": a, "end": b} for a in _levels(ctx, g, base_year)
              for b in _levels(ctx, g, end_year)
              if a.base_unit == b.base_unit and regions_match(a, b)]
    return combos, end_year - base_year


def _ratio_text(base: Figure, end: Figure) -> str:
    if base.unit == end.unit and base.scale == end.scale:
        return f"{show_value(end)} / {show_value(base)}"
    return f"{show(end)} / {show(base)}"


def _clause(f: Figure) -> str:
    """The figure's own clause (words before it back to the last comma), else its quote."""
    return prefix_words(f) or f.quote


def real_growth_verdict(g: Figure, verdict: str, severity: str | None,
                 inputs: tuple[Figure, ...] = ()) -> tuple[str, str | None, str]:
    """A real rate (可比价/实际 in its clause or sentence) against nominal levels (现价/名义, or
    unmarked: NBS levels are at current prices) may differ by the price change: verdict
    ``consistent_if_real_growth``, never inconsistent.  When the rate itself says 名义 (or
    nothing), or the levels are marked real too, the rate and the levels are compared."""
    if verdict != "inconsistent":
        return verdict, severity, ""
    own = _clause(g)
    real = REAL_CUES.search(own) or (REAL_CUES.search(g.quote) and not NOMINAL_CUES.search(own))
    levels_real = any(REAL_CUES.search(prefix_words(f)) for f in inputs)
    if real and not NOMINAL_CUES.search(own) and not levels_real:
        note = ("comparable-price (real) rate against nominal levels: they differ by the "
                "price change")
        return "consistent_if_real_growth", None, note
    return verdict, severity, ""


def _rate_finding(ctx: Context, name: str, g: Figure, inputs: tuple[Figure, ...],
                  implied_iv: Interval, implied: float, formula: str, what_zh: str,
                  what_en: str) -> Finding:
    stated_iv = printed_interval(g)
    verdict, severity = judge(ctx, stated_iv, implied_iv, float(g.value), implied, unit="%")
    verdict, severity, note = real_growth_verdict(g, verdict, severity, inputs)
    d = max(2, g.decimals)
    arithmetic = f"{formula} = {fmt(implied, d)} %; " + verdict_text(
        f"stated {show(g)}", stated_iv, implied_iv, verdict)
    ind = indicator_of(g) or ""
    if verdict == "consistent":
        zh = f"{ind}{what_zh}{show(g)}与水平值推算的{fmt(implied, d)}%一致"
        en = f"{ind}: stated {what_en} {show(g)} agrees with {fmt(implied, d)} % from the levels"
    else:
        zh = f"{ind}{what_zh}{show(g)}与水平值推算的{fmt(implied, d)}%不符"
        en = (f"{ind}: stated {what_en} {show(g)} does not match {fmt(implied, d)} % "
              "implied by the levels")
        if note:
            zh += "（文中注明可比价口径，可能为实际增速）"
            en += f" ({note})"
    return Finding(
        rule=name, verdict=verdict, severity=severity, figures=(g, *inputs),
        stated=float(g.value), computed=implied, interval=str(implied_iv), unit="%",
        message_zh=zh, message_en=en, arithmetic=arithmetic,
        tolerance=ctx.tolerance_note((*inputs, g)), indicator=ind, year=g.year,
        extra={"gap": growth.gap(stated_iv, implied_iv)},
    )


# --------------------------------------------------------------------------- rule 1

@rule("avg_growth")
def avg_growth(ctx: Context) -> Iterator[Finding]:
    """Stated average annual growth vs the CAGR of the base and end levels (水平法)."""
    for g in ctx.figures:
        if g.kind != "avg_growth" or not indicator_of(g):
            continue
        found = _level_pairs(ctx, g)
        if found is None:
            continue
        combos, years = found

        def evaluate(c: dict[str, Figure], g: Figure = g, years: int = years) -> Finding:
            b, e = c["base"], c["end"]
            implied_iv = growth.cagr_interval(base_interval(b), base_interval(e), years)
            implied = growth.cagr(b.normalized, e.normalized, years)
            formula = f"({_ratio_text(b, e)})^(1/{years}) − 1"
            return _rate_finding(ctx, "avg_growth", g, (b, e), implied_iv, implied, formula,
                                 f"{b.year}—{e.year}年年均增长", f"average growth {b.year}–{e.year}")

        f = best(ctx, g, combos, evaluate)
        if f is not None:
            yield f


# --------------------------------------------------------------------------- rule 10 (revisions)

#: More candidate (base, end) level pairs than this for one stated rate: the text prints the
#: indicator too often to know which two levels the rate relates (and pairing would grow
#: with the square of the count), so no check.
MAX_READINGS = 16


@rule("yoy_levels")
def yoy_levels(ctx: Context) -> Iterator[Finding]:
    """Stated year-on-year growth vs the two consecutive levels; a gap is a revision warning.

    Official yoy rates are computed on a comparable basis (revised previous-year
    levels), so level-over-level growth of first-published levels can differ
    (NBS retail sales 2018: 4.0 % vs 9.0 % stated): a warning, never inconsistent.
    """
    for g in ctx.figures:
        if g.kind != "yoy_growth" or g.year is None or not indicator_of(g):
            continue
        base_year = g.base_year if g.base_year is not None else g.year - 1
        bases, ends = _levels(ctx, g, base_year), _levels(ctx, g, g.year)
        if len(bases) * len(ends) > MAX_READINGS:
            continue              # many different levels for one year: ambiguous, no check
        combos = [{"base": a, "end": b} for a in bases for b in ends
                  if a.base_unit == b.base_unit and ctx.same_period(a, b)
                  and ctx.same_period(b, g)]

        def evaluate(c: dict[str, Figure], g: Figure = g) -> Finding:
            b, e = c["base"], c["end"]
            implied_iv = growth.cumulative_interval(base_interval(b), base_interval(e))
            implied = growth.cumulative_growth(b.normalized, e.normalized)
            f = _rate_finding(ctx, "yoy_levels", g, (b, e), implied_iv, implied,
                              f"{_ratio_text(b, e)} − 1", f"{e.year}年同比增长",
                              f"yoy growth {e.year}")
            if f.verdict != "inconsistent":
                return f
            d = max(2, g.decimals)
            return Finding(
                **{**_fields(f), "verdict": "warning", "severity": None,
                   "message_zh": (f"{f.indicator}{e.year}年同比{show(g)}与两年水平值之比"
                                  f"{fmt(implied, d)}%不同：同比增速按可比口径（上年数据修订）"
                                  "计算，属基数修订，非计算错误"),
                   "message_en": (f"{f.indicator}: stated {e.year} yoy {show(g)} differs from "
                                  f"level-over-level {fmt(implied, d)} %: yoy rates use the "
                                  "revised (comparable-basis) previous year — a base revision, "
                                  "not an arithmetic error")})

        f = best(ctx, g, combos, evaluate)
        if f is not None:
            yield f


def _fields(f: Finding) -> dict:
    return {k: getattr(f, k) for k in f.__dataclass_fields__}


# --------------------------------------------------------------------------- rule 6

def _avg_rates(ctx: Context, f: Figure, base_year: int, end_year: int) -> list[Figure]:
    name = indicator_of(f)
    return [g for g in ctx.of(name, ("avg_growth",), canonical=bool(f.indicator_canonical))
            if period_years(g) == (base_year, end_year) and regions_match(f, g)] if name else []


def _stated_factor(g: Figure) -> tuple[Interval, float, str]:
    """Growth factor (new/old) a cumulative growth or multiple states, as interval and point."""
    iv = printed_interval(g)
    if g.kind == "cum_growth":
        return (Interval(1 + max(iv.lo, -100) / 100, 1 + iv.hi / 100),
                1 + float(g.value) / 100, "1 + cumulative growth")
    form = str(g.form or g.extra.get("form") or "times_of")
    return growth.factor_interval(iv, form), growth.factor_from_multiple(g.value, form), form


@rule("cumulative")
def cumulative(ctx: Context) -> Iterator[Finding]:
    """Cumulative growth (较2015年增长…%) and multiples (翻一番, 为…的n倍) vs levels and
    stated average rates over the same years, compared as growth factors."""
    for g in ctx.figures:
        if g.kind not in ("cum_growth", "multiple") or g.year is None or g.base_year is None:
            continue
        if not indicator_of(g) or g.year <= g.base_year:
            continue
        try:
            stated_iv, stated, form = _stated_factor(g)
        except (ValueError, ArithmeticError):
            continue
        years = g.year - g.base_year
        level_combos = [{"base": a, "end": b} for a in _levels(ctx, g, g.base_year)
                        for b in _levels(ctx, g, g.year) if a.base_unit == b.base_unit]

        by_levels = functools.partial(_factor_by_levels, ctx, g, stated_iv, stated, form)
        f = best(ctx, g, level_combos, by_levels)
        if f is not None:
            yield f
        for r in _avg_rates(ctx, g, g.base_year, g.year):
            f = guard((g, r), functools.partial(_factor_by_rate, ctx, g, r, years, stated_iv,
                                                stated, form))
            if f is not None:
                yield f


def _factor_by_rate(ctx: Context, g: Figure, r: Figure, years: int, stated_iv: Interval,
                    stated: float, form: str) -> Finding:
    """A stated growth factor vs an average rate over the same years: (1 + r)^years."""
    implied_iv = growth.project_interval(1, printed_interval(r), years)
    implied = growth.project(1, r.value, years)
    return _factor_finding(ctx, g, (r,), stated_iv, stated, implied_iv, implied,
                           f"(1 + {show_value(r)} %)^{years}", form)


def _factor_by_levels(ctx: Context, g: Figure, stated_iv: Interval, stated: float, form: str,
                      c: dict[str, Figure]) -> Finding:
    """A stated growth factor vs the ratio of the end and base levels."""
    b, e = c["base"], c["end"]
    implied_iv = growth.div(base_interval(e), base_interval(b))
    implied = e.normalized / b.normalized
    return _factor_finding(ctx, g, (b, e), stated_iv, stated, implied_iv, implied,
                           _ratio_text(b, e), form)


def _factor_finding(ctx: Context, g: Figure, inputs: tuple[Figure, ...], stated_iv: Interval,
                    stated: float, implied_iv: Interval, implied: float, formula: str,
                    form: str) -> Finding:
    verdict, severity = judge(ctx, stated_iv, implied_iv, stated, implied)
    verdict, severity, note = real_growth_verdict(g, verdict, severity, inputs)
    ind = indicator_of(g) or ""
    what = "累计增长" if g.kind == "cum_growth" else "倍数"
    ok = verdict == "consistent"
    zh = (f"{ind}{g.year}年较{g.base_year}年{what}{show(g)}（增长倍数{fmt(stated, 3)}）"
          f"与推算的{fmt(implied, 3)}倍{'一致' if ok else '不符'}")
    en = (f"{ind}: {g.base_year}→{g.year} {g.kind.replace('_', ' ')} {show(g)} (factor "
          f"{fmt(stated, 3)}, {form}) {'agrees with' if ok else 'does not match'} "
          f"the factor {fmt(implied, 3)} implied{' (' + note + ')' if note else ''}")
    return Finding(
        rule="cumulative", verdict=verdict, severity=severity, figures=(g, *inputs),
        stated=stated, computed=implied, interval=str(implied_iv), unit="x",
        message_zh=zh, message_en=en,
        arithmetic=f"{formula} = {fmt(implied, 4)}; " + verdict_text(
            f"stated factor {fmt(stated, 4)} ({show(g)})", stated_iv, implied_iv, verdict),
        tolerance=ctx.tolerance_note((*inputs, g)), indicator=ind, year=g.year,
        extra={"gap": growth.gap(stated_iv, implied_iv)},
    )


# --------------------------------------------------------------------------- pp changes

@rule("pp_change")
def pp_change(ctx: Context) -> Iterator[Finding]:
    """A change in percentage points (提高0.2个百分点) vs the rates or shares of both years.

    Skipped when the document prints no rate of the same kind for the base
    year (003: 年均增速较"十二五"期间提高77.82个百分点 has no 十二五 rate).
    Contributions (拉动…个百分点) are the ``contribution`` rule's.
    """
    for g in ctx.figures:
        if g.kind != "pp_change" or g.year is None or g.base_year is None:
            continue
        name = indicator_of(g)
        if not name or "拉动" in g.quote[max(0, g.start - g.quote_start - 12):
                                         g.start - g.quote_start]:
            continue
        rates = [x for x in ctx.of(name, RATE_KINDS, canonical=bool(g.indicator_canonical))
                 if regions_match(g, x)]
        combos = [{"old": a, "new": b} for a in rates if a.year == g.base_year
                  for b in rates if b.year == g.year and b.kind == a.kind]

        def evaluate(c: dict[str, Figure], g: Figure = g, name: str = name) -> Finding:
            a, b = c["old"], c["new"]
            implied_iv = growth.pp_change_interval(printed_interval(a), printed_interval(b))
            implied = growth.pp_change(a.value, b.value)
            stated_iv = printed_interval(g)
            verdict, severity = judge(ctx, stated_iv, implied_iv, float(g.value), implied,
                                      unit="pp")
            ind = name
            return Finding(
                rule="pp_change", verdict=verdict, severity=severity, figures=(g, a, b),
                stated=float(g.value), computed=implied, interval=str(implied_iv), unit="pp",
                message_zh=(f"{ind}{g.year}年较{g.base_year}年变动{show(g)}，"
                            f"两年数值之差为{fmt(implied)}个百分点"),
                message_en=(f"{ind}: stated change {show(g)} pp {g.base_year}→{g.year}; "
                            f"the two values differ by {fmt(implied)} pp"),
                arithmetic=f"{show_value(b)} − {show_value(a)} = {fmt(implied)} pp; " + (
                    verdict_text(f"stated {show(g)}", stated_iv, implied_iv, verdict)),
                tolerance=ctx.tolerance_note((a, b, g)), indicator=ind, year=g.year,
                extra={"gap": growth.gap(stated_iv, implied_iv)})

        f = best(ctx, g, combos, evaluate)
        if f is not None:
            yield f


# --------------------------------------------------------------------------- rule 10 (history)

#: A required rate is "far above" history when it exceeds the highest past
#: rate by this many percentage points and by this factor (both).
HISTORY_GAP_PP = 5.0
HISTORY_FACTOR = 2.0


def _history(ctx: Context, target: Figure, before: int) -> list[tuple[float, str, tuple]]:
    """Past average rates of the indicator ending by ``before``: stated (average, or
    cumulative growth over its years), else the CAGR of the actual levels."""
    name = indicator_of(target)
    out: list[tuple[float, str, tuple]] = []
    for g in ctx.of(name, ("avg_growth",), status="actual",
                    canonical=bool(target.indicator_canonical)) if name else []:
        span = period_years(g)
        if span and span[1] <= before and regions_match(target, g):
            out.append((float(g.value), f"{span[0]}—{span[1]} stated {show(g)}", (g,)))
    for g in ctx.of(name, ("cum_growth",), status="actual",
                    canonical=bool(target.indicator_canonical)) if name else []:
        if (g.base_year is not None and g.year is not None and g.base_year < g.year <= before
                and regions_match(target, g)):
            rate = growth.avg_from_cumulative(g.value, g.year - g.base_year)
            out.append((rate, f"{g.base_year}—{g.year} from cumulative {show(g)}", (g,)))
    if out:
        return out
    actual = [(x.year, x) for x in (ctx.of(name, status="actual",
                                           canonical=bool(target.indicator_canonical))
                                    if name else [])
              if x.year is not None and x.year <= before and x.qualifier is None
              and x.base_unit == target.base_unit and regions_match(target, x)]
    if len({y for y, _ in actual}) >= 2:
        (y0, a), (y1, b) = min(actual, key=lambda p: p[0]), max(actual, key=lambda p: p[0])
        rate = growth.cagr(a.normalized, b.normalized, y1 - y0)
        out.append((rate, f"{y0}—{y1} from levels {show(a)} → {show(b)}", (a, b)))
    return out


@rule("history")
def history(ctx: Context) -> Iterator[Finding]:
    """Warn when a target needs a growth rate far above the indicator's own past rate.

    Required rate = CAGR from the latest actual level to the target level; past
    rate = the highest stated average rate ending by then (else the CAGR of the
    actual levels).  E.g. 003: 164.80亿元 (2020) to 突破280亿元 (2025) needs
    11.2 % a year after five years of 2.58 %.
    """
    for t in ctx.figures:
        if t.kind != "level" or t.status != "target" or t.year is None:
            continue
        name = indicator_of(t)
        if not name or not t.indicator_canonical:
            continue
        bases = [x for x in ctx.of(name, status="actual", base_unit=t.base_unit)
                 if x.year is not None and x.year < t.year and regions_match(t, x)]
        if not bases:
            continue
        latest = max(x.year for x in bases)  # type: ignore[type-var]
        combos = [{"base": b} for b in bases if b.year == latest]

        def evaluate(c: dict[str, Figure], t: Figure = t, name: str = name) -> Finding | None:
            b = c["base"]
            assert b.year is not None and t.year is not None
            past = _history(ctx, t, b.year)
            if not past:
                return None
            years = t.year - b.year
            req_iv = growth.cagr_interval(base_interval(b), base_interval(t), years)
            req = growth.cagr(b.normalized, t.normalized, years)
            top, how, used = max(past, key=lambda p: p[0])
            limit = max(top + HISTORY_GAP_PP, top * HISTORY_FACTOR)
            far = req_iv.lo > limit
            verdict = "warning" if far else "consistent"
            figs = (t, b, *used)
            return Finding(
                rule="history", verdict=verdict, figures=figs, stated=top, computed=req,
                interval=str(req_iv), unit="%",
                message_zh=(f"{name}从{b.year}年{show(b)}到{t.year}年{show(t)}需年均增长"
                            f"{fmt(req)}%，{'远高于' if far else '不明显高于'}过去的{fmt(top)}%"),
                message_en=(f"{name}: reaching {show(t)} in {t.year} from {show(b)} in {b.year} "
                            f"needs {fmt(req)} % a year, "
                            f"{'far above' if far else 'not far above'} the past {fmt(top)} % "
                            f"({how})"),
                arithmetic=(f"({_ratio_text(b, t)})^(1/{years}) − 1 = {fmt(req)} % "
                            f"{'>' if far else '≤'} max({fmt(top)} + {HISTORY_GAP_PP:g}, "
                            f"{HISTORY_FACTOR:g} × {fmt(top)}) = {fmt(limit)} %; "
                            f"required {req_iv}"),
                tolerance=ctx.tolerance_note((b, t)), indicator=name, year=t.year,
                extra={"gap": 0.0})

        f = best(ctx, t, combos, evaluate)
        if f is not None:
            yield f
