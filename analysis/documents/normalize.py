"""Normalize a document's text for matching, keeping a map back to the original.

Matching works on ``norm``; every character of ``norm`` remembers the index of
the original character it came from (``origin``), so a span found in ``norm``
maps back to the exact characters of the decoded original text.

What changes (and why):

* full-width digits, Latin letters and number punctuation become ASCII
  (``１２．５％`` → ``12.5%``); Chinese sentence punctuation (，。；：) stays;
* Traditional characters become Simplified (OpenCC ``t2s``), one for one, so
  lexicons written in Simplified Chinese match Traditional documents;
* horizontal whitespace disappears unless it separates two Latin letters or
  digits (``4 场`` → ``4场``, ``2022- 07- 15`` → ``2022-07-15``);
* pinyin glosses of garbled reposts disappear (``增長(zhǎng)7.0%`` → ``增长7.0%``);
* a line broken in the middle of a sentence is joined (the PDF-extraction
  breaks of seeds 000 and 003: ``…规模达到\\n\\n12.87万吨``), while paragraph
  ends, headings, list items and short lines (flattened table cells) keep
  their break.

>>> n = normalize("实现 ４场活动，增长１０％以上")
>>> n.text
'实现4场活动，增长10%以上'
>>> n.span(2, 4)          # "4场" in norm -> original offsets
(3, 5)
"""
from __future__ import annotations

import functools
import re
from array import array
from dataclasses import dataclass

__all__ = ["Normalized", "normalize", "to_simplified"]

# Full-width forms that become ASCII; Chinese punctuation (，。；：！？) is kept.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({
    "％": "%", "．": ".", "（": "(", "）": ")", "＋": "+", "－": "-", "～": "~",
    "／": "/", "＜": "<", "＞": ">", "＝": "=", "\u3000": " ", "\xa0": " ",
    "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": " ", "\ufeff": " ", "\r": "\n",
    "\u2014": "—", "\u2015": "—", "\u2212": "-",
})
_TRANSLATE = str.maketrans(_FULLWIDTH)
_FULLWIDTH_RE = re.compile("[" + "".join(re.escape(c) for c in _FULLWIDTH) + "]")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and number punctuation to ASCII; same length.

    (A regex touches only the characters that change: faster than ``str.translate``
    on long Chinese texts, where nearly every character is looked up.)

    >>> to_halfwidth("１２．５％，（亿元）")
    '12.5%，(亿元)'
    """
    return _FULLWIDTH_RE.sub(lambda m: _FULLWIDTH[m.group()], text)

# Pinyin glosses that garbled reposts print after a character: 產(chǎn), 個(gè) — dropped.
_PINYIN_GLOSS = r"(?<=[\u3400-\u9fff])\([a-z\u00e0-\u00fc\u0101-\u01dc]{1,6}\)"
# A pinyin gloss, a run of horizontal whitespace, or a line break with the blank lines and
# spaces around it.
_GAP = re.compile(_PINYIN_GLOSS + r"|[ \t]*\n[\s]*|[ \t]+")

_SENTENCE_END = set("。！？；：!?;:")
_ALNUM = re.compile(r"[A-Za-z0-9]")
# A line that starts a new item: 1. / 1、 / 一、 / (一) / （1） / 第一章 / # heading / - bullet.
_ITEM_START = re.compile(
    r"""(?:\d{1,3}[.、](?!\d)          # 1. or 1、 but not 12.87
        |[一二三四五六七八九十]{1,3}、  # 一、
        |[(（][一二三四五六七八九十\d]{1,3}[)）]
        |第[一二三四五六七八九十\d]+[章节条部分]
        |[#|>*\-•·]
        |附件|附表|表\s*\d|专栏)""",
    re.VERBOSE,
)
_YEAR_START = re.compile(r"(?:19|20)\d\d\s*年")
#: Lines shorter than this are never joined to the next (headings, table cells).
MIN_WRAPPED_LINE = 12


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, per character, its index in the original text."""

    text: str
    origin: array  # origin[i] = index in the original of text[i]; one sentinel at the end
    mapped: str = ""  # the original with characters mapped (half-width, simplified), same length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of the normalized text to ``[start, end)`` of the original."""
        if end <= start:
            o = self.origin[start]
            return o, o
        return self.origin[start], self.origin[end - 1] + 1


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, character for character (same length as ``text``).

    >>> to_simplified("臺灣經濟發展，進出口總額")
    '台湾经济发展，进出口总额'
    """
    cc = _t2s()
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    # A phrase conversion changed the length somewhere: fall back line by line, then char by char.
    lines = text.split("\n")
    fixed = []
    for line in lines:
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join((c2 if len(c2 := cc.convert(ch)) == 1 else ch) for ch in line)
        fixed.append(conv)
    return "\n".join(fixed)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _keep_break(text: str, gap_start: int, gap_end: int) -> bool:
    """Decide whether a line break between ``text[:gap_start]`` and ``text[gap_end:]`` is real."""
    if gap_start == 0 or gap_end >= len(text):
        return True
    prev, nxt = text[gap_start - 1], text[gap_end]
    if prev in _SENTENCE_END:
        return True
    line = text[_line_start(text, gap_start - 1):gap_start].strip()
    if len(line) < MIN_WRAPPED_LINE:
        return True                                  # heading or table cell
    if _ITEM_START.match(line) and not re.search("[，。,]", line) and len(line) < 20:
        return True                                  # a heading such as 一、现实基础
    if _ITEM_START.match(text, gap_end):
        return True                                  # next line starts a new item
    if prev.isdigit() and nxt.isdigit():
        return True                                  # two numbers: never glue them
    if prev in ")）" and (_YEAR_START.match(text, gap_end) or line[:1] in "(（"):
        return True                                  # a dateline such as （2024年3月27日）
    if "\t" in line:
        return True                                  # tab-separated table row
    return False


def normalize(text: str) -> Normalized:
    """Normalize ``text`` (see module docstring); linear time."""
    mapped = to_simplified(to_halfwidth(text))
    parts: list[str] = []
    origin = array("i")
    pos = 0
    for m in _GAP.finditer(mapped):
        s, e = m.span()
        if s > pos:
            parts.append(mapped[pos:s])
            origin.extend(range(pos, s))
        gap = m.group()
        if gap[0] == "(":                            # a pinyin gloss: not part of the text
            pos = e
            continue
        prev = mapped[s - 1] if s > 0 else ""
        nxt = mapped[e] if e < len(mapped) else ""
        if "\n" in gap:
            if _keep_break(mapped, s, e):
                parts.append("\n")
                origin.append(s + gap.index("\n"))
            elif _ALNUM.match(prev or " ") and _ALNUM.match(nxt or " ") and not (
                prev.isdigit() or nxt.isdigit()
            ):
                parts.append(" ")
                origin.append(s)
        elif "\t" in gap:
            parts.append("\t")                       # a cell boundary: keep it visible
            origin.append(s + gap.index("\t"))
        elif _ALNUM.match(prev or " ") and _ALNUM.match(nxt or " "):
            parts.append(" ")
            origin.append(s)
        pos = e
    if pos < len(mapped):
        parts.append(mapped[pos:])
        origin.extend(range(pos, len(mapped)))
    origin.append(len(text))                         # sentinel: end of text
    return Normalized("".join(parts), origin, mapped)
