"""Coverage: how many of a document's figures the checks actually looked at, and why not the rest.

"No inconsistent figures found" means little when two of ninety figures were
checked.  :func:`coverage` counts figures found, figures that appear in at
least one check row (per rule), and the unchecked ones by reason
(:data:`REASONS`); :func:`unchecked_figures` lists them one per row so reports
can show which.  A thin coverage (:meth:`Coverage.is_thin`) must be said in
place of "no inconsistent figures found".
"""
from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.checks.core import excluded_reason
from analysis.figures.model import Figure

__all__ = ["REASONS", "THIN_MIN_CHECKED", "THIN_SHARE", "Coverage", "coverage", "name_key",
           "unchecked_figures", "unchecked_reasons"]

#: Why a figure was not checked: reason -> (zh, en), in the order they are assigned.
REASONS: dict[str, tuple[str, str]] = {
    "too_large": ("数值超出合理量级", "beyond a sane magnitude (kept as printed, not computed with)"),
    "rule_error": ("核查规则出错", "a rule failed on its group"),
    "unknown_indicator": ("指标未识别", "unknown indicator"),
    "no_rule_for_kind": ("该类数字无核查规则", "no rule for kind"),
    "no_partner": ("无可比对数字", "no partner figure"),
    "not_comparable": ("同指标同类数字口径不同", "partners differ in year/period/unit/status"),
}

#: Kinds no rule reads except as a repeat of the same printed figure.
_ONLY_REPEATS = ("rate",)

#: Thin coverage: fewer figures checked than this (or than all of them) ...
THIN_MIN_CHECKED = 4
#: ... or a smaller share of the figures than this.
THIN_SHARE = 0.2

_MARKUP = str.maketrans("", "", " \t\r\n\u3000*_#`|>~[]【】")


def name_key(f: Figure) -> str | None:
    """What pairs figures by indicator: the canonical name, else the printed name normalised
    (NFKC, no spaces or Markdown markup); None when the figure names no indicator.

    >>> from decimal import Decimal
    >>> f = Figure(id="a", value=Decimal(1), unit="亿元", kind="level", start=0, end=1, quote="",
    ...            indicator="**一般公共预算 收入**")
    >>> name_key(f), name_key(f.replace(indicator_canonical="财政收入"))
    ('一般公共预算收入', '财政收入')
    """
    if f.indicator_canonical:
        return f.indicator_canonical
    name = unicodedata.normalize("NFKC", f.indicator or "").translate(_MARKUP)
    return name or None


@dataclass(frozen=True)
class Coverage:
    """Figures found, checked (per rule) and not checked (per reason) in one document."""

    figures: int
    checked: int
    by_rule: dict[str, int] = field(default_factory=dict)
    unchecked: dict[str, int] = field(default_factory=dict)
    errors: int = 0

    @property
    def share_checked(self) -> float:
        return self.checked / self.figures if self.figures else 0.0

    def is_thin(self) -> bool:
        """Few checks: fewer than :data:`THIN_MIN_CHECKED` figures checked (unless the
        document has fewer figures), or under :data:`THIN_SHARE` of them.  Then a report
        says so instead of "no inconsistent figures found"."""
        if not self.figures:
            return True
        return (self.checked < min(THIN_MIN_CHECKED, self.figures)
                or self.share_checked < THIN_SHARE)

    def to_dict(self) -> dict[str, Any]:
        return {"figures": self.figures, "checked": self.checked,
                "share_checked": round(self.share_checked, 4), "by_rule": dict(self.by_rule),
                "unchecked": dict(self.unchecked), "rule_errors": self.errors,
                "thin": self.is_thin()}

    def summary_en(self) -> str:
        """One line: "96 figures, 41 checked (43%) by 7 rules; 55 not checked: 30 no partner
        figure, ..."."""
        rules = len(self.by_rule)
        return self._summary(
            f"{self.figures} figures, {self.checked} checked ({self.share_checked:.0%}) "
            f"by {rules} rule{'s' if rules != 1 else ''}",
            "; {rest} not checked: ", ", ", lambda r, n: f"{n} {REASONS[r][1].split(' (')[0]}",
            " (few checks: absence of flags says little)")

    def summary_zh(self) -> str:
        """One line: "共96个数字，核查41个（43%），涉及7条规则；未核查55个：…"."""
        return self._summary(
            f"共{self.figures}个数字，核查{self.checked}个（{self.share_checked:.0%}），"
            f"涉及{len(self.by_rule)}条规则",
            "；未核查{rest}个：", "，", lambda r, n: f"{REASONS[r][0]}{n}个",
            "（核查很少，未发现问题不代表数字无误）")

    def _summary(self, head: str, rest_fmt: str, sep: str,
                 reason: Callable[[str, int], str], thin: str) -> str:
        rest = self.figures - self.checked
        line = head
        if rest:
            line += rest_fmt.format(rest=rest) + sep.join(
                reason(r, n) for r, n in self.unchecked.items())
        return line + (thin if self.is_thin() else "")


def _checked_ids(checks_df: pd.DataFrame) -> tuple[dict[str, set[str]], set[str]]:
    """Figure ids per rule that a check row compared, and ids in rule-error rows."""
    per_rule: dict[str, set[str]] = defaultdict(set)
    errored: set[str] = set()
    if checks_df is None or checks_df.empty:
        return per_rule, errored
    for rule_name, verdict, ids in zip(checks_df["rule"], checks_df["verdict"],
                                       checks_df["figures"]):
        ids = set(ids or ())
        if verdict == "error":
            errored |= ids
        else:
            per_rule[rule_name] |= ids
    return per_rule, errored


def unchecked_reasons(figures: Iterable[Figure], checks_df: pd.DataFrame) -> dict[str, str]:
    """Figure id -> reason (a key of :data:`REASONS`) for every figure no check row names."""
    figs = list(figures)
    per_rule, errored = _checked_ids(checks_df)
    checked = set().union(*per_rule.values()) if per_rule else set()
    by_name: dict[str, list[Figure]] = defaultdict(list)
    for f in figs:
        key = name_key(f)
        if key:
            by_name[key].append(f)
    out: dict[str, str] = {}
    for f in figs:
        if f.id in checked:
            continue
        key = name_key(f)
        named = [g for g in by_name.get(key, ()) if g.id != f.id] if key else []
        partners = [g for g in named if g.kind == f.kind]
        if excluded_reason(f):
            out[f.id] = "too_large"
        elif f.id in errored:
            out[f.id] = "rule_error"
        elif not named and not f.indicator_canonical:
            out[f.id] = "unknown_indicator"
        elif f.kind in _ONLY_REPEATS:
            out[f.id] = "no_rule_for_kind"
        elif not partners:
            out[f.id] = "no_partner"
        else:
            out[f.id] = "not_comparable"
    return out


def coverage(figures: Iterable[Figure], checks_df: pd.DataFrame) -> Coverage:
    """Coverage of ``checks_df`` (:func:`analysis.checks.run`'s output) over ``figures``.

    >>> from analysis import checks
    >>> coverage([], checks.run([])).summary_en()
    '0 figures, 0 checked (0%) by 0 rules (few checks: absence of flags says little)'
    """
    figs = list(figures)
    ids = {f.id for f in figs}
    per_rule, _ = _checked_ids(checks_df)
    checked = (set().union(*per_rule.values()) if per_rule else set()) & ids
    reasons = Counter(unchecked_reasons(figs, checks_df).values())
    ordered = {r: reasons[r] for r in REASONS if reasons.get(r)}
    by_rule = {r: len(v & ids) for r, v in per_rule.items() if v & ids}
    n_errors = 0
    if checks_df is not None and not checks_df.empty:
        n_errors = int((checks_df["verdict"] == "error").sum())
    return Coverage(figures=len(figs), checked=len(checked), by_rule=by_rule,
                    unchecked=ordered, errors=n_errors)


def unchecked_figures(figures: Iterable[Figure], checks_df: pd.DataFrame) -> pd.DataFrame:
    """One row per figure no check looked at: id, indicator, printed value, unit, kind, year,
    reason and its zh/en text, quote."""
    figs = list(figures)
    reasons = unchecked_reasons(figs, checks_df)
    rows = [{"id": f.id, "indicator": f.indicator_canonical or f.indicator,
             "printed": f.printed or format(f.value, "f"), "unit": f.unit, "kind": f.kind,
             "year": f.year, "reason": reasons[f.id], "reason_zh": REASONS[reasons[f.id]][0],
             "reason_en": REASONS[reasons[f.id]][1], "quote": f.quote}
            for f in figs if f.id in reasons]
    return pd.DataFrame(rows, columns=["id", "indicator", "printed", "unit", "kind", "year",
                                       "reason", "reason_zh", "reason_en", "quote"])
