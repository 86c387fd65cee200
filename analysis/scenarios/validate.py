"""Validation helpers for scenario specs: each names the file and key of a bad value.

Every problem becomes one :class:`~analysis.exceptions.SpecError` whose
message is ``"<file>: <key>: <problem> (<fix>)"``; the parts are also kept as
attributes (``file``, ``key``, ``problem``, ``fix``).  YAML is read with a
loader that refuses duplicate keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from analysis import config, lexicons
from analysis.exceptions import SpecError

# --- errors --------------------------------------------------------------------------------


def spec_error(file: str, key: str, problem: str, fix: str) -> SpecError:
    err = SpecError(f"{file}: {key}: {problem} ({fix})")
    err.file, err.key, err.problem, err.fix = file, key, problem, fix  # type: ignore[attr-defined]
    return err


class Ctx:
    """The file being validated and the folder its relative paths start from."""

    def __init__(self, file: str, folder: Path):
        self.file = file
        self.folder = folder

    def error(self, key: str, problem: str, fix: str) -> SpecError:
        return spec_error(self.file, key, problem, fix)

    def resolve(self, key: str, path: Any) -> Path:
        if not isinstance(path, (str, Path)) or not str(path).strip():
            raise self.error(key, f"expected a file path, got {path!r}", "write a path as text")
        p = Path(str(path)).expanduser()
        candidates = [p] if p.is_absolute() else [self.folder / p, config.PROJECT_ROOT / p]
        for c in candidates:
            if c.is_file():
                return c.resolve()
        raise self.error(
            key,
            f"file {path} not found (looked in {', '.join(str(c) for c in candidates)})",
            "relative paths start from the spec's folder; check the name",
        )


# --- YAML ----------------------------------------------------------------------------------


def parse_yaml(text: str, file: str) -> Any:
    try:
        return lexicons.parse_yaml(text)
    except lexicons.DuplicateKey as exc:
        raise spec_error(
            file,
            str(exc.key),
            f"duplicate key at line {exc.line}",
            "YAML keeps only the last one; remove or merge the entries",
        ) from None
    except yaml.YAMLError as exc:
        raise spec_error(
            file,
            "(file)",
            f"not valid YAML: {' '.join(str(exc).split())}",
            "check indentation and quoting",
        ) from None


# --- field validators ----------------------------------------------------------------------


def check_keys(ctx: Ctx, prefix: str, data: Mapping, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            raise ctx.error(f"{prefix}{key}", "unknown key", f"allowed here: {', '.join(allowed)}")


def as_mapping(ctx: Ctx, key: str, value: Any, required: bool = False) -> dict:
    if value is None:
        if required:
            raise ctx.error(key, "missing", f"add a {key}: mapping (see data/scenarios/README.md)")
        return {}
    if not isinstance(value, dict):
        raise ctx.error(
            key,
            f"expected a mapping of keys, got {value!r}",
            "indent the keys below it (see data/scenarios/README.md)",
        )
    return value


def as_text(ctx: Ctx, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ctx.error(key, f"expected text, got {value!r}", "write it as a plain string")
    return str(value).strip()


def as_number(ctx: Ctx, key: str, value: Any) -> Decimal | None:
    """An exact number from YAML: int, float or numeric text; booleans and words are refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ctx.error(key, f"{value!r} is not a number", "write a plain number, e.g. 290.5")
    try:
        d = (
            Decimal(str(value).strip().replace(",", ""))
            if not isinstance(value, Decimal)
            else value
        )
    except InvalidOperation:
        raise ctx.error(
            key,
            f"{value!r} is not a number",
            "write digits (290.5), not words or units (二百九十, 290.5亿元)",
        ) from None
    if not d.is_finite():
        raise ctx.error(key, f"{value!r} is not a finite number", "write a plain number")
    return d


def as_numbers(ctx: Ctx, key: str, value: Any) -> tuple[Decimal, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ctx.error(
            key,
            f"expected a non-empty list of numbers, got {value!r}",
            "write e.g. [4, 5, 6, 7, 8]",
        )
    return tuple(as_number(ctx, f"{key}[{i}]", v) for i, v in enumerate(value))  # type: ignore[misc]


def as_positive(ctx: Ctx, key: str, values: tuple[Decimal, ...] | None):
    for i, v in enumerate(values or ()):
        if v <= 0:
            raise ctx.error(f"{key}[{i}]", f"{v} is not positive", "start levels must be > 0")
    return values


def as_int(ctx: Ctx, key: str, value: Any, minimum: int | None = None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(key, f"{value!r} is not a whole number", "write digits only")
    if minimum is not None and value < minimum:
        raise ctx.error(key, f"{value} is below {minimum}", f"use a number >= {minimum}")
    return value


def as_year(ctx: Ctx, key: str, value: Any, required: bool = False) -> int | None:
    if value is None:
        if required:
            raise ctx.error(key, "missing", "give a four-digit year, e.g. 2025")
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        raise ctx.error(key, f"{value!r} is not a year", "give a four-digit year, e.g. 2025")
    return value


def as_choice(ctx: Ctx, key: str, value: Any, choices: Iterable[str]) -> str | None:
    if value is None:
        return None
    choices = tuple(choices)
    if value not in choices:
        raise ctx.error(
            key, f"{value!r} is not one of {', '.join(choices)}", "use one of the listed words"
        )
    return str(value)


def as_notes(ctx: Ctx, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(as_text(ctx, f"notes[{i}]", v) or "" for i, v in enumerate(value))
    return as_text(ctx, "notes", value) or ""


def as_year_map(ctx: Ctx, key: str, value: Any) -> dict[int, Decimal]:
    data = as_mapping(ctx, key, value)
    out: dict[int, Decimal] = {}
    for year, v in data.items():
        y = as_year(ctx, f"{key}.{year}", year)
        assert y is not None
        out[y] = as_number(ctx, f"{key}.{year}", v)  # type: ignore[assignment]
        if out[y] is None:
            raise ctx.error(f"{key}.{year}", "has no value", "give a number")
    return out


def year_ranges(years: list[int]) -> str:
    """``[2016, 2017, 2019]`` -> ``"2016-2017, 2019"``.

    >>> year_ranges([2016, 2017, 2018, 2019, 2022])
    '2016-2019, 2022'
    """
    out: list[str] = []
    start = years[0]
    for i, a in enumerate(years):
        if i + 1 == len(years) or years[i + 1] != a + 1:
            out.append(f"{start}-{a}" if a != start else f"{a}")
            if i + 1 < len(years):
                start = years[i + 1]
    return ", ".join(out)


def display(path: Path) -> str:
    try:
        return str(path.relative_to(config.PROJECT_ROOT))
    except ValueError:
        return str(path)
