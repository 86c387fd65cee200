"""Excel workbook: one sheet per table, Chinese names above English headers.

Layout (chosen so the workbook reads well *and* round-trips): row 1 holds the
Chinese column names, row 2 the English headers, which are exactly the field
names of figures.csv / checks.csv, so ``pd.read_excel(path, sheet, header=1)``
gives back the same columns as the CSV files.  Both header rows are frozen
and bold, row 2 carries the auto-filter, column widths follow the content
(CJK characters count double).

Values are written as Excel numbers where they are numbers (``Decimal`` and
numpy scalars converted), as text otherwise; text is always stored as text,
so a quote that starts with ``=`` can never become a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.reports import labels
from analysis.reports.atomic import atomic_path

__all__ = ["cell_value", "export", "read"]

#: Widest a column gets (characters); long quotes wrap instead.
MAX_WIDTH = 60
HEADER_ROWS = 2


def cell_value(v: Any) -> Any:
    """The value openpyxl should store: numbers as int/float, missing as None, else text.

    >>> cell_value(Decimal("151.45")), cell_value(float("nan")), cell_value(["f1", "f2"])
    (151.45, None, 'f1, f2')
    >>> import numpy as np; type(cell_value(np.int64(3))).__name__
    'int'
    """
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and abs(v) < 2**53 else float(v)
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalar
        v = v.item()
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, (int, dt.date, dt.datetime)):
        return v
    if isinstance(v, (list, tuple, set, frozenset)):
        return ", ".join(str(cell_value(x)) for x in v)
    return str(v)


def _width(value: Any) -> int:
    """Display width of a value: East Asian wide characters count 2.

    >>> _width("进出口额"), _width("abc"), _width(1.5)
    (8, 3, 3)
    """
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def export(sheets: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write ``sheets`` (name -> frame, in order) to the workbook ``path`` atomically."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=str(name)[:31])
        columns = [str(c) for c in frame.columns]
        names = [(labels.pair("columns", c)[0], c) for c in columns]
        widths = [max(_width(zh), _width(en)) for zh, en in names]
        for row, header in enumerate(zip(*names, strict=True) if names else ((), ()), start=1):
            for col, text in enumerate(header, start=1):
                cell = ws.cell(row=row, column=col, value=text)
                cell.font, cell.fill = bold, fill
        for r, record in enumerate(frame.itertuples(index=False, name=None), start=HEADER_ROWS + 1):
            for c, raw in enumerate(record, start=1):
                value = cell_value(raw)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even "=1+1"
                widths[c - 1] = max(widths[c - 1], _width(value))
        for c, w in enumerate(widths, start=1):
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = min(w, MAX_WIDTH) + 2
            if w > MAX_WIDTH:
                for cell in ws[letter][HEADER_ROWS:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = ws.cell(row=HEADER_ROWS + 1, column=1)
        if columns:
            last = get_column_letter(len(columns))
            ws.auto_filter.ref = (
                f"A{HEADER_ROWS}:{last}{max(HEADER_ROWS, len(frame) + HEADER_ROWS)}"
            )
    if not wb.sheetnames:
        wb.create_sheet("empty")
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def read(path: str | Path, sheet: str) -> pd.DataFrame:
    """Read one sheet back with the English header row as column names."""
    return pd.read_excel(path, sheet_name=sheet, header=HEADER_ROWS - 1)
