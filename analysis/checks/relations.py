"""Relations between indicators (sums, containments, ratios), loaded from relations.yaml.

The data and its schema live in ``analysis/lexicons/relations.yaml``; this
module validates it (unknown fields, missing fields, a name used as its own
part raise :class:`~analysis.exceptions.LexiconError`) and answers the
questions the rules ask.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from analysis.exceptions import LexiconError
from analysis.lexicons import check_fields, load_data

__all__ = ["Relations", "load_relations"]

FILE = "relations.yaml"


@dataclass(frozen=True)
class Relations:
    """Validated relations.

    >>> r = load_relations()
    >>> r.sums["外贸进出口总额"]
    (('出口额', '进口额'),)
    >>> r.whole_of("出口额")
    ('外贸进出口总额',)
    >>> ("集中连片高标准桑园面积", "桑园面积") in r.containments()
    True
    """

    sums: dict[str, tuple[tuple[str, ...], ...]]
    contains: dict[str, str]
    ratios: dict[str, tuple[str, str]]

    def whole_of(self, part: str) -> tuple[str, ...]:
        """Totals and wholes ``part`` belongs to (sums first, then containments)."""
        out = [t for t, decomps in self.sums.items() for parts in decomps if part in parts]
        if part in self.contains:
            out.append(self.contains[part])
        return tuple(dict.fromkeys(out))

    def containments(self) -> tuple[tuple[str, str], ...]:
        """Every (part, whole) pair: listed containments and the parts of every sum."""
        pairs = [(p, t) for t, decomps in self.sums.items() for parts in decomps for p in parts]
        pairs += list(self.contains.items())
        return tuple(dict.fromkeys(pairs))


def _names(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v for v in value):
        raise LexiconError(f"{where}: expected a non-empty list of indicator names")
    if len(set(value)) != len(value):
        raise LexiconError(f"{where}: a part is listed twice")
    return tuple(value)


def parse_relations(data: object, where: str = FILE) -> Relations:
    """Validate the YAML data of relations.yaml.

    >>> parse_relations({"version": 1, "sums": {"A": [{"parts": ["A", "B"]}]}})
    Traceback (most recent call last):
    analysis.exceptions.LexiconError: relations.yaml: sums.A[0].parts: A cannot be a part of itself
    >>> parse_relations({"version": 1, "ratio": {}})
    Traceback (most recent call last):
    analysis.exceptions.LexiconError: relations.yaml: unknown field(s) ratio (allowed: contains, ratios, sums, version)
    """
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected a mapping at the top, got {type(data).__name__}")
    check_fields(where, data, ("version", "sums", "contains", "ratios"), ("version",))
    sums: dict[str, tuple[tuple[str, ...], ...]] = {}
    for total, decomps in (data.get("sums") or {}).items():
        if not isinstance(decomps, list) or not decomps:
            raise LexiconError(f"{where}: sums.{total}: expected a list of decompositions")
        out = []
        for i, d in enumerate(decomps):
            at = f"{where}: sums.{total}[{i}]"
            check_fields(at, d, ("parts", "note"), ("parts",))
            parts = _names(f"{at}.parts", d["parts"])
            if total in parts:
                raise LexiconError(f"{at}.parts: {total} cannot be a part of itself")
            if len(parts) < 2:
                raise LexiconError(f"{at}.parts: a sum needs at least two parts")
            out.append(parts)
        sums[str(total)] = tuple(out)
    contains: dict[str, str] = {}
    for part, entry in (data.get("contains") or {}).items():
        at = f"{where}: contains.{part}"
        check_fields(at, entry, ("whole", "note"), ("whole",))
        if entry["whole"] == part:
            raise LexiconError(f"{at}: {part} cannot be contained in itself")
        contains[str(part)] = str(entry["whole"])
    ratios: dict[str, tuple[str, str]] = {}
    for name, entry in (data.get("ratios") or {}).items():
        at = f"{where}: ratios.{name}"
        check_fields(at, entry, ("numerator", "denominator", "note"),
                     ("numerator", "denominator"))
        ratios[str(name)] = (str(entry["numerator"]), str(entry["denominator"]))
    return Relations(sums=sums, contains=contains, ratios=ratios)


@functools.cache
def load_relations() -> Relations:
    """relations.yaml, validated (cached)."""
    return parse_relations(load_data(FILE))
