"""Targets taken from a document: the figures the extractor found, matched by indicator or id.

A spec may say ``target: {document: path, indicator: 社会消费品零售总额}`` or
``target: {document: path, figure: F0012}``.  The target is the level figure
with status ``target`` (or, failing one, an ``avg_growth`` target: a rate
without a level, as in "年均增长10%以上"); the base is the latest ``actual``
level of the same indicator before the target year; a stated ``avg_growth``
target beside a level target becomes the stated rate.  Every choice names the
figure id it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis import targets
from analysis.exceptions import AnalysisError
from analysis.scenarios.validate import spec_error as _error

__all__ = ["target_from_document"]


def _figures(path: Path, file: str) -> Sequence[Any]:
    try:
        from analysis.documents import load  # type: ignore[attr-defined]
        from analysis.figures import extract  # type: ignore[attr-defined]
    except ImportError as exc:
        raise _error(
            file,
            "target.document",
            f"the figure extractor is not available ({exc})",
            "type the target in (target: {year, value}) until it is installed",
        ) from None
    try:
        return extract(load(path))
    except AnalysisError as exc:
        raise _error(
            file,
            "target.document",
            f"cannot read {path}: {exc}",
            "fix the document or type the target in",
        ) from None


def _names(fig: Any) -> set[str]:
    return {
        n for n in (getattr(fig, "indicator_canonical", None), getattr(fig, "indicator", None)) if n
    }


def _unique(choice: targets.Choice | None, what: str, file: str, key: str) -> Any:
    """The chosen figure; several different values for its year are ambiguous here."""
    if choice is None:
        return None
    if choice.ambiguous:
        top = (choice.figure, *choice.others)
        listing = "; ".join(f"{f.id}={f.value}{f.unit} ({f.quote.strip()[:30]})" for f in top)
        raise _error(
            file,
            key,
            f"several {what} figures for {choice.figure.year}: {listing}",
            "pick one with target.figure: <id>",
        )
    return choice.figure


def target_from_document(
    path: Path,
    *,
    display: str,
    file: str,
    indicator: str | None = None,
    figure: str | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """Target (level or rate), base and stated rate for one indicator in a document.

    Returns a dict with ``indicator, unit, target_year, target_value,
    target_rate, qualifier, target_source`` and, when the document has them,
    ``base_year, base_value, base_source, stated_rate, stated_rate_qualifier``.
    """
    figs = list(_figures(path, file))
    if figure is not None:
        chosen = [f for f in figs if f.id == figure]
        if not chosen:
            ids = ", ".join(f.id for f in figs[:20])
            raise _error(
                file,
                "target.figure",
                f"no figure {figure} in {display}",
                f"use one of the ids the extractor gives ({ids}{', ...' if len(figs) > 20 else ''})",
            )
        target = chosen[0]
        if target.year is None:
            raise _error(
                file,
                "target.figure",
                f"figure {figure} has no year",
                "add target.year, or pick a figure with a year",
            )
        names = _names(target) or {indicator or ""}
    else:
        names = {indicator or ""}
        same = [f for f in figs if _names(f) & names]
        if not same and indicator:
            # A joint name such as 农村网络零售额和农产品网络零售额 contains the one asked for.
            same = [f for f in figs if any(indicator in n for n in _names(f))]
            names = set().union(*(_names(f) for f in same)) if same else names
        if not same:
            raise _error(
                file,
                "target.indicator",
                f"no figure for {indicator!r} in {display}",
                "check the indicator name (canonical or as printed), or use figure: <id>",
            )
        wanted = [
            f
            for f in same
            if f.status == "target" and f.year is not None and (year is None or f.year == year)
        ]
        levels = [f for f in wanted if f.kind == "level"]
        rates = [f for f in wanted if f.kind == "avg_growth"]
        if not (levels or rates):
            raise _error(
                file,
                "target.indicator",
                f"{indicator!r} has no level or average-growth target in {display}",
                "use figure: <id>, or type the target in",
            )
        target = _unique(targets.choose(levels or rates), "target", file, "target.indicator")
    same = [f for f in figs if _names(f) & names]
    name = target.indicator_canonical or target.indicator or indicator or ""
    out: dict[str, Any] = {
        "indicator": name,
        "target_year": year or target.year,
        "qualifier": target.qualifier if target.qualifier != "range" else None,
        "target_source": f"document {display} figure {target.id}",
    }
    dated = target.replace(year=out["target_year"])
    if target.kind == "level":
        out.update(unit=target.unit, target_value=target.value, target_rate=None)
        s = _unique(targets.stated_rate_for(dated, same), "stated rate", file, "target")
        if s is not None:
            out.update(
                stated_rate=s.value,
                stated_rate_qualifier=s.qualifier if s.qualifier != "range" else None,
            )
    elif target.kind == "avg_growth":
        out.update(unit="", target_value=None, target_rate=target.value)
    else:
        raise _error(
            file,
            "target.figure",
            f"figure {target.id} is a {target.kind}, not a level or an average growth rate",
            "pick a level or avg_growth figure",
        )
    b = _unique(targets.base_for(dated, same), "base", file, "target")
    if b is not None:
        unit_fig = target if target.kind == "level" else b
        out.update(
            base_year=b.year,
            base_value=targets.in_unit(b, unit_fig),
            base_source=f"document {display} figure {b.id}",
        )
        if not out["unit"]:
            out["unit"] = b.unit
    return out
