"""Checks across documents: a growth rate against last year's level printed elsewhere, revisions.

They read figures of several documents at once (``Figure.document`` tells
them apart), e.g. a work plan and last year's summary, or two bulletins; on
one document they find nothing.  Run them through :func:`analysis.tracker.cross_check`
(which resolves each figure's region from its document) or
``analysis.checks.run(figures, rules=CROSS_RULES)``.

* ``cross_growth``: a stated year-on-year growth rate and the level printed in
  the same sentence (2023年工作计划: "社会消费品零售总额增长5%左右，达到285亿元")
  against the previous year's level from *another* document (2022年工作总结:
  271.3亿元): 285 / 271.3 − 1 = 5.05 % vs 5 %左右.  Rounding-aware as every
  check (the printed values' rounding intervals, the qualifier's band).  A
  plan (targets) that does not add up is *inconsistent*; for actuals the
  difference is a *warning*, since official yoy rates use the revised
  (comparable-basis) previous year.
* ``cross_revision``: the same actual (indicator, region, year, unit) printed
  in two documents; different values (outside each other's rounding) are a
  *warning* — a revision, not an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from analysis import growth, targets
from analysis.checks.core import (
    Context,
    Finding,
    base_interval,
    fmt,
    judge,
    printed_interval,
    rule,
    show,
    verdict_text,
)
from analysis.figures.model import Figure

__all__ = ["CROSS_RULES"]

CROSS_RULES = ("cross_growth", "cross_revision")


def _region_ok(a: Figure, b: Figure) -> bool:
    return targets.regions_match(a.region, b.region)


def _level_in_sentence(ctx: Context, g: Figure) -> Figure | None:
    """The level printed in the same quote as ``g``, for its year (its indicator or none)."""
    key = targets.indicator_key(g)
    for f in ctx.figures:
        if (
            f.document == g.document
            and f.kind in targets.PATH_KINDS
            and (f.quote_start, f.quote_end, f.quote) == (g.quote_start, g.quote_end, g.quote)
            and f.year == g.year
            and targets.indicator_key(f) in (None, key)
        ):
            return f
    return None


def _doc_label(f: Figure) -> str:
    return f"{f.document} {f.id}"


@rule("cross_growth")
def cross_growth(ctx: Context) -> Iterator[Finding]:
    """Stated yoy growth + level vs the previous year's level in another document."""
    for g in ctx.figures:
        if g.kind != "yoy_growth" or g.year is None or not targets.indicator_key(g):
            continue
        level = _level_in_sentence(ctx, g)
        if level is None:
            continue
        key = targets.indicator_key(g)
        prev = targets.choose(
            f
            for f in ctx.figures
            if f.document != g.document
            and f.status == "actual"
            and f.kind == level.kind
            and f.year == g.year - 1
            and targets.indicator_key(f) == key
            and f.base_unit == level.base_unit
            and _region_ok(f, g)
        )
        if prev is None:
            continue
        p = prev.figure
        implied_iv = growth.cumulative_interval(base_interval(p), base_interval(level))
        implied = growth.cumulative_growth(p.normalized, level.normalized)
        stated_iv = printed_interval(g)
        verdict, severity = judge(ctx, stated_iv, implied_iv, float(g.value), implied)
        if verdict == "inconsistent" and g.status == "actual":
            verdict, severity = "warning", None
        ratio = f"{show(level)} ({_doc_label(level)}) / {show(p)} ({_doc_label(p)}) − 1"
        arithmetic = f"{ratio} = {fmt(implied)} %; " + verdict_text(
            f"stated {show(g)}", stated_iv, implied_iv, verdict
        )
        agree = verdict == "consistent"
        zh = (
            f"{key}{g.year}年增长{show(g)}（{g.document}）与{p.document}所载{p.year}年"
            f"{show(p)}推算的{fmt(implied)}%{'一致' if agree else '不符'}"
        )
        en = (
            f"{key}: {g.year} growth {show(g)} ({g.document}) "
            f"{'agrees with' if agree else 'does not match'} {fmt(implied)} % from "
            f"{level.value}{level.unit} over the {p.year} level {p.value}{p.unit} in {p.document}"
        )
        yield Finding(
            rule="cross_growth",
            verdict=verdict,
            severity=severity,
            figures=(g, level, p),
            stated=float(g.value),
            computed=implied,
            interval=str(implied_iv),
            unit="%",
            message_zh=zh,
            message_en=en,
            arithmetic=arithmetic,
            tolerance=ctx.tolerance_note((p, level, g)),
            indicator=key,
            year=g.year,
        )


@rule("cross_revision")
def cross_revision(ctx: Context) -> Iterator[Finding]:
    """The same actual printed in two documents: equal (within rounding), or a revision."""
    groups: dict[tuple, dict[str, list[Figure]]] = {}
    for f in ctx.figures:
        key = targets.indicator_key(f)
        if f.status != "actual" or f.kind not in targets.PATH_KINDS or f.year is None or not key:
            continue
        groups.setdefault((key, f.kind, f.base_unit, f.year), {}).setdefault(
            f.document, []
        ).append(f)
    for (key, _kind, _unit, year), by_doc in groups.items():
        # One figure per document (text before table), then each pair of documents.
        chosen = [c.figure for c in map(targets.choose, by_doc.values()) if c is not None]
        for i, a in enumerate(chosen):
            for b in chosen[i + 1 :]:
                if not _region_ok(a, b):
                    continue
                ia, ib = base_interval(a), base_interval(b)
                same = growth.is_consistent(ia, ib, slack=ctx.slack(ib))
                verdict = "consistent" if same else "warning"
                zh = (
                    f"{key}{year}年：{a.document}为{show(a)}，{b.document}为{show(b)}"
                    + ("，一致" if same else "，数据已修订（以较新文件为准）")
                )
                en = (
                    f"{key} {year}: {show(a)} in {a.document}, {show(b)} in {b.document}"
                    + (": the same" if same else ": revised (use the later document)")
                )
                yield Finding(
                    rule="cross_revision",
                    verdict=verdict,
                    figures=(a, b),
                    stated=float(b.value),
                    computed=float(targets.in_unit(a, b)),
                    interval=str(growth.scale(ia, 1 / float(b.scale))),
                    unit=b.unit,
                    message_zh=zh,
                    message_en=en,
                    arithmetic=(
                        f"{show(a)} ({_doc_label(a)}) = {targets.in_unit(a, b)}{b.unit}; "
                        + verdict_text(f"{show(b)} ({_doc_label(b)})", ib, ia, verdict)
                    ),
                    tolerance=ctx.tolerance_note((a, b)),
                    indicator=key,
                    year=year,
                )
