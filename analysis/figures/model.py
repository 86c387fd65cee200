"""The Figure: one quantitative statement, as a value with provenance (STYLE.md §3).

Field names are a stable interface: the JSON output, the checks and the
reports read them.  Numbers stay exact ``Decimal``; floats appear only at the
modelling boundary (``normalized`` is a float for convenience in pandas).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: The kinds a figure can have.
KINDS = (
    "level",        # a stock or flow in money/physical units: 290.5亿元, 12.87万吨
    "count",        # a number of things: 10家, 4场, 23个
    "yoy_growth",   # year-on-year change in %: 增长14.5%, 同比下降0.4%
    "avg_growth",   # average annual growth over span_years: 年均增长2.58%, 两年平均增长
    "cum_growth",   # growth over a base year: 较2015年增长25.4%
    "multiple",     # ratio to a base: 翻一番 (=2), 增长1.5倍 (=2.5), 为去年的19.8倍
    "share",        # a share of a whole in %: 占比50.2%
    "pp_change",    # a change in percentage points: 提高0.2个百分点
    "rate",         # a percentage that is none of the above (费率, 应用率100%)
)

STATUSES = ("actual", "target")

#: Qualifiers; ``None`` means the value is stated exactly.
QUALIFIERS = ("at_least", "exceeds", "about", "at_most", "below", "range")

#: Field order of the JSON/CSV output (stable).
FIELDS = (
    "id", "indicator", "indicator_canonical", "indicator_en", "region", "year", "period",
    "value", "unit", "scale", "base_unit", "normalized", "kind", "qualifier", "range",
    "status", "source", "start", "end", "quote",
    "base_year", "span_years", "printed", "quote_start", "quote_end", "document",
    "form", "whole", "base_period", "sub_period",
)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure.  ``original_text[start:end]`` contains the number as printed."""

    id: str
    value: Decimal
    unit: str
    kind: str
    start: int
    end: int
    quote: str
    indicator: str | None = None
    indicator_canonical: str | None = None
    indicator_en: str | None = None
    region: str | None = None
    year: int | None = None
    period: str | None = None          # e.g. "2016-2020", "2021-2025"
    scale: Decimal = Decimal(1)        # 1e8 for 亿元
    base_unit: str = ""                # CNY, USD, %, pp, x, t, mu, count ...
    qualifier: str | None = None
    range: tuple[Decimal, Decimal] | None = None
    status: str = "actual"
    source: str = "text"               # text | table
    base_year: int | None = None       # base of cum_growth / multiple / avg_growth
    span_years: int | None = None      # years spanned by avg_growth
    printed: str = ""                  # the number exactly as printed (original text)
    quote_start: int = 0               # the quote's span in the original text
    quote_end: int = 0
    document: str = ""                 # document id (file stem)
    form: str | None = None            # multiples: fan (翻n番) | increase_times (增长n倍) | times_of (为…的n倍)
    whole: str | None = None           # shares: the whole as printed (占全区进出口总额的50.2%)
    base_period: str | None = None     # cum_growth over a period: 较“十二五”期间增长 -> "2011-2015"
    sub_period: str | None = None      # months within the year: 前三季度 "M01-M09", 三季度 "M07-M09",
                                       # 4月份 "M04", 上半年 "M01-M06"; None = the whole year
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def normalized(self) -> float:
        """Value in base units (value × scale), as float."""
        return float(self.value * self.scale)

    @property
    def decimals(self) -> int:
        """Number of decimals as printed (0 for integers): drives the rounding interval."""
        exp = self.value.as_tuple().exponent
        return -exp if isinstance(exp, int) and exp < 0 else 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the stable field names (Decimals as strings)."""
        out: dict[str, Any] = {}
        for name in FIELDS:
            v = getattr(self, name)
            if isinstance(v, Decimal):
                v = _dec_str(v)
            elif name == "range" and v is not None:
                v = [_dec_str(v[0]), _dec_str(v[1])]
            out[name] = v
        return out

    def replace(self, **changes: Any) -> "Figure":
        return dataclasses.replace(self, **changes)


def _dec_str(d: Decimal) -> str:
    """Decimal as plain string, never in exponent notation (1E+8 -> 100000000)."""
    s = format(d, "f")
    return s
