"""Regular expressions compiled once from the lexicons (STYLE.md §2).

Every alternation is generated from data files in :mod:`analysis.lexicons`,
longest word first so that ``万亿`` wins over ``万`` and ``个百分点`` over ``个``.
"""
from __future__ import annotations

import functools
import re

from analysis import lexicons

__all__ = ["figure_re", "year_re", "plan_re", "alternation"]


def alternation(words) -> str:
    """A regex alternation of ``words``, longest first, escaped.

    >>> alternation(["万", "万亿", "亿"])
    '万亿|万|亿'
    """
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# A number as printed: 12.87, 40400, 1,234.5 (ASCII thousands separators only).
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Chinese numerals, for amounts such as 三千万元 (converted with cn2an).
CN_NUMBER = r"[零〇一二两三四五六七八九十百千]+"


@functools.cache
def figure_re() -> re.Pattern:
    """The figure pattern: number, optional range, infix, scale, unit, suffix qualifier."""
    units = lexicons.units()
    scales = lexicons.scales()
    quals = lexicons.qualifiers()
    seps = alternation(quals["range_separators"])
    return re.compile(
        rf"""
        (?<![\d.A-Za-z+第])                       # not inside another number, code or ordinal
        (?:(?P<num>{NUMBER})|(?P<cn>{CN_NUMBER}(?=[万亿])))   # the number (Chinese only before 万/亿)
        (?P<scale1>{alternation(scales)})?        # a scale on the first number of a range: 5000万至…
        (?:(?P<sep>{seps})(?P<num2>{NUMBER}))?    # range: 5—10家
        (?P<infix>{alternation(quals["infix"])})? # 10余家, 1000多万元
        (?P<scale>{alternation(scales)})?         # 万, 亿, 万亿
        (?P<unit>{alternation(units)})?           # 元, 美元, 吨, %, 个百分点, 家 …
        (?P<suffix>{alternation(quals["suffix"])})?  # 以上, 左右, 以内
        """,
        re.VERBOSE,
    )


@functools.cache
def multiple_re() -> re.Pattern:
    """翻一番 / 翻两番 / 翻番 (Chinese numeral between 翻 and 番)."""
    return re.compile(r"翻(?P<n>[一二两三四五]?)番")


# Years: 2020年, 2015年底, (2015年); Chinese 二〇二五年 via cn2an.
year_re = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?=\s*年|\s*[—\-~至到]\s*(?:19|20)\d\d\s*年)")


@functools.cache
def plan_re() -> re.Pattern:
    """Five-year-plan words with an optional 末/期间/时期: “十三五”末, 十四五期间."""
    plans = lexicons.periods()["plans"]
    return re.compile(
        rf"[“\"]?(?P<plan>{alternation(plans)})[”\"]?(?P<part>期末|末|期间|时期|期)?"
    )


@functools.cache
def relative_year_re() -> re.Pattern:
    rel = lexicons.periods()["relative_years"]
    return re.compile(rf"(?P<rel>{alternation(rel)})")


@functools.cache
def target_cue_re() -> re.Pattern:
    cues = lexicons.periods()["target_cues"]
    cues = [c for c in cues if c != "到"]
    # 到2025年 is a deadline; 增加到2020年的… / 增长到 is where a level rose to, not a target
    return re.compile(
        rf"{alternation(cues)}|(?<![加长高升降])到\s*(?:(?:19|20)\d\d\s*年|[“\"]?十[一二三四五]五)"
    )


@functools.cache
def not_figure_re() -> re.Pattern:
    words = lexicons.load_data("phrases.yaml")["not_figures"]
    return re.compile(alternation(words))
