"""Checks: do a document's figures add up?  Rounding-aware, one row per check.

Each rule is a function registered by name (:func:`rule`) that reads the
figures and returns findings; :func:`run` stacks them into a table with fixed
:data:`COLUMNS`.  A stated value is only *inconsistent* when no values inside
the rounding intervals of the printed inputs reproduce it; *warnings* are
leads (a base revision, a target far above the indicator's history), not
errors.  Severity: see :data:`SEVERITY_DEFINITIONS`.

Built-in rules, in order: avg_growth, yoy_levels, cumulative, pp_change,
history (analysis/checks/rules_growth.py); duplicate, unit_scale
(rules_repeats.py); sum_of_parts, growth_of_parts, share, part_whole,
derived_ratio, contribution, part_of_total (rules_totals.py); structure
(rules_structure.py); pull, increment, share_rounding,
target_share (rules_more.py).  Relations between indicators:
lexicons/relations.yaml.
Severity (minor/major/gross) is defined in severity.py; coverage (what was checked)
in coverage.py.

Add a rule in a notebook::

    @analysis.checks.rule("my_rule")
    def my_rule(ctx):            # ctx.figures, ctx.of(indicator, ...), ctx.relations
        yield Finding(rule="my_rule", ...)

    analysis.checks.run(figures, rules=["my_rule", "sum_of_parts"])
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.checks import (  # noqa: F401  (register)
    rules_growth,
    rules_more,
    rules_repeats,
    rules_structure,
    rules_totals,
)
from analysis.checks.core import (
    COLUMNS,
    CURRENT_RULE,
    SEVERITIES,
    VERDICTS,
    Context,
    Finding,
    error_finding,
    excluded_reason,
    get_rule,
    registered,
    rule,
    unregister,
    validate,
)
from analysis.checks.coverage import Coverage, coverage, unchecked_figures
from analysis.checks.relations import Relations, load_relations
from analysis.checks.series import figures_from_series
from analysis.checks.severity import SEVERITY_DEFINITIONS
from analysis.exceptions import CheckError
from analysis.figures.model import Figure

__all__ = [
    "COLUMNS",
    "SEVERITIES",
    "SEVERITY_DEFINITIONS",
    "VERDICTS",
    "Context",
    "Coverage",
    "Finding",
    "coverage",
    "figures_from_series",
    "flags",
    "registered",
    "rule",
    "run",
    "run_document",
    "unchecked_figures",
    "unregister",
]


def _tolerance(tolerance: Any) -> float:
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
        raise CheckError(f"tolerance: expected a number >= 0 (relative slack, e.g. 0.001), "
                         f"got {tolerance!r}")
    if not tolerance >= 0 or tolerance == float("inf"):
        raise CheckError(f"tolerance: expected a finite number >= 0, got {tolerance!r}")
    return float(tolerance)


def run(figures: Iterable[Figure], rules: Sequence[str] | None = None, tolerance: float = 0.0,
        relations: Relations | None = None) -> pd.DataFrame:
    """Run the checks on ``figures``: one row per check performed, columns :data:`COLUMNS`.

    ``rules`` selects rules by name (default: every registered rule, in
    registration order); an unknown name raises CheckError listing the
    registered ones.  ``tolerance`` is extra relative slack added to every
    computed interval (0 = rounding of the printed values only).

    >>> run([], rules=["no_such_rule"])
    Traceback (most recent call last):
    analysis.exceptions.CheckError: unknown rule 'no_such_rule'; registered rules: avg_growth, ...
    >>> list(run([]).columns) == list(COLUMNS)
    True
    """
    figs = tuple(figures)
    for i, f in enumerate(figs):
        if not isinstance(f, Figure):
            raise CheckError(f"run: figures[{i}] is a {type(f).__name__}, not a Figure "
                             "(pass analysis.figures.extract(...) output)")
    if isinstance(rules, str):
        rules = [rules]
    names = list(registered() if rules is None else rules)
    funcs = [(n, get_rule(n)) for n in names]
    usable = tuple(f for f in figs if excluded_reason(f) is None)  # 400 digits: not computed
    ctx = Context(usable, relations if relations is not None else load_relations(),
                  _tolerance(tolerance))
    rows: list[dict[str, Any]] = []
    for name, fn in funcs:
        token = CURRENT_RULE.set(name)
        found: list[Finding] = []
        try:
            found.extend(fn(ctx) or ())
        except CheckError:
            raise
        except Exception as exc:  # noqa: BLE001  (a bug in a rule: one error row, others run)
            err = error_finding(usable, exc, name)
            err.extra["whole_rule"] = True
            found.append(err)
        finally:
            CURRENT_RULE.reset(token)
        rows += [_error_row(validate(name, f)) for f in found]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df["year"] = df["year"].astype("Int64")
    return df


def _error_row(f: Finding) -> dict[str, Any]:
    row = f.row()
    if f.verdict == "error" and f.extra.get("whole_rule"):
        row["figures"], row["quotes"] = (), ()
        row["message_en"] = row["message_en"].replace("on this group", "on this document")
        row["message_zh"] = row["message_zh"].replace("在这组数字上", "在本文件上")
    return row


def flags(df: pd.DataFrame) -> pd.DataFrame:
    """Inconsistent and warning rows: gross first, then major, minor, then warnings (stable).

    >>> flags(run([])).empty
    True
    """
    missing = [c for c in ("verdict", "severity") if c not in df.columns]
    if missing:
        raise CheckError(f"flags: not a checks table (missing {missing}); pass run(...)'s output")
    out = df[df["verdict"].isin(["inconsistent", "warning"])]
    rank = out["verdict"].map({"inconsistent": 0, "warning": 3}) + out["severity"].map(
        {"gross": 0, "major": 1, "minor": 2}).fillna(0)
    return out.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


def run_document(path: str | Path, **kwargs: Any) -> tuple[Any, list[Figure], pd.DataFrame]:
    """Load a document, extract its figures and check them: ``(document, figures, checks)``.

    Keyword arguments go to :func:`run` (``rules``, ``tolerance``).
    """
    from analysis import documents
    from analysis import figures as figures_mod

    document = documents.load(path)  # type: ignore[attr-defined]
    figs = list(figures_mod.extract(document))  # type: ignore[attr-defined]
    return document, figs, run(figs, **kwargs)
