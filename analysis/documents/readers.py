"""Decode any supported input file into its original text (documents stage, step 1).

``read(path) -> RawDocument`` picks a decoder by extension (sniffing the
content when there is none) from the ``DECODERS`` registry:

- plain text and Markdown (``.txt .text .md .markdown``, no extension): kept
  as is, except that ``\\r\\n`` and ``\\r`` become ``\\n`` (universal newlines)
  and a byte-order mark is dropped;
- HTML (``.html .htm``): the visible text of ``<body>``, one line per block
  element (``p div li tr h1``-``h6`` ..., each ``td``/``th`` cell on its own
  line, ``<br>`` a line break); ``script style noscript template`` and the
  ``<head>`` are dropped, runs of spaces inside a line collapse to one (as a
  browser renders them), and runs of blank lines collapse to one;
- DOCX: body paragraphs and tables in document order, one table cell per line;
- PDF: the text layer of each page (pdfplumber), pages joined with ``\\n``.

Text encodings are detected, never assumed (see ``_decode_bytes``): a BOM wins
(``utf-8-sig``, ``utf-16``, ``utf-32``); otherwise every candidate of
``CANDIDATES`` that decodes the bytes strictly is scored by ``_plausibility``
(the share of characters that are common in Chinese text) and the best one is
taken, ties going to the earlier candidate (an HTML ``<meta charset>`` is
tried first).  charset-normalizer is not used to choose: on 561 snippets of
4-16 characters from the seeds re-encoded in GBK it named another charset for
337 of them, while the score picked GB18030 for all (Big5 snippets of 2-4
hanzi can tie with GB18030, and ties go to GB18030).  It only names a likely
charset in the error for bytes that no candidate decodes.  Two exceptions to
the score: valid UTF-8 in Latin script is UTF-8 (GB18030 would read ``ú`` as
the frequent hanzi ``煤``), and a file that is plausible UTF-8 up to a byte
that is not (two encodings pasted together) is refused, naming the line.

Every input failure raises ``DocumentError`` naming the file, the problem and
the fix.  Only regular files are read (not /dev/zero, FIFOs, directories), at
most ``config.MAX_INPUT_BYTES`` of them, checked with ``stat`` before anything
is read.  What a file decodes to is bounded by ``config.MAX_DECODED_BYTES``: a
DOCX by the uncompressed sizes its archive declares, before python-docx
inflates anything (XML parts with a DTD, the way to entity bombs, are refused),
a PDF by its text, page by page.  HTML is walked without recursion, so
nesting depth does not matter.
"""
from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import io
import re
import stat as st
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config
from analysis.exceptions import DocumentError

if TYPE_CHECKING:
    from bs4 import Tag
    from docx.document import Document as DocxDocument
    from docx.table import _Cell

__all__ = ["RawDocument", "read", "html_text"]


@dataclass(frozen=True)
class RawDocument:
    """A decoded input file.

    ``encoding`` is the normalized name of the charset the bytes were decoded
    with ("utf-8", "utf-8-sig", "gb18030", "big5", "cp950", "utf-16",
    "utf-32"); it is "" for DOCX and PDF, whose text is not stored in a charset
    of the file's choosing.  ``sha256`` and ``size`` describe the raw bytes.
    """

    path: Path
    text: str
    encoding: str
    format: str
    sha256: str
    size: int
    meta_date: dt.date | None = None   # from the file's metadata (HTML <meta>, PDF/DOCX info)


#: Extension (lower case) -> format name.  "" is a file without extension.
FORMATS: dict[str, str] = {
    "": "text",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}

#: Charsets tried on bytes without a BOM, in tie-break order.  GB18030 decodes
#: GB2312 and GBK too; cp950 (Microsoft's Big5) only adds codes plain Big5 lacks.
CANDIDATES = ("utf-8", "gb18030", "big5", "cp950")

#: Below this plausibility the "text" is mojibake from some other charset.
MIN_PLAUSIBILITY = 0.5

_BOMS = (  # UTF-32 LE first: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Leading bytes of formats that are not text: (magic, what it is, extension to use).
_MAGIC = (
    (b"%PDF-", "a PDF file", ".pdf"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, ...)", ".docx if it is a Word file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office file (.doc/.xls)", ""),
    (b"{\\rtf", "an RTF file", ""),
    (b"\x89PNG", "a PNG image", ""),
    (b"\xff\xd8\xff", "a JPEG image", ""),
    (b"GIF8", "a GIF image", ""),
    (b"\x1f\x8b", "a gzip archive", ""),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive", ""),
    (b"Rar!", "a RAR archive", ""),
    (b"\x7fELF", "an executable", ""),
)

#: Punctuation and symbols common in Chinese documents (besides ASCII).
_COMMON_SYMBOLS = frozenset(
    "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·～％‰×÷°℃№§　"
    "①②③④⑤⑥⑦⑧⑨⑩ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ㎡"
) | frozenset(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width ASCII


def _charset_table(encoding: str, leads: range, trails: list[int]) -> frozenset[str]:
    """Characters of the double-byte codes ``lead trail`` that ``encoding`` defines."""
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                chars.add(bytes((lead, trail)).decode(encoding))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


@functools.cache
def _frequent_hanzi() -> tuple[frozenset[str], frozenset[str]]:
    """(simplified, traditional) frequent Chinese characters, from the charsets' own layout.

    Simplified: GB2312 level 1 (rows 16-55, its 3755 常用字).  Traditional:
    Big5's 常用字 (0xA440-0xC67E, 5401).  Garbage from decoding with the wrong
    charset mixes the two scripts or lands outside both.
    """
    gb_trails = list(range(0xA1, 0xFF))
    big5_trails = list(range(0x40, 0x7F)) + gb_trails
    simplified = _charset_table("gb2312", range(0xB0, 0xD8), gb_trails)
    traditional = frozenset(
        c
        for c in _charset_table("big5", range(0xA4, 0xC7), big5_trails)
        if c.encode("big5") <= b"\xc6\x7e"
    )
    return simplified, traditional


def _plausibility(text: str, sample: int = 20_000) -> float:
    """How much the first ``sample`` non-space characters look like Chinese text, 0-1.

    The share of characters that are printable ASCII, common punctuation, or
    frequent hanzi of one script, for the better of the two scripts (real
    text keeps to one script; seeds score 0.99 and more).  Rare hanzi, kana,
    box drawing and private-use characters, which wrong-charset garbage is
    made of, count 0.

    >>> _plausibility("社会消费品零售总额290.5亿元，增长8.1%")
    1.0
    >>> _plausibility("社會消費品零售總額")
    1.0
    >>> _plausibility("社会消费品".encode("gbk").decode("big5"))  # '扦頗秏煤こ'
    0.4
    """
    chars = [c for c in text[: sample * 2] if not c.isspace()][:sample]
    if not chars:
        return 1.0
    common = sum(1 for c in chars if " " <= c <= "~" or c in _COMMON_SYMBOLS)
    return max(
        (common + sum(1 for c in chars if c in script)) / len(chars)
        for script in _frequent_hanzi()
    )


def _normalize_charset(label: str) -> str | None:
    """A declared charset label as one of ``CANDIDATES``, or None if it is not one.

    >>> [_normalize_charset(x) for x in ("GB2312", "gbk", "UTF8", "big5", "x-unknown")]
    ['gb18030', 'gb18030', 'utf-8', 'big5', None]
    """
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "gb18030"):
        return "gb18030"
    return name if name in CANDIDATES else None


def _binary_kind(data: bytes) -> tuple[str, str] | None:
    """(what the bytes are, extension to use) when they are clearly not text."""
    for magic, kind, ext in _MAGIC:
        if data.startswith(magic):
            return kind, ext
    if b"\x00" in data:
        return "binary data (NUL bytes)", ""
    return None


def _decode_bytes(path: Path, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of text bytes; ``declared`` is a charset label to try first."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as err:
                raise DocumentError(
                    path, f"starts with a {name} byte-order mark but is not valid {name} "
                    f"(byte {err.start})", "re-save the file as UTF-8",
                ) from None
    binary = _binary_kind(data)
    if binary:
        kind, ext = binary
        fix = f"rename it to {ext}" if ext else "convert it to UTF-8 text, .docx or .pdf"
        if kind.startswith("binary"):
            fix = "pass a text file; UTF-16/32 text needs a byte-order mark, or re-save as UTF-8"
        raise DocumentError(path, f"is {kind}, not text", fix)
    order = list(CANDIDATES)
    hint = _normalize_charset(declared) if declared else None
    if hint:
        order.remove(hint)
        order.insert(0, hint)
    best: tuple[float, str, str] | None = None
    for name in order:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as err:
            if name == "utf-8":
                _refuse_mixed_utf8(path, data, err)
            continue
        if name == "utf-8" and hint in (None, "utf-8") and _latin_plausibility(text) >= 0.9:
            return text, name  # valid UTF-8 in Latin script: 'Bogotá' is not 'Bogot谩'
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is None or best[0] < MIN_PLAUSIBILITY:
        raise DocumentError(
            path, f"cannot be decoded as UTF-8, GB18030 or Big5{_guess_charset(data)}",
            "re-save the file as UTF-8",
        )
    return best[1], best[2]


def _latin_plausibility(text: str, sample: int = 20_000) -> float:
    """Share of the non-space characters that are printable ASCII or Latin letters (accents
    included) *and* of which at least one is a non-ASCII Latin letter; 0 for other text.

    Decoded by mistake, GB18030 bytes give Cyrillic, Greek, CJK or symbols, not
    Latin text, while a wrong GB18030 reading of Latin UTF-8 gives frequent hanzi
    (``ú`` -> ``煤``), so Latin text that decodes as UTF-8 is UTF-8.

    >>> _latin_plausibility("Bogotá, 2025: +3,5 %")
    1.0
    >>> _latin_plausibility("年均增长"), _latin_plausibility("plain ASCII")
    (0.0, 0.0)
    """
    chars = [c for c in text[: sample * 2] if not c.isspace()][:sample]
    latin = sum(1 for c in chars if "\u00c0" <= c <= "\u024f" and c.isalpha())
    if not latin:
        return 0.0
    return (latin + sum(1 for c in chars if " " <= c <= "~")) / len(chars)


#: A UTF-8 prefix this plausible, with this many non-ASCII characters, is UTF-8 text.
_MIXED_MIN_CHARS = 8


def _refuse_mixed_utf8(path: Path, data: bytes, err: UnicodeDecodeError) -> None:
    """Raise when ``data`` is plausible UTF-8 text up to a byte that is not UTF-8: a file
    pasted together from two encodings.  Any single charset would turn one of the parts
    into mojibake, so it is refused, naming the line where the UTF-8 part ends."""
    prefix = data[: err.start].decode("utf-8", "ignore")
    if sum(1 for c in prefix if ord(c) > 0x7F) < _MIXED_MIN_CHARS:
        return
    if _plausibility(prefix) < 0.95:
        return
    line = prefix.count("\n") + 1
    if err.end == len(data) and err.reason == "unexpected end of data":
        raise DocumentError(path, f"ends inside a UTF-8 character (line {line}; truncated?)",
                            "read a complete copy of the file")
    raise DocumentError(
        path, f"mixes encodings: UTF-8 text up to line {line}, then bytes that are not UTF-8 "
        f"(byte {err.start})", "re-save the whole file in one encoding, UTF-8",
    )


def _guess_charset(data: bytes) -> str:
    """' (charset-normalizer guesses X)' for the error message, or ''."""
    from charset_normalizer import from_bytes

    match = from_bytes(data[:65536]).best()
    return f" (charset-normalizer guesses {match.encoding})" if match else ""


def _universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_text(path: Path, data: bytes) -> tuple[str, str]:
    text, encoding = _decode_bytes(path, data)
    return _universal_newlines(text), encoding


# --- HTML ------------------------------------------------------------------

#: <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)
#: Elements that end a line; td/th put each table cell on its own line.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p "
    "pre section summary table tbody td tfoot th thead tr ul".split()
)
#: Elements whose content is never shown as text.
_DROP_TAGS = frozenset("head script style noscript template iframe object svg canvas".split())
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's own whitespace, not NBSP or U+3000


class _Lines:
    """Collects visible text into lines: blocks end lines softly, <br> hard."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def add(self, text: str) -> None:
        self.buffer.append(text)

    def end_block(self) -> None:  # a block boundary never makes an empty line
        if "".join(self.buffer).strip():
            self.line_break()
        self.buffer.clear()

    def line_break(self) -> None:  # <br> and newlines in <pre> may make empty lines
        self.lines.append("".join(self.buffer).strip())
        self.buffer.clear()

    def text(self) -> str:
        self.end_block()
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines))
        return text.strip("\n").replace(_CELL_SEP, "\t")


_END_BLOCK = object()  # stack marker: the block element whose children were just walked


def _walk(root: Tag, out: _Lines) -> None:
    """Visible text of ``root`` into ``out``, depth first with an explicit stack: a page of
    100,000 nested elements is walked without recursion (Python's limit is about 1,000)."""
    from bs4 import NavigableString, Tag

    stack: list[tuple[object, bool]] = [(child, False) for child in reversed(root.contents)]
    while stack:
        node, pre = stack.pop()
        if node is _END_BLOCK:
            out.end_block()
        elif isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not a Comment, Doctype, CData ...
                if pre:
                    first, *rest = str(node).split("\n")
                    out.add(first)
                    for part in rest:
                        out.line_break()
                        out.add(part)
                else:
                    out.add(_HTML_SPACE.sub(" ", str(node)))
        elif isinstance(node, Tag):
            name = node.name.lower()
            if name in _DROP_TAGS:
                continue
            if name == "br":
                out.line_break()
                continue
            if name in _BLOCK_TAGS:
                out.end_block()
                stack.append((_END_BLOCK, pre))
            inner = pre or name in ("pre", "textarea")
            stack.extend((child, inner) for child in reversed(node.contents))


#: Between the cells of a flattened row until the text is assembled (HTML space would eat a tab).
_CELL_SEP = "\x1f"


def _flatten_rows(soup: Tag) -> None:
    """Each table row becomes one line of tab-separated cells, empty cells kept and a
    ``colspan`` cell followed by empty ones, so the table reader sees the columns."""
    from bs4 import NavigableString

    for tr in soup.find_all("tr"):
        cells = tr.find_all(["td", "th"], recursive=False)
        if not cells:
            continue
        parts: list[str] = []
        for cell in cells:
            parts.append(_HTML_SPACE.sub(" ", cell.get_text(" ")).strip())
            try:
                span = int(str(cell.get("colspan") or 1))
            except ValueError:
                span = 1
            parts.extend([""] * max(0, min(span, 50) - 1))
        tr.clear()
        tr.append(NavigableString(_CELL_SEP.join(parts)))


def html_text(markup: str) -> str:
    """Visible text of an HTML page, one line per block element.

    >>> html_text("<p>增长<b>8.1%</b></p><table><tr><td>出口额</td><td></td><td>153.76</td></tr></table>")
    '增长8.1%\\n出口额\\t\\t153.76'
    >>> html_text("<head><script>var x=1</script></head><div> a <br><br> b </div>")
    'a\\n\\nb'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    _flatten_rows(soup)
    out = _Lines()
    _walk(soup, out)
    return out.text()


def _decode_html(path: Path, data: bytes) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    label = declared.group(1).decode("ascii", "replace") if declared else None
    markup, encoding = _decode_bytes(path, data, declared=label)
    return html_text(markup), encoding


# --- DOCX ------------------------------------------------------------------


def _docx_lines(container: DocxDocument | _Cell) -> list[str]:
    """Paragraph texts and table cells (one per line) in document order."""
    from docx.table import Table

    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                # one line per row, cells tab-separated; a merged cell repeats in row.cells
                # and is kept as an empty cell so the columns stay in place
                seen: set[int] = set()
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        cells.append("")
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(x.strip() for x in _docx_lines(cell) if x.strip()))
                lines.append("\t".join(c.replace("\t", " ") for c in cells))
        else:
            lines.append(block.text)
    return lines


def _decode_docx(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(path, "is an old binary Word .doc file, not .docx",
                            "open it in Word or LibreOffice and save as .docx")
    _check_docx_archive(path, data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = _docx_lines(document)
    except Exception as err:  # noqa: BLE001 - python-docx raises many types on broken files
        raise DocumentError(path, f"is not a readable .docx file ({_describe(err)})",
                            "re-save it from Word or LibreOffice as .docx") from None
    return _universal_newlines("\n".join(lines)), ""


#: A DTD inside an XML part (UTF-8 or UTF-16): OOXML never has one; entity bombs need one.
_DTD_MARKS = tuple("<!DOCTYPE".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be")) + tuple(
    "<!ENTITY".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))


def _check_docx_archive(path: Path, data: bytes) -> None:
    """Refuse a DOCX whose parts inflate beyond ``config.MAX_DECODED_BYTES`` (a zip bomb),
    judged from the sizes the archive declares (Python's zipfile never inflates a member
    beyond its declared size), and XML parts with a DTD (entity expansion): before python-docx
    reads any part."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as err:  # noqa: BLE001 - BadZipFile, NotImplementedError (version) ...
        raise DocumentError(path, f"is not a readable .docx file ({_describe(err)})",
                            "re-save it from Word or LibreOffice as .docx") from None
    inflated = sum(m.file_size for m in members)
    if inflated > config.MAX_DECODED_BYTES:
        raise DocumentError(
            path, f"inflates to {_megabytes(inflated)} (limit "
            f"{_megabytes(config.MAX_DECODED_BYTES)}; a zip bomb?)",
            "re-save it from Word, or raise config.MAX_DECODED_BYTES",
        )
    archive = zipfile.ZipFile(io.BytesIO(data))
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            part = archive.read(member)
        except Exception as err:  # noqa: BLE001 - zlib, CRC and header errors
            raise DocumentError(path, f"is not a readable .docx file ({_describe(err)})",
                                "re-save it from Word or LibreOffice as .docx") from None
        if any(mark in part for mark in _DTD_MARKS):
            raise DocumentError(
                path, f"has a DTD in {member.filename} (XML entity expansion is refused)",
                "re-save it from Word or LibreOffice as .docx",
            )


# --- PDF -------------------------------------------------------------------


def _decode_pdf(path: Path, data: bytes) -> tuple[str, str]:
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(path, "is not a PDF file (no %PDF- header)",
                            "pass a real PDF or rename the file to its real type")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pages: list[str] = []
    size = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                page.close()  # drop the page's layout objects before the next page
                size += len(pages[-1].encode("utf-8"))
                if size > config.MAX_DECODED_BYTES:
                    raise DocumentError(
                        path, f"PDF text exceeds {_megabytes(config.MAX_DECODED_BYTES)} "
                        f"by page {len(pages)}", "split the PDF or raise config.MAX_DECODED_BYTES",
                    )
    except DocumentError:
        raise
    except Exception as err:  # noqa: BLE001 - pdfminer raises many types on broken files
        inner = err.args[0] if err.args and isinstance(err.args[0], Exception) else err
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise DocumentError(path, "is an encrypted PDF (password required)",
                                "save an unencrypted copy and read that") from None
        raise DocumentError(path, f"is a corrupt PDF ({_describe(inner)})",
                            "re-export or re-download the PDF") from None
    if not pages:
        raise DocumentError(path, "is a PDF without pages", "re-export the PDF")
    if not any(p.strip() for p in pages):
        raise DocumentError(path, f"PDF has no text layer ({len(pages)} image-only page(s))",
                            "run OCR first, e.g. ocrmypdf, and read its output")
    return _universal_newlines("\n".join(pages)), ""


def _describe(err: BaseException) -> str:
    """One line naming an exception: 'BadZipFile: File is not a zip file'."""
    detail = " ".join(str(err).split())[:120]
    return f"{type(err).__name__}: {detail}" if detail else type(err).__name__


# --- entry point -----------------------------------------------------------

Decoder = Callable[[Path, bytes], tuple[str, str]]

#: Format name -> decoder returning (text, encoding).
DECODERS: dict[str, Decoder] = {
    "text": _decode_text,
    "markdown": _decode_text,
    "html": _decode_html,
    "docx": _decode_docx,
    "pdf": _decode_pdf,
}

_HTML_START = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)


def _sniff(data: bytes) -> str:
    """Format of a file without extension, from its first bytes."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            if "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist():
                return "docx"
        except Exception:  # noqa: BLE001, S110 - not a readable zip: then it is not a DOCX
            pass
    if _HTML_START.match(data.removeprefix(codecs.BOM_UTF8)[:1024]):
        return "html"
    return "text"


def _file_kind(mode: int) -> str:
    """'a character device', 'a FIFO' ... for a file that is not regular."""
    for test, kind in ((st.S_ISCHR, "a character device"), (st.S_ISBLK, "a block device"),
                       (st.S_ISFIFO, "a FIFO"), (st.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "a special file"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


#: Metadata dates: <meta name="PubDate" content="2022-07-15">, PDF /CreationDate (D:20220715…),
#: DOCX docProps/core.xml <dcterms:created>2022-07-15T…
_META_DATE_HTML = re.compile(
    rb"""<meta[^>]+(?:name|property)\s*=\s*["'](?:pubdate|publishdate|firstpublishedtime|date|"""
    rb"""dc\.date|dcterms\.created|article:published_time|publish_time)["'][^>]*?content\s*=\s*"""
    rb"""["']\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})""", re.IGNORECASE)
_META_DATE_PDF = re.compile(rb"/CreationDate\s*\(D:(\d{4})(\d{2})(\d{2})")
_META_DATE_DOCX = re.compile(rb"<dcterms:created[^>]*>(\d{4})-(\d{2})-(\d{2})")


def _meta_date(fmt: str, data: bytes) -> dt.date | None:
    """The date the file's metadata gives, if any (never raises)."""
    m = None
    if fmt == "html":
        m = _META_DATE_HTML.search(data[:16384])
    elif fmt == "pdf":
        m = _META_DATE_PDF.search(data[-65536:]) or _META_DATE_PDF.search(data[:65536])
    elif fmt == "docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                info = z.getinfo("docProps/core.xml")
                if info.file_size < 1_000_000:
                    m = _META_DATE_DOCX.search(z.read(info))
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            m = None
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def read(path: str | Path) -> RawDocument:
    """Read and decode one document; raises ``DocumentError`` on any bad input."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DocumentError(path, "file not found", "check the path and file name") from None
    except OSError as err:
        raise DocumentError(path, f"cannot be accessed ({err.strerror})",
                            "check the path and its permissions") from None
    if path.is_dir():
        raise DocumentError(path, "is a directory, not a document",
                            "pass one file; batches take a folder")
    if not st.S_ISREG(stat.st_mode):  # /dev/zero, a FIFO, a socket: never read them
        raise DocumentError(path, f"is not a regular file ({_file_kind(stat.st_mode)})",
                            "pass a document file")
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        supported = ", ".join(s for s in FORMATS if s)
        raise DocumentError(path, f"unsupported file type {suffix!r}",
                            f"convert it to one of {supported}")
    if stat.st_size > config.MAX_INPUT_BYTES:
        raise DocumentError(
            path, f"too large ({_megabytes(stat.st_size)}, limit "
            f"{_megabytes(config.MAX_INPUT_BYTES)})",
            "split the document or raise config.MAX_INPUT_BYTES",
        )
    if stat.st_size == 0:
        raise DocumentError(path, "is empty (0 bytes)", "pass a document with text")
    try:
        with path.open("rb") as f:  # bounded: the file may grow between stat and read
            data = f.read(config.MAX_INPUT_BYTES + 1)
    except OSError as err:
        raise DocumentError(path, f"cannot be read ({err.strerror})",
                            "check the file's permissions") from None
    if len(data) > config.MAX_INPUT_BYTES:
        raise DocumentError(path, f"grew beyond {_megabytes(config.MAX_INPUT_BYTES)} while "
                            "being read", "read a finished copy of the file")
    if suffix == "":
        fmt = _sniff(data)
    text, encoding = DECODERS[fmt](path, data)
    if not text.strip():
        raise DocumentError(path, f"is empty (no text in this {fmt} file, only whitespace)",
                            "pass a document with text")
    return RawDocument(
        path=path,
        text=text,
        encoding=encoding,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        meta_date=_meta_date(fmt, data),
    )
