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
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# Chinese numerals (三千万元, 十六个, 百分之三点五): parsed by analysis.figures.numerals.
CN_DIGITS = "零〇一二两三四五六七八九十百千"
CN_NUMBER = rf"(?<![{CN_DIGITS}])[{CN_DIGITS}]+(?:点[零〇一二三四五六七八九]+)?"


@functools.cache
def scale_alternation() -> str:
    """Scale words, each refusing to start a unit word: 千 is a scale in 211.23千公顷 but
    part of the unit in 1000千瓦 (generated from units.yaml, longest first).

    >>> "千(?!" in scale_alternation()
    True
    """
    units = list(lexicons.units())
    out = []
    for w in sorted(lexicons.scales(), key=lambda w: (-len(w), w)):
        rests = [u[len(w):] for u in units if u.startswith(w) and len(u) > len(w)]
        out.append(re.escape(w) + (f"(?!{alternation(rests)})" if rests else ""))
    return "|".join(out)


@functools.cache
def figure_re() -> re.Pattern:
    """The figure pattern: number, optional range, infix, scale, unit, suffix qualifier."""
    units = lexicons.units()
    scales = lexicons.scales()
    quals = lexicons.qualifiers()
    seps = alternation(quals["range_separators"])
    return re.compile(
        rf"""
        (?<![\d.a-z+第])                         # not inside another number, code or ordinal
        (?<![A-Za-z]\d)(?<![A-Za-z]\.)           # not the tail of a code: IPv6, PM2.5
        (?:(?P<num>{NUMBER})                      # the number as printed: 12.87, 1,234
          |(?P<pct>百分之{CN_NUMBER})              # 百分之三点五 = 3.5%
          |(?P<frac>[一二三四五六七八九十]{{1,3}}分之[一二三四五六七八九十]{{1,3}})  # 三分之一
          |(?P<cheng>(?<![{CN_DIGITS}])[一二三四五六七八九](?=成))   # 六成 = 60%
          |(?P<cn>{CN_NUMBER}(?=[万亿]|{alternation(units)})))   # 三千万元, 十六个, 九部门
        (?:(?P<scale1>{scale_alternation()})?     # a scale on the first number of a range: 5000万至…
           (?P<sep>{seps})(?P<num2>{NUMBER}))?    # range: 5—10家
        (?P<infix>{alternation(quals["infix"])})? # 10余家, 1000多万元
        (?P<scale>{scale_alternation()})?         # 万, 亿, 万亿 (but 千瓦 is a unit)
        (?P<unit>{alternation(units)}|(?<=[一二三四五六七八九])成)?   # 元, 吨, %, 个百分点, 家 … (六成)
        (?P<suffix>{alternation(quals["suffix"])})?  # 以上, 左右, 以内
        """,
        re.VERBOSE,
    )


@functools.cache
def multiple_re() -> re.Pattern:
    """翻一番 / 翻两番 / 翻番 / 翻了一番多 (n doublings); 翻倍 / 倍增 (twice the base)."""
    return re.compile(r"翻了?(?P<n>[一二两三四五]?)番(?P<more>多)?|(?P<double>翻倍|倍增)")


# Years: 2020年, 2015年底, (2015年); Chinese 二〇二五年 via cn2an.
year_re = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?=\s*年|\s*[—\-~至到]\s*(?:19|20)\d\d\s*年)")


# Fiscal years: 2023-24年度, 2023/24财年, 二〇二三/二四年度 (read as the year they start in).
fiscal_year_re = re.compile(
    r"(?<![\d〇零一二三四五六七八九])(?P<y>(?:19|20)\d\d|[一二][〇零一二三四五六七八九]{3})\s*[-/—至]\s*"
    r"(?P<y2>\d\d|[〇零一二三四五六七八九]{2})\s*(?:年度|财年|财政年度|学年)")


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
