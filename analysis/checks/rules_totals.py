"""Built-in rules about totals: sums, parts, shares, ratios and contributions.

Rules (issue 3 numbering): ``sum_of_parts`` (3), ``growth_of_parts`` (4),
``share`` (5), ``part_whole`` (7), ``derived_ratio`` and ``contribution`` (9).
Which indicators add up, contain or divide each other is data:
``analysis/lexicons/relations.yaml``.  Levels are compared in base units.
"""
from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence

from analysis import growth, lexicons
from analysis.checks.core import (
    Context,
    Finding,
    base_interval,
    best,
    distinct,
    fmt,
    guard,
    in_unit,
    indicator_of,
    is_period_total,
    iv_in,
    judge,
    period_years,
    place,
    printed_interval,
    regions_match,
    rule,
    show,
    show_value,
    trim,
    verdict_text,
)
from analysis.checks.rules_growth import real_growth_verdict
from analysis.checks.rules_repeats import LEVEL_KINDS
from analysis.checks.severity import classify
from analysis.figures.model import Figure
from analysis.growth import Interval

__all__ = ["named_before"]


# --------------------------------------------------------------------------- helpers for totals

def _zh_year(f: Figure) -> str:
    return f"{f.year}年" if f.year is not None else ""


def _en_year(f: Figure) -> str:
    return f"{f.year} " if f.year is not None else ""


def _at(ctx: Context, name: str, year: int | None, status: str, base_unit: str,
        kinds: Sequence[str] = LEVEL_KINDS) -> list[Figure]:
    """Figures of ``name`` in ``year``; year None: figures with no year (nor period) printed."""
    found = ctx.of(name, kinds, year=year, status=status, base_unit=base_unit)
    return found if year is not None else [f for f in found if f.year is None and not f.period]


def _keys(ctx: Context, name: str) -> set[tuple[int | None, str, str]]:
    return {(f.year, f.status, f.base_unit) for f in ctx.of(name)
            if f.year is not None or not f.period}


#: Figures without a printed year are combined only when this close (characters): a
#: release about 前三季度 names the period once, its sentences follow each other.
NEAR = 300


def _combos(ctx: Context, roles: dict[str, list[Figure]]) -> list[dict[str, Figure]]:
    """Every choice of one figure per role (distinct statements only), regions matching."""
    names = list(roles)
    out = []
    for choice in itertools.product(*(distinct(roles[n]) for n in names)):
        undated = any(f.year is None for f in choice)
        if undated and max(f.start for f in choice) - min(f.start for f in choice) > NEAR:
            continue
        if all(regions_match(x, y) and ctx.same_period(x, y)
               for x, y in itertools.combinations(choice, 2)):
            out.append(dict(zip(names, choice)))
    return out


def _per_place(ctx: Context, roles: dict[str, list[Figure]]
               ) -> list[list[dict[str, Figure]]]:
    """Combinations within each place that has every role; else one unambiguous mixed one."""
    places = sorted({place(f) for figs in roles.values() for f in figs})
    out = []
    for p in places:
        sub = {k: [f for f in v if place(f) == p] for k, v in roles.items()}
        if all(sub.values()):
            out.append(_combos(ctx, sub))
    if not out and all(len(distinct(v)) == 1 for v in roles.values()):
        out.append(_combos(ctx, roles))
    return [c for c in out if c]


def _sum_applies(ctx: Context, part: str, total: str, year: int | None, status: str, base_unit: str,
                 where: tuple[str, str]) -> bool:
    """Whether sum_of_parts checks ``part`` with ``total`` at this year in this place."""
    for parts in ctx.relations.sums.get(total, ()):
        if part in parts and all(
                any(place(f) == where for f in _at(ctx, p, year, status, base_unit))
                for p in (*parts, total)):
            return True
    return False


# --------------------------------------------------------------------------- rule 3

@rule("sum_of_parts")
def sum_of_parts(ctx: Context) -> Iterator[Finding]:
    """A total vs the sum of its parts (出口 + 进口 = 进出口总额; 城镇 + 乡村; 商品零售 + 餐饮)."""
    for total, decomps in ctx.relations.sums.items():
        for parts in decomps:
            for year, status, bu in sorted(_keys(ctx, total), key=str):
                roles = {"total": _at(ctx, total, year, status, bu)}
                roles.update({p: _at(ctx, p, year, status, bu) for p in parts})
                if not all(roles.values()):
                    continue
                for combos in _per_place(ctx, roles):
                    f = best(ctx, None, combos, functools.partial(_by_role, _sum_finding, ctx,
                                                                  parts))
                    if f is not None:
                        yield f


def _by_role(finding: Callable[[Context, Figure, list[Figure]], Finding], ctx: Context,
             parts: tuple[str, ...], c: dict[str, Figure]) -> Finding:
    """Call a total-vs-parts finding on one combination of figures by role."""
    return finding(ctx, c["total"], [c[p] for p in parts])


def _sum_finding(ctx: Context, t: Figure, parts: list[Figure]) -> Finding:
    implied_iv = base_interval(parts[0])
    for p in parts[1:]:
        implied_iv = growth.add(implied_iv, base_interval(p))
    implied = sum(p.normalized for p in parts)
    t_iv = base_interval(t)
    verdict, severity = judge(ctx, t_iv, implied_iv, t.normalized, implied)
    same = all(p.unit == t.unit and p.scale == t.scale for p in parts)
    terms = " + ".join(show_value(p) if same else show(p) for p in parts)
    d = max(2, t.decimals)
    shown = iv_in(t, implied_iv)
    names = " + ".join(indicator_of(p) or "" for p in parts)
    ok = verdict == "consistent"
    return Finding(
        rule="sum_of_parts", verdict=verdict, severity=severity, figures=(t, *parts),
        stated=float(t.value), computed=in_unit(t, implied), interval=str(shown), unit=t.unit,
        message_zh=(f"{_zh_year(t)}{indicator_of(t)}{show(t)}与{names}之和"
                    f"{fmt(in_unit(t, implied), d)}{t.unit}{'一致' if ok else '不符'}"),
        message_en=(f"{_en_year(t)}{indicator_of(t)} {show(t)} {'equals' if ok else 'differs from'} "
                    f"the sum of {names}, {fmt(in_unit(t, implied), d)}{t.unit}"),
        arithmetic=(f"{terms} = {fmt(in_unit(t, implied), d)}{'' if same else t.unit}; "
                    + verdict_text(f"stated {show(t)}", printed_interval(t), shown, verdict)),
        tolerance=ctx.tolerance_note((*parts, t)), indicator=indicator_of(t), year=t.year,
        extra={"gap": growth.gap(t_iv, implied_iv)})


# --------------------------------------------------------------------------- rule 4

def _growth_of(ctx: Context, level: Figure) -> Figure | None:
    """The yoy growth printed with a level: same indicator and year, same quote, nearest after."""
    name = indicator_of(level)
    cands = [g for g in ctx.of(name, ("yoy_growth",), year=level.year)
             if (g.quote_start, g.quote_end) == (level.quote_start, level.quote_end)
             and g.start >= level.end] if name else []
    return min(cands, key=lambda g: g.start) if cands else None


@rule("growth_of_parts")
def growth_of_parts(ctx: Context) -> Iterator[Finding]:
    """Year-on-year growth of a total vs its parts' levels and growth rates.

    Previous-year levels are the parts' levels deflated by their own rates;
    the total's implied rate is its level over their sum (004: 出口 454.6亿元
    −1.8 %, 进口 19.8亿元 +48.9 % ⇒ 进出口 474.4亿元 −0.38 %).
    """
    for total, decomps in ctx.relations.sums.items():
        for parts in decomps:
            for year, status, bu in sorted(_keys(ctx, total), key=str):
                roles = {"total": _at(ctx, total, year, status, bu)}
                roles.update({p: _at(ctx, p, year, status, bu) for p in parts})
                roles = {k: [f for f in v if _growth_of(ctx, f)] for k, v in roles.items()}
                if not all(roles.values()):
                    continue
                for combos in _per_place(ctx, roles):
                    f = best(ctx, None, combos, functools.partial(_by_role, _growth_finding, ctx,
                                                                  parts))
                    if f is not None:
                        yield f


def _previous(level: Figure, g: Figure) -> tuple[Interval, float]:
    """Previous-year level implied by a level and its yoy growth: L / (1 + g)."""
    g_iv = printed_interval(g)
    factor = Interval(1 + max(g_iv.lo, -100) / 100, 1 + g_iv.hi / 100)
    return growth.div(base_interval(level), factor), level.normalized / (1 + float(g.value) / 100)


def _growth_finding(ctx: Context, t: Figure, parts: list[Figure]) -> Finding:
    gt = _growth_of(ctx, t)
    gs = [_growth_of(ctx, p) for p in parts]
    assert gt is not None and all(gs)
    prev = [_previous(p, g) for p, g in zip(parts, gs)]  # type: ignore[arg-type]
    t0_iv = prev[0][0]
    for iv, _ in prev[1:]:
        t0_iv = growth.add(t0_iv, iv)
    t0 = sum(x for _, x in prev)
    implied_iv = growth.cumulative_interval(t0_iv, base_interval(t))
    implied = growth.cumulative_growth(t0, t.normalized)
    stated_iv = printed_interval(gt)
    verdict, severity = judge(ctx, stated_iv, implied_iv, float(gt.value), implied, unit="%")
    # a real (不变价/可比价) total rate against its parts' current-price levels: the weights
    # differ by the price changes, so a gap is not an error
    verdict, severity, real_note = real_growth_verdict(gt, verdict, severity, (t, *parts))
    d = max(2, gt.decimals)
    deflated = " + ".join(f"{show_value(p)}/(1{float(g.value):+g}%)"  # type: ignore[union-attr]
                          for p, g in zip(parts, gs))
    ok = verdict == "consistent"
    name = indicator_of(t)
    return Finding(
        rule="growth_of_parts", verdict=verdict, severity=severity,
        figures=(gt, t, *parts, *gs),  # type: ignore[arg-type]
        stated=float(gt.value), computed=implied, interval=str(implied_iv), unit="%",
        message_zh=(f"{_zh_year(t)}{name}增速{show(gt)}与各部分水平和增速推算的{fmt(implied, d)}%"
                    f"{'一致' if ok else '不符'}"),
        message_en=(f"{_en_year(t)}{name} growth {show(gt)} {'agrees with' if ok else 'differs from'}"
                    f" {fmt(implied, d)} % implied by its parts' levels and growth"),
        arithmetic=(f"previous year = {deflated} = {fmt(in_unit(t, t0), 2)}; "
                    f"{show_value(t)} / {fmt(in_unit(t, t0), 2)} − 1 = {fmt(implied, d)} %; "
                    + verdict_text(f"stated {show(gt)}", stated_iv, implied_iv, verdict)
                    + (f"; {real_note}" if real_note else "")),
        tolerance=ctx.tolerance_note((*parts, *gs, t, gt)),  # type: ignore[arg-type]
        indicator=name, year=t.year, extra={"gap": growth.gap(stated_iv, implied_iv)})


# --------------------------------------------------------------------------- rule 5

_SHARE_GAP = re.compile(r"^[\s，,、（(]*(?:占比|占|比重|占全[区市县省国]?比重|为)?[\s]*$")


def _share_part(ctx: Context, s: Figure) -> Figure | None:
    """The part a share belongs to: the last level before it in its sentence, when only
    a comma and 占比 stand between ("4.3亿元，占比38.9%") or the share is stated of that
    level's own indicator ("出口额…109.5亿元，年均增长5.88%，占…比重为85.1%")."""
    cands = [f for f in ctx.figures
             if (f.quote_start, f.quote_end) == (s.quote_start, s.quote_end)
             and f.kind == "level" and f.end <= s.start]
    if not cands:
        return None
    p = max(cands, key=lambda f: f.end)
    between = s.quote[p.end - s.quote_start:s.start - s.quote_start]
    if p.unit and between.startswith(p.unit):  # a span that stops before the unit
        between = between[len(p.unit):]
    if _SHARE_GAP.match(between):
        return p
    same_subject = p.indicator_canonical and p.indicator_canonical == s.indicator_canonical
    return p if same_subject else None


def _explicit_year(f: Figure) -> bool:
    """The year is printed with the figure (a table cell, or the year in its sentence)."""
    return f.year is not None and (f.source == "table" or f"{f.year}" in f.quote)


@functools.cache
def _alias_re() -> re.Pattern:
    aliases = sorted(lexicons.alias_index(), key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in aliases))


def named_before(f: Figure) -> str | None:
    """The lexicon indicator named last in the sentence before ``f``: the parent of a
    breakdown ("主要进口产品由贱金属(10.49亿元…" -> 进口额)."""
    head = f.quote[:max(0, f.start - f.quote_start)]
    found = list(_alias_re().finditer(head))
    return lexicons.alias_index()[found[-1].group()] if found else None


def _years(s: Figure, p: Figure) -> set[int] | None:
    """Years the share may refer to: its own or its part's, else its period; None = any."""
    year = s.year if s.year is not None else p.year
    if year is not None:
        return {year}
    span = period_years(s) or period_years(p)
    return set(range(span[0] + 1, span[1] + 1)) if span else None


@rule("share")
def share(ctx: Context) -> Iterator[Finding]:
    """A part and its share vs the whole (4.3亿元 占38.9% ⇒ 11.05亿元, vs 进口额 11.04亿元).

    The whole is the share's own indicator, the part's, a total either belongs
    to (relations.yaml), or the indicator the sentence names before the part,
    at the same year (or within the sentence's period).  When the base is
    ambiguous — the year is not printed with the share, or several wholes could
    be meant — only a matching whole is reported (consistent); a mismatch is
    skipped, never inconsistent (003: 贱金属 10.49亿元 占比50.2% is a share of
    an earlier year's imports).
    """
    for s in ctx.figures:
        if s.kind != "share" or s.value <= 0:
            continue
        p = _share_part(ctx, s)
        if p is None:
            continue
        years = _years(s, p)
        if s.whole:
            # the share names its whole (占全社会用电量的比重): only that indicator will do
            names = [lexicons.alias_index().get(s.whole) or s.whole]
        else:
            names = [n for n in (s.indicator_canonical, p.indicator_canonical) if n]
            for n in list(names):
                names += ctx.relations.whole_of(n)
            if not names and (parent := named_before(p)):
                names = [parent]
        wholes = [w for n in dict.fromkeys(names) if n != indicator_of(p)
                  for w in ctx.of(n, ("level",), base_unit=p.base_unit)
                  if regions_match(w, p) and w.normalized > 0
                  and (w.quote_start, w.quote_end) != (p.quote_start, p.quote_end)
                  and (years is None or w.year in years)]
        if not wholes:
            continue
        decisive = (_explicit_year(s) or _explicit_year(p)) and len(
            {indicator_of(w) for w in wholes}) == 1 and len(distinct(wholes)) == 1
        found = [_share_finding(ctx, s, p, w) for w in distinct(wholes)]
        ok = [f for f in found if f.verdict == "consistent"]
        if ok:
            yield ok[0]
        elif decisive:
            yield found[0]


def _share_finding(ctx: Context, s: Figure, p: Figure, w: Figure) -> Finding:
    implied_iv = growth.whole_from_share_interval(base_interval(p), printed_interval(s))
    implied = growth.whole_from_share(p.normalized, s.value)
    w_iv = base_interval(w)
    verdict, severity = judge(ctx, w_iv, implied_iv, w.normalized, implied)
    shown = iv_in(w, implied_iv)
    d = max(2, w.decimals)
    ok = verdict == "consistent"
    name = indicator_of(w)
    return Finding(
        rule="share", verdict=verdict, severity=severity, figures=(s, p, w),
        stated=float(w.value), computed=in_unit(w, implied), interval=str(shown), unit=w.unit,
        message_zh=(f"{show(p)}占{show(s)}，推算总量{fmt(in_unit(w, implied), d)}{w.unit}，"
                    f"与{_zh_year(w)}{name}{show(w)}{'一致' if ok else '不符'}"),
        message_en=(f"{show(p)} at {show(s)} implies a whole of {fmt(in_unit(w, implied), d)}"
                    f"{w.unit}, which {'agrees with' if ok else 'differs from'} {_en_year(w)}"
                    f"{name} {show(w)}"),
        arithmetic=(f"{show(p)} / {show_value(s)} % = {fmt(in_unit(w, implied), d)}{w.unit}; "
                    + verdict_text(f"stated {show(w)}", printed_interval(w), shown, verdict)),
        tolerance=ctx.tolerance_note((p, s, w)), indicator=name, year=w.year,
        extra={"gap": growth.gap(w_iv, implied_iv)})


# --------------------------------------------------------------------------- rule 7

@rule("part_whole")
def part_whole(ctx: Context) -> Iterator[Finding]:
    """A part must not exceed its whole ("集中连片桑园10万亩" within "桑园达40万亩").

    Pairs: relations.yaml ``contains`` and every part of a sum, the latter only
    where sum_of_parts cannot run (not all parts printed).
    """
    for part, whole in ctx.relations.containments():
        for year, status, bu in sorted(_keys(ctx, whole), key=str):
            # a whole printed with 超过/以上 has no upper bound: it bounds no part
            roles = {"part": _at(ctx, part, year, status, bu),
                     "whole": [w for w in _at(ctx, whole, year, status, bu)
                               if math.isfinite(base_interval(w).hi)]}
            if not all(roles.values()):
                continue
            for combos in _per_place(ctx, roles):
                where = place(combos[0]["part"])
                if all(place(f) == where for f in combos[0].values()) and _sum_applies(
                        ctx, part, whole, year, status, bu, where):
                    continue
                f = best(ctx, None, combos, lambda c: _part_finding(ctx, c["part"], c["whole"]))
                if f is not None:
                    yield f


def _part_finding(ctx: Context, p: Figure, w: Figure, rule_name: str = "part_whole"
                  ) -> Finding:
    p_iv, w_iv = base_interval(p), base_interval(w)
    limit = w_iv.hi + ctx.slack(w_iv)
    ok = p_iv.lo <= limit
    verdict = "consistent" if ok else "inconsistent"
    # a part above its whole is impossible: at least major (a conclusion changes)
    severity = None if ok else classify(p_iv.lo, limit, conclusion_changes=True)
    return Finding(
        rule=rule_name, verdict=verdict, severity=severity, figures=(p, w),
        stated=float(p.value), computed=in_unit(p, w.normalized),
        interval=str(iv_in(p, Interval(-math.inf, limit))), unit=p.unit,
        message_zh=(f"{_zh_year(p)}{indicator_of(p)}{show(p)}{'不超过' if ok else '超过了'}"
                    f"{indicator_of(w)}{show(w)}"),
        message_en=(f"{_en_year(p)}{indicator_of(p)} {show(p)} {'is within' if ok else 'exceeds'} "
                    f"its whole, {indicator_of(w)} {show(w)}"),
        arithmetic=(f"part {show(p)} = {printed_interval(p)}{p.unit} "
                    f"{'≤' if ok else '>'} whole {show(w)} ≤ {trim(in_unit(p, limit))}{p.unit}"),
        tolerance=ctx.tolerance_note((p, w)), indicator=indicator_of(p), year=p.year,
        extra={"gap": max(0.0, p_iv.lo - limit)})


# --------------------------------------------------------------------------- rule 9

def _ratio_unit(num: Figure, den: Figure) -> str:
    return num.base_unit if den.base_unit == "count" else f"{num.base_unit}/{den.base_unit}"


@rule("derived_ratio")
def derived_ratio(ctx: Context) -> Iterator[Finding]:
    """Per-unit values printed with their inputs: per-capita = total / population,
    yield = output / area (relations.yaml ``ratios``), compared in base units."""
    for name, (num_name, den_name) in ctx.relations.ratios.items():
        for r in ctx.of(name, ("level",)):
            if r.year is None:
                continue
            roles = {"num": [f for f in ctx.of(num_name, year=r.year) if regions_match(f, r)],
                     "den": [f for f in ctx.of(den_name, year=r.year) if regions_match(f, r)]}
            combos = [c for c in _combos(ctx, roles)
                      if _ratio_unit(c["num"], c["den"]) == r.base_unit
                      and c["den"].normalized > 0]
            f = best(ctx, r, combos, functools.partial(_ratio_combo, ctx, r))
            if f is not None:
                yield f


def _ratio_combo(ctx: Context, r: Figure, c: dict[str, Figure]) -> Finding:
    return _ratio_finding(ctx, r, c["num"], c["den"])


def _ratio_finding(ctx: Context, r: Figure, num: Figure, den: Figure) -> Finding:
    implied_iv = growth.div(base_interval(num), base_interval(den))
    implied = num.normalized / den.normalized
    r_iv = base_interval(r)
    verdict, severity = judge(ctx, r_iv, implied_iv, r.normalized, implied)
    shown = iv_in(r, implied_iv)
    ok = verdict == "consistent"
    d = max(2, r.decimals)
    return Finding(
        rule="derived_ratio", verdict=verdict, severity=severity, figures=(r, num, den),
        stated=float(r.value), computed=in_unit(r, implied), interval=str(shown), unit=r.unit,
        message_zh=(f"{_zh_year(r)}{indicator_of(r)}{show(r)}与{indicator_of(num)}÷"
                    f"{indicator_of(den)}={fmt(in_unit(r, implied), d)}{r.unit}"
                    f"{'一致' if ok else '不符'}"),
        message_en=(f"{_en_year(r)}{indicator_of(r)} {show(r)} {'agrees with' if ok else 'differs from'}"
                    f" {indicator_of(num)} / {indicator_of(den)} = "
                    f"{fmt(in_unit(r, implied), d)}{r.unit}"),
        arithmetic=(f"{show(num)} / {show(den)} = {fmt(in_unit(r, implied), d)}{r.unit}; "
                    + verdict_text(f"stated {show(r)}", printed_interval(r), shown, verdict)),
        tolerance=ctx.tolerance_note((num, den, r)), indicator=indicator_of(r), year=r.year,
        extra={"gap": growth.gap(r_iv, implied_iv)})


def _cue_before(f: Figure, words: tuple[str, ...], width: int = 16) -> bool:
    rel = f.start - f.quote_start
    return any(w in f.quote[max(0, rel - width):rel] for w in words)


@rule("contribution")
def contribution(ctx: Context) -> Iterator[Finding]:
    """Contribution to a total's growth vs the part's and total's levels and growth.

    拉动…个百分点 (pp): g_part × part₀ / total₀.  贡献率 (%): Δpart / Δtotal.
    The part is the indicator whose yoy growth is printed before the
    contribution in the same sentence; its total comes from relations.yaml.
    """
    for c in ctx.figures:
        pulls = c.kind == "pp_change" and _cue_before(c, ("拉动",))
        rate = c.kind in ("rate", "share") and _cue_before(c, ("贡献率",))
        if not (pulls or rate) or c.year is None:
            continue
        before = [g for g in ctx.figures if g.kind == "yoy_growth" and g.end <= c.start
                  and (g.quote_start, g.quote_end) == (c.quote_start, c.quote_end)
                  and g.indicator_canonical]
        if not before:
            continue
        gp = max(before, key=lambda g: g.end)
        part = gp.indicator_canonical
        assert part is not None
        for total in [t for t in ctx.relations.whole_of(part) if t in ctx.relations.sums]:
            roles = {"part": [f for f in _at_any(ctx, part, c.year) if _growth_of(ctx, f) is gp
                              or (f.quote_start, f.quote_end) == (gp.quote_start, gp.quote_end)],
                     "total": [f for f in _at_any(ctx, total, c.year) if _growth_of(ctx, f)]}
            combos = [x for x in _combos(ctx, roles) if x["part"].base_unit == x["total"].base_unit]
            f = best(ctx, c, combos, functools.partial(_contribution_combo, ctx, c, gp, pulls))
            if f is not None:
                yield f


def _at_any(ctx: Context, name: str, year: int) -> list[Figure]:
    return ctx.of(name, ("level",), year=year)


def _contribution_combo(ctx: Context, c: Figure, gp: Figure, pulls: bool,
                        x: dict[str, Figure]) -> Finding:
    return _contribution_finding(ctx, c, gp, x["part"], x["total"], pulls)


def _contribution_finding(ctx: Context, c: Figure, gp: Figure, p: Figure, t: Figure,
                          pulls: bool) -> Finding:
    gt = _growth_of(ctx, t)
    assert gt is not None
    p0_iv, p0 = _previous(p, gp)
    t0_iv, t0 = _previous(t, gt)
    if pulls:  # pp: (part₁ − part₀) / total₀ × 100
        implied_iv = growth.scale(growth.div(growth.sub(base_interval(p), p0_iv), t0_iv), 100)
        implied = (p.normalized - p0) / t0 * 100
        formula = f"({show(p)} − {fmt(in_unit(p, p0), 2)}) / {fmt(in_unit(t, t0), 2)}"
        unit = "pp"
    else:  # 贡献率 %: Δpart / Δtotal × 100
        d_total = growth.sub(base_interval(t), t0_iv)
        implied_iv = growth.scale(growth.div(growth.sub(base_interval(p), p0_iv), d_total), 100)
        implied = (p.normalized - p0) / (t.normalized - t0) * 100
        formula = (f"({show(p)} − {fmt(in_unit(p, p0), 2)}) / ({show(t)} − "
                   f"{fmt(in_unit(t, t0), 2)})")
        unit = "%"
    stated_iv = printed_interval(c)
    verdict, severity = judge(ctx, stated_iv, implied_iv, float(c.value), implied,
                              unit=c.unit)
    ok = verdict == "consistent"
    what = "拉动" if pulls else "贡献率"
    return Finding(
        rule="contribution", verdict=verdict, severity=severity, figures=(c, gp, p, t, gt),
        stated=float(c.value), computed=implied, interval=str(implied_iv), unit=unit,
        message_zh=(f"{_zh_year(c)}{indicator_of(p)}对{indicator_of(t)}增长的{what}{show(c)}与推算的"
                    f"{fmt(implied)}{'一致' if ok else '不符'}"),
        message_en=(f"{_en_year(c)}contribution of {indicator_of(p)} to {indicator_of(t)} growth "
                    f"{show(c)} {'agrees with' if ok else 'differs from'} {fmt(implied)} {unit}"),
        arithmetic=f"{formula} × 100 = {fmt(implied)} {unit}; " + verdict_text(
            f"stated {show(c)}", stated_iv, implied_iv, verdict),
        tolerance=ctx.tolerance_note((p, gp, t, gt, c)), indicator=indicator_of(p), year=c.year,
        extra={"gap": growth.gap(stated_iv, implied_iv)})


# --------------------------------------------------------------------------- 其中: part of a total

_AMONG = "其中"


def _among_total(ctx: Context, p: Figure, levels: Sequence[Figure]) -> Figure | None:
    """The total a part introduced by 其中 belongs to: the last level before 其中 in the
    part's sentence; when the sentence opens with 其中, the last level of the sentence just
    before.  None when the part's clause has no 其中."""
    rel = p.start - p.quote_start
    head = p.quote[:rel] if 0 <= rel <= len(p.quote) else ""
    at = head.rfind(_AMONG)
    if at < 0:
        return None
    cut = p.quote_start + at
    before = [t for t in levels if t.quote_start == p.quote_start and t.end <= cut]
    if not before and not head[:at].strip(" \t\n,，、:：;；(（"):
        before = [t for t in levels
                  if t.quote_end <= p.quote_start and p.quote_start - t.quote_end <= 2]
    return max(before, key=lambda t: t.end) if before else None


@rule("part_of_total")
def part_of_total(ctx: Context) -> Iterator[Finding]:
    """A part introduced by 其中 ("全国发电量77790.6亿千瓦时…其中，火电发电量…") is at most its
    total: same base unit, period and year (or both undated).  Needs no lexicon entry, so it
    also pairs indicators the lexicon does not know.  Totals with no upper bound (超过) bound
    nothing; a part printed with 以上/超过 is judged by its lower end."""
    levels = sorted((f for f in ctx.figures if f.kind in LEVEL_KINDS
                     and not is_period_total(f)), key=lambda f: f.start)
    for p in levels:
        t = _among_total(ctx, p, [x for x in levels if x.start < p.start])
        if t is None or t.base_unit != p.base_unit or t.status != p.status:
            continue
        if t.year != p.year and None not in (t.year, p.year):
            continue
        if not (ctx.same_period(p, t) and regions_match(p, t)):
            continue
        if not math.isfinite(base_interval(t).hi) or t.normalized <= 0:
            continue
        f = guard((p, t), functools.partial(_part_finding, ctx, p, t, "part_of_total"))
        if f is not None:
            yield f
