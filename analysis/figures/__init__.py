"""Figures: every number in a document, with its meaning and provenance.

>>> from analysis.documents import from_text
>>> [(f.value, f.unit, f.kind, f.year, f.status) for f in extract(from_text(
...     "2020年，全区实现社会消费品零售总额290.5亿元。到2025年，社会消费品零售总额超过407亿元，年均增幅保持在7%左右。"))]
[(Decimal('290.5'), '亿元', 'level', 2020, 'actual'), (Decimal('407'), '亿元', 'level', 2025, 'target'), (Decimal('7'), '%', 'avg_growth', 2025, 'target')]
"""
from __future__ import annotations

import bisect

import pandas as pd

from analysis.documents import Document
from analysis.figures.model import FIELDS, Figure

__all__ = ["Figure", "extract", "to_frame", "FIELDS"]


def extract(document: Document) -> list[Figure]:
    """Every figure in ``document``, in text order, with ids ``F0001``, ``F0002`` …"""
    from analysis.figures.tables import annex_regions, apply_regions, extract_tables
    from analysis.figures.text import extract_text

    tables = extract_tables(document)
    cells = sorted((f.start, f.end) for f in tables)
    # a number the table model read is not read again as running text
    figures = tables + apply_regions(document, [
        f for f in extract_text(document, annex_regions(document))
        if not _overlaps(cells, f.start, f.end)])
    figures.sort(key=lambda f: (f.start, f.end))
    for i, f in enumerate(figures, 1):
        # ids are given once, here, to figures no one else holds yet (cheaper than replace())
        object.__setattr__(f, "id", f"F{i:04d}")
    return figures


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_right(spans, (start, end))
    return any(s < end and start < e for s, e in spans[max(i - 1, 0):i + 1])


def to_frame(figures: list[Figure]) -> pd.DataFrame:
    """The figures as a DataFrame with the stable column order (``FIELDS``).

    ``value`` stays an exact Decimal (object column); ``normalized`` is float.
    """
    rows = [{name: getattr(f, name) for name in FIELDS} for f in figures]
    df = pd.DataFrame(rows, columns=list(FIELDS))
    for col in ("year", "base_year", "span_years", "start", "end", "quote_start", "quote_end"):
        df[col] = df[col].astype("Int64")
    df["normalized"] = df["normalized"].astype(float)
    return df
