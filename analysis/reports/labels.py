"""Chinese and English names of columns and headings (data in ``labels.yaml``).

``language`` is ``"zh"``, ``"en"`` or ``"both"`` (Chinese first, then English).
"""

from __future__ import annotations

import functools
from pathlib import Path

from analysis.exceptions import ReportError
from analysis.lexicons import check_fields, load_data

__all__ = ["LANGUAGES", "check_language", "column", "heading", "pair"]

LANGUAGES = ("zh", "en", "both")
_FILE = "labels.yaml"
_FOLDER = Path(__file__).resolve().parent


@functools.cache
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    data = load_data(_FILE, _FOLDER)
    where = str(_FOLDER / _FILE)
    check_fields(where, data, allowed=("columns", "headings"), required=("columns", "headings"))
    for section, entries in data.items():
        for key, entry in entries.items():
            check_fields(
                f"{where}: {section}.{key}", entry, allowed=("zh", "en"), required=("zh", "en")
            )
    return data


def check_language(language: str) -> str:
    """Return ``language`` if valid, else raise a ReportError saying which are.

    >>> check_language("zh")
    'zh'
    >>> check_language("fr")
    Traceback (most recent call last):
    ...
    analysis.exceptions.ReportError: language 'fr' is not one of zh, en, both
    """
    if language not in LANGUAGES:
        raise ReportError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    return language


def pair(section: str, key: str) -> tuple[str, str]:
    """(Chinese, English) names of ``key``; the key itself when it has none.

    >>> pair("columns", "indicator")
    ('指标', 'indicator')
    >>> pair("columns", "not_a_column")
    ('not_a_column', 'not_a_column')
    """
    entry = _labels()[section].get(key)
    return (entry["zh"], entry["en"]) if entry else (key, key)


def _pick(section: str, key: str, language: str) -> str:
    zh, en = pair(section, key)
    language = check_language(language)
    if language == "zh":
        return zh
    if language == "en":
        return en
    return zh if zh == en else f"{zh} {en}"


def column(key: str, language: str = "both") -> str:
    """Display name of a column.

    >>> column("stated", "both"), column("stated", "en")
    ('文中数值 stated', 'stated')
    """
    return _pick("columns", key, language)


def heading(key: str, language: str = "both") -> str:
    """Display text of a heading.

    >>> heading("flags", "zh")
    '问题数字'
    """
    return _pick("headings", key, language)
