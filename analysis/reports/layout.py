"""What a report folder holds: file names, and the settings parsed the one way.

Kept free of heavy imports (no pandas), so planning a batch of unchanged
documents stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DOCUMENT_FILE", "FILES", "OUTPUTS", "parse_rules"]

#: File name of each saved table.
FILES = {
    "figures": "figures.csv",
    "checks": "checks.csv",
    "flags": "flags.csv",
    "scenarios": "scenarios.csv",
}
DOCUMENT_FILE = "document.json"

#: File name of each output inside a report folder.
OUTPUTS = {
    "notebook": "check_document.ipynb",
    "html": "report.html",
    "markdown": "summary.md",
    "excel": "report.xlsx",
    "pdf": "report.pdf",
}


def parse_rules(rules: str | Iterable[str] | None) -> list[str] | None:
    """Rule ids from ``"a, b"`` or a list; ``None`` / ``""`` mean every rule.

    >>> parse_rules("cagr, sum "), parse_rules(""), parse_rules(["x"])
    (['cagr', 'sum'], None, ['x'])
    """
    if rules is None:
        return None
    items = rules.replace(";", ",").split(",") if isinstance(rules, str) else list(rules)
    names = [str(r).strip() for r in items if str(r).strip()]
    return names or None
