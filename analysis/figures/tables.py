"""Flattened tables: tables as web pages, PDFs and Word files print them in plain text.

A table arrives as cells, in one of these layouts (all handled by one model):

* one cell per line, optionally separated by blank lines (PDF extraction, seed 003's 表1,
  the DOCX and HTML readers today);
* cells on their own lines with ``|`` lines between them (``生产总值\\n|\\n295.4\\n|\\n7.7``);
* cells terminated by `` |`` on their own lines, a lone ``|`` being an empty cell and ``|||||``
  the empty rest of a category row (``一、经济发展 |\\n|||||``);
* one row per line, cells separated by ``|`` (``居民消费价格 | 0.1 |``, Markdown) or by tabs.

The model: lines become *cells* (text and original offsets); a *header* is the run of header
cells (``指 标``, ``2015年 完成``, ``“十三五”年均增长(%)``, ``指标属性``) just before the first
*data row* (a label followed by a number or an empty cell ``/``); each value column gets a year,
a status, a kind and a period from its header, the table's title (``2022年全区生产总值及其增长
速度``, ``图2:2024年居民消费价格比上年涨跌幅度(%)``) and the document's year.  Each numeric cell
becomes a :class:`Figure` (``source="table"``) with the row's indicator, the unit of its row
(``地区生产总值(亿元)``), column (``(%)``) or table (``单位:亿元``), and the column's year, status
and kind.  Cells that are text with a figure inside (``提高13.4个百分点``) are not read here:
they are returned as :class:`Region` spans for the text extractor, with their column's year,
status and period.

Annexed task lists (seeds 000, 001: rows of prose with their own units) are regions too, with
the row's deadline year (``2017 年底前完成``).

Words live in ``analysis/lexicons/tables.yaml``.  Every function here is total: any text gives
a (possibly empty) list, never an exception.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from analysis import lexicons
from analysis.documents import Document
from analysis.exceptions import LexiconError
from analysis.figures.model import Figure

__all__ = ["Region", "annex_regions", "apply_regions", "extract_tables", "table_regions",
           "table_spans"]


class Region(NamedTuple):
    """A span of the *normalized* text (``doc.norm.text``) whose figures the text extractor
    reads and marks ``source="table"``.  ``year``/``status``/``period`` are those of the table
    column (or the annex row's deadline); ``None`` means: decide from the text."""

    start: int
    end: int
    year: int | None
    status: str | None = None
    period: str | None = None
    indicator: str | None = None       # the table row's label (None in annexed task lists)


# --- lexicon ---------------------------------------------------------------------------------

_ROLES = ("label", "category", "index", "unit", "attribute", "note")
_KINDS = ("avg_growth", "cum_growth", "yoy_growth", "level")


@dataclass(frozen=True)
class _Words:
    roles: dict[str, frozenset[str]]
    attribute_values: frozenset[str]
    empty: frozenset[str]
    kind_words: dict[str, tuple[str, ...]]
    actual: tuple[str, ...]
    target: tuple[str, ...]
    unit_line: re.Pattern
    share: tuple[str, ...]
    per_capita: tuple[str, ...]
    rate_suffix: tuple[str, ...]
    header_token: re.Pattern


def _strings(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(f"tables.yaml: {where}: expected a list of words")
    return tuple(value)


@functools.cache
def _words() -> _Words:
    data = lexicons.load_data("tables.yaml")
    lexicons.check_fields(
        "tables.yaml", data,
        ["version", "columns", "attribute_values", "empty_cells", "kind_words", "status_words",
         "unit_line", "share_words", "per_capita_words", "rate_suffix"],
        required=["version", "columns", "kind_words", "status_words"],
    )
    lexicons.check_fields("tables.yaml: columns", data["columns"], _ROLES)
    lexicons.check_fields("tables.yaml: kind_words", data["kind_words"], _KINDS)
    lexicons.check_fields("tables.yaml: status_words", data["status_words"], ["actual", "target"])
    roles = {r: frozenset(_strings(f"columns.{r}", data["columns"].get(r, []))) for r in _ROLES}
    kinds = {k: tuple(sorted(_strings(f"kind_words.{k}", data["kind_words"].get(k, [])),
                             key=len, reverse=True)) for k in _KINDS}
    actual = _strings("status_words.actual", data["status_words"].get("actual", []))
    target = _strings("status_words.target", data["status_words"].get("target", []))
    unit_line = _strings("unit_line", data.get("unit_line", ["单位"]))
    vocab = sorted({w for ws in roles.values() for w in ws} | {w for ws in kinds.values()
                                                                for w in ws}
                   | set(actual) | set(target), key=len, reverse=True)
    plans = sorted(lexicons.periods()["plans"], key=len, reverse=True)
    token = "|".join(map(re.escape, vocab + plans))
    return _Words(
        roles=roles,
        attribute_values=frozenset(_strings("attribute_values", data.get("attribute_values", []))),
        empty=frozenset(_strings("empty_cells", data.get("empty_cells", []))),
        kind_words=kinds, actual=actual, target=target,
        unit_line=re.compile(
            r"^(?:" + "|".join(map(re.escape, sorted(unit_line, key=len, reverse=True)))
            + r")[:：]\s*(?P<unit>[^\s,，;；|]{1,8})"),
        share=_strings("share_words", data.get("share_words", [])),
        per_capita=_strings("per_capita_words", data.get("per_capita_words", [])),
        rate_suffix=_strings("rate_suffix", data.get("rate_suffix", [])),
        # what a header cell may consist of: vocabulary, years, 年, quotes, units in brackets
        header_token=re.compile(
            r"(?:" + token + r"|(?:19|20)\d\d(?:年(?:末|底|度)?)?|年|[“”\"'‘’《》:：%()（）\[\]、]"
            r"|[(（][^()（）]{1,8}[)）])"),
    )


# --- cells -----------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"^(?P<open>[(（])?(?P<sign>[-+－−])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<close>[)）])?\s*(?P<pct>%)?$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_PAREN_UNIT = re.compile(r"[(（]\s*(?P<unit>[^()（）]{1,12}?)\s*[)）]\s*$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]"
                        r"|\d{1,2}[、．](?!\d)|\d{1,2}\.(?!\d))\s*")
_HAS_FIGURE = re.compile(r"\d|[一二两三四五六七八九十百千万亿]+(?:个百分点|倍|成|%)")
_SENTENCE = re.compile(r"[。；;！？]")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")

MAX_CELL = 40           # longer pieces of text are prose, not cells

TEXT, NUMBER, QNUM, EMPTY, ATTR = "text", "number", "qnum", "empty", "attr"
_COMPARATORS = {">": "exceeds", "＞": "exceeds", "≥": "at_least", ">=": "at_least",
                "<": "below", "＜": "below", "≤": "at_most", "<=": "at_most"}


@functools.cache
def _qualified_re() -> re.Pattern:
    """A number with a qualifier word or comparator: 65左右, ≥60, 不低于90, 5%以上."""
    q = lexicons.qualifiers()
    pre = sorted(set(q["prefix"]) | set(_COMPARATORS), key=len, reverse=True)
    suf = sorted(q["suffix"], key=len, reverse=True)
    return re.compile(
        r"^(?P<pre>" + "|".join(map(re.escape, pre)) + r")?(?P<number>[-+]?\d[\d,]*(?:\.\d+)?%?)"
        r"(?P<unit>[^\d\s%]{1,6}?)??(?P<suf>" + "|".join(map(re.escape, suf)) + r")?$")


_YEAR_CELL = re.compile(r"^(?:19|20)\d\d年")
_NUMBER_UNIT = re.compile(r"^(?P<number>[-+]?\d[\d,]*(?:\.\d+)?)(?P<unit>[^\d\s]{1,6})$")


def _with_unit(text: str) -> tuple[str, str] | None:
    """(number, unit) of a cell that is a number with its unit: 512.3亿元, 4场."""
    m = _NUMBER_UNIT.match(text)
    if m and _YEAR_CELL.match(text):
        return None                                      # 2020年: a year, not 2020 years
    if m and _NUMBER.match(m["number"]) and _unit_info(m["unit"]) is not None:
        return m["number"], m["unit"]
    return None


def _qualified(text: str) -> tuple[str, str, str | None] | None:
    """(number as printed, qualifier, unit) of a qualified number cell (≥60, 10家以上)."""
    m = _qualified_re().match(text)
    if not m or not (m["pre"] or m["suf"]) or not _NUMBER.match(m["number"]) or _YEAR_CELL.match(
            text):
        return None
    if m["unit"] and _unit_info(m["unit"]) is None:
        return None
    q = lexicons.qualifiers()
    if m["pre"]:
        return m["number"], _COMPARATORS.get(m["pre"]) or q["prefix"][m["pre"]], m["unit"]
    return m["number"], q["suffix"][m["suf"]], m["unit"]


@dataclass(slots=True)
class _Cell:
    start: int          # offsets in the original text (the cell's content, stripped)
    end: int
    text: str           # mapped text (half-width, simplified), spaces removed
    cls: str = TEXT
    brk: bool = False   # a row break precedes this cell (one-row-per-line layouts)


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    raw: str                      # mapped text of the line, stripped
    cells: list[_Cell] = field(default_factory=list)
    kind: str = "cell"            # cell | pipes | prose | blank | rule
    pipes: int = 0                # number of pipes on a lone-pipe line
    terminated: bool = False      # content line ending in "|"


def _classify(text: str) -> str:
    w = _words()
    if text == "" or text in w.empty:
        return EMPTY
    if text in w.attribute_values:
        return ATTR
    if _NUMBER.match(text) or _with_unit(text):
        return NUMBER
    if _qualified(text):
        return QNUM
    return TEXT


def _make_cell(mapped: str, start: int, end: int) -> _Cell | None:
    """The stripped cell of ``mapped[start:end]`` (None when it is prose)."""
    seg = mapped[start:end]
    lead = len(seg) - len(seg.lstrip())
    seg = seg.strip()
    text = re.sub(r"\s+", "", seg)
    if len(text) > MAX_CELL or _SENTENCE.search(text):
        return None
    s = start + lead
    return _Cell(s, s + len(seg), text, _classify(text))


def _lines(mapped: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in mapped.split("\n"):
        lstart, lend = pos, pos + len(raw)
        pos = lend + 1
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        line = _Line(lstart + lead, lstart + lead + len(stripped), stripped)
        out.append(line)
        if not stripped:
            line.kind = "blank"
            continue
        if set(stripped) <= {"|", " ", "\t"}:
            line.kind, line.pipes = "pipes", stripped.count("|")
            continue
        if _MD_RULE.match(stripped):
            line.kind = "rule"
            continue
        if "|" in stripped or "\t" in stripped:
            sep = "|" if "|" in stripped else "\t"
            pieces: list[tuple[int, int]] = []
            p = line.start
            for part in stripped.split(sep):
                pieces.append((p, p + len(part)))
                p += len(part) + 1
            if sep == "|":
                line.terminated = stripped.endswith("|")
                if line.terminated:
                    pieces.pop()                        # nothing after the last "|"
                if stripped.startswith("|") and pieces:
                    pieces.pop(0)                       # Markdown: "| a | b |"
            cells = [_make_cell(mapped, a, b) for a, b in pieces]
            if any(c is None for c in cells) or not cells:
                line.kind = "prose"
                continue
            line.cells = [c for c in cells if c is not None]
            continue
        cell = _make_cell(mapped, line.start, line.end)
        if cell is None:
            line.kind = "prose"
        else:
            line.cells = [cell]
    return out


def _blocks(lines: list[_Line]) -> list[tuple[int, int]]:
    """Runs of lines without prose: [first, last) line indexes."""
    out = []
    i = 0
    while i < len(lines):
        if lines[i].kind == "prose":
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind != "prose":
            j += 1
        out.append((i, j))
        i = j
    return out


def _stream(lines: list[_Line]) -> tuple[list[_Cell], bool]:
    """The block's cells in order, and whether each line is a row (row layout)."""
    content = [ln for ln in lines if ln.cells]
    multi = sum(1 for ln in content if len(ln.cells) >= 2)
    row_layout = multi >= 2 and multi * 2 >= len(content)
    terminated = sum(1 for ln in content if ln.terminated) * 2 > len(content)
    cells: list[_Cell] = []
    after_pipe = False
    for ln in lines:
        if ln.kind == "pipes" and terminated and not row_layout:
            # "|" is an empty cell, "|||||" five of them
            cells.extend(_Cell(ln.start + k, ln.start + k, "", EMPTY) for k in range(ln.pipes))
        elif ln.kind == "pipes" and not row_layout:
            # "|" lines separate cells: two with nothing between them enclose an empty cell
            empties = ln.pipes - 1 + (1 if after_pipe else 0)
            cells.extend(_Cell(ln.start + k, ln.start + k, "", EMPTY) for k in range(empties))
            after_pipe = True
            continue
        elif ln.cells:
            for k, c in enumerate(ln.cells):
                c.brk = row_layout and k == 0
                cells.append(c)
        if ln.kind != "blank":
            after_pipe = False
    return cells, row_layout


# --- header ----------------------------------------------------------------------------------


def _is_header(cell: _Cell) -> bool:
    """A header cell: made of table vocabulary, years, period names and brackets."""
    if cell.cls == EMPTY:
        return True
    if cell.cls == ATTR:
        return False
    if cell.cls == NUMBER:
        return bool(re.fullmatch(r"(?:19|20)\d\d", cell.text))
    if len(cell.text) > 16:
        return False
    rest = _words().header_token.sub("", cell.text)
    return len(rest) <= 1 and rest != cell.text


def _role(text: str) -> str | None:
    w = _words()
    bare = re.sub(r"[(（][^()（）]*[)）]", "", text)
    for role in _ROLES:
        if bare in w.roles[role]:
            return role
    return None


@dataclass(slots=True)
class _Column:
    header: str
    role: str = "value"                # value | label | category | index | unit | attribute | note
    year: int | None = None
    status: str | None = None
    kind: str | None = None            # avg_growth | cum_growth | yoy_growth | level | None
    period: tuple[int, int] | None = None
    unit: str | None = None
    base_year: int | None = None


def _merge_header(cells: list[_Cell]) -> list[str]:
    """Header texts, one per column: a status word or a bracketed unit on its own line joins
    the year cell before it (``2020`` + ``基值``)."""
    w = _words()
    plans = lexicons.periods()["plans"]
    out: list[str] = []
    for c in cells:
        t = c.text
        if out and out[-1].strip("“”\"") in plans and _kind_of(t):
            out[-1] += t                                 # “十三五” / 年均增长(%)
            continue
        status_only = t and not re.sub("|".join(map(re.escape, w.actual + w.target))
                                        + r"|值|数|[(（][^()（）]{1,8}[)）]", "", t)
        if out and status_only and _YEAR.search(out[-1]) and not _YEAR.search(t):
            out[-1] += t
        else:
            out.append(t)
    return out


def _unit_of(text: str) -> str | None:
    m = _PAREN_UNIT.search(text)
    if m:
        return m["unit"].strip()
    if text.endswith("%"):
        return "%"
    return None


def _columns(headers: list[str], title: str, doc_year: int | None) -> list[_Column]:
    w = _words()
    plans = lexicons.periods()["plans"]
    cols = [_Column(h) for h in headers]
    title_year = _YEAR.search(title)
    title_plan = next((p for p in plans if p in title), None)
    title_kind = _kind_of(title) if title else None
    title_target = any(t in title for t in w.target) or any(p in title for p in plans) or any(
        _role(h) == "attribute" for h in headers)
    for k, col in enumerate(cols):
        role = _role(col.header) or (None if col.header or k == 0 else "note")
        if role:
            col.role = role
            continue
        h = col.header
        col.unit = _unit_of(h)
        m = _YEAR.search(h)
        plan = next((p for p in plans if p in h), None)
        col.kind = _kind_of(h)
        if m:
            col.year = int(m[1])
        if plan:
            col.period = tuple(plans[plan])
        if any(t in h for t in w.target):
            col.status = "target"
        elif any(t in h for t in w.actual):
            col.status = "actual"
        base = re.search(r"比((?:19|20)\d\d)年", h)
        if base:
            col.base_year, col.kind = int(base[1]), "cum_growth"
            col.year = None
    value_cols = [c for c in cols if c.role == "value"]
    years = sorted({c.year for c in value_cols if c.year is not None})
    for col in value_cols:
        if col.kind is None and len(value_cols) == 1 and title_kind:
            col.kind = title_kind
        if col.unit is None and len(value_cols) == 1 and title and title.endswith(("(%)", "（%）")):
            col.unit = "%"
        if col.kind == "avg_growth":
            if col.period is None and title_plan and col.year is None:
                col.period = tuple(plans[title_plan])
            if col.period is None and col.year is None and len(years) >= 2:
                col.period = (years[0] + 1, years[-1])
            if col.period and col.year is None:
                col.year = col.period[1]
        if col.year is None and col.period is None:
            # 2022年 | 同比增长(%): a growth column beside one year column shares its year
            col.year = years[0] if len(years) == 1 else (
                int(title_year[1]) if title_year else doc_year)
        if col.status is None:
            col.status = _status_by_year(col.year, doc_year, years, title_target)
    # an avg-growth column without status words takes the status of its end-year column
    for col in value_cols:
        if col.kind == "avg_growth" and not any(t in col.header for t in w.target + w.actual):
            same = [c for c in value_cols if c.kind != "avg_growth" and c.year == col.year
                    and c.status]
            if same:
                col.status = same[0].status
    return cols


def _status_by_year(year: int | None, doc_year: int | None, years: list[int],
                    title_target: bool) -> str:
    if year is None:
        return "actual"
    if doc_year is not None:
        return "target" if year > doc_year else "actual"
    return "target" if title_target and len(years) >= 2 and year == years[-1] else "actual"


def _kind_of(header: str) -> str | None:
    w = _words()
    for kind in _KINDS:
        if any(word in header for word in w.kind_words[kind]):
            return kind
    return None


# --- rows --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    lead: list[_Cell]
    values: list[_Cell]


def _is_label(cell: _Cell) -> bool:
    return cell.cls == TEXT and not _is_header(cell)


def _strong_label(cells: list[_Cell], i: int) -> bool:
    """Cell ``i`` surely starts a row: a label with a unit, a numbered category, or a label
    followed by a number."""
    c = cells[i]
    if not _is_label(c):
        return False
    if _PAREN_UNIT.search(c.text) or _NUMBERING.match(c.text):
        return True
    return i + 1 < len(cells) and cells[i + 1].cls in (NUMBER, QNUM)


def _first_row(cells: list[_Cell], start: int) -> int | None:
    """Index of the first data row's label at or after ``start``."""
    for i in range(start, len(cells) - 1):
        if not _is_label(cells[i]):
            continue
        k = i + 1
        if k + 1 < len(cells) and _unit_info(cells[k].text) and not cells[k].brk:
            k += 1                                       # a unit column: 亿元
        if cells[k].cls in (NUMBER, EMPTY, QNUM) and not cells[k].brk:
            j = i
            while j - 1 >= start and _is_label(cells[j - 1]) and not cells[j].brk:
                j -= 1                                   # rowspan categories before the label
            if j - 1 >= start and re.fullmatch(r"\d{1,3}", cells[j - 1].text) and (
                j - 2 < start or _is_header(cells[j - 2])
            ):
                j -= 1                                   # 序号
            return j
    return None


@dataclass(slots=True)
class _Table:
    title: str
    unit: str | None
    columns: list[_Column]
    rows: list[_Row]


def _parse_block(cells: list[_Cell], row_layout: bool, before: str,
                 doc_year: int | None) -> list[_Table]:
    tables: list[_Table] = []
    pos = tstart = 0                   # where to look for a row; where the title may begin
    while pos < len(cells):
        first = _first_row(cells, pos)
        if first is None:
            break
        # header: the header cells just before the first row
        h = first
        while h - 1 >= tstart and _is_header(cells[h - 1]) and not _unit_line(cells[h - 1]):
            h -= 1
        header_cells = cells[h:first]
        while header_cells and header_cells[0].cls == EMPTY:
            header_cells = header_cells[1:]
        pre = cells[tstart:h]
        unit = next((u for c in pre if (u := _unit_line(c))), None)
        titles = [c.text for c in pre if not _unit_line(c) and c.cls == TEXT]
        title = titles[-1] if titles else before
        if row_layout:
            header_cells = _last_header_row(header_cells)
        if not any(c.cls != EMPTY for c in header_cells) and not _title_is_header(title):
            pos = first + 1
            continue
        headers = _merge_header(header_cells) if header_cells else ["指标", ""]
        cols = _columns(headers, title, doc_year)
        rows, end = _rows(cells, first, cols, row_layout)
        tables.append(_Table(title, unit, cols, rows))
        pos = tstart = max(end, first + 1)
    return tables


def _title_is_header(title: str) -> bool:
    """A title such as ``图2:2024年居民消费价格比上年涨跌幅度(%)`` defines a single value column."""
    return bool(title) and _kind_of(title) is not None and _unit_of(title) == "%"


def _last_header_row(cells: list[_Cell]) -> list[_Cell]:
    """In one-row-per-line layouts, header rows of the same width merge column by column;
    a shorter row above them is a title."""
    rows: list[list[_Cell]] = []
    for c in cells:
        if c.brk or not rows:
            rows.append([])
        rows[-1].append(c)
    if not rows:
        return []
    merged = [_Cell(c.start, c.end, c.text, c.cls, c.brk) for c in rows[-1]]
    for above in reversed(rows[:-1]):
        if len(above) < len(merged) or len(above) > len(merged) + 2:
            break                                        # a title, not a header row
        # a lower row without its leading cells (指 标 | 2022年 | 2023年 / | 实际 | 预计)
        offset = len(above) - len(merged)
        lower = merged
        merged = [_Cell(c.start, c.end, c.text, c.cls, c.brk) for c in above]
        for k, c in enumerate(lower):
            merged[k + offset].text += c.text
    return merged


def _unit_line(cell: _Cell) -> str | None:
    m = _words().unit_line.match(cell.text)
    return m["unit"] if m else None


def _rows(cells: list[_Cell], first: int, cols: list[_Column],
          row_layout: bool) -> tuple[list[_Row], int]:
    """Data rows from ``first``; returns the rows and the index after the table."""
    lead_roles = 0
    for col in cols:
        if col.role in ("value", "attribute", "note"):
            break
        lead_roles += 1
    nv = max(len(cols) - lead_roles, 1)
    has_index = any(col.role == "index" for col in cols)
    if row_layout:
        return _line_rows(cells, first, len(cols), lead_roles, has_index)
    rows: list[_Row] = []
    i = first
    n = len(cells)
    while i < n:
        c = cells[i]
        if _is_header(c) and c.cls != EMPTY and _role(c.text) in ("label", "category", "index"):
            break                                        # a new table's header
        lead: list[_Cell] = []
        if has_index and _index_start(cells, i):
            lead.append(c)                               # 序号
            i += 1
        while i < n and (cells[i].cls == TEXT) and not (lead and cells[i].brk) and (
            not lead or not _value_text(cells[i].text)
        ):
            lead.append(cells[i])
            i += 1
            if row_layout and i < n and cells[i].brk:
                break
        if not lead:
            if cells[i].cls in (NUMBER, QNUM, EMPTY, ATTR) and rows and not row_layout:
                rows[-1].values.append(cells[i])         # overflow of the previous row
                i += 1
                continue
            if row_layout and cells[i].brk and rows:
                lead = []                                # a row without label (merged cell)
            else:
                i += 1
                continue
        values: list[_Cell] = []
        while i < n and len(values) < nv + (0 if not row_layout else 99):
            if row_layout and cells[i].brk and (values or lead):
                break
            if not row_layout and values and (
                _index_start(cells, i) if has_index else _strong_label(cells, i)
            ):
                break
            values.append(cells[i])
            i += 1
        rows.append(_Row(lead, values))
    return rows, i


def _line_rows(cells: list[_Cell], first: int, ncols: int, lead_roles: int,
               has_index: bool) -> tuple[list[_Row], int]:
    """Rows of a one-row-per-line table: a row as wide as the header is read column by
    column; another row is its leading labels, then its values."""
    rows: list[_Row] = []
    i = first
    while i < len(cells):
        j = i + 1
        while j < len(cells) and not cells[j].brk:
            j += 1
        line = cells[i:j]
        if rows and _is_header(line[0]) and _role(line[0].text) in ("label", "category", "index"):
            break                                        # a new table's header
        if len(line) == ncols:
            rows.append(_Row(line[:lead_roles], line[lead_roles:]))
        else:
            k = 0
            while k < len(line) and line[k].cls == EMPTY:
                k += 1                                   # merged cells of the rows above
            start = k
            if has_index and k < len(line) and _index_start(line, k):
                k += 1
            while k < len(line) and line[k].cls == TEXT and not (
                    k > start and _value_text(line[k].text)):
                k += 1
            rows.append(_Row(line[start:k], line[k:]))
        i = j
    return rows, i


def _index_start(cells: list[_Cell], i: int) -> bool:
    """Cell ``i`` is a row number (序号) before a label."""
    return bool(re.fullmatch(r"\d{1,3}", cells[i].text)) and i + 1 < len(cells) and _is_label(
        cells[i + 1])


def _value_text(text: str) -> bool:
    """Whether a text cell after a label is a value (提高13.4个百分点), not more label
    (城市PM2.5下降, 地区生产总值(亿元))."""
    return bool(re.search(r"\d", text)) and not _PAREN_UNIT.search(text) and not re.search(
        r"[A-Za-z]\d", text)


# --- figures -----------------------------------------------------------------------------------


def _unit_info(printed: str) -> tuple[Decimal, str, str] | None:
    """(scale, base unit, unit kind) of a unit such as 亿元, 亿美元, 个, %."""
    units, scales = lexicons.units(), lexicons.scales()
    for sw in sorted(scales, key=len, reverse=True) + [""]:
        rest = printed[len(sw):]
        if printed.startswith(sw) and rest in units:
            u = units[rest]
            return (scales[sw] if sw else Decimal(1)) * u.factor, u.base, u.kind
    return None


def _label(text: str) -> tuple[str, str | None]:
    """(indicator, unit) of a row label: spaces, numbering and the bracketed unit removed."""
    unit = None
    m = _PAREN_UNIT.search(text)
    if m:
        unit = m["unit"].strip()
        text = text[: m.start()]
    text = _NUMBERING.sub("", text).strip("：:、 ")
    return text, unit


def _row_kind(indicator: str) -> str | None:
    """share / rate when the label names one."""
    w = _words()
    if any(s in indicator for s in w.share):
        return "share"
    if indicator.endswith(w.rate_suffix):
        return "rate"
    return None


def _value(text: str) -> tuple[Decimal, bool] | None:
    m = _NUMBER.match(text)
    if not m or bool(m["open"]) != bool(m["close"]):
        return None
    try:
        value = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:
        return None
    if m["sign"] in ("-", "－", "−") or m["open"]:
        value = -value
    return value, bool(m["pct"])


def _number_span(mapped: str, cell: _Cell) -> tuple[int, int]:
    """The number's span in the cell (sign and brackets included, % excluded)."""
    seg = mapped[cell.start:cell.end]
    m = re.search(r"[(（]?[-+－−]?\s*\d[\d,]*(?:\.\d+)?[)）]?", seg)
    if not m:
        return cell.start, cell.end
    return cell.start + m.start(), cell.start + m.end()


@dataclass
class _Out:
    figures: list[Figure] = field(default_factory=list)
    regions: list[tuple[int, int, int | None, str | None, str | None, str]] = field(
        default_factory=list)      # original offsets
    spans: list[tuple[int, int]] = field(default_factory=list)


def _emit(doc: Document, table: _Table, out: _Out) -> None:
    mapped = doc.norm.mapped
    alias = lexicons.alias_index()
    inds = lexicons.indicators()
    value_cols = [c for c in table.columns if c.role not in ("label", "category", "index", "unit")]
    has_unit_col = any(c.role == "unit" for c in table.columns)
    for row in table.rows:
        labels = [c for c in row.lead if c.cls == TEXT]
        unit_cell = None
        if has_unit_col and len(labels) >= 2 and _unit_info(labels[-1].text) is not None:
            unit_cell = labels.pop()
        if not labels:
            continue
        label_cell = labels[-1]
        indicator, row_unit = _label(label_cell.text)
        if unit_cell is not None:
            row_unit = row_unit or unit_cell.text
        if not indicator:
            continue
        row_kind = _row_kind(indicator)
        qstart = label_cell.start
        qend = max([c.end for c in row.values] + [label_cell.end])
        out.spans.append((min(c.start for c in row.lead), qend))
        canonical = alias.get(indicator)
        for k, cell in enumerate(row.values):
            col = value_cols[k] if k < len(value_cols) else None
            if col is None or col.role in ("attribute", "note"):
                if cell.cls != EMPTY and _HAS_FIGURE.search(cell.text):
                    # a remark (备注) or a cell beyond the header: the text decides its year
                    out.regions.append((cell.start, cell.end, None, None, None, indicator))
                continue
            period = f"{col.period[0]}-{col.period[1]}" if col.period else None
            if cell.cls == TEXT:
                if _HAS_FIGURE.search(cell.text):
                    out.regions.append((cell.start, cell.end, col.year, col.status, period,
                                        indicator))
                continue
            if cell.cls not in (NUMBER, QNUM):
                continue
            qualifier = None
            printed_number = cell.text
            cell_unit = None
            if cell.cls == QNUM:
                printed_number, qualifier, cell_unit = _qualified(cell.text) or (
                    cell.text, None, None)
            elif (with_unit := _with_unit(cell.text)) is not None:
                printed_number, cell_unit = with_unit
            parsed = _value(printed_number)
            if parsed is None:
                continue
            value, pct = parsed
            kind, unit = _cell_kind(col, cell_unit or row_unit, table.unit, pct, row_kind,
                                    indicator)
            info = _unit_info(unit) if unit else None
            scale, base_unit = (info[0], info[1]) if info else (Decimal(1), "")
            if kind == "pp_change":
                base_unit = "pp"
            elif unit == "%":
                base_unit = "%"
            s, e = _number_span(mapped, cell)
            span = None
            if kind == "avg_growth" and col.period:
                span = col.period[1] - col.period[0] + 1
            out.figures.append(Figure(
                id="", value=value, unit=unit, kind=kind, start=s, end=e,
                quote=doc.text[qstart:qend], indicator=indicator,
                indicator_canonical=canonical,
                indicator_en=inds[canonical].en if canonical in inds else None,
                year=col.year, period=period, scale=scale, base_unit=base_unit,
                status=col.status or "actual", source="table", printed=doc.text[s:e],
                qualifier=qualifier,
                quote_start=qstart, quote_end=qend, document=doc.doc_id,
                base_year=col.base_year if kind == "cum_growth" else (
                    col.period[0] - 1 if span and col.period else None),
                span_years=span,
            ))


def _cell_kind(col: _Column, row_unit: str | None, table_unit: str | None, pct: bool,
               row_kind: str | None, indicator: str) -> tuple[str, str]:
    """(kind, unit as printed) of a numeric cell."""
    if col.kind in ("avg_growth", "yoy_growth", "cum_growth"):
        unit = col.unit or "%"
        if row_unit == "%" and row_kind in ("share", "rate"):
            return "pp_change", unit
        return col.kind, unit
    unit = row_unit or ("%" if pct else None) or col.unit or table_unit or ""
    if unit == "%":
        return (row_kind or "yoy_growth"), unit
    info = _unit_info(unit) if unit else None
    if info is None:
        rel = lexicons.units().get(unit)
        if rel is not None and rel.base == "pp":
            return "pp_change", unit
        return "level", unit
    if info[2] == "relative":
        return ("pp_change" if info[1] == "pp" else "multiple" if info[1] == "x" else "rate"), unit
    if info[2] == "count":
        if any(p in indicator for p in _words().per_capita):
            return "level", unit
        return "count", unit
    return "level", unit


@functools.lru_cache(maxsize=2)
def _read(doc: Document) -> _Out:
    out = _Out()
    lines = _lines(doc.norm.mapped)
    for a, b in _blocks(lines):
        cells, row_layout = _stream(lines[a:b])
        if not any(c.cls == NUMBER for c in cells) and not any(
                c.cls == TEXT and _HAS_FIGURE.search(c.text) for c in cells):
            continue
        before = ""
        if a > 0 and len(lines[a - 1].raw) <= 60 and not _SENTENCE.search(lines[a - 1].raw):
            before = re.sub(r"\s+", "", lines[a - 1].raw)
        for table in _parse_block(cells, row_layout, before, doc.year):
            _emit(doc, table, out)
    return out


def extract_tables(doc: Document) -> list[Figure]:
    """Figures from the numeric cells of flattened tables (``source="table"``)."""
    return list(_read(doc).figures)


def table_spans(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of every table row read, in the original text."""
    return list(_read(doc).spans)


def _to_norm(doc: Document, start: int, end: int) -> tuple[int, int]:
    """An original span as a span of the normalized text."""
    origin = doc.norm.origin
    n = len(doc.norm.text)
    return min(bisect.bisect_left(origin, start, 0, n), n), min(
        bisect.bisect_left(origin, end, 0, n), n)


def table_regions(doc: Document) -> list[Region]:
    """Regions for the text extractor: text cells of numeric tables that hold a figure
    (``提高13.4个百分点``) with their column's year/status/period, and annexed task lists."""
    annex = [Region(s, e, y) for s, e, y in _annex(doc)]
    out = []
    for s, e, year, status, period, indicator in _read(doc).regions:
        ns, ne = _to_norm(doc, s, e)
        if ne > ns and not any(a.start <= ns and ne <= a.end for a in annex):
            out.append(Region(ns, ne, year, status, period, indicator))
    return sorted(out + annex, key=lambda r: (r.start, r.end))


def apply_regions(doc: Document, figures: list[Figure]) -> list[Figure]:
    """Give the text extractor's figures inside a table's text cell (``source="table"``) the
    cell's column year, status and period (until the text extractor reads :class:`Region`
    itself)."""
    cells = sorted(_read(doc).regions)
    if not cells:
        return figures
    starts = [c[0] for c in cells]
    out = []
    for f in figures:
        k = bisect.bisect_right(starts, f.start) - 1
        if f.source == "table" and k >= 0 and f.start < cells[k][1]:
            _, _, year, status, period, _ = cells[k]
            f = f.replace(year=year if year is not None else f.year,
                          status=status or f.status, period=f.period or period)
        out.append(f)
    return out


def annex_regions(doc: Document) -> list[tuple[int, int, int | None]]:
    """``(start, end, year)`` of :func:`table_regions` (the text extractor's current input)."""
    return [(r.start, r.end, r.year) for r in table_regions(doc)]


# --- annexed task lists ------------------------------------------------------------------------

_ANNEX_HEADER = re.compile(r"类别|序号|重点工作|工作任务|具体内容|责任处室|责任单位|责任科室|进度安排|任务|目标")
_ANNEX_END = re.compile(r"抄送|印发")
_DEADLINE = re.compile(r"((?:19|20)\d\d)\s*年(?:底|年底)?前完成")


def _annex(doc: Document) -> list[tuple[int, int, int | None]]:
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
    for line in re.finditer(r"[^\n]*\n?", text[header:end]):
        if not line.group():
            break
        ls, le = header + line.start(), header + line.end()
        d = _DEADLINE.search(line.group())
        regions.append((ls, le, int(d.group(1)) if d else None))
    return regions
