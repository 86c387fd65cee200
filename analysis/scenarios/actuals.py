"""Actual values: a CSV (``year,value``), an inline ``"2021:300,2022:320"``, or a spec mapping.

Checked when read: years unique, values positive numbers, no missing years
between the first and the last unless the spec allows gaps.  Values stay
exact ``Decimal``; a value derived from another (2015 from 2020 and 较2015年
增长25.4%) carries a note saying so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from analysis.exceptions import AnalysisError
from analysis.scenarios.validate import (
    Ctx,
    as_choice,
    as_mapping,
    as_number,
    as_text,
    as_year,
    check_keys,
    display,
    spec_error,
    year_ranges,
)

__all__ = ["Actuals", "looks_inline", "parse_actuals", "read_actuals"]

INLINE = "<inline>"
_ACTUALS_KEYS = ("csv", "values", "year_column", "value_column", "growth_column", "gaps", "note")
_DERIVED_KEYS = ("value", "from_year", "growth_pct", "note")


@dataclass(frozen=True)
class Actuals:
    """Observed values by year, exact, with where they came from.

    ``growth`` holds year-on-year rates stated alongside the levels (percent),
    when the spec names a ``growth_column``; ``notes`` explains derived values.
    """

    years: tuple[int, ...]
    values: tuple[Decimal, ...]
    source: str
    growth: Mapping[int, Decimal] = field(default_factory=dict)
    notes: Mapping[int, str] = field(default_factory=dict)
    gaps_allowed: bool = False

    def series(self):
        """The levels as a float ``pandas.Series`` indexed by year."""
        import pandas as pd

        return pd.Series(
            [float(v) for v in self.values], index=list(self.years), name="actual", dtype=float
        ).rename_axis("year")

    def value(self, year: int) -> Decimal | None:
        """The value observed in ``year``, or ``None``."""
        return dict(zip(self.years, self.values)).get(year)

    @property
    def missing_years(self) -> list[int]:
        """Years between the first and last observation with no value."""
        have = set(self.years)
        return [y for y in range(self.years[0], self.years[-1] + 1) if y not in have]


def parse_actuals(text: str, file: str = INLINE) -> dict[int, str]:
    """Parse inline actuals ``"2021:300,2022:320"`` (also ``;`` or newlines, ``=`` for ``:``).

    >>> parse_actuals("2021:300, 2022:320.5")
    {2021: '300', 2022: '320.5'}
    >>> parse_actuals("2021:300,2021:301")
    Traceback (most recent call last):
    ...
    analysis.exceptions.SpecError: <inline>: actuals: year 2021 given twice (keep one value per year)
    """
    out: dict[int, str] = {}
    for token in re.split(r"[,;\n，；]+", text.strip()):
        if not token.strip():
            continue
        m = re.fullmatch(r"\s*(\d{4})\s*[:=：]\s*(\S+)\s*", token)
        if not m:
            raise spec_error(
                file,
                "actuals",
                f"cannot read {token.strip()!r}",
                'write year:value pairs separated by commas, e.g. "2021:300,2022:320"',
            )
        year = int(m.group(1))
        if year in out:
            raise spec_error(file, "actuals", f"year {year} given twice", "keep one value per year")
        out[year] = m.group(2)
    return out


def looks_inline(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(r"\s*\d{4}\s*[:=：]", value))


# --- actuals -------------------------------------------------------------------------------


def read_actuals(ctx: Ctx, value: Any) -> Actuals:
    if isinstance(value, str) and looks_inline(value):
        value = {"values": parse_actuals(value, ctx.file)}
    elif isinstance(value, str):
        value = {"csv": value}
    data = as_mapping(ctx, "actuals", value)
    check_keys(ctx, "actuals.", data, _ACTUALS_KEYS)
    if ("csv" in data) == ("values" in data):
        raise ctx.error(
            "actuals",
            "needs exactly one of csv: or values:",
            "point csv: at a file with year,value columns, or list values: {year: value}",
        )
    gaps = as_choice(ctx, "actuals.gaps", data.get("gaps"), ("error", "allow")) or "error"
    notes: dict[int, str] = {}
    growth: dict[int, Decimal] = {}
    if "csv" in data:
        path = ctx.resolve("actuals.csv", data["csv"])
        rows = _read_csv(
            ctx,
            path,
            as_text(ctx, "actuals.year_column", data.get("year_column")) or "year",
            as_text(ctx, "actuals.value_column", data.get("value_column")) or "value",
            as_text(ctx, "actuals.growth_column", data.get("growth_column")),
        )
        pairs = [(y, v) for y, v, _ in rows]
        growth = {y: g for y, _, g in rows if g is not None}
        source = f"actuals CSV {display(path)}"
        where = f"actuals.csv ({path.name})"
    else:
        if data.get("growth_column") or data.get("year_column") or data.get("value_column"):
            raise ctx.error(
                "actuals",
                "column names only apply to csv:",
                "remove year_column/value_column/growth_column",
            )
        pairs = _inline_values(ctx, data["values"], notes)
        source = f"actuals in spec {ctx.file}"
        where = "actuals.values"
    if not pairs:
        raise ctx.error(where, "no values", "give at least one year with a value")
    years = [y for y, _ in pairs]
    dupes = sorted({y for y in years if years.count(y) > 1})
    if dupes:
        raise ctx.error(
            where, f"duplicate year(s) {', '.join(map(str, dupes))}", "keep one row per year"
        )
    pairs.sort()
    for y, v in pairs:
        if v <= 0:
            raise ctx.error(
                where,
                f"value {v} for {y} is not positive",
                "forecasts work on log levels; levels must be > 0",
            )
    actuals = Actuals(
        years=tuple(y for y, _ in pairs),
        values=tuple(v for _, v in pairs),
        source=source,
        growth=growth,
        notes=notes,
        gaps_allowed=gaps == "allow",
    )
    missing = actuals.missing_years
    if missing and gaps != "allow":
        raise ctx.error(
            where,
            f"gap: no value for {year_ranges(missing)}",
            "fill the missing years, or set actuals.gaps: allow (then only the "
            "unbroken latest run is used for forecasts)",
        )
    return actuals


def _inline_values(ctx: Ctx, value: Any, notes: dict[int, str]) -> list[tuple[int, Decimal]]:
    data = as_mapping(ctx, "actuals.values", value)
    plain: dict[int, Decimal] = {}
    derived: dict[int, dict] = {}
    for year, v in data.items():
        key = f"actuals.values.{year}"
        y = as_year(ctx, key, year)
        assert y is not None
        if isinstance(v, dict):
            check_keys(ctx, f"{key}.", v, _DERIVED_KEYS)
            derived[y] = v
        else:
            plain[y] = as_number(ctx, key, v)  # type: ignore[assignment]
            if plain[y] is None:
                raise ctx.error(key, "has no value", "give a number")
    for y, v in derived.items():
        key = f"actuals.values.{y}"
        note = as_text(ctx, f"{key}.note", v.get("note"))
        if not note:
            raise ctx.error(
                f"{key}.note",
                "missing",
                "say where the value comes from (a derived value must be explained)",
            )
        notes[y] = note
        if "value" in v:
            plain[y] = as_number(ctx, f"{key}.value", v["value"])  # type: ignore[assignment]
            continue
        from_year = as_year(ctx, f"{key}.from_year", v.get("from_year"), required=True)
        growth = as_number(ctx, f"{key}.growth_pct", v.get("growth_pct"))
        if growth is None:
            raise ctx.error(
                f"{key}.growth_pct",
                "missing",
                "give the growth stated between the two years, in percent",
            )
        if from_year not in plain:
            raise ctx.error(
                f"{key}.from_year",
                f"{from_year} has no plain value in actuals",
                "derive from a year given as a number",
            )
        plain[y] = _derive(plain[from_year], y, from_year, growth)
    return list(plain.items())


def _derive(value: Decimal, year: int, from_year: int, growth_pct: Decimal) -> Decimal:
    """Value in ``year`` from the value in ``from_year`` and the growth stated between them.

    ``growth_pct`` is the cumulative growth from the earlier to the later year
    ("2020 … 较2015年增长25.4%"), so the earlier value is later / (1 + g/100).

    >>> round(_derive(Decimal("290.5"), 2015, 2020, Decimal("25.4")), 4)
    Decimal('231.6587')
    """
    factor = 1 + growth_pct / 100
    return value / factor if year < from_year else value * factor


def _read_csv(
    ctx: Ctx, path: Path, year_col: str, value_col: str, growth_col: str | None
) -> list[tuple[int, Decimal, Decimal | None]]:
    import csv

    key = f"actuals.csv ({path.name})"
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            for col, what in (
                (year_col, "year_column"),
                (value_col, "value_column"),
                (growth_col, "growth_column"),
            ):
                if col is not None and col not in header:
                    raise ctx.error(
                        f"actuals.{what}",
                        f"column {col!r} not in {path.name} (columns: {', '.join(header)})",
                        f"set actuals.{what} to one of the columns",
                    )
            rows = []
            for line, row in enumerate(reader, start=2):
                ytext = (row.get(year_col) or "").strip()
                if not re.fullmatch(r"\d{4}", ytext):
                    raise ctx.error(
                        key, f"line {line}: year {ytext!r} is not a four-digit year", "fix the row"
                    )
                value = _cell(ctx, key, line, value_col, row.get(value_col))
                growth = (
                    _cell(ctx, key, line, growth_col, row.get(growth_col))
                    if growth_col and (row.get(growth_col) or "").strip()
                    else None
                )
                assert value is not None
                rows.append((int(ytext), value, growth))
    except UnicodeDecodeError:
        raise ctx.error(key, "not UTF-8 text", "save the CSV as UTF-8") from None
    except AnalysisError:
        raise
    except (OSError, csv.Error) as exc:
        raise ctx.error(key, f"cannot read: {exc}", "check the file") from None
    return rows


def _cell(ctx: Ctx, key: str, line: int, col: str, text: str | None) -> Decimal:
    text = (text or "").strip().replace(",", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        d = Decimal("NaN")
    if not d.is_finite():
        raise ctx.error(
            key,
            f"line {line}: {col} {text!r} is not a number",
            "fill the cell with a plain number (no units, no blanks)",
        )
    return d
