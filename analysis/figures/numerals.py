"""Chinese numerals as exact Decimals, without ever raising.

cn2an (Ailln/cn2an) does the parsing; this module decides what is a number
first and turns every refusal into ``None``, so a word that only looks like a
numeral (a lone 千 in 千万元以上企业, 百 in 百亿元产业集群: class names, not
amounts) is skipped and counted by the extractor, never fatal.

>>> [cn_value(s) for s in ("三千", "十六", "一", "两", "三点五", "千", "百", "十", "二〇二五")]
[Decimal('3000'), Decimal('16'), Decimal('1'), Decimal('2'), Decimal('3.5'), None, None, Decimal('10'), Decimal('2025')]
>>> cn_value("百分之三点五"), cn_value("六成"), cn_value("三分之一"), cn_value("一亿")
(Decimal('3.5'), Decimal('60'), Decimal('0.3333'), Decimal('100000000'))
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import cn2an

__all__ = ["cn_value", "DIGIT_WORDS"]

#: Characters that make a numeral a number (a lone 十/百/千/万/亿 is a unit word).
DIGIT_WORDS = "零〇一二两三四五六七八九"
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_FRACTION = re.compile(r"^(?P<den>.+)分之(?P<num>.+)$")
_TENTHS = re.compile(r"^(?P<n>.+)成$")
_PLAIN_DIGITS = re.compile(rf"^[{DIGIT_WORDS}]{{2,}}$")     # 二〇二五: digit by digit


def _integer_or_decimal(s: str) -> Decimal | None:
    if not s:
        return None
    if s == "十":
        return Decimal(10)
    if not any(c in DIGIT_WORDS for c in s):
        return None                                   # 千, 百, 万: unit words, not numbers
    if _PLAIN_DIGITS.match(s) and "两" not in s:
        return Decimal("".join(str(_DIGITS[c]) for c in s))
    try:
        out = cn2an.cn2an(s.replace("两", "二"), "smart")
    except Exception:  # cn2an raises ValueError and others on words it does not know
        return None
    try:
        return Decimal(str(out))
    except (InvalidOperation, ValueError):
        return None


def cn_value(s: str) -> Decimal | None:
    """The value of a Chinese numeral, ``None`` when ``s`` is not a number.

    Percent words give the number of percent (百分之三点五 -> 3.5, 六成 -> 60);
    fractions are rounded to 4 decimals (三分之一 -> 0.3333), as annotated.
    """
    if not s or len(s) > 40:
        return None
    if s.startswith("百分之"):
        return _integer_or_decimal(s[3:])
    m = _TENTHS.match(s)
    if m:
        v = _integer_or_decimal(m["n"])
        return None if v is None else v * 10
    m = _FRACTION.match(s)
    if m:
        num, den = _integer_or_decimal(m["num"]), _integer_or_decimal(m["den"])
        if num is None or not den:
            return None
        return (num / den).quantize(Decimal("0.0001"))
    return _integer_or_decimal(s)
