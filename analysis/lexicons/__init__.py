"""Lexicons: units, scales, qualifiers, period words, indicators — data, not code (STYLE.md §2).

Each lexicon is a YAML file in this folder, described in README.md.  Files are
loaded once, validated (duplicate keys and unknown fields raise
:class:`~analysis.exceptions.LexiconError` naming the file and key), and
cached.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Iterable

import yaml

from analysis.config import LEXICON_DIR
from analysis.exceptions import LexiconError

__all__ = ["load_data", "check_fields", "parse_yaml", "DuplicateKey"]


class DuplicateKey(ValueError):
    """A YAML mapping names the same key twice (``key``, 1-based ``line``)."""

    def __init__(self, key: Any, line: int):
        super().__init__(f"duplicate key {key!r} at line {line}")
        self.key, self.line = key, line


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate mapping keys (YAML silently keeps the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DuplicateKey(key, key_node.start_mark.line + 1)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def parse_yaml(text: str) -> Any:
    """Safe-load YAML, refusing duplicate keys (raises :class:`DuplicateKey` or
    ``yaml.YAMLError``); callers turn these into their own errors naming the file.

    >>> parse_yaml("{a: 1, b: 2}")
    {'a': 1, 'b': 2}
    """
    return yaml.load(text, Loader=_UniqueKeyLoader)


@functools.cache
def load_data(name: str, folder: Path = LEXICON_DIR) -> Any:
    """Load ``folder/name`` (YAML) refusing duplicate keys; cached.

    >>> isinstance(load_data("units.yaml"), dict)
    True
    """
    path = Path(folder) / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file missing (reinstall the package)") from None
    try:
        return parse_yaml(text)
    except DuplicateKey as exc:
        raise LexiconError(
            f"{path}: duplicate key {exc.key!r} at line {exc.line} "
            "(remove or merge one of the entries)"
        ) from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML ({exc})") from None


def check_fields(
    where: str, entry: dict, allowed: Iterable[str], required: Iterable[str] = ()
) -> None:
    """Raise LexiconError when ``entry`` has a field outside ``allowed`` or misses a required one."""
    if not isinstance(entry, dict):
        raise LexiconError(f"{where}: expected a mapping, got {type(entry).__name__}")
    allowed = set(allowed)
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise LexiconError(
            f"{where}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )
    missing = [f for f in required if f not in entry]
    if missing:
        raise LexiconError(f"{where}: missing required field(s) {', '.join(missing)}")


# --- typed accessors -----------------------------------------------------------------------
from dataclasses import dataclass  # noqa: E402
from decimal import Decimal, InvalidOperation  # noqa: E402


@dataclass(frozen=True)
class Unit:
    """A base unit as printed: 亿元 is scale 亿 (1e8) × unit 元 (base CNY, factor 1)."""

    name: str
    base: str
    factor: Decimal
    kind: str  # level | count | relative


#: What a bare percentage printed with an indicator means (indicators.yaml ``nature``).
NATURES = ("level", "price_index", "rate", "share")


@dataclass(frozen=True)
class Indicator:
    """An indicator: canonical Chinese name, English name, printed aliases and its nature
    (level: an amount or count; price_index: a printed % is a price change; rate: a printed %
    is the indicator's own level, e.g. 城镇化率; share: a part as a percentage of a whole)."""

    canonical: str
    en: str
    aliases: tuple[str, ...]
    nature: str = "level"


def _dec(where: str, text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        raise LexiconError(f"{where}: {text!r} is not a number") from None


def _versioned(name: str, allowed: Iterable[str]) -> dict:
    data = load_data(name)
    check_fields(name, data, ["version", *allowed], required=["version"])
    return data


@functools.cache
def scales() -> dict[str, Decimal]:
    """Scale words: ``{"万": Decimal("1E+4"), ...}``.

    >>> scales()["亿"]
    Decimal('1E+8')
    """
    data = _versioned("units.yaml", ["scales", "units", "relative", "approx_infix"])
    return {k: _dec(f"units.yaml: scales.{k}", v) for k, v in data["scales"].items()}


@functools.cache
def units() -> dict[str, Unit]:
    """Every unit as printed (base units and relative units), validated.

    >>> units()["亩"].base, units()["%"].kind
    ('m2', 'relative')
    """
    data = _versioned("units.yaml", ["scales", "units", "relative", "approx_infix"])
    out: dict[str, Unit] = {}
    for section, default_kind in (("units", None), ("relative", "relative")):
        for name, entry in data[section].items():
            where = f"units.yaml: {section}.{name}"
            check_fields(where, entry, ["base", "factor", "kind"], required=["base", "factor"])
            kind = entry.get("kind", default_kind)
            if kind not in ("level", "count", "relative"):
                raise LexiconError(f"{where}: kind {kind!r} is not level, count or relative")
            if name in out:
                raise LexiconError(f"{where}: unit {name!r} defined twice")
            out[name] = Unit(name, str(entry["base"]), _dec(where, entry["factor"]), kind)
    return out


@functools.cache
def approx_infixes() -> tuple[str, ...]:
    return tuple(load_data("units.yaml")["approx_infix"])


@functools.cache
def qualifiers() -> dict[str, Any]:
    """Qualifier words by position: ``{"prefix": {...}, "suffix": {...}, "infix": {...}, ...}``."""
    data = _versioned("qualifiers.yaml", ["prefix", "suffix", "infix", "range_separators"])
    valid = {"at_least", "exceeds", "about", "at_most", "below"}
    for pos in ("prefix", "suffix", "infix"):
        for word, meaning in data[pos].items():
            if meaning not in valid:
                raise LexiconError(f"qualifiers.yaml: {pos}.{word}: unknown meaning {meaning!r}")
    return data


@functools.cache
def periods() -> dict[str, Any]:
    data = _versioned(
        "periods.yaml", ["plans", "relative_years", "target_cues", "actual_cues",
                         "document_years", "previous_periods", "document_kinds",
                         "estimate_cues", "sub_periods"]
    )
    for name, span in data["plans"].items():
        if not (isinstance(span, list) and len(span) == 2 and span[0] <= span[1]):
            raise LexiconError(f"periods.yaml: plans.{name}: expected [first_year, last_year]")
    return data


@functools.cache
def kinds() -> dict[str, dict[str, dict]]:
    data = _versioned(
        "kinds.yaml", ["avg_growth", "cum_growth", "yoy_growth", "share", "multiple"]
    )
    for kind, cues in data.items():
        if kind == "version":
            continue
        for cue, opts in cues.items():
            check_fields(f"kinds.yaml: {kind}.{cue}", opts or {}, ["span", "sign", "form"])
    return {k: {c: (o or {}) for c, o in v.items()} for k, v in data.items() if k != "version"}


@functools.cache
def indicators() -> dict[str, Indicator]:
    """Indicators by canonical name.

    >>> indicators()["外贸进出口总额"].en
    'Total imports and exports'
    """
    data = _versioned("indicators.yaml", ["indicators"])
    out: dict[str, Indicator] = {}
    seen_alias: dict[str, str] = {}
    for name, entry in data["indicators"].items():
        where = f"indicators.yaml: indicators.{name}"
        check_fields(where, entry, ["en", "aliases", "nature"], required=["en"])
        if not isinstance(entry["en"], str) or not entry["en"].strip():
            raise LexiconError(f"{where}: en must be a non-empty English name")
        nature = entry.get("nature", "level")
        if nature not in NATURES:
            raise LexiconError(f"{where}: nature {nature!r} is not one of {', '.join(NATURES)}")
        raw = entry.get("aliases") or []
        if not isinstance(raw, list) or not all(isinstance(a, str) and a for a in raw):
            raise LexiconError(f"{where}: aliases must be a list of non-empty strings")
        if len(set(raw)) != len(raw):
            raise LexiconError(f"{where}: an alias is listed twice")
        aliases = tuple(dict.fromkeys([name, *raw]))
        for alias in aliases:
            if alias in seen_alias and seen_alias[alias] != name:
                raise LexiconError(
                    f"{where}: alias {alias!r} already belongs to {seen_alias[alias]!r}"
                )
            seen_alias[alias] = name
        out[name] = Indicator(name, str(entry["en"]), aliases, nature)
    return out


@functools.cache
def alias_index() -> dict[str, str]:
    """Alias -> canonical name, over every indicator."""
    return {alias: ind.canonical for ind in indicators().values() for alias in ind.aliases}
