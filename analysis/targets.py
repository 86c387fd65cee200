"""Targets: which figure is a target's base, which rate it states, and in which unit.

One set of rules, used by the report tables (:mod:`analysis.reports.tables`),
the scenario lab (:mod:`analysis.scenarios.sources`) and the target tracker
(:mod:`analysis.tracker`):

* **Same indicator**: the canonical name, else the name as printed
  (:func:`indicator_key`); same region (or one of the two unnamed: the
  document's own) and same base unit (亿元 and 万元 are both CNY).
* **Base**: the latest ``actual`` level (or count) of that indicator in a year
  before the target's.  Among several figures for that year the one printed
  in the text comes before a table cell, a qualified one before an exact one
  (the text carries the qualifier), then document order.  Several *different*
  values for that year make the choice :attr:`Choice.ambiguous`: the scenario
  lab refuses it, the report keeps the preferred one.
* **Stated rate**: an ``avg_growth`` target of the same indicator whose year
  is the target's (or unknown).
* **Unit**: values are expressed in the target's printed unit through the
  scales (906.2万美元 = 0.09062亿美元), exactly, with Decimals.

Works on :class:`~analysis.figures.model.Figure` objects and on the rows of
:func:`analysis.figures.to_frame` alike (any object with the figure's
attribute names; NaN and NA read as missing).

>>> from decimal import Decimal as D
>>> from analysis.figures.model import Figure
>>> base = Figure(id="F1", value=D("290.5"), unit="亿元", kind="level", start=0, end=1, quote="",
...               indicator="社零", year=2020, scale=D(10**8), base_unit="CNY")
>>> tgt = Figure(id="F2", value=D("4070000"), unit="万元", kind="level", start=0, end=1, quote="",
...              indicator="社零", year=2025, scale=D(10**4), base_unit="CNY", status="target")
>>> choice = base_for(tgt, [base, tgt])
>>> choice.figure.id, in_unit(choice.figure, tgt)
('F1', Decimal('2905000'))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

__all__ = [
    "PATH_KINDS",
    "TARGET_PATH_COLUMNS",
    "Choice",
    "base_for",
    "choose",
    "get",
    "in_unit",
    "indicator_key",
    "regions_match",
    "rows",
    "same_series",
    "stated_rate_for",
    "target_path_table",
]

#: Figure kinds that have a base -> target path.
PATH_KINDS = ("level", "count")

#: Columns of :func:`target_path_table` (one row per level/count target).
TARGET_PATH_COLUMNS = (
    "indicator",
    "unit",
    "base_id",
    "base_year",
    "base_value",
    "target_id",
    "target_year",
    "target_value",
    "qualifier",
    "years",
    "implied_cagr",
    "stated_rate",
    "quote",
)


def get(fig: Any, name: str, default: Any = None) -> Any:
    """A figure's attribute, with NaN / NA / "" read as missing (frame rows carry them)."""
    v = getattr(fig, name, default)
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return default
    if isinstance(v, str) and not v.strip():
        return default
    return v


def _year(fig: Any, name: str = "year") -> int | None:
    y = get(fig, name)
    return None if y is None else int(y)


#: List markers and punctuation around a printed name ("- 社会消费品零售总额" in a Markdown list).
_MARKERS = " \t-—–*•·、，,：:；;（）()"


def indicator_key(fig: Any) -> str | None:
    """The canonical indicator name, else the name as printed (without list markers), else None.

    >>> from types import SimpleNamespace as F
    >>> indicator_key(F(indicator_canonical=None, indicator="-社会消费品零售总额"))
    '社会消费品零售总额'
    """
    for name in ("indicator_canonical", "indicator"):
        v = get(fig, name)
        if isinstance(v, str) and v.strip(_MARKERS):
            return v.strip(_MARKERS)
    return None


def regions_match(a: str | None, b: str | None) -> bool:
    """Same region, one named more fully (东港区 / 示例市东港区), or one unnamed (the document's).

    >>> regions_match("东港区", "示例市东港区"), regions_match("东港区", "西岭县"), regions_match(None, "x")
    (True, False, True)
    """
    return a is None or b is None or a == b or a.endswith(b) or b.endswith(a)


def _dec(x: Any) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def in_unit(fig: Any, unit_fig: Any) -> Decimal:
    """``fig``'s value in ``unit_fig``'s printed unit, exactly (through the two scales)."""
    value, scale, to = _dec(fig.value), get(fig, "scale"), get(unit_fig, "scale")
    if get(fig, "unit") == get(unit_fig, "unit") or not scale or not to:
        return value
    return (value * _dec(scale) / _dec(to)).normalize() + Decimal(0)


def same_series(a: Any, b: Any) -> bool:
    """Same indicator, same base unit, and same region (or one of them unnamed)."""
    ka, kb = indicator_key(a), indicator_key(b)
    if not ka or ka != kb:
        return False
    if (get(a, "base_unit") or "") != (get(b, "base_unit") or ""):
        return False
    return regions_match(get(a, "region"), get(b, "region"))


def _preference(fig: Any, order: int) -> tuple[bool, bool, int]:
    return (get(fig, "source", "text") != "text", get(fig, "qualifier") is None, order)


@dataclass(frozen=True)
class Choice:
    """The chosen figure, and the other figures of its year that print a different value."""

    figure: Any
    others: tuple[Any, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.others)


def choose(candidates: Iterable[Any]) -> Choice | None:
    """The latest-year candidate, text before table, qualified before exact, then in order.

    Values are compared in base units (``normalized``) so 2.9亿 and 29000万 agree.
    """
    figs = [f for f in candidates if _year(f) is not None]
    if not figs:
        return None
    latest = max(_year(f) for f in figs)  # type: ignore[type-var]
    top = sorted(
        ((f, i) for i, f in enumerate(figs) if _year(f) == latest),
        key=lambda fi: _preference(*fi),
    )
    first = top[0][0]

    def norm(f: Any) -> Decimal:
        return _dec(f.value) * _dec(get(f, "scale") or 1)

    others = tuple(f for f, _ in top[1:] if norm(f) != norm(first))
    return Choice(first, others)


def base_for(target: Any, figures: Sequence[Any]) -> Choice | None:
    """The base of ``target`` among ``figures``: the latest earlier actual of the same series."""
    year = _year(target)
    if year is None:
        return None
    kind = get(target, "kind")
    kinds = (kind,) if kind in PATH_KINDS else PATH_KINDS
    base_year = _year(target, "base_year") if kind == "avg_growth" else None
    return choose(
        f
        for f in figures
        if get(f, "status") == "actual"
        and get(f, "kind") in kinds
        and same_series(f, target)
        and _year(f) is not None
        and _year(f) < year  # type: ignore[operator]
        and (base_year is None or _year(f) == base_year)
    )


def stated_rate_for(target: Any, figures: Sequence[Any]) -> Choice | None:
    """An ``avg_growth`` target of the same indicator for the target's year (or no year)."""
    year = _year(target)
    key = indicator_key(target)
    rates = [
        f
        for f in figures
        if get(f, "kind") == "avg_growth"
        and get(f, "status") == "target"
        and indicator_key(f) == key
        and _year(f) in (None, year)
    ]
    if not rates:
        return None
    # A rate without a year stands for the target's year.
    dated = [f if _year(f) is not None else _Dated(f, year) for f in rates]
    c = choose(dated)
    if c is None:
        return None
    undo = lambda f: f.fig if isinstance(f, _Dated) else f
    return Choice(undo(c.figure), tuple(undo(f) for f in c.others))


class _Dated:
    """A figure seen with a year it does not print (a stated rate for the target's year)."""

    def __init__(self, fig: Any, year: int | None):
        self.fig, self.year = fig, year

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fig, name)


def rows(figures: pd.DataFrame | Sequence[Any]) -> list[Any]:
    """Figures as objects with attributes: a frame's rows (namedtuples) or the figures as given."""
    if isinstance(figures, pd.DataFrame):
        return list(figures.itertuples(index=False)) if len(figures) else []
    return list(figures)


def target_path_table(figures: pd.DataFrame | Sequence[Any]) -> pd.DataFrame:
    """One row per level/count target: its base (when the figures have one) and implied CAGR.

    ``base_value`` is in the target's printed unit; ``implied_cagr`` is
    :func:`analysis.growth.cagr` in percent; ``stated_rate`` the stated
    average growth (see the module docstring for the rules).

    >>> from decimal import Decimal as D
    >>> f = pd.DataFrame([
    ...  dict(id="F1", indicator="社零", indicator_canonical=None, kind="level", status="actual",
    ...       year=2020, value=D("290.5"), unit="亿元", scale=D(10**8), base_unit="CNY", qualifier=None, quote="q1"),
    ...  dict(id="F2", indicator="社零", indicator_canonical=None, kind="level", status="target",
    ...       year=2025, value=D("407"), unit="亿元", scale=D(10**8), base_unit="CNY", qualifier="exceeds", quote="q2"),
    ...  dict(id="F3", indicator="网零", indicator_canonical=None, kind="level", status="target",
    ...       year=2025, value=D("235"), unit="亿元", scale=D(10**8), base_unit="CNY", qualifier=None, quote="q3")])
    >>> t = target_path_table(f)
    >>> t[["indicator", "base_value", "target_value", "years"]].values.tolist()
    [['社零', 290.5, 407.0, 5], ['网零', nan, 235.0, <NA>]]
    >>> round(float(t.loc[0, "implied_cagr"]), 3)
    6.977
    """
    from analysis import growth

    figs = rows(figures)
    out: list[dict[str, Any]] = []
    for t in figs:
        if get(t, "kind") not in PATH_KINDS or get(t, "status") != "target":
            continue
        row: dict[str, Any] = {
            "indicator": indicator_key(t) or "",
            "unit": get(t, "unit"),
            "target_id": t.id,
            "target_year": _year(t),
            "target_value": float(_dec(t.value)),
            "qualifier": get(t, "qualifier"),
            "quote": get(t, "quote"),
        }
        base = base_for(t, figs)
        if base is not None:
            b = base.figure
            years = int(row["target_year"]) - int(_year(b))  # type: ignore[arg-type]
            base_value = float(in_unit(b, t))
            try:
                implied = growth.cagr(base_value, row["target_value"], years)
            except ValueError:
                implied = math.nan
            row.update(
                base_id=b.id,
                base_year=_year(b),
                base_value=base_value,
                years=years,
                implied_cagr=implied,
            )
        stated = stated_rate_for(t, figs) if row["indicator"] else None
        if stated is not None:
            row["stated_rate"] = float(_dec(stated.figure.value))
        out.append(row)
    frame = pd.DataFrame(out, columns=list(TARGET_PATH_COLUMNS))
    for col in ("base_year", "target_year", "years"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    for col in ("base_value", "target_value", "implied_cagr", "stated_rate"):
        frame[col] = frame[col].astype(float)
    return frame
