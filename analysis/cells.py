"""Text cells a spreadsheet cannot run: the one place CSV and Markdown outputs go through.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``,
``@SUM(...)``), and document text can start that way.  As OWASP's "CSV
Injection" page recommends, such a cell is prefixed with a single quote, which
the spreadsheet shows as text; the CSV writer then quotes the cell as usual.
A cell that is a plain number (``-1.8``, ``+5``, ``1E+8``) is a number, not a
formula, and stays as it is, so numbers stay numbers.

The Excel workbook stores text cells as text (``data_type = "s"``) and needs
no prefix; the HTML report escapes text.  See README "Failure behaviour".
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["FORMULA_LEADS", "neutralize", "neutralize_frame", "restore", "to_csv"]

#: First characters that make a spreadsheet evaluate a cell (OWASP, CSV Injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def neutralize(value: Any) -> Any:
    """``value`` made inert for a spreadsheet: formula-leading text gets a ``'`` prefix.

    >>> [neutralize(x) for x in ("=1+1社会消费品零售总额", "@SUM电商平台", "-1+1市场主体", "\\tx")]
    ["'=1+1社会消费品零售总额", "'@SUM电商平台", "'-1+1市场主体", "'\\tx"]
    >>> [neutralize(x) for x in ("-1.8", "+5", "1E+8", "-3.5%", "增长8.1%", 7, None)]
    ['-1.8', '+5', '1E+8', '-3.5%', '增长8.1%', 7, None]
    """
    if (isinstance(value, str) and value.lstrip("'").startswith(FORMULA_LEADS)
            and not _NUMBER.fullmatch(value)):
        return "'" + value  # "'=x" gets a second quote, so restore() is exact
    return value


def restore(value: Any) -> Any:
    """The inverse of :func:`neutralize`, for reading our own CSV files back.

    >>> all(restore(neutralize(x)) == x for x in ("=x", "'=x", "''-y", "'a", "-1.8", "a"))
    True
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].lstrip("'").startswith(
            FORMULA_LEADS):
        return value[1:]
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) neutralized; number
    columns are untouched."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(neutralize)
    out.columns = [neutralize(c) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame, **options: Any) -> str:
    """``frame.to_csv(index=False, **options)`` with formula-leading text neutralized.

    >>> print(to_csv(pd.DataFrame({"quote": ["=1+1", "ok"], "value": [-1.8, 2.0]})), end="")
    quote,value
    '=1+1,-1.8
    ok,2.0
    """
    options.setdefault("index", False)
    return neutralize_frame(frame).to_csv(**options)
