"""Flattened tables: cells one per line, as PDF and web extraction leave them.

Two shapes occur in the seeds:

* numeric target tables (003's 表1): header cells ``2020`` / ``基值`` /
  ``2025年目标值``, then rows of a label with its unit in parentheses
  (``社会消费品零售总额(亿元)``) followed by one number per year column.
  Every cell becomes a figure with the row's indicator, the header's unit
  and the column's year, ``source="table"``;
* annexed task lists (000, 001): rows of prose with their own units.  These
  are found as *regions*; the text extractor reads them and marks their
  figures ``source="table"``, with the row's deadline year (``2017 年底前完成``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from analysis import lexicons
from analysis.documents import Document
from analysis.figures.model import Figure

__all__ = ["extract_tables", "annex_regions"]

_LABEL = re.compile(r"^(?P<name>[^\d()]{2,40}?)\((?P<unit>[^()]{1,10})\)$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_TARGET_WORDS = re.compile(r"目标|预期|规划|计划")
_ACTUAL_WORDS = re.compile(r"基值|基期|基数|实际|完成|现状")
_ANNEX_HEADER = re.compile(r"类别|序号|重点工作|工作任务|具体内容|责任处室|责任单位|责任科室|进度安排|任务|目标")
_ANNEX_END = re.compile(r"抄送|印发")
_DEADLINE = re.compile(r"((?:19|20)\d\d)\s*年(?:底|年底)?前完成")


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str  # translated (full-width -> ASCII) and stripped


_LONG_LINE = _Line(-1, -1, "")


def _lines(mapped: str) -> list[_Line]:
    """Non-empty lines of the character-mapped text (same length as the original)."""
    out = []
    pos = 0
    for raw in mapped.split("\n"):
        stripped = raw.strip()
        if stripped and len(stripped) <= 60:             # table cells are short lines
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped),
                             stripped.replace(" ", "").replace("\t", "")))
        elif stripped:
            out.append(_LONG_LINE)                       # prose: only its presence matters
        pos += len(raw) + 1
    return out


def _unit(printed: str):
    """(scale, unit, base_unit, kind) for a header unit such as 亿元, 亿美元, 家, %."""
    units, scales = lexicons.units(), lexicons.scales()
    for sw in sorted(scales, key=len, reverse=True) + [""]:
        if printed.startswith(sw) and printed[len(sw):] in units:
            u = units[printed[len(sw):]]
            scale = (scales[sw] if sw else Decimal(1)) * u.factor
            kind = {"relative": "rate", "count": "count"}.get(u.kind, "level")
            return scale, u.base, kind
    return None


def _columns(lines: list[_Line], first_row: int, n: int, doc_year: int | None):
    """Year columns from the header lines above the first row: [(year, status), ...]."""
    header = lines[max(0, first_row - 12):first_row]
    cols: list[list] = []
    for ln in header:
        years = _YEAR.findall(ln.text)
        if years:
            cols.append([int(years[0]), ln.text])
        elif cols and not _LABEL.match(ln.text) and len(ln.text) <= 8:
            cols[-1][1] += ln.text          # "2020" then "基值" on the next line
    cols = cols[-n:]
    if len(cols) != n:
        return None
    out = []
    for year, words in cols:
        if _TARGET_WORDS.search(words):
            status = "target"
        elif _ACTUAL_WORDS.search(words):
            status = "actual"
        else:
            status = "target" if doc_year and year > doc_year else "actual"
        out.append((year, status))
    return out


def extract_tables(doc: Document) -> list[Figure]:
    """Figures from numeric flattened tables (label(unit) line + one number per column)."""
    lines = _lines(doc.norm.mapped)
    rows: list[tuple[int, int]] = []           # (label line index, number of cells)
    i = 0
    while i < len(lines):
        if _LABEL.match(lines[i].text):
            k = 0
            while i + 1 + k < len(lines) and _NUMBER.match(lines[i + 1 + k].text):
                k += 1
            if k:
                rows.append((i, k))
                i += 1 + k
                continue
        i += 1
    # group rows into tables: same cell count, at most 3 lines (category labels) apart
    tables: list[list[tuple[int, int]]] = []
    for row in rows:
        if tables and row[1] == tables[-1][-1][1] and row[0] - sum(tables[-1][-1]) <= 3:
            tables[-1].append(row)
        else:
            tables.append([row])
    inds = lexicons.indicators()
    alias = lexicons.alias_index()
    figures: list[Figure] = []
    for table in tables:
        if len(table) < 2:
            continue
        cols = _columns(lines, table[0][0], table[0][1], doc.year)
        if cols is None:
            continue
        for li, k in table:
            label = _LABEL.match(lines[li].text)
            assert label is not None                     # rows were found by this pattern
            unit = _unit(label["unit"])
            if unit is None:
                continue
            scale, base_unit, kind = unit
            name = label["name"]
            canonical = alias.get(name)
            qstart, qend = lines[li].start, lines[li + k].end
            for c in range(k):
                cell = lines[li + 1 + c]
                year, status = cols[c]
                figures.append(Figure(
                    id="", value=Decimal(cell.text), unit=label["unit"], kind=kind,
                    start=cell.start, end=cell.end, quote=doc.text[qstart:qend],
                    indicator=name, indicator_canonical=canonical,
                    indicator_en=inds[canonical].en if canonical else None,
                    year=year, scale=scale, base_unit=base_unit, status=status,
                    source="table", printed=doc.text[cell.start:cell.end],
                    quote_start=qstart, quote_end=qend, document=doc.doc_id,
                ))
    return figures


def annex_regions(doc: Document) -> list[tuple[int, int, int | None]]:
    """(start, end, year) spans of the normalized text that are annexed task lists."""
    text = doc.norm.text
    m = re.search(r"\n\s*(?:#+\s*)?附\s*件[^\n]{0,40}\n", text)
    if not m:
        return []
    header = None
    lines = list(re.finditer(r"[^\n]+", text[m.end():m.end() + 2000]))
    for i, hm in enumerate(lines):
        # header words on one line (序号\t项目\t…) or one per line (序号 / 任务 / 目标 …)
        window = "".join(x.group() for x in lines[i:i + 6] if len(x.group()) <= 8) or hm.group()
        if len(set(_ANNEX_HEADER.findall(hm.group()))) >= 2 or (
            len(hm.group()) <= 8 and len(set(_ANNEX_HEADER.findall(window))) >= 3
        ):
            header = m.end() + hm.start()
            break
    if header is None:
        return []
    end_m = _ANNEX_END.search(text, header)
    end = end_m.start() if end_m and end_m.start() > header + 200 else len(text)
    regions = []
    pos = header
    for line in re.finditer(r"[^\n]*\n?", text[header:end]):
        if not line.group():
            break
        ls, le = header + line.start(), header + line.end()
        d = _DEADLINE.search(line.group())
        regions.append((ls, le, int(d.group(1)) if d else None))
        pos = le
    return regions
