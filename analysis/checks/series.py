"""Turn a statistical series (levels with stated yoy growth) into Figures for the checks.

Reference data such as the NBS retail-sales series (../shared/data) prints a
level per year and the growth rate the bureau stated beside it; as Figures
they go through the same rules as a document (``yoy_levels`` explains years
where level-over-level growth differs from the stated, comparable-basis rate).
Read the CSV with ``dtype=str`` to keep the printed decimals (10.70 ≠ 10.7).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from analysis.exceptions import CheckError
from analysis.figures.model import Figure
from analysis.lexicons import load_data

__all__ = ["figures_from_series", "parse_unit"]


def parse_unit(unit: str) -> tuple[Decimal, str]:
    """(scale, base unit) of a printed unit such as "亿元", from the unit lexicon.

    >>> parse_unit("亿元")
    (Decimal('1E+8'), 'CNY')
    >>> parse_unit("万亩")[1]
    'm2'
    >>> parse_unit("亿斤")  # the unit's factor to its base unit is part of the scale
    (Decimal('5E+7'), 'kg')
    >>> parse_unit("furlongs")
    Traceback (most recent call last):
    analysis.exceptions.CheckError: unit 'furlongs' is not in units.yaml (known e.g.: 元, 人民币, 美元)
    """
    lex = load_data("units.yaml")
    units, scales = lex["units"], lex["scales"]
    for u in sorted(units, key=len, reverse=True):
        if unit.endswith(u):
            word = unit[: len(unit) - len(u)]
            if word and word not in scales:
                continue
            scale = Decimal(str(scales[word])) if word else Decimal(1)
            return scale * Decimal(str(units[u]["factor"])), str(units[u]["base"])
    known = ", ".join(list(units)[:3])
    raise CheckError(f"unit {unit!r} is not in units.yaml (known e.g.: {known})")


def _dec(x: Any, where: str) -> Decimal:
    try:
        d = Decimal(str(x).strip())
    except InvalidOperation:
        raise CheckError(f"{where}: {x!r} is not a number") from None
    if not d.is_finite():
        raise CheckError(f"{where}: {x!r} is not a finite number")
    return d


def figures_from_series(df: pd.DataFrame, indicator: str, unit: str, *, year: str = "year",
                        value: str | None = None, growth: str | None = None,
                        source: str = "series", region: str | None = None) -> list[Figure]:
    """One level Figure per row, and one yoy_growth Figure per row with a stated rate.

    ``value``/``growth`` name the columns (default: the first two columns after
    ``year``; growth is optional).  Quotes are synthesised from the row so a
    finding still shows where its numbers came from.

    >>> df = pd.DataFrame({"year": ["2017", "2018"], "v": ["366262", "380987"],
    ...                    "g": ["10.2", "9.0"]})
    >>> figs = figures_from_series(df, "社会消费品零售总额", "亿元", value="v", growth="g")
    >>> [(f.kind, f.year, str(f.value), f.normalized) for f in figs][:2]
    [('level', 2017, '366262', 36626200000000.0), ('yoy_growth', 2017, '10.2', 10.2)]
    """
    missing = [c for c in (year, value, growth) if c is not None and c not in df.columns]
    if missing:
        raise CheckError(f"figures_from_series: no column(s) {missing}; have {list(df.columns)}")
    rest = [c for c in df.columns if c != year]
    value = value or (rest[0] if rest else None)
    if value is None:
        raise CheckError("figures_from_series: the series has no value column")
    if growth is None and len(rest) > 1 and rest[1] != value:
        growth = rest[1]
    scale, base_unit = parse_unit(unit)
    out: list[Figure] = []
    for i, row in enumerate(df.to_dict("records")):
        where = f"figures_from_series row {i}"
        y = int(_dec(row[year], where))
        v = _dec(row[value], where)
        quote = f"{y}年{indicator}{v}{unit}"
        common: dict[str, Any] = {
            "indicator": indicator, "indicator_canonical": indicator, "region": region,
            "year": y, "status": "actual", "source": "table", "quote_start": 0,
            "quote_end": len(quote), "document": source}
        out.append(Figure(id=f"{source}:{y}:level", value=v, unit=unit, kind="level", start=0,
                          end=len(quote), quote=quote, scale=scale, base_unit=base_unit,
                          printed=str(v), **common))
        g = row.get(growth) if growth else None
        if g is not None and str(g).strip() not in ("", "nan", "None"):
            rate = _dec(g, where)
            gq = f"{quote}，增长{rate}%"
            common.update(quote_end=len(gq))
            out.append(Figure(id=f"{source}:{y}:yoy", value=rate, unit="%", kind="yoy_growth",
                              start=len(quote) + 3, end=len(gq), quote=gq, base_unit="%",
                              base_year=y - 1, printed=str(rate), **common))
    return out
