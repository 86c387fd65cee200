"""The checks engine's parts: findings, the rule registry, the context rules read.

A rule is a function ``rule(ctx) -> iterable of Finding`` registered by name
with :func:`rule`; :func:`analysis.checks.run` calls the selected rules and
stacks their findings into a DataFrame with :data:`COLUMNS`.  Findings are
data: an inconsistent figure is a row, never an exception (STYLE.md §4).
"""
from __future__ import annotations

import contextvars
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from analysis import growth
from analysis.checks.relations import Relations
from analysis.checks.severity import SEVERITIES, classify
from analysis.exceptions import CheckError
from analysis.figures.model import Figure
from analysis.growth import Interval

__all__ = [
    "COLUMNS",
    "SEVERITIES",
    "VERDICTS",
    "Context",
    "Finding",
    "base_interval",
    "best",
    "effective_periods",
    "error_finding",
    "excluded_reason",
    "guard",
    "in_unit",
    "iv_in",
    "period_years",
    "periods_match",
    "printed_interval",
    "registered",
    "rule",
    "sub_period",
    "unregister",
    "verdict_text",
]

#: ``consistent_if_real_growth``: the stated rate is real (可比价/实际) and the levels are
#: nominal (现价/名义): they may differ by the price change, so no inconsistency.
#: ``error``: a rule failed on this group of figures (the message names the exception);
#: the rest of the document is still checked.
VERDICTS = ("consistent", "inconsistent", "warning", "consistent_if_real_growth", "error")

#: Columns of the checks table, in order (stable: reports and the CLI read them).
#: ``stated``/``computed`` are in ``unit``; ``interval`` is the computed
#: interval the stated value had to meet; ``figures``/``quotes`` are tuples.
COLUMNS = (
    "rule", "verdict", "severity", "figures", "stated", "computed", "interval", "unit",
    "message_zh", "message_en", "arithmetic", "tolerance", "indicator", "year", "quotes",
    "document",
)


@dataclass(frozen=True)
class Finding:
    """One check performed: what was compared with what, and the verdict."""

    rule: str
    verdict: str
    figures: tuple[Figure, ...]
    stated: float | None
    computed: float | None
    interval: str
    unit: str
    message_zh: str
    message_en: str
    arithmetic: str
    tolerance: str
    severity: str | None = None
    indicator: str | None = None
    year: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def row(self) -> dict[str, Any]:
        """The finding as a row of the checks table (figures as ids, with their quotes)."""
        out = {k: v for k, v in asdict(self).items() if k in COLUMNS and k != "figures"}
        out["figures"] = tuple(f.id for f in self.figures)
        out["quotes"] = tuple(dict.fromkeys(f.quote for f in self.figures))
        out["document"] = next((f.document for f in self.figures if f.document), "")
        return {k: out[k] for k in COLUMNS}


# --------------------------------------------------------------------------- sane magnitudes

#: Largest magnitude (in base units, e.g. yuan) a figure may have to enter arithmetic:
#: 10^20 yuan is a thousand times world GDP; a 400-digit number is a typo or an attack.
MAX_MAGNITUDE = Decimal("1e20")


def excluded_reason(f: Figure) -> str | None:
    """Why ``f`` is kept as printed but left out of arithmetic (None: it is usable).

    >>> f = Figure(id="x", value=Decimal("9" * 400), unit="亿元", kind="level", start=0,
    ...            end=400, quote="", scale=Decimal(10) ** 8)
    >>> excluded_reason(f)
    'value beyond 10^20 base units: excluded from arithmetic'
    >>> excluded_reason(f.replace(value=Decimal("280"))) is None
    True
    """
    values = [f.value, *(f.range or ())]
    try:
        if not all(v.is_finite() for v in values) or not f.scale.is_finite():
            return "value not a finite number: excluded from arithmetic"
        if any(abs(v * f.scale) > MAX_MAGNITUDE for v in values) or (
                f.scale and abs(f.scale) > MAX_MAGNITUDE):
            return "value beyond 10^20 base units: excluded from arithmetic"
        if f.kind not in ("level", "count") and any(abs(v) > Decimal("1e9") for v in values):
            return "rate beyond 10^9: excluded from arithmetic"
        base_interval(f)
    except (ArithmeticError, TypeError, ValueError) as exc:
        return f"value not computable ({exc}): excluded from arithmetic"
    return None


# --------------------------------------------------------------------------- registry

RuleFunc = Callable[["Context"], Iterable[Finding]]
_REGISTRY: dict[str, RuleFunc] = {}
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def rule(name: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register ``fn(ctx) -> Iterable[Finding]`` as the check called ``name``.

    Names are lower_snake_case and unique; re-running the definition of the
    same function (a notebook cell) replaces it.

    >>> @rule("always_fine")
    ... def always_fine(ctx):
    ...     return []
    >>> "always_fine" in registered()
    True
    >>> unregister("always_fine")
    >>> rule("Bad Name")
    Traceback (most recent call last):
    analysis.exceptions.CheckError: rule name 'Bad Name' must be lower_snake_case (e.g. 'my_rule')
    """
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise CheckError(f"rule name {name!r} must be lower_snake_case (e.g. 'my_rule')")

    def register(fn: RuleFunc) -> RuleFunc:
        if not callable(fn):
            raise CheckError(f"rule {name!r}: expected a function, got {type(fn).__name__}")
        old = _REGISTRY.get(name)
        if old is not None and (old.__module__, old.__qualname__) != (
                fn.__module__, fn.__qualname__):
            raise CheckError(
                f"rule {name!r} is already registered by {old.__module__}.{old.__qualname__} "
                "(choose another name, or unregister() it first)"
            )
        _REGISTRY[name] = fn
        return fn

    return register


def registered() -> tuple[str, ...]:
    """Names of the registered rules, in registration order."""
    return tuple(_REGISTRY)


def unregister(name: str) -> None:
    """Remove a rule (CheckError when unknown)."""
    get_rule(name)
    del _REGISTRY[name]


def get_rule(name: str) -> RuleFunc:
    """The rule called ``name``; CheckError listing the registered ones when unknown."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise CheckError(
            f"unknown rule {name!r}; registered rules: {', '.join(_REGISTRY) or '(none)'}"
        ) from None


def validate(name: str, finding: Any) -> Finding:
    """A rule's output must be a well-formed Finding; CheckError naming the rule otherwise."""
    if not isinstance(finding, Finding):
        raise CheckError(f"rule {name!r} returned a {type(finding).__name__}, not a Finding")
    if finding.rule != name:
        raise CheckError(f"rule {name!r} returned a finding labelled {finding.rule!r}")
    if finding.verdict not in VERDICTS:
        raise CheckError(f"rule {name!r}: verdict {finding.verdict!r} not in {VERDICTS}")
    if finding.verdict == "error":
        return finding
    if finding.verdict == "inconsistent" and finding.severity not in SEVERITIES:
        raise CheckError(f"rule {name!r}: an inconsistent finding needs severity in {SEVERITIES}")
    if finding.verdict != "inconsistent" and finding.severity is not None:
        raise CheckError(f"rule {name!r}: severity is only for inconsistent findings")
    if not finding.figures or not all(isinstance(f, Figure) for f in finding.figures):
        raise CheckError(f"rule {name!r}: a finding must name the Figures it compared")
    return finding


# --------------------------------------------------------------------------- intervals

def printed_interval(f: Figure) -> Interval:
    """The interval the printed value stands for, in the printed unit (rounding + qualifier).

    >>> f = Figure(id="x", value=Decimal("280"), unit="亿元", kind="level", start=0, end=3,
    ...            quote="突破280亿元", qualifier="exceeds")
    >>> print(printed_interval(f))
    [279.5, ∞)
    """
    if f.qualifier == "range" and f.range is not None:
        return growth.range_interval(min(f.range), max(f.range))
    return growth.rounding_interval(f.value, None if f.qualifier == "range" else f.qualifier)


def base_interval(f: Figure) -> Interval:
    """:func:`printed_interval` in base units (× scale): 906.2万美元 -> [9061500, 9062500] USD."""
    return growth.scale(printed_interval(f), f.scale)


def half_unit(f: Figure) -> str:
    """How the figure's interval was built, for the ``tolerance`` column: "164.80 ±0.005"."""
    unit = growth.last_digit_unit(f.value)
    shown = f"{show_value(f)}"
    bands = {
        None: f"±{_plain(unit / 2)}", "about": f"±{_plain(unit)} (左右/约)",
        "at_least": f"−{_plain(unit / 2)}, no upper bound (以上)",
        "exceeds": f"−{_plain(unit / 2)}, no upper bound (超过/突破)",
        "at_most": f"+{_plain(unit / 2)}, no lower bound (以内)",
        "below": f"+{_plain(unit / 2)}, no lower bound (低于)",
    }
    if f.qualifier == "range" and f.range is not None:
        return f"{_plain(f.range[0])}—{_plain(f.range[1])} (range, each end ± half a unit)"
    return f"{shown} {bands.get(f.qualifier, '')}".strip()


def _plain(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def show_value(f: Figure) -> str:
    """The number as printed, without its unit (never exponent notation): "164.80"."""
    return format(f.value, "f")


def show(f: Figure) -> str:
    """The figure with its unit and qualifier: "超过280亿元", "≥10家", "翻一番"."""
    if f.kind == "multiple" and f.printed and not f.printed.strip()[:1].isdigit():
        return f.printed.strip()  # 翻一番: the words are the number
    words = {"exceeds": "超过", "at_least": "≥", "about": "约", "at_most": "≤", "below": "<"}
    prefix = words.get(f.qualifier or "", "")
    return f"{prefix}{show_value(f)}{f.unit}"


def fmt(x: float, decimals: int = 2) -> str:
    """A computed number for the arithmetic line.

    >>> fmt(1.70412), fmt(11.0539, 3), fmt(math.inf)
    ('1.70', '11.054', '∞')
    """
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.{decimals}f}"


def trim(x: float) -> str:
    """A converted value without noise digits: 1000.0000 -> "1000", 0.090620 -> "0.09062".

    >>> trim(1000.0), trim(0.09062), trim(153.76500000001)
    ('1000', '0.09062', '153.765')
    """
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def in_unit(f: Figure, x: float) -> float:
    """A base-unit value in the figure's printed unit (÷ scale)."""
    return x / float(f.scale) if f.scale else x


def iv_in(f: Figure, iv: Interval) -> Interval:
    """A base-unit interval in the figure's printed unit (÷ scale)."""
    return growth.scale(iv, 1 / float(f.scale)) if f.scale else iv


# --------------------------------------------------------------------------- context

def indicator_of(f: Figure) -> str | None:
    """The canonical indicator; the name as printed when the lexicon did not know it."""
    return f.indicator_canonical or f.indicator


def place(f: Figure) -> tuple[str, str]:
    """Where in the document: (source, section) — text vs table, body vs annex."""
    return (f.source, str(f.extra.get("section", "")))


# Clause boundaries for the words before a figure.
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?\n]")


def prefix_words(f: Figure, width: int = 40) -> str:
    """The words of the figure's clause before the number (from its quote)."""
    rel = f.start - f.quote_start
    if not (0 <= rel <= len(f.quote)):
        return ""
    before = f.quote[max(0, rel - width):rel]
    parts = _CLAUSE_END.split(before)
    return parts[-1] if parts else ""


def is_period_total(f: Figure) -> bool:
    """A sum over a period (累计…), not a level of one year.

    Figures that carry only a period, and figures whose clause says 累计 (but
    not 全年累计, an annual total), are sums over several years.
    """
    if f.extra.get("cumulative"):
        return True
    if f.year is None and f.period:
        return True
    words = prefix_words(f)
    return "累计" in words and "全年" not in words and "年累计" not in words


_SUB_PERIOD = re.compile(r"^M(\d\d)(?:-M(\d\d))?$")


def sub_period(f: Figure) -> tuple[int, int] | None:
    """The months a figure covers, as the extractor read them (``Figure.sub_period``):
    (1, 9) for 前三季度 and 1—9月 (cumulative to date), (7, 9) for 三季度, (4, 4) for 4月份;
    None for a whole year or when the text names no part of the year.

    >>> from decimal import Decimal
    >>> f = Figure(id="x", value=Decimal("249.9"), unit="亿元", kind="level", start=0, end=5,
    ...            quote="", sub_period="M07-M09")
    >>> sub_period(f), sub_period(f.replace(sub_period="M04")), sub_period(f.replace(sub_period=None))
    ((7, 9), (4, 4), None)
    """
    m = _SUB_PERIOD.match(f.sub_period or "")
    if not m:
        return None
    first = int(m[1])
    return (first, int(m[2]) if m[2] else first)


#: A sentence without period words continues the period of a figure whose sentence ended
#: at most this many characters before it (前三季度,…出口565.7亿元;进口417.4亿元…).
CONTINUES = 200


def effective_periods(figures: Sequence[Figure]) -> dict[str, tuple[int, int] | None]:
    """Figure id -> the months it covers: its own period words (:func:`sub_period`), else
    those of the figure before it in the document when its sentence follows closely
    (:data:`CONTINUES`), else None (the year, or unknown)."""
    out: dict[str, tuple[int, int] | None] = {}
    last: tuple[Figure, tuple[int, int] | None] | None = None
    for f in sorted(figures, key=lambda f: (f.document, f.start)):
        own = sub_period(f)
        if own is None and last is not None and last[0].document == f.document and (
                last[0].quote_start <= f.quote_start <= last[0].quote_end + CONTINUES):
            own = last[1]
        out[f.id] = own
        last = (f, own)
    return out


def periods_match(a: Figure, b: Figure,
                  periods: dict[str, tuple[int, int] | None] | None = None) -> bool:
    """Same months covered: a cumulative 前三季度 is never paired with 三季度 alone; a
    figure without period words pairs with the full year (全年) or another such figure."""
    pa = periods.get(a.id) if periods is not None else sub_period(a)
    pb = periods.get(b.id) if periods is not None else sub_period(b)
    return (pa or (1, 12)) == (pb or (1, 12))


def regions_match(a: Figure, b: Figure) -> bool:
    """Same region, or one of them unnamed (the document's own)."""
    return a.region is None or b.region is None or a.region == b.region


@dataclass
class Context:
    """What rules read: the figures, indexed, plus relations and tolerance."""

    figures: tuple[Figure, ...]
    relations: Relations
    tolerance: float = 0.0
    _by_indicator: dict[str, list[Figure]] = field(default_factory=dict, init=False, repr=False)
    periods: dict[str, tuple[int, int] | None] = field(default_factory=dict, init=False,
                                                       repr=False)

    def __post_init__(self) -> None:
        self.periods = effective_periods(self.figures)
        index: dict[str, list[Figure]] = defaultdict(list)
        for f in self.figures:
            name = indicator_of(f)
            if name:
                index[name].append(f)
        self._by_indicator = dict(index)

    def of(self, indicator: str, kinds: Sequence[str] = ("level", "count"), *,
           year: int | None = None, status: str | None = None,
           base_unit: str | None = None, canonical: bool = True) -> list[Figure]:
        """Figures of ``indicator`` with one of ``kinds``, filtered by year/status/base unit.

        Level filters drop sums over periods (:func:`is_period_total`).
        """
        out = []
        for f in self._by_indicator.get(indicator, []):
            if f.kind not in kinds:
                continue
            if canonical and f.indicator_canonical != indicator:
                continue
            if year is not None and f.year != year:
                continue
            if status is not None and f.status != status:
                continue
            if base_unit is not None and f.base_unit != base_unit:
                continue
            if f.kind in ("level", "count") and is_period_total(f):
                continue
            out.append(f)
        return out

    def same_period(self, a: Figure, b: Figure) -> bool:
        """:func:`periods_match` with the document's effective periods."""
        return periods_match(a, b, self.periods)

    def slack(self, iv: Interval) -> float:
        """Extra tolerance (run(tolerance=…), relative) in the interval's units."""
        if not self.tolerance:
            return 0.0
        ends = [abs(x) for x in (iv.lo, iv.hi) if math.isfinite(x)]
        return self.tolerance * (max(ends) if ends else 0.0)

    def tolerance_note(self, figs: Iterable[Figure]) -> str:
        """The ``tolerance`` column: how every interval was built."""
        parts = [half_unit(f) for f in figs]
        note = "rounding of printed values: " + "; ".join(parts)
        if self.tolerance:
            note += f"; plus relative slack {self.tolerance:g}"
        return note


# --------------------------------------------------------------------------- verdicts

def nearest(iv: Interval, x: float) -> float:
    """The point of ``iv`` nearest to ``x``."""
    return min(max(x, iv.lo), iv.hi)


def judge(ctx: Context, stated_iv: Interval, implied_iv: Interval, stated: float,
          implied: float, *, conclusion_changes: bool = False, unit: str = ""
          ) -> tuple[str, str | None]:
    """(verdict, severity) for a stated interval against an implied one.

    Consistent when they meet (plus the run's slack).  Otherwise the severity
    is :func:`analysis.checks.severity.classify` of the nearest values inside
    both intervals (relative gap, sign change, a threshold claim on the wrong
    side, or ``conclusion_changes`` given by the rule).
    """
    if growth.is_consistent(stated_iv, implied_iv, slack=ctx.slack(implied_iv)):
        return "consistent", None
    s = nearest(stated_iv, implied) if math.isfinite(implied) else stated
    i = nearest(implied_iv, stated)
    return "inconsistent", classify(s, i, stated_iv=stated_iv, stated=stated, implied=implied,
                                    conclusion_changes=conclusion_changes, unit=unit)


def verdict_text(label: str, stated_iv: Interval, implied_iv: Interval, verdict: str) -> str:
    """The comparison in the arithmetic line: "stated 2.58% ([2.575, 2.585]) ∉ [1.7026, 1.7052]".

    >>> verdict_text("stated 7%", Interval(6, 8), Interval(6.95, 7.0), "consistent")
    'stated 7% ([6, 8]) overlaps [6.95, 7]'
    """
    ok = verdict == "consistent"
    return f"{label} ({stated_iv}) {'overlaps' if ok else '∉'} {implied_iv}"


def tiers(stated: Figure | None, combos: Iterable[dict[str, Figure]]
          ) -> Iterator[tuple[str, list[dict[str, Figure]]]]:
    """Candidate input combinations grouped best first, as (label, combos).

    Labels: ``same_quote`` (all inputs in the stated figure's quote),
    ``same_place`` (all in its place: text vs table, body vs annex),
    ``one_place`` (all in one other place), ``mixed``.  A check uses the first
    non-empty group only: the inputs a sentence gives are the ones it should
    agree with.
    """
    groups: dict[str, list[dict[str, Figure]]] = {
        "same_quote": [], "same_place": [], "one_place": [], "mixed": []}
    for c in combos:
        figs = list(c.values())
        places = {place(f) for f in figs}
        quotes = {(f.quote_start, f.quote_end) for f in figs}
        if stated is not None and quotes == {(stated.quote_start, stated.quote_end)}:
            groups["same_quote"].append(c)
        elif stated is not None and places == {place(stated)}:
            groups["same_place"].append(c)
        elif len(places) == 1:
            groups["one_place"].append(c)
        else:
            groups["mixed"].append(c)
    for label, tier in groups.items():
        if tier:
            yield label, tier


def distinct(figs: Iterable[Figure]) -> list[Figure]:
    """Figures with distinct printed statements (value, qualifier, scale, unit, region),
    first kept."""
    seen: dict[tuple, Figure] = {}
    for f in figs:
        seen.setdefault((f.value, f.qualifier, f.scale, f.unit, f.range, f.region), f)
    return list(seen.values())


# --------------------------------------------------------------------------- periods and inputs

_PERIOD = re.compile(r"^\s*((?:19|20)\d\d)\s*[-–—~至到]\s*((?:19|20)\d\d)\s*$")


def period_years(f: Figure) -> tuple[int, int] | None:
    """(base year, end year) of a rate: base_year and year; else the period ("2016-2020"
    counts from 2015 when no base_year is given); else span_years.

    >>> from decimal import Decimal
    >>> g = Figure(id="g", value=Decimal("7"), unit="%", kind="avg_growth", start=0, end=1,
    ...            quote="", year=2025, period="2021-2025")
    >>> period_years(g)
    (2020, 2025)
    >>> period_years(g.replace(period=None, span_years=4, year=2019))
    (2015, 2019)
    """
    base, end = f.base_year, f.year
    m = _PERIOD.match(f.period or "")
    if m:
        p0, p1 = int(m.group(1)), int(m.group(2))
        end = end if end is not None else p1
        base = base if base is not None else p0 - 1
    if base is None and end is not None and f.span_years:
        base = end - f.span_years
    if end is None and base is not None and f.span_years:
        end = base + f.span_years
    if base is None or end is None or end <= base:
        return None
    return base, end


def best(ctx: Context, stated: Figure | None, combos: Iterable[dict[str, Figure]],
         evaluate: Callable[[dict[str, Figure]], Finding | None]) -> Finding | None:
    """Evaluate the first non-empty tier of input combinations (see core.tiers).

    A consistent combination wins (some printed inputs reproduce the stated
    value); otherwise the combination nearest to the stated value is reported.
    Combinations mixing places (text with table) are only used when there is
    exactly one: several mixed readings are ambiguous, so no check.
    """
    for label, tier in tiers(stated, combos):
        if label == "mixed" and len(_distinct_combos(tier)) > 1:
            return None
        found = [f for f in (_safe(evaluate, c) for c in tier) if f is not None]
        if not found:
            return None
        order = {"consistent": 0, "consistent_if_real_growth": 1, "warning": 2,
                 "inconsistent": 3, "error": 4}
        found.sort(key=lambda f: (order.get(f.verdict, 5), f.extra.get("gap", 0.0)))
        return found[0]
    return None


def _distinct_combos(tier: list[dict[str, Figure]]) -> set:
    return {tuple((k, f.value * f.scale, f.qualifier) for k, f in sorted(c.items()))
            for c in tier}


def _safe(evaluate: Callable[[dict[str, Figure]], Finding | None],
          combo: dict[str, Figure]) -> Finding | None:
    """:func:`guard` for one combination of figures by role."""
    return guard(tuple(combo.values()), lambda: evaluate(combo))


def guard(figs: Sequence[Figure], make: Callable[[], Finding | None]) -> Finding | None:
    """``make()`` for one group of figures.  Inputs that make a formula undefined (a zero
    base: ValueError, ZeroDivisionError, OverflowError) mean no check; any other failure
    is an error row for this group, and the rule goes on with the next one."""
    try:
        return make()
    except (ValueError, ArithmeticError):  # ZeroDivisionError, OverflowError, decimal's
        return None
    except CheckError:
        raise
    except Exception as exc:  # noqa: BLE001  (a bug on odd inputs: one error row)
        return error_finding(tuple(figs), exc)


#: The rule :func:`analysis.checks.run` is running (names error rows made inside helpers).
CURRENT_RULE: contextvars.ContextVar[str] = contextvars.ContextVar("CURRENT_RULE", default="")


def error_finding(figs: Sequence[Figure], exc: BaseException, name: str | None = None
                  ) -> Finding:
    """An ``error`` row: rule ``name`` (default: the running one) failed on ``figs``."""
    name = name or CURRENT_RULE.get() or "unknown"
    doc = next((f.document for f in figs if f.document), "")
    what = f"{type(exc).__name__}: {exc}"[:300]
    where = f" in {doc}" if doc else ""
    return Finding(
        rule=name, verdict="error", figures=tuple(figs), stated=None, computed=None,
        interval="", unit="", message_zh=f"规则{name}在这组数字上出错{where}：{what}",
        message_en=f"rule {name!r} failed on this group{where}: {what}", arithmetic="",
        tolerance="", indicator=indicator_of(figs[0]) if figs else None,
        year=figs[0].year if figs else None)
