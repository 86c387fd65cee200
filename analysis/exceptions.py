"""The project's exceptions: one root, narrow subclasses (STYLE.md §4).

Findings (an inconsistent figure) are data, never exceptions.  These are for
broken input; every message names the file (or key), the problem and the fix.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

#: Unicode categories that break a line: controls, line and paragraph separators.
_BREAKING = frozenset({"Cc", "Zl", "Zp"})


def printable(name: str) -> str:
    """``name`` with control characters escaped, so a message naming it stays one line.

    >>> printable("a\\nb.txt"), printable("规划\u30002025.txt")
    ('a\\\\nb.txt', '规划\u30002025.txt')
    """
    return "".join(c.encode("unicode_escape").decode() if unicodedata.category(c) in _BREAKING
                   else c for c in name)


class AnalysisError(Exception):
    """Root of every error policycheck raises on purpose."""


class DocumentError(AnalysisError):
    """A document cannot be read: missing, empty, binary, undecodable, too large,
    encrypted or image-only PDF."""

    def __init__(self, path: str | Path, problem: str, fix: str = ""):
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        msg = f"{printable(self.path)}: {problem}"
        if fix:
            msg += f" ({fix})"
        super().__init__(msg)


class LexiconError(AnalysisError):
    """A lexicon data file is malformed (duplicate key, unknown field, bad value)."""


class SpecError(AnalysisError):
    """A scenario spec (YAML) or inline scenario input is invalid."""


class CheckError(AnalysisError):
    """A check rule was registered or configured wrongly."""


class ReportError(AnalysisError):
    """A report could not be produced."""


class ParameterError(ReportError):
    """A notebook parameter is unknown, of the wrong type, or names a missing file.

    Raised before the kernel starts (:func:`analysis.runner.validate_parameters`)
    and, for plain papermill runs, by the notebook's first cell; inside a kernel
    IPython shows the one-line message instead of a traceback."""

    def _render_traceback_(self) -> list[str]:  # IPython's hook for how an error is shown
        return [f"{type(self).__name__}: {self}"]
