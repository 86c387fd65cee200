"""Documents: read a file (any supported format and encoding) and normalize it for matching.

``load(path) -> Document``.  ``Document.text`` is the decoded original text:
every figure's ``start``/``end`` index into it.  ``Document.norm`` is the
normalized text used for matching (see :mod:`analysis.documents.normalize`).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.documents.normalize import Normalized, normalize

__all__ = ["Document", "load", "from_text", "with_date"]

# Dates as printed in headers and signatures: 2022年9月14日, 成文日期: 2022-07-15.
_DATE = re.compile(r"(20\d\d|19\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)(?!\d)")
# A header field line (索引号：…, 发布日期: …, 来源：…), never the title; 肇庆:2025年… can be one.
_HEADER_FIELD = re.compile(
    r"^[^:：]{0,8}(?:号|日期|时间|来源|机构|分类|作者|关键|索引|主题|发布|生成|字号|浏览|点击|编辑|责任"
    r"|Date|Source|Author)[^:：]{0,4}[:：]|^[A-Za-z ]{1,20}[:：]")
_DOC_NUMBER_YEAR = re.compile(r"[〔\[［(（](20\d\d)[〕\]］)）]")


@dataclass(frozen=True)
class Document:
    """A decoded document.  ``text`` is what offsets refer to."""

    path: Path
    text: str
    encoding: str
    format: str
    sha256: str
    size: int
    doc_id: str
    _norm: list = field(default_factory=list, repr=False, compare=False)
    #: The document's date when known from outside its text: file metadata (HTML <meta>,
    #: PDF and DOCX properties) or the user (``--date``); it wins over a printed date.
    known_date: dt.date | None = None
    #: The date the file's metadata gives (HTML <meta>, PDF/DOCX properties): used when
    #: the text prints none.
    meta_date: dt.date | None = None
    #: What reading the document skipped, and why (figures.extract fills ``skipped``).
    diagnostics: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def norm(self) -> Normalized:
        """Normalized text with its map back to ``text`` (computed once)."""
        if not self._norm:
            self._norm.append(normalize(self.text))
        return self._norm[0]

    @property
    def chars(self) -> int:
        return len(self.text)

    @functools.cached_property
    def title(self) -> str:
        """First non-empty line that is not a header field (信息索引号, 文号)."""
        for line in self.text.splitlines():
            line = line.strip().lstrip("#").strip()
            if line and not _HEADER_FIELD.match(line) and not _DOC_NUMBER_YEAR.search(line):
                if len(line) > 60 or "。" in line:
                    break                                # body text: the document has no title
                return line
        return self.doc_id

    @functools.cached_property
    def date(self) -> dt.date | None:
        """The document's date: given (``known_date``), else the first full date printed in
        its opening lines or signature."""
        if self.known_date is not None:
            return self.known_date
        head = self.text[:600]
        for chunk in (head, self.text[-400:]):
            m = _DATE.search(chunk)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    continue
        return self.meta_date

    @functools.cached_property
    def year(self) -> int | None:
        """The year the document speaks from: its date, else its number (〔2022〕), else the
        latest year in its title (``2022年工作总结及2023年思路`` -> 2023)."""
        if self.date:
            return self.date.year
        m = _DOC_NUMBER_YEAR.search(self.text[:600])
        if m:
            return int(m[1])
        if self.title == self.doc_id:
            return None                                  # a file name is not a printed date
        years = [int(y) for y in _YEAR.findall(self.title)]
        return max(years) if years else None

    def info(self) -> dict:
        """The ``document`` block of the JSON output."""
        return {
            "path": str(self.path), "id": self.doc_id, "sha256": self.sha256,
            "encoding": self.encoding, "format": self.format, "chars": self.chars,
            "title": self.title, "year": self.year,
            "skipped": [{"position": p, "text": t, "reason": r}
                        for p, t, r in self.diagnostics.get("skipped", [])],
        }


def load(path: str | Path) -> Document:
    """Read ``path`` (txt, md, html, docx, pdf; any common Chinese encoding).

    Raises :class:`analysis.exceptions.DocumentError` naming the file and the problem.
    """
    from analysis.documents.readers import read

    raw = read(path)
    return Document(
        path=Path(raw.path), text=raw.text, encoding=raw.encoding, format=raw.format,
        sha256=raw.sha256, size=raw.size, doc_id=Path(raw.path).stem, meta_date=raw.meta_date,
    )


def from_text(text: str, doc_id: str = "inline") -> Document:
    """A Document from a string (tests, notebooks).

    >>> from_text("到2025年，网络零售额达到235亿元。").chars
    20
    """
    import hashlib

    data = text.encode("utf-8")
    return Document(
        path=Path(f"<{doc_id}>"), text=text, encoding="utf-8", format="text",
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), doc_id=doc_id,
    )


def with_date(document: Document, date: dt.date | str | None) -> Document:
    """``document`` read as of ``date`` (a ``datetime.date`` or ``YYYY-MM-DD``): 今年/去年 and
    targets vs actuals are then read from that date.  ``None`` returns it unchanged.

    >>> with_date(from_text("今年预期增长6%。"), "2022-01-20").year
    2022
    """
    import dataclasses

    if date is None:
        return document
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            from analysis.exceptions import DocumentError

            raise DocumentError(f"{document.path}: date {date!r} is not YYYY-MM-DD") from None
    return dataclasses.replace(document, known_date=date, _norm=[], diagnostics={})
