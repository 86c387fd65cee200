"""More rules of issue 9: 拉动 and 贡献率, increments, shares of two printed levels.

Rules: ``prose_parts`` (总规模X，由A和B两部分构成, with A and B printed as levels: A + B = X),
``structure_sum`` (the parts of a structure ratio 9.4:66.8:23.8 add up to 100),
``pull`` (拉动 = 贡献率 × growth of the total; the parts' 拉动 add up to the
total's growth), ``increment`` (比上年增加Y with the level X and the rate Z:
Y / (X − Y) must give Z), ``share_rounding`` (A占B的比重为s% with A and B printed
as levels: A / B must round to s) and ``target_share`` (完成年度目标的X% against the
actual and the target printed in the sentence).  Figures are paired only when the pairing is
unambiguous; anything else is skipped (and counted by coverage), never flagged.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from analysis import growth, lexicons
from analysis.checks.core import (
    Context,
    Finding,
    base_interval,
    distinct,
    fmt,
    guard,
    in_unit,
    indicator_of,
    iv_in,
    judge,
    printed_interval,
    regions_match,
    rule,
    show,
    verdict_text,
)
from analysis.checks.rules_growth import _rate_finding as rate_finding  # 可比价 aware
from analysis.checks.rules_totals import _share_part as share_part  # the share rule's pairing
from analysis.figures.model import Figure
from analysis.growth import Interval

__all__: list[str] = []

_CLAUSE_END = re.compile(r"[，,。；;：:！？!?\n]")
#: Words naming the economy as a whole (the total 拉动 and 贡献率 refer to).
_ECONOMY = re.compile(r"经济|GDP|生产总值")
#: The sectors a 拉动 names, in order (第一产业 … 第三产业).
_SECTOR_WORDS = (("第一产业", "一产"), ("第二产业", "二产"), ("第三产业", "三产"))
#: The three sectors named as a list (第一、二、三产业分别拉动…).
_THREE = re.compile(r"第一、第?二、第?三产业|一、二、三产业|三次产业")


def _clause(f: Figure) -> str:
    """The words of ``f``'s clause before the number (clauses end at ，。；：)."""
    rel = f.start - f.quote_start
    if not (0 <= rel <= len(f.quote)):
        return ""
    return _CLAUSE_END.split(f.quote[:rel])[-1]


def _same_sentence(a: Figure, b: Figure) -> bool:
    return (a.quote_start, a.quote_end) == (b.quote_start, b.quote_end)


def _matches(a: Figure, b: Figure, ctx: Context) -> bool:
    """Same year (or both undated), region and months covered."""
    return a.year == b.year and regions_match(a, b) and ctx.same_period(a, b)


# --------------------------------------------------------------------------- pull

def _pull(f: Figure) -> bool:
    """A 拉动…个百分点 of the economy's growth (拉动经济增长0.3个百分点)."""
    words = _clause(f)
    at = words.rfind("拉动")
    return f.kind == "pp_change" and at >= 0 and bool(_ECONOMY.search(words[at:]))


def _contribution(f: Figure) -> bool:
    """A 贡献率 (share of the total's increment) not named for another total than the economy
    (对工业增长的贡献率 is skipped)."""
    words = _clause(f)
    if f.kind not in ("share", "rate") or "贡献率" not in words:
        return False
    of = re.search(r"对(.{0,12}?)的?贡献率", words)
    return of is None or bool(_ECONOMY.search(of.group(1)))


def _total_growth(ctx: Context, near: Figure) -> Figure | None:
    """The economy's yoy growth for ``near``: the one in its sentence, else the only
    distinct one of the document for the same year, region and months; None if ambiguous."""
    cands = [g for g in ctx.figures if g.kind == "yoy_growth" and _matches(g, near, ctx)
             and _ECONOMY.search(indicator_of(g) or "") and "人均" not in (g.indicator or "")]
    here = [g for g in cands if _same_sentence(g, near)]
    found = distinct(here or cands)
    return found[0] if len(found) == 1 else None


@rule("pull")
def pull(ctx: Context) -> Iterator[Finding]:
    """拉动 against 贡献率 and GDP growth; the sectors' 拉动 and 贡献率 against their totals.

    NBS definitions: 贡献率 = 某产业增加值增量 / GDP增量 × 100 %; 拉动 (percentage points)
    = GDP增速 × 贡献率.  So (a) a 贡献率 c % and the 拉动 p printed with it give
    p = c × g / 100 for GDP growth g (贡献率50.0%，GDP增长8.0% → 拉动4.0个百分点),
    (b) the three sectors' 拉动 add up to g (0.3 + 3.1 + 2.6 = 6.0) and (c) their 贡献率
    add up to 100 % (6.3 + 32.8 + 60.9).  Intervals are the products and sums of the
    printed values' rounding intervals.

    Pairing: the 贡献率 and 拉动 of one sentence in order, only when the sentence prints as
    many of each; GDP growth from the same sentence, else the document's only one for
    the same year, region and months.  Anything else is skipped.
    """
    pulls = [f for f in ctx.figures if _pull(f)]
    by_sentence: dict[tuple[int, int], list[Figure]] = defaultdict(list)
    for f in pulls:
        by_sentence[(f.quote_start, f.quote_end)].append(f)
    for key, ps in by_sentence.items():
        cs = sorted((f for f in ctx.figures if (f.quote_start, f.quote_end) == key
                     and _contribution(f)), key=lambda f: f.start)
        ps = sorted(ps, key=lambda f: f.start)
        if not cs or len(cs) != len(ps):
            continue
        for c, p in zip(cs, ps):
            if not _matches(c, p, ctx):
                continue
            g = _total_growth(ctx, p)
            if g is not None:
                f = guard((p, c, g), functools.partial(_times_finding, ctx, p, c, g))
                if f is not None:
                    yield f
    yield from _sector_sums(ctx, pulls, [f for f in ctx.figures if _contribution(f)])


def _before(f: Figure, cue: str) -> str:
    """The words of ``f``'s clause before ``cue`` (拉动/贡献率): 第三产业, 分别, 三次产业对…的."""
    words = _clause(f)
    return words[:words.rfind(cue)]


def _sector_of(f: Figure, figs: Sequence[Figure], cue: str) -> int | None:
    """Which sector a 拉动 or 贡献率 is of: named in its clause before the cue, or its place
    in a list of three (第一、二、三产业分别拉动0.3、3.1、2.6; 三次产业…贡献率分别为…)."""
    head = _before(f, cue)
    rel = f.start - f.quote_start
    if "分别" in _clause(f) and _THREE.search(f.quote[:max(0, rel)]):
        group = sorted((q for q in figs if _same_sentence(q, f) and _before(q, cue) == head),
                       key=lambda q: q.start)
        return group.index(f) if len(group) == 3 else None
    named = [i for i, ws in enumerate(_SECTOR_WORDS) if any(w in head for w in ws)]
    return named[0] if len(named) == 1 else None


def _by_sector(ctx: Context, figs: list[Figure], cue: str) -> Iterator[list[Figure]]:
    """The three sectors' figures of one year, region and months, when each sector has
    exactly one printed value (a sector missing or printed twice: ambiguous, skipped)."""
    groups: dict[tuple, dict[int, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    for f in figs:
        i = _sector_of(f, figs, cue)
        if i is not None:
            groups[(f.year, f.region, ctx.periods.get(f.id))][i].append(f)
    for sectors in groups.values():
        chosen = [distinct(sectors.get(i, [])) for i in range(3)]
        if all(len(c) == 1 for c in chosen):
            parts = [c[0] for c in chosen]
            if all(_matches(parts[0], q, ctx) for q in parts[1:]):
                yield parts


def _sector_sums(ctx: Context, pulls: list[Figure], contributions: list[Figure]
                 ) -> Iterator[Finding]:
    for parts in _by_sector(ctx, pulls, "拉动"):
        g = _total_growth(ctx, parts[0])
        if g is not None:
            f = guard((g, *parts), functools.partial(_sum_finding, ctx, g, parts))
            if f is not None:
                yield f
    for parts in _by_sector(ctx, contributions, "贡献率"):
        f = guard(parts, functools.partial(_sum_finding, ctx, None, parts))
        if f is not None:
            yield f


def _times_finding(ctx: Context, p: Figure, c: Figure, g: Figure) -> Finding:
    implied_iv = growth.scale(growth.mul(printed_interval(c), printed_interval(g)), 0.01)
    implied = float(c.value) * float(g.value) / 100
    stated_iv = printed_interval(p)
    verdict, severity = judge(ctx, stated_iv, implied_iv, float(p.value), implied, unit="pp")
    ok = verdict == "consistent"
    return Finding(
        rule="pull", verdict=verdict, severity=severity, figures=(p, c, g),
        stated=float(p.value), computed=implied, interval=str(implied_iv), unit="pp",
        message_zh=(f"贡献率{show(c)}乘以经济增速{show(g)}为{fmt(implied)}个百分点，"
                    f"与拉动{show(p)}{'一致' if ok else '不符'}"),
        message_en=(f"contribution {show(c)} × growth {show(g)} = {fmt(implied)} pp, which "
                    f"{'agrees with' if ok else 'differs from'} the stated pull {show(p)}"),
        arithmetic=(f"{show(c)} × {show(g)} = {fmt(implied)} pp; "
                    + verdict_text(f"stated {show(p)}", stated_iv, implied_iv, verdict)),
        tolerance=ctx.tolerance_note((c, g, p)), indicator=indicator_of(g), year=p.year,
        extra={"gap": growth.gap(stated_iv, implied_iv)})


def _sum_finding(ctx: Context, g: Figure | None, parts: list[Figure]) -> Finding:
    """The sectors' 拉动 against GDP growth ``g``, or (``g`` None) their 贡献率 against 100 %."""
    implied_iv = printed_interval(parts[0])
    for q in parts[1:]:
        implied_iv = growth.add(implied_iv, printed_interval(q))
    implied = sum(float(q.value) for q in parts)
    stated_iv = printed_interval(g) if g is not None else Interval(100.0, 100.0)
    stated = float(g.value) if g is not None else 100.0
    verdict, severity = judge(ctx, stated_iv, implied_iv, stated, implied, unit="%")
    ok = verdict == "consistent"
    terms = " + ".join(format(q.value, "f") for q in parts)
    if g is None:
        zh, en, total, unit = "贡献率", "contributions", "100%", "%"
    else:
        zh, en, total, unit = "拉动", "pulls", f"经济增速{show(g)}", " pp"
    return Finding(
        rule="pull", verdict=verdict, severity=severity,
        figures=(*((g,) if g is not None else ()), *parts),
        stated=stated, computed=implied, interval=str(implied_iv), unit="%",
        message_zh=f"三次产业{zh}合计{fmt(implied, 1)}，与{total}{'一致' if ok else '不符'}",
        message_en=(f"the three sectors' {en} add up to {fmt(implied, 1)}{unit}, which "
                    f"{'agrees with' if ok else 'differs from'} "
                    f"{show(g) if g is not None else '100 %'}"),
        arithmetic=(f"{terms} = {fmt(implied, 1)}{unit}; " + verdict_text(
            f"stated {show(g) if g is not None else '100%'}", stated_iv, implied_iv, verdict)),
        tolerance=ctx.tolerance_note((*parts, *((g,) if g is not None else ()))),
        indicator=indicator_of(g) if g is not None else "地区生产总值",
        year=parts[0].year, extra={"gap": growth.gap(stated_iv, implied_iv)})


# --------------------------------------------------------------------------- parts in prose

#: 由A和B两部分构成 / 包括A、B和C: the parts a sentence says a total is made of.
_PROSE_PARTS = re.compile(
    r"(?:由|包括)(?P<parts>[\u4e00-\u9fff]{2,16}(?:(?:、|和|及|与)[\u4e00-\u9fff]{2,16}){1,5}?)"
    r"(?:[两二三四五六]部分|等)?(?:构成|组成)")
_JOIN = re.compile(r"、|和|及|与")


@rule("prose_parts")
def prose_parts(ctx: Context) -> Iterator[Finding]:
    """A total the text says is made of named parts (存款余额1200亿元，由住户存款和企业存款
    两部分构成) against the parts' levels printed elsewhere: the sum of the parts' rounding
    intervals must meet the total's.  Each part must be found exactly once (same year,
    unit and status); anything else is ambiguous and skipped."""
    for t in ctx.figures:
        if t.kind != "level" or t.qualifier not in (None, "about"):
            continue
        rel = t.end - t.quote_start
        m = _PROSE_PARTS.search(t.quote[max(rel, 0):max(rel, 0) + 80]) if rel >= 0 else None
        if not m:
            continue
        names = [n.removesuffix("两部分") for n in _JOIN.split(m["parts"]) if n]
        parts = []
        for name in names:
            found = distinct([f for f in ctx.figures if f is not t and f.kind == "level"
                              and f.base_unit == t.base_unit and f.year == t.year
                              and f.status == t.status and regions_match(f, t)
                              and (indicator_of(f) or "").endswith(name)])
            if len(found) != 1:
                break
            parts.append(found[0])
        else:
            f = guard((t, *parts), lambda t=t, parts=parts: _prose_finding(ctx, t, parts))
            if f is not None:
                yield f


def _shown(t: Figure, iv: Interval) -> Interval:
    """An interval in base units, in ``t``'s printed unit (亿元), for the arithmetic line."""
    return Interval(in_unit(t, iv.lo), in_unit(t, iv.hi))


def _prose_finding(ctx: Context, t: Figure, parts: list[Figure]) -> Finding:
    implied_iv = base_interval(parts[0])
    for q in parts[1:]:
        implied_iv = growth.add(implied_iv, base_interval(q))
    implied = sum(q.normalized for q in parts)
    stated_iv = base_interval(t)
    verdict, severity = judge(ctx, stated_iv, implied_iv, t.normalized, implied)
    ok = verdict == "consistent"
    terms = " + ".join(show(q) for q in parts)
    name = indicator_of(t)
    return Finding(
        rule="prose_parts", verdict=verdict, severity=severity, figures=(t, *parts),
        stated=float(t.value), computed=in_unit(t, implied), interval=str(_shown(t, implied_iv)),
        unit=t.unit,
        message_zh=(f"{name}{show(t)}与其组成部分之和{fmt(in_unit(t, implied), 2)}"
                    f"{'一致' if ok else '不符'}"),
        message_en=(f"{name} {show(t)} {'agrees with' if ok else 'differs from'} the sum of the "
                    f"parts the text names, {fmt(in_unit(t, implied), 2)}"),
        arithmetic=(f"{terms} = {fmt(in_unit(t, implied), 2)}; "
                    + verdict_text(f"stated {show(t)}", _shown(t, stated_iv),
                                   _shown(t, implied_iv), verdict)),
        tolerance=ctx.tolerance_note((t, *parts)), indicator=name, year=t.year,
        extra={"gap": growth.gap(stated_iv, implied_iv)})


# --------------------------------------------------------------------------- structure sum

@rule("structure_sum")
def structure_sum(ctx: Context) -> Iterator[Finding]:
    """The parts of a structure ratio (三次产业结构 22.8:21.2:56.0, each a share in %) add up
    to 100: some values inside the parts' rounding intervals must reach exactly 100."""
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in ctx.figures:
        if f.form == "structure" and "nstart" in f.extra:
            groups[(f.document, f.extra["nstart"])].append(f)
    for parts in groups.values():
        parts.sort(key=lambda f: f.extra.get("part", 0))
        if len(parts) != parts[0].extra.get("parts", len(parts)) or len(parts) < 2:
            continue
        f = guard(tuple(parts), lambda parts=parts: _structure_finding(ctx, parts))
        if f is not None:
            yield f


def _structure_finding(ctx: Context, parts: list[Figure]) -> Finding:
    total_iv = printed_interval(parts[0])
    for q in parts[1:]:
        total_iv = growth.add(total_iv, printed_interval(q))
    total = sum(float(q.value) for q in parts)
    hundred = Interval(100.0, 100.0)
    verdict, severity = judge(ctx, hundred, total_iv, 100.0, total, unit="%")
    ok = verdict == "consistent"
    terms = " + ".join(format(q.value, "f") for q in parts)
    whole = parts[0].whole or "结构"
    return Finding(
        rule="structure_sum", verdict=verdict, severity=severity, figures=tuple(parts),
        stated=100.0, computed=total, interval=str(total_iv), unit="%",
        message_zh=f"{whole}各部分合计{fmt(total, 2)}，{'等于' if ok else '不等于'}100",
        message_en=(f"the parts of {whole} add up to {fmt(total, 2)}, which "
                    f"{'makes' if ok else 'cannot make'} 100"),
        arithmetic=f"{terms} = {fmt(total, 2)}; " + verdict_text("100", hundred, total_iv, verdict),
        tolerance=ctx.tolerance_note(tuple(parts)), indicator=whole, year=parts[0].year,
        extra={"gap": growth.gap(hundred, total_iv)})


# --------------------------------------------------------------------------- increment

_INCREMENT = re.compile(r"(?:比上年|较上年|同比|比去年)(增加|减少|增长|下降)$")


def _increment_sign(f: Figure) -> int | None:
    """+1 for 比上年增加Y, −1 for 比上年减少Y (the lead right before the number), else None."""
    m = _INCREMENT.search(_clause(f))
    if f.kind not in ("level", "count") or m is None:
        return None
    return -1 if m.group(1) in ("减少", "下降") else 1


@rule("increment")
def increment(ctx: Context) -> Iterator[Finding]:
    """An increment against its level and growth rate: 产量X，比上年增加Y，增长Z%.

    Last year's level is X − Y, so Z = Y / (X − Y) × 100 (a decrease: Y < 0).  The
    bounds are exact: Y / (X − Y) increases with Y and decreases with X.  A unit slip
    in the increment (万吨 for 吨) shows as a factor of 10^k.  The level is the last
    one of the sentence before the increment with the same indicator and base unit,
    the rate the first yoy growth after it; the rate must follow within the sentence.
    """
    for y in ctx.figures:
        sign = _increment_sign(y)
        if sign is None:
            continue
        levels = [x for x in ctx.figures if _same_sentence(x, y) and x.kind == y.kind
                  and x.end <= y.start and x.base_unit == y.base_unit
                  and indicator_of(x) == indicator_of(y) and _increment_sign(x) is None]
        rates = [z for z in ctx.figures if _same_sentence(z, y) and z.kind == "yoy_growth"
                 and z.start >= y.end]
        if not levels or not rates:
            continue
        x = max(levels, key=lambda f: f.end)
        z = min(rates, key=lambda f: f.start)
        if indicator_of(z) not in (None, indicator_of(x)) or not _matches(x, z, ctx):
            continue
        f = guard((z, x, y), functools.partial(_increment_finding, ctx, x, y, z, sign))
        if f is not None:
            yield f


def _increment_finding(ctx: Context, x: Figure, y: Figure, z: Figure, sign: int) -> Finding:
    """Through the growth rules' rate finding: a 可比价 rate against these nominal levels is
    ``consistent_if_real_growth``, never inconsistent."""
    y_iv = growth.scale(base_interval(y), sign)
    base_iv = growth.sub(base_interval(x), y_iv)
    if base_iv.lo <= 0:
        raise ValueError("last year's level not positive")
    dy = sign * y.normalized
    signed = f"{'−' if sign < 0 else ''}{show(y)}"
    formula = (f"{signed} / ({show(x)} − ({signed})) = {signed} / "
               f"{fmt(in_unit(x, x.normalized - dy), max(2, x.decimals))}{x.unit} "
               f"(last year in {iv_in(x, base_iv)}{x.unit}) × 100")
    return rate_finding(ctx, "increment", z, (x, y), growth.scale(growth.div(y_iv, base_iv), 100),
                        dy / (x.normalized - dy) * 100, formula, "增速", "growth")


# --------------------------------------------------------------------------- share_rounding

def _level_of(ctx: Context, name: str, s: Figure) -> Figure | None:
    """The one level of ``name`` that ``s`` can be a share of: same year (or both undated),
    region, status and months; in ``s``'s sentence if printed there.  None if ambiguous."""
    cands = [f for f in ctx.of(name, ("level",), status=s.status)
             if _matches(f, s, ctx) and f.normalized > 0]
    here = [f for f in cands if _same_sentence(f, s)]
    found = distinct(here or cands)
    return found[0] if len(found) == 1 else None


@rule("share_rounding")
def share_rounding(ctx: Context) -> Iterator[Finding]:
    """A share that names its part and its whole (第一产业增加值占地区生产总值的比重为24.3%)
    with both printed as levels: part / whole × 100 must round to the printed share
    (29.73 / 122.64 = 24.24 %: 24.2 agrees, 24.3 does not).  The implied interval is the
    quotient of the levels' rounding intervals.  Shares printed right after their part
    (4.3亿元，占38.9%) with the whole in another sentence are the ``share`` rule's.
    """
    for s in ctx.figures:
        if s.kind != "share" or s.value <= 0 or not s.whole or not s.indicator_canonical:
            continue
        whole_name = lexicons.alias_index().get(s.whole) or s.whole
        if whole_name == s.indicator_canonical:
            continue
        p = _level_of(ctx, s.indicator_canonical, s)
        w = _level_of(ctx, whole_name, s)
        if p is None or w is None or p.base_unit != w.base_unit:
            continue
        right_after = share_part(ctx, s)
        if right_after is not None and not _same_sentence(w, right_after):
            continue  # the share rule compares this one (whole from another sentence)
        f = guard((s, p, w), functools.partial(_percent_finding, ctx, "share_rounding", s, p, w))
        if f is not None:
            yield f


# --------------------------------------------------------------------------- target_share

#: The words right before an attainment: 完成年度目标的 / 占目标任务的 / 为计划的.
_ATTAINMENT = re.compile(r"(?:完成|占|达到|达|为)(?:全?年度?|年初|计划)?(?:目标|计划)(?:任务)?的$")
#: A level that is the target itself (年度目标为110亿元, 计划完成110亿元).
_TARGET = re.compile(r"目标|计划")


@rule("target_share")
def target_share(ctx: Context) -> Iterator[Finding]:
    """Target attainment: 完成年度目标的X% = actual / target × 100, when the sentence prints
    both (全年完成投资120.5亿元，年度目标为110亿元，完成年度目标的109.5%).  The actual is
    the one level of the sentence before the attainment not named as a target, the target
    the one level named 目标/计划, in the same base unit; otherwise no check."""
    for a in ctx.figures:
        if a.kind not in ("rate", "share") or a.value <= 0 or not _ATTAINMENT.search(_clause(a)):
            continue
        levels = [f for f in ctx.figures if _same_sentence(f, a) and f.kind in ("level", "count")
                  and f.end <= a.start and _matches(f, a, ctx)]
        targets = distinct(f for f in levels if _TARGET.search(_clause(f)))
        actuals = distinct(f for f in levels if not _TARGET.search(_clause(f)))
        if len(targets) != 1 or len(actuals) != 1:
            continue
        t, x = targets[0], actuals[0]
        if t.base_unit != x.base_unit or t.normalized <= 0:
            continue
        f = guard((a, x, t), functools.partial(_percent_finding, ctx, "target_share", a, x, t,
                                                  True))
        if f is not None:
            yield f


def _percent_finding(ctx: Context, rule_name: str, s: Figure, p: Figure, w: Figure,
                     target: bool = False) -> Finding:
    """A printed percentage ``s`` against p / w × 100 (a share of a whole, or of a target:
    then reading 100 % on the wrong side changes the conclusion)."""
    implied_iv = growth.share_interval(base_interval(p), base_interval(w))
    implied = growth.share(p.normalized, w.normalized)
    stated_iv = printed_interval(s)
    verdict, severity = judge(ctx, stated_iv, implied_iv, float(s.value), implied, unit="%",
                              conclusion_changes=target and (implied >= 100) != (s.value >= 100))
    ok = verdict == "consistent"
    d = max(2, s.decimals + 1)
    of_zh = f"目标{show(w)}" if target else f"{indicator_of(w)}{show(w)}"
    of_en = f"the target {show(w)}" if target else f"{indicator_of(w)} {show(w)}"
    return Finding(
        rule=rule_name, verdict=verdict, severity=severity, figures=(s, p, w),
        stated=float(s.value), computed=implied, interval=str(implied_iv), unit="%",
        message_zh=(f"{indicator_of(p) or ''}{show(p)}为{of_zh}的{fmt(implied, d)}%，"
                    f"与文中{show(s)}{'一致' if ok else '不符'}"),
        message_en=(f"{indicator_of(p) or ''} {show(p)} is {fmt(implied, d)} % of {of_en}, "
                    f"which {'agrees with' if ok else 'differs from'} the stated {show(s)}"),
        arithmetic=(f"{show(p)} / {show(w)} × 100 = {fmt(implied, d)} %; "
                    + verdict_text(f"stated {show(s)}", stated_iv, implied_iv, verdict)),
        tolerance=ctx.tolerance_note((p, w, s)), indicator=indicator_of(p), year=s.year,
        extra={"gap": growth.gap(stated_iv, implied_iv)})
