"""Teaching: figures, exercises, answer checks and charts for ``notebooks/teaching/``.

The teaching notebooks stay thin (STYLE.md §6): they call this module.  Every
expected answer is *computed* here with :mod:`analysis.growth` from the
figures the notebook uses, never typed in.  Those figures are read from the
seed documents through :func:`analysis.figures.extract` when ``../shared`` is
present, else taken from the printed values written in the notebook's
parameters (:func:`seed_figures` says which, in ``.note``).

One exercise table per notebook (columns :data:`EXERCISE_COLUMNS`):

- :func:`exercises_cagr` — ``01_cagr_and_compounding.ipynb``
- :func:`exercises_rounding` — ``02_rounding.ipynb``
- :func:`exercises_base_effects` — ``03_base_effects.ipynb``

and one checker for them all: :func:`check_answers` (one :func:`check_answer`
per exercise) prints ✓ / ✗ / · with the explanation and returns the
verdicts as a table (:data:`VERDICT_COLUMNS`).

>>> v = check_answer("answer_1", 6.98, 6.977, 0.01, "(407 / 290.5)^(1/5) − 1 = 6.977 %")
✓ answer_1 = 6.98: correct — (407 / 290.5)^(1/5) − 1 = 6.977 %
>>> v.correct
True
"""
from __future__ import annotations

import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import cells, config, growth
from analysis.exceptions import AnalysisError

__all__ = [
    "EXERCISE_COLUMNS",
    "FIGURES_CAGR",
    "FIGURES_ROUNDING",
    "VERDICT_COLUMNS",
    "Exercise",
    "FigureSpec",
    "ReferenceSeries",
    "SeedFigures",
    "TeachingError",
    "Verdict",
    "attempted",
    "base_effect_chart",
    "check_answer",
    "check_answers",
    "checker_findings",
    "compounding_chart",
    "defaults",
    "exercises_base_effects",
    "exercises_cagr",
    "exercises_rounding",
    "load_series",
    "results_base_effects",
    "results_cagr",
    "results_rounding",
    "revealed",
    "rounding_chart",
    "save_outputs",
    "seed_figures",
    "show_worked",
    "yoy_table",
]

Number = int | float | Decimal | str


class TeachingError(AnalysisError):
    """A teaching notebook was given something it cannot use (unknown answer name, no data)."""


# --------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class FigureSpec:
    """Which figure of which seed a notebook parameter stands for.

    ``printed`` is the value as printed in the seed: the notebook parameter's
    default, used when the seed is absent.  A figure matches on its canonical
    indicator, year, kind and unit (and ``base_year`` when given).
    """

    name: str
    seed: str
    indicator: str
    year: int
    kind: str
    unit: str
    printed: str
    base_year: int | None = None

    @property
    def label(self) -> str:
        """Chinese label: indicator, year(s) and unit.

        >>> FIGURES_CAGR[0].label
        '社会消费品零售总额 2020年（亿元）'
        """
        years = f"{self.base_year}—{self.year}年" if self.base_year else f"{self.year}年"
        return f"{self.indicator} {years}（{self.unit}）"


#: Notebook 01: seed 003 (台州市椒江区商务发展“十四五”规划) and seed 001 (舟山电子商务, 翻一番).
FIGURES_CAGR: tuple[FigureSpec, ...] = (
    FigureSpec("retail_2020", "003", "社会消费品零售总额", 2020, "level", "亿元", "290.5"),
    FigureSpec("retail_2025", "003", "社会消费品零售总额", 2025, "level", "亿元", "407"),
    FigureSpec("online_2015", "003", "网络零售额", 2015, "level", "亿元", "73.22"),
    FigureSpec("online_2020", "003", "网络零售额", 2020, "level", "亿元", "151.28"),
    FigureSpec("online_stated", "003", "网络零售额", 2020, "avg_growth", "%", "15.62", 2015),
    FigureSpec("doubling", "001", "进口额", 2020, "multiple", "番", "1", 2014),
    FigureSpec("invest_2015", "003", "中方投资额", 2015, "level", "万美元", "1552.5"),
    FigureSpec("invest_2019", "003", "中方投资额", 2019, "level", "万美元", "3759.8"),
    FigureSpec("invest_stated", "003", "中方投资额", 2019, "avg_growth", "%", "24.75", 2015),
)

#: Notebook 02: seed 003, 实际利用外资 (base printed as 0.1) and 外贸进出口总额 (a real slip).
FIGURES_ROUNDING: tuple[FigureSpec, ...] = (
    FigureSpec("fdi_2015", "003", "实际利用外资", 2015, "level", "亿美元", "0.1"),
    FigureSpec("fdi_2020", "003", "实际利用外资", 2020, "level", "亿美元", "1.72"),
    FigureSpec("fdi_stated", "003", "实际利用外资", 2020, "avg_growth", "%", "75.08", 2015),
    FigureSpec("trade_2015", "003", "外贸进出口总额", 2015, "level", "亿元", "151.45"),
    FigureSpec("trade_2020", "003", "外贸进出口总额", 2020, "level", "亿元", "164.80"),
    FigureSpec("trade_stated", "003", "外贸进出口总额", 2020, "avg_growth", "%", "2.58", 2015),
)


def defaults(specs: Sequence[FigureSpec]) -> dict[str, str]:
    """The printed seed values by parameter name (the notebook parameters' defaults).

    >>> defaults(FIGURES_ROUNDING)["trade_2020"]
    '164.80'
    """
    return {s.name: s.printed for s in specs}


def _spec(specs: Sequence[FigureSpec], name: str) -> FigureSpec:
    for s in specs:
        if s.name == name:
            return s
    raise TeachingError(f"no figure named {name!r}; known: {', '.join(s.name for s in specs)}")


@dataclass(frozen=True)
class SeedFigures:
    """The figures a notebook uses: ``values`` (name -> printed value), ``table``, ``note``."""

    values: dict[str, str]
    table: pd.DataFrame
    note: str
    from_seeds: bool

    def __getitem__(self, name: str) -> str:
        return self.values[name]


def _matches(f: Any, s: FigureSpec) -> bool:
    return (f.indicator_canonical == s.indicator and f.year == s.year and f.kind == s.kind
            and f.unit == s.unit and (s.base_year is None or f.base_year == s.base_year))


def seed_figures(specs: Sequence[FigureSpec], fallback: Mapping[str, Any] | None = None, *,
                 use_seeds: bool = True, seeds_dir: str | Path | None = None) -> SeedFigures:
    """Read each figure of ``specs`` from its seed document, else take it from ``fallback``.

    ``fallback`` maps names to printed values (the notebook's parameters;
    missing names use ``spec.printed``).  Figures come from the seeds (found
    in ``seeds_dir``, default :data:`analysis.config.SEEDS_DIR`) through
    :func:`analysis.documents.load` and :func:`analysis.figures.extract`, the
    text occurrence first.  ``note`` says where every figure came from.

    >>> figs = seed_figures(FIGURES_ROUNDING[:2], {"fdi_2015": "0.1"}, use_seeds=False)
    >>> figs.values, figs.from_seeds
    ({'fdi_2015': '0.1', 'fdi_2020': '1.72'}, False)
    >>> print(figs.note)
    use_seeds is False: using the values written in the notebook's parameters.
    """
    from analysis.documents import load
    from analysis.figures import extract

    fallback = dict(fallback or {})
    folder = Path(seeds_dir) if seeds_dir else config.SEEDS_DIR
    extracted: dict[str, tuple[Path, list[Any]] | None] = {}
    if use_seeds:
        for prefix in sorted({s.seed for s in specs}):
            paths = sorted(folder.glob(f"{prefix}*.txt")) if folder.is_dir() else []
            extracted[prefix] = (paths[0], extract(load(paths[0]))) if paths else None
    rows, values, missing = [], {}, []
    for s in specs:
        found = extracted.get(s.seed)
        hit = None
        if found is not None:
            hits = [f for f in found[1] if _matches(f, s)]
            hit = min(hits, key=lambda f: (f.source != "text", f.start)) if hits else None
        if hit is not None and found is not None:
            value = str(hit.value)
            source = f"seed {found[0].name} {hit.id} (chars {hit.start}–{hit.end})"
            quote = hit.quote
        else:
            value = str(fallback.get(s.name, s.printed))
            source, quote = "notebook parameter", ""
            missing.append(s)
        values[s.name] = value
        rows.append({"name": s.name, "label": s.label, "value": value, "kind": s.kind,
                     "source": source, "quote": quote})
    if not use_seeds:
        note = "use_seeds is False: using the values written in the notebook's parameters."
    elif not missing:
        note = (f"All {len(specs)} figures read from the seed documents in {folder} "
                "(analysis.documents.load → analysis.figures.extract).")
    elif len(missing) == len(specs):
        note = (f"The seed documents are not in {folder} (../shared is absent): using the "
                "values written in the notebook's parameters for every figure.")
    else:
        names = ", ".join(s.name for s in missing)
        note = (f"Figures read from the seeds in {folder}, except {names}: not found there, "
                "so the values written in the notebook's parameters are used for them.")
    return SeedFigures(values, pd.DataFrame(rows), note, bool(use_seeds and not missing))


# --------------------------------------------------------------------------- answers

#: Columns of an exercise table.
EXERCISE_COLUMNS = ["name", "question", "expected", "tolerance", "unit", "worked", "hint",
                    "traps"]
#: Columns of a verdict table.
VERDICT_COLUMNS = ["name", "answer", "correct", "expected", "tolerance", "message"]

#: Accepted spellings of word answers.
_WORDS = {
    "revision": {"revision", "revised", "base revision", "修订", "基数修订", "口径调整"},
    "error": {"error", "mistake", "arithmetic error", "错误", "计算错误"},
}


@dataclass(frozen=True)
class Exercise:
    """One exercise: the question, the computed answer and how it was computed.

    ``traps`` are common wrong answers (value, what it means), recognised
    within the tolerance so the checker can say which mistake was made.
    """

    name: str
    question: str
    expected: float | str
    tolerance: float
    unit: str
    worked: str
    hint: str
    traps: tuple[tuple[float, str], ...] = field(default=())


@dataclass(frozen=True)
class Verdict:
    """The judgement of one answer: ``correct`` is None when no answer was given."""

    name: str
    answer: Any
    expected: Any
    tolerance: float
    correct: bool | None
    message: str

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "·"}[self.correct]

    def __str__(self) -> str:
        if self.correct is None:
            return f"{self.mark} {self.name}: {self.message}"
        return f"{self.mark} {self.name} = {self.answer}: {self.message}"


def _as_float(value: Any) -> float | None:
    """A numeric answer as float ("6.98%" is fine); None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().rstrip("%％").strip()
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def check_answer(name: str, value: Any, expected: float | str, tolerance: float,
                 explanation: str = "", *, hint: str = "",
                 traps: Iterable[tuple[float, str]] = (), quiet: bool = False) -> Verdict:
    """Judge one answer and print ✓ (correct), ✗ (wrong) or · (not answered yet).

    Numbers are correct within ``tolerance`` of ``expected``; a wrong number
    near a known trap gets the trap's explanation, else the hint.  Word
    answers ("revision") match case-insensitively, with Chinese synonyms.

    >>> _ = check_answer("answer_1", 8.02, 6.977, 0.01, hint="use the geometric mean",
    ...                  traps=[(8.0207, "the arithmetic average ignores compounding")])
    ✗ answer_1 = 8.02: the arithmetic average ignores compounding
    >>> _ = check_answer("answer_1", 7.5, 6.977, 0.01, hint="use the geometric mean")
    ✗ answer_1 = 7.5: not within ±0.01 of the answer. Hint: use the geometric mean
    >>> check_answer("answer_6", "修订", "revision", 0, quiet=True).correct
    True
    >>> print(check_answer("answer_2", None, 15.62, 0.01, quiet=True))  # doctest: +ELLIPSIS
    · answer_2: not answered yet — set answer_2 in the parameters cell (papermill: -p answer_2 ...)
    """
    traps = tuple(traps)
    if value is None or (isinstance(value, str) and not value.strip()):
        correct, message = None, (f"not answered yet — set {name} in the parameters cell "
                                  f"(papermill: -p {name} VALUE)")
    elif isinstance(expected, str):
        word = str(value).strip().lower()
        correct = word in _WORDS.get(expected, {expected.lower()}) | {expected.lower()}
        message = f"correct — {explanation}" if correct else f"not quite. Hint: {hint}"
    else:
        x = _as_float(value)
        if x is None:
            correct, message = False, f"{value!r} is not a number. Hint: {hint}"
        else:
            correct = abs(x - float(expected)) <= float(tolerance) + 1e-9
            near = [why for trap, why in traps if abs(x - trap) <= float(tolerance) + 1e-9]
            if correct:
                message = f"correct — {explanation}" if explanation else "correct"
            elif near:
                message = near[0]
            else:
                message = f"not within ±{tolerance:g} of the answer. Hint: {hint}"
    verdict = Verdict(name, value, expected, float(tolerance), correct, message)
    if not quiet:
        print(verdict)
    return verdict


def check_answers(exercises: pd.DataFrame, answers: Mapping[str, Any], *,
                  quiet: bool = False) -> pd.DataFrame:
    """Check every exercise against ``answers`` (name -> value; missing = not answered).

    Prints one line per exercise and a score; returns :data:`VERDICT_COLUMNS`.
    An answer for an exercise that does not exist is an error (a typo would
    otherwise pass silently).
    """
    unknown = sorted(set(answers) - set(exercises["name"]))
    if unknown:
        raise TeachingError(f"no exercise named {', '.join(unknown)}; the exercises are "
                            f"{', '.join(exercises['name'])}")
    verdicts = [check_answer(r.name, answers.get(r.name), r.expected, r.tolerance, r.worked,
                             hint=r.hint, traps=r.traps, quiet=quiet)
                for r in exercises.itertuples(index=False)]
    if not quiet:
        right = sum(v.correct is True for v in verdicts)
        tried = sum(v.correct is not None for v in verdicts)
        print(f"\n{right} of {len(verdicts)} correct ({tried} answered).")
    return pd.DataFrame([asdict(v) for v in verdicts], columns=VERDICT_COLUMNS)


def attempted(verdicts: pd.DataFrame | None) -> set[str]:
    """Names of the exercises an answer was given for (right or wrong)."""
    if verdicts is None or verdicts.empty:
        return set()
    return set(verdicts.loc[verdicts["correct"].notna(), "name"])


def revealed(exercises: pd.DataFrame, verdicts: pd.DataFrame | None, show: bool) -> bool:
    """May the notebook show its worked discussion?  Only after an attempt at every
    exercise, or when ``show`` (the notebook's ``show_answers``) asks for it; else print
    how to get there.

    >>> ex = pd.DataFrame({"name": ["answer_1"]})
    >>> untried = pd.DataFrame({"name": ["answer_1"], "correct": [None]})
    >>> revealed(ex, untried, False)  # doctest: +ELLIPSIS
    The discussion below shows the answers: it appears once every exercise has an answer ...
    False
    >>> revealed(ex, pd.DataFrame({"name": ["answer_1"], "correct": [False]}), False)
    True
    """
    if show or set(exercises["name"]) <= attempted(verdicts):
        return True
    print("The discussion below shows the answers: it appears once every exercise has an "
          "answer (or with show_answers = True).")
    return False


def show_worked(exercises: pd.DataFrame, show: bool,
                verdicts: pd.DataFrame | None = None) -> None:
    """Print the worked answer of each exercise that was attempted (in ``verdicts``), or of
    all when ``show`` (the notebook's ``show_answers``); never of one not yet tried."""
    tried = attempted(verdicts)
    rows = [(i, r) for i, r in enumerate(exercises.itertuples(index=False), 1)
            if show or r.name in tried]
    if not rows:
        print("Worked answers appear here for each exercise you answer "
              "(or all of them with show_answers = True).")
        return
    print("Worked answers")
    for i, r in rows:
        print(f"{i}. {r.name} — {r.question}\n   {r.worked}")


def _table(exercises: Iterable[Exercise]) -> pd.DataFrame:
    return pd.DataFrame([asdict(e) for e in exercises], columns=EXERCISE_COLUMNS)


def _f(x: float, d: int = 2) -> str:
    return f"{x:.{d}f}"


def _fan(n: Number) -> str:
    """翻n番 as printed: "1" -> 翻一番, "2" -> 翻两番."""
    return f"翻{ {'1': '一', '2': '两', '3': '三'}.get(str(n), str(n)) }番"


def _factor(rate: float) -> str:
    """A growth factor for formulas: -3.9 -> "(1 − 3.9 %)", 12.5 -> "(1 + 12.5 %)"."""
    return f"(1 {'−' if rate < 0 else '+'} {abs(rate):g} %)"


# --------------------------------------------------------------------------- notebook 01

def _cagr_rows(values: Mapping[str, Number]) -> list[dict[str, Any]]:
    v = {k: str(x) for k, x in values.items()}
    dbl = _spec(FIGURES_CAGR, "doubling")
    assert dbl.base_year is not None
    factor = growth.factor_from_multiple(v["doubling"], "fan")
    cases = [  # id, indicator, from, to, base, end, stated
        ("retail", "社会消费品零售总额", 2020, 2025, v["retail_2020"], v["retail_2025"], None),
        ("online", "网络零售额", 2015, 2020, v["online_2015"], v["online_2020"],
         v["online_stated"]),
        ("doubling", f"进口额 {_fan(v['doubling'])} (×{factor:g})", dbl.base_year, dbl.year, "1",
         repr(factor), None),
        ("invest_4y", "中方投资额", 2015, 2019, v["invest_2015"], v["invest_2019"],
         v["invest_stated"]),
        ("invest_5y", "中方投资额 (wrong span: 5 years)", 2015, 2020, v["invest_2015"],
         v["invest_2019"], v["invest_stated"]),
    ]
    rows = []
    for cid, ind, y0, y1, base, end, stated in cases:
        n = y1 - y0
        rate = growth.cagr(base, end, n)
        consistent = None
        if stated is not None:
            implied = growth.cagr_interval(growth.rounding_interval(base),
                                           growth.rounding_interval(end), n)
            consistent = growth.is_consistent(growth.rounding_interval(stated), implied)
        rows.append({
            "id": cid, "indicator": ind, "from_year": y0, "to_year": y1, "years": n,
            "base": float(base), "end": float(end),
            "stated_pct": float(stated) if stated is not None else math.nan,
            "cagr_pct": rate,
            "arithmetic_pct": growth.cumulative_growth(base, end) / n,
            "cumulative_pct": growth.cumulative_growth(base, end),
            "consistent": consistent,
            "formula": f"({end} / {base})^(1/{n}) − 1 = {_f(rate, 3)} %",
        })
    return rows


def results_cagr(values: Mapping[str, Number] | None = None) -> pd.DataFrame:
    """CAGR, arithmetic average and cumulative growth of each seed case (notebook 01).

    ``invest_5y`` is the four-year span trap: the 2015–2019 levels over five years.

    >>> r = results_cagr().set_index("id")
    >>> r.loc[["retail", "online", "doubling", "invest_4y"], "cagr_pct"].round(3).tolist()
    [6.977, 15.619, 12.246, 24.748]
    >>> round(float(r.loc["retail", "arithmetic_pct"]), 2), r.loc["invest_5y", "consistent"]
    (8.02, False)
    """
    return pd.DataFrame(_cagr_rows(values or defaults(FIGURES_CAGR)))


def exercises_cagr(values: Mapping[str, Number] | None = None) -> pd.DataFrame:
    """The exercises of notebook 01 with answers computed from ``values`` (seed 003/001).

    >>> ex = exercises_cagr().set_index("name")
    >>> [round(x, 3) for x in ex.expected]
    [6.977, 427.248, 15.619, 12.246, 4.0, 19.351]
    """
    v = {k: str(x) for k, x in (values or defaults(FIGURES_CAGR)).items()}
    r = {row["id"]: row for row in _cagr_rows(v)}
    retail, online, dbl, inv4, inv5 = (r[k] for k in ("retail", "online", "doubling",
                                                      "invest_4y", "invest_5y"))
    arith = retail["arithmetic_pct"]
    overshoot = growth.project(v["retail_2020"], arith, retail["years"])
    return _table([
        Exercise(
            "answer_1",
            f"社会消费品零售总额 {v['retail_2020']} → {v['retail_2025']}亿元, 2020–2025: "
            "average annual growth (年均增长, %)?",
            retail["cagr_pct"], 0.01, "%", retail["formula"],
            "divide the end by the base, take the 5th root, subtract 1",
            ((arith, (f"that is the arithmetic average (cumulative {_f(retail['cumulative_pct'])} %"
                     " ÷ 5): it ignores compounding; take the 5th root of the ratio instead")),
             (retail["cumulative_pct"], "that is the cumulative growth over all five years"))),
        Exercise(
            "answer_2",
            f"If 社会消费品零售总额 grew {_f(arith)} % a year (the arithmetic average) from "
            f"{v['retail_2020']}, compounded, what level would it reach in 2025 (亿元)?",
            overshoot, 0.1, "亿元",
            f"{v['retail_2020']} × (1 + {_f(arith, 4)} %)^5 = {_f(overshoot)}亿元, "
            f"{_f(overshoot - float(v['retail_2025']))}亿元 above the target {v['retail_2025']}",
            "multiply the base by (1 + rate)^5",
            ((float(v["retail_2025"]), ("that is the target: growing at the arithmetic average "
              "every year overshoots it, because growth compounds")),)),
        Exercise(
            "answer_3",
            f"网络零售额 {v['online_2015']} → {v['online_2020']}亿元, 2015–2020: average "
            f"annual growth (%)? (the plan states {v['online_stated']} %)",
            online["cagr_pct"], 0.01, "%", online["formula"],
            "the same formula as answer_1: five years of growth from 2015 to 2020",
            ((online["arithmetic_pct"], ("that is the arithmetic average (cumulative growth ÷ 5); "
              "the plan's figure is the compound rate")),)),
        Exercise(
            "answer_4",
            f"{_fan(v['doubling'])} (×{_f(float(dbl['end']), 0)}) from {dbl['from_year']} to "
            f"{dbl['to_year']}: the average annual growth it needs (%)?",
            dbl["cagr_pct"], 0.01, "%",
            f"2^(1/{dbl['years']}) − 1 = {_f(dbl['cagr_pct'], 3)} %",
            f"a doubling is a factor of 2 over {dbl['years']} years: take the "
            f"{dbl['years']}th root of 2",
            ((100 / dbl["years"], ("100 % ÷ years is the simple-interest rate; with compounding "
              "less is needed")),)),
        Exercise(
            "answer_5",
            f"中方投资额 {v['invest_2015']} (2015) → {v['invest_2019']}万美元 (2019), stated "
            f"年均增长{v['invest_stated']}%: over how many years of growth is that rate right?",
            float(inv4["years"]), 0, "years",
            f"{inv4['formula']}: 2019 − 2015 = {inv4['years']} years of growth",
            "count the steps between the years, not the years printed",
            ((float(inv5["years"]), (f"over five years the rate would be {_f(inv5['cagr_pct'])} %, "
              f"not {v['invest_stated']} %: 2015–2019 has four steps of growth")),)),
        Exercise(
            "answer_6",
            "The same 中方投资额 levels, wrongly spread over the five-year plan period 2015–2020:"
            " what average rate (%) would you get?",
            inv5["cagr_pct"], 0.01, "%",
            f"({v['invest_2019']} / {v['invest_2015']})^(1/5) − 1 = {_f(inv5['cagr_pct'], 3)} % "
            f"— {_f(inv4['cagr_pct'] - inv5['cagr_pct'])} points below the stated "
            f"{v['invest_stated']} %",
            "the 5th root of the ratio of the two levels",
            ((inv4["cagr_pct"], ("that is the correct four-year rate; the question asks what the "
              "wrong five-year span gives")),)),
    ])


def compounding_chart(values: Mapping[str, Number] | None = None) -> Any:
    """Two panels: compound vs simple paths of 社零 2020–2025, and the rate a doubling needs.

    Returns a :class:`matplotlib.figure.Figure` (no pyplot state: shown once).
    """
    from matplotlib.figure import Figure

    from analysis.fonts import use_cjk_font

    use_cjk_font()
    r = {row["id"]: row for row in _cagr_rows(values or defaults(FIGURES_CAGR))}
    retail, dbl = r["retail"], r["doubling"]
    base = retail["base"]
    years = list(range(retail["from_year"], retail["to_year"] + 1))
    t = [y - years[0] for y in years]
    arith = retail["arithmetic_pct"]
    fig = Figure(figsize=(11, 4.6), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    ax.plot(years, [growth.project(base, retail["cagr_pct"], k) for k in t], "o-",
            color="tab:blue", label=f"复利 年均增长 {_f(retail['cagr_pct'])}%（CAGR）")
    ax.plot(years, [base * (1 + arith / 100 * k) for k in t], "s--", color="tab:gray",
            label=f"单利 每年 +{_f(arith)}% × 基期（算术平均）")
    ax.plot(years, [growth.project(base, arith, k) for k in t], "^-", color="tab:red",
            label=f"复利 年均增长 {_f(arith)}%：超出目标")
    ax.axhline(retail["end"], color="black", lw=0.8, ls=":")
    ax.annotate(f"2025年目标 {retail['end']:g}亿元", (years[-1], retail["end"]),
                xytext=(-10, -18), textcoords="offset points", ha="right")
    ax.set(title="社会消费品零售总额：复利与算术平均", xlabel="年份", ylabel="亿元")
    ax.legend(loc="upper left", fontsize=8)
    spans = list(range(2, 16))
    bx.plot(spans, [growth.cagr(1, 2, k) for k in spans], "o-", color="tab:blue",
            label="复利：2^(1/n) − 1")
    bx.plot(spans, [100 / k for k in spans], "s--", color="tab:gray", label="单利：100% ÷ n")
    bx.plot([dbl["years"]], [dbl["cagr_pct"]], "*", ms=15, color="tab:red",
            label=f"翻一番 {dbl['from_year']}—{dbl['to_year']}：{_f(dbl['cagr_pct'])}%")
    bx.set(title="翻一番需要的年均增速", xlabel="年数 n", ylabel="年均增速（%）")
    bx.legend(fontsize=8)
    for a in (ax, bx):
        a.grid(alpha=0.3)
    return fig


# --------------------------------------------------------------------------- notebook 02

def _rounding_rows(values: Mapping[str, Number]) -> list[dict[str, Any]]:
    v = {k: str(x) for k, x in values.items()}
    rows = []
    for cid, ind in (("fdi", "实际利用外资"), ("trade", "外贸进出口总额")):
        base, end, stated = v[f"{cid}_2015"], v[f"{cid}_2020"], v[f"{cid}_stated"]
        n = 2020 - 2015
        b_iv, e_iv, s_iv = (growth.rounding_interval(x) for x in (base, end, stated))
        implied = growth.cagr_interval(b_iv, e_iv, n)
        rows.append({
            "id": cid, "indicator": ind, "years": n, "base_printed": base,
            "base_lo": b_iv.lo, "base_hi": b_iv.hi, "end_printed": end,
            "end_lo": e_iv.lo, "end_hi": e_iv.hi,
            "stated_pct": float(stated), "stated_lo": s_iv.lo, "stated_hi": s_iv.hi,
            "cagr_printed_pct": growth.cagr(base, end, n),
            "implied_lo_pct": implied.lo, "implied_hi_pct": implied.hi,
            "consistent": growth.is_consistent(s_iv, implied),
            "gap_pp": growth.gap(s_iv, implied),
            "base_for_stated": growth.project(end, stated, -n),
            "formula": (f"({end} / {base})^(1/{n}) − 1 = {_f(growth.cagr(base, end, n))} %; "
                        f"base ∈ {b_iv}, end ∈ {e_iv} → implied ∈ {implied}; "
                        f"stated {stated} % ∈ {s_iv}"),
        })
    return rows


def results_rounding(values: Mapping[str, Number] | None = None) -> pd.DataFrame:
    """Printed, interval and stated rates of the two seed-003 cases (notebook 02).

    >>> r = results_rounding().set_index("id")
    >>> r.loc["fdi", ["implied_lo_pct", "implied_hi_pct"]].round(2).tolist(), r.consistent.tolist()
    ([62.79, 103.03], [True, False])
    """
    return pd.DataFrame(_rounding_rows(values or defaults(FIGURES_ROUNDING)))


def exercises_rounding(values: Mapping[str, Number] | None = None) -> pd.DataFrame:
    """The exercises of notebook 02 with answers computed from ``values`` (seed 003).

    >>> [round(x, 2) for x in exercises_rounding().expected]
    [76.65, 62.79, 103.03, 0.1, 1.7, 0.87, 145.09]
    """
    v = {k: str(x) for k, x in (values or defaults(FIGURES_ROUNDING)).items()}
    fdi, trade = _rounding_rows(v)
    n = fdi["years"]
    return _table([
        Exercise(
            "answer_1",
            f"实际利用外资 {v['fdi_2015']} → {v['fdi_2020']}亿美元, 2015–2020: the average "
            f"annual growth on the printed values (%)? (the plan states {v['fdi_stated']} %)",
            fdi["cagr_printed_pct"], 0.01, "%",
            f"({v['fdi_2020']} / {v['fdi_2015']})^(1/5) − 1 = {_f(fdi['cagr_printed_pct'], 3)} %",
            "the 5th root of the ratio, minus 1",
            ((float(v["fdi_stated"]), ("that is the stated rate; compute it from the printed "
              "levels")),)),
        Exercise(
            "answer_2",
            f"The printed {v['fdi_2015']} stands for [{fdi['base_lo']:g}, {fdi['base_hi']:g}] "
            f"and {v['fdi_2020']} for its own rounding interval: the LOWEST average rate they "
            "allow (%)?",
            fdi["implied_lo_pct"], 0.01, "%",
            f"largest base, smallest end: ({fdi['end_lo']:g} / {fdi['base_hi']:g})^(1/{n}) − 1 "
            f"= {_f(fdi['implied_lo_pct'], 3)} %",
            "the lowest rate comes from the largest base and the smallest end",
            ((growth.cagr(fdi["base_hi"], fdi["end_printed"], n),
              "close: also round the end level down to its lowest value"),)),
        Exercise(
            "answer_3",
            "… and the HIGHEST average rate they allow (%)?",
            fdi["implied_hi_pct"], 0.01, "%",
            f"smallest base, largest end: ({fdi['end_hi']:g} / {fdi['base_lo']:g})^(1/{n}) − 1 "
            f"= {_f(fdi['implied_hi_pct'], 3)} %",
            "the highest rate comes from the smallest base and the largest end",
            ((growth.cagr(fdi["base_lo"], fdi["end_printed"], n),
              "close: also round the end level up to its highest value"),)),
        Exercise(
            "answer_4",
            f"Which 2015 level (亿美元) makes {v['fdi_2020']} grow exactly {v['fdi_stated']} % a "
            f"year? (is it inside [{fdi['base_lo']:g}, {fdi['base_hi']:g}]?)",
            fdi["base_for_stated"], 0.0005, "亿美元",
            f"{v['fdi_2020']} / (1 + {v['fdi_stated']} %)^5 = {_f(fdi['base_for_stated'], 4)} — "
            f"printed to one decimal that is {round(fdi['base_for_stated'], 1):g}: consistent",
            "project backwards: divide the end by (1 + stated rate)^5"),
        Exercise(
            "answer_5",
            f"外贸进出口总额 {v['trade_2015']} → {v['trade_2020']}亿元, 2015–2020: the average "
            f"annual growth on the printed values (%)? (the plan states {v['trade_stated']} %)",
            trade["cagr_printed_pct"], 0.01, "%",
            f"({v['trade_2020']} / {v['trade_2015']})^(1/5) − 1 = "
            f"{_f(trade['cagr_printed_pct'], 3)} %",
            "the 5th root of the ratio, minus 1",
            ((float(v["trade_stated"]), "that is the stated rate; the levels imply much less"),)),
        Exercise(
            "answer_6",
            f"How many percentage points separate the stated {v['trade_stated']} % "
            f"(∈ [{trade['stated_lo']:g}, {trade['stated_hi']:g}]) from the interval the "
            "rounded levels allow?",
            trade["gap_pp"], 0.01, "pp",
            f"stated ∈ [{trade['stated_lo']:g}, {trade['stated_hi']:g}], implied ∈ "
            f"[{_f(trade['implied_lo_pct'], 4)}, {_f(trade['implied_hi_pct'], 4)}]: gap "
            f"{trade['stated_lo']:g} − {_f(trade['implied_hi_pct'], 4)} = {_f(trade['gap_pp'], 3)}"
            " pp — no rounding explains it: inconsistent",
            "lower end of the stated interval minus the upper end of the implied one",
            ((float(v["trade_stated"]) - trade["cagr_printed_pct"],
              "close: that is the gap between the printed values; use the interval ends"),)),
        Exercise(
            "answer_7",
            f"Which 2015 level (亿元) would {v['trade_stated']} % a year need to reach "
            f"{v['trade_2020']} in 2020?",
            trade["base_for_stated"], 0.05, "亿元",
            f"{v['trade_2020']} / (1 + {v['trade_stated']} %)^5 = "
            f"{_f(trade['base_for_stated'])}亿元, not {v['trade_2015']}",
            "project backwards: divide the end by (1 + stated rate)^5"),
    ])


def rounding_chart(values: Mapping[str, Number] | None = None) -> Any:
    """The implied rate as a function of the base, for both cases, with the rounding bands."""
    from matplotlib.figure import Figure

    from analysis.fonts import use_cjk_font

    use_cjk_font()
    fig = Figure(figsize=(11, 4.6), layout="constrained")
    axes = fig.subplots(1, 2)
    titles = {"fdi": "实际利用外资：基数印作 {b}，可以是 [{lo:g}, {hi:g}]",
              "trade": "外贸进出口总额：四舍五入解释不了"}
    units = {"fdi": "亿美元", "trade": "亿元"}
    for ax, row in zip(axes, _rounding_rows(values or defaults(FIGURES_ROUNDING)), strict=True):
        lo, hi, need = row["base_lo"], row["base_hi"], row["base_for_stated"]
        left = min(lo, need) - 0.4 * (max(hi, need) - min(lo, need))
        right = max(hi, need) + 0.4 * (max(hi, need) - min(lo, need))
        left = max(left, (hi - lo) / 10)
        xs = [left + (right - left) * k / 200 for k in range(201)]
        end, n = row["end_printed"], row["years"]
        ax.plot(xs, [growth.cagr(x, end, n) for x in xs], color="tab:blue",
                label=f"隐含年均增速 ({end} / 基数)^(1/{n}) − 1")
        ax.axvspan(lo, hi, color="tab:blue", alpha=0.15,
                   label=f"基数的取整区间 [{lo:g}, {hi:g}]")
        ax.axhspan(row["implied_lo_pct"], row["implied_hi_pct"], color="tab:green", alpha=0.15,
                   label=f"隐含增速区间 [{_f(row['implied_lo_pct'])}, "
                         f"{_f(row['implied_hi_pct'])}]%")
        ax.axhline(row["stated_pct"], color="tab:red", ls="--",
                   label=f"规划所述 {row['stated_pct']:g}%")
        ax.plot([float(row["base_printed"])], [row["cagr_printed_pct"]], "o", color="black",
                label=f"按印出数字 {row['base_printed']}：{_f(row['cagr_printed_pct'])}%")
        ax.plot([need], [row["stated_pct"]], "*", ms=14, color="tab:red",
                label=f"所述增速需要的基数 {_f(need, 4 if need < 1 else 2)}")
        if not row["consistent"]:
            ax.annotate(f"所述增速高出隐含区间 {_f(row['gap_pp'])} 个百分点",
                        (float(row["base_printed"]), row["implied_hi_pct"]),
                        xytext=(0.45, 0.55), textcoords="axes fraction", fontsize=8,
                        color="tab:red", arrowprops={"arrowstyle": "->", "color": "tab:red"})
        ax.set(title=titles[row["id"]].format(b=row["base_printed"], lo=lo, hi=hi),
               xlabel=f"2015年{row['indicator']}（{units[row['id']]}）", ylabel="年均增速（%）")
        ax.legend(fontsize=7.5)
        ax.grid(alpha=0.3)
    return fig


# --------------------------------------------------------------------------- notebook 03

SERIES_FILE = "national_retail_sales_nbs.csv"
_LEVEL, _STATED = "retail_sales_100m_yuan", "stated_yoy_growth_pct"


@dataclass(frozen=True)
class ReferenceSeries:
    """The NBS retail series as printed (``frame``, strings), where it came from and a note."""

    frame: pd.DataFrame
    path: Path
    note: str


def load_series(path: str | Path | None = None) -> ReferenceSeries:
    """The national retail-sales series: ``path``, else the repo copy, else ``../shared/data``.

    Read with ``dtype=str`` so the printed decimals survive (9.0 stays 9.0).

    >>> s = load_series()
    >>> s.frame.loc[s.frame.year == "2018", "stated_yoy_growth_pct"].item()
    '9.0'
    """
    candidates = ([Path(path)] if path else [config.DATA_DIR / "reference" / SERIES_FILE,
                                             config.SHARED_DATA_DIR / SERIES_FILE])
    for p in candidates:
        if p.is_file():
            frame = pd.read_csv(p, dtype=str)
            missing = {"year", _LEVEL, _STATED} - set(frame.columns)
            if missing:
                raise TeachingError(f"{p}: missing column(s) {sorted(missing)} (expected year, "
                                    f"{_LEVEL}, {_STATED})")
            if p == candidates[0]:
                note = f"Series read from {p}."
            else:
                note = (f"{candidates[0]} is not there (yet): read the same NBS series from {p} "
                        "instead.")
            return ReferenceSeries(frame, p, note)
    raise TeachingError(f"{SERIES_FILE} not found in {', '.join(map(str, candidates))}: copy "
                        f"../shared/data/{SERIES_FILE} to data/reference/ or pass data_path")


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"year": frame["year"].astype(int), "level": frame[_LEVEL].astype(float),
                         "stated": frame[_STATED].astype(float),
                         "level_printed": frame[_LEVEL], "stated_printed": frame[_STATED]}
                        ).set_index("year")


def yoy_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Stated vs level-over-level growth, year by year, with a rounding-aware reading.

    >>> t = yoy_table(load_series().frame).set_index("year")
    >>> round(float(t.loc[2018, "level_yoy_pct"]), 2), t.loc[2018, "reading"][:8]
    (4.02, 'revision')
    """
    s = _numbers(frame)
    rows = []
    for year, r in s.iterrows():
        row: dict[str, Any] = {"year": year, "level": r.level, "stated_yoy_pct": r.stated,
                               "level_yoy_pct": math.nan, "gap_pp": math.nan,
                               "consistent": None, "reading": ""}
        if year - 1 in s.index:
            prev = s.loc[year - 1]
            implied = growth.cumulative_interval(growth.rounding_interval(prev.level_printed),
                                                 growth.rounding_interval(r.level_printed))
            ok = growth.is_consistent(growth.rounding_interval(r.stated_printed), implied)
            yoy = growth.pct_change(prev.level, r.level)
            row.update(level_yoy_pct=yoy, gap_pp=r.stated - yoy, consistent=ok,
                       reading="consistent" if ok else
                       "revision: the stated rate uses the revised previous-year level")
        rows.append(row)
    return pd.DataFrame(rows)


def _base_numbers(frame: pd.DataFrame, year_a: int, year_b: int,
                  revision_year: int) -> dict[str, dict[str, Any]]:
    s = _numbers(frame)
    need = {year_a - 1, year_a, year_b, revision_year - 1, revision_year}
    if year_b != year_a + 1:
        raise TeachingError(f"year_b ({year_b}) must be the year after year_a ({year_a})")
    if not need <= set(s.index):
        raise TeachingError(f"the series has no year(s) {sorted(need - set(s.index))}; it covers "
                            f"{s.index.min()}–{s.index.max()}")
    ga, gb = s.loc[year_a, "stated"], s.loc[year_b, "stated"]
    two = growth.multi_year_average([ga, gb])
    l0, lb = s.loc[year_a - 1, "level"], s.loc[year_b, "level"]
    lr0, lr = s.loc[revision_year - 1, "level"], s.loc[revision_year, "level"]
    gr = s.loc[revision_year, "stated"]
    base_r = growth.project(lr, gr, -1)
    out = {
        "two_year_geometric": (two, f"两年平均增长 {year_a}–{year_b} (NBS, geometric)",
                               f"√({_factor(ga)}{_factor(gb)}) − 1 = {_f(two, 3)} %"),
        "two_year_arithmetic": ((ga + gb) / 2, "arithmetic mean of the two rates (not NBS)",
                                f"({ga:g} + {gb:g}) / 2 = {_f((ga + gb) / 2, 3)} %"),
        "two_year_from_levels": (
            growth.two_year_average_from_levels(l0, lb),
            f"two-year average from first-published levels {year_a - 1}→{year_b}",
            (f"({lb:.0f} / {l0:.0f})^(1/2) − 1 = "
            f"{_f(growth.two_year_average_from_levels(l0, lb), 3)} %")),
        "cumulative_two_years": (
            growth.cumulative_from_avg(two, 2), f"{year_b} vs {year_a - 1}, comparable basis",
            f"{_factor(ga)}{_factor(gb)} − 1 = {_f(growth.cumulative_from_avg(two, 2), 3)} %"),
        "pure_base_effect": (
            growth.pct_change(1 + ga / 100, 1),
            f"{year_b} growth if it only returned to the {year_a - 1} level (低基数效应)",
            f"1 / {_factor(ga)} − 1 = {_f(growth.pct_change(1 + ga / 100, 1), 3)} %"),
        "revision_level_yoy": (
            growth.pct_change(lr0, lr), f"{revision_year} level-over-level growth",
            f"{lr:.0f} / {lr0:.0f} − 1 = {_f(growth.pct_change(lr0, lr), 3)} %"),
        "revision_stated": (gr, f"{revision_year} stated growth (comparable basis)",
                            f"stated {s.loc[revision_year, 'stated_printed']} %"),
        "revision_implied_base": (
            base_r, f"{revision_year - 1} level the stated rate implies (revised base, 亿元)",
            f"{lr:.0f} / (1 + {s.loc[revision_year, 'stated_printed']} %) = {_f(base_r, 1)}亿元"),
        "revision_base_change_pct": (
            growth.pct_change(lr0, base_r),
            f"revision of the {revision_year - 1} level (%)",
            f"{_f(base_r, 1)} / {lr0:.0f} − 1 = {_f(growth.pct_change(lr0, base_r), 3)} %"),
    }
    return {k: {"id": k, "value": v, "label": lab, "formula": fml}
            for k, (v, lab, fml) in out.items()}


def results_base_effects(frame: pd.DataFrame, year_a: int = 2020, year_b: int = 2021,
                         revision_year: int = 2018) -> pd.DataFrame:
    """Two-year averages, the base effect and the revision arithmetic (notebook 03).

    >>> r = results_base_effects(load_series().frame).set_index("id").value.round(2)
    >>> r[["two_year_geometric", "two_year_arithmetic", "revision_level_yoy"]].tolist()
    [3.98, 4.3, 4.02]
    """
    return pd.DataFrame(list(_base_numbers(frame, year_a, year_b, revision_year).values()),
                        columns=["id", "value", "label", "formula"])


def exercises_base_effects(frame: pd.DataFrame, year_a: int = 2020, year_b: int = 2021,
                           revision_year: int = 2018) -> pd.DataFrame:
    """The exercises of notebook 03 with answers computed from the series.

    >>> ex = exercises_base_effects(load_series().frame)
    >>> [round(x, 2) if isinstance(x, float) else x for x in ex.expected]
    [3.98, 8.11, 4.06, 4.02, 349529.36, 'revision']
    """
    r = _base_numbers(frame, year_a, year_b, revision_year)
    s = _numbers(frame)
    ga, gb = s.loc[year_a, "stated"], s.loc[year_b, "stated"]
    gr, gr_p = s.loc[revision_year, "stated"], s.loc[revision_year, "stated_printed"]
    two, cum, base = r["two_year_geometric"], r["cumulative_two_years"], r["pure_base_effect"]
    lvl, implied = r["revision_level_yoy"], r["revision_implied_base"]
    return _table([
        Exercise(
            "answer_1",
            f"社会消费品零售总额 grew {ga:g} % in {year_a} and {gb:g} % in {year_b}: the "
            f"两年平均增长 for {year_b} as the NBS computes it (%)?",
            two["value"], 0.01, "%", two["formula"],
            "multiply the growth factors, take the square root, subtract 1 (geometric mean)",
            ((r["two_year_arithmetic"]["value"], ("that is the arithmetic mean; since 2021 the NBS "
              "uses the geometric mean with the earlier year as base")),)),
        Exercise(
            "answer_2",
            f"By how much (%) was {year_b} above {year_a - 1} on the comparable basis?",
            cum["value"], 0.01, "%", cum["formula"],
            "multiply the two growth factors, subtract 1",
            ((ga + gb, "adding the two rates ignores that the second applies to a smaller base"),)),
        Exercise(
            "answer_3",
            f"Base effect (基数效应): what growth (%) would {year_b} have shown if sales had only "
            f"returned to their {year_a - 1} level?",
            base["value"], 0.01, "%", base["formula"],
            f"the {year_a} level is {_factor(ga)} × the {year_a - 1} level: undo that",
            ((-ga, (f"close, but {abs(ga):g} % of a smaller base is less: divide 1 by "
              f"{_factor(ga)}")),)),
        Exercise(
            "answer_4",
            f"{revision_year}: growth of the first-published levels, level over level (%)? "
            f"(the NBS states {gr_p} %)",
            lvl["value"], 0.01, "%", lvl["formula"],
            f"divide the {revision_year} level by the {revision_year - 1} level, subtract 1",
            ((gr, ("that is the stated rate: it is computed on the revised previous-year level, "
              "compute the one the printed levels give")),)),
        Exercise(
            "answer_5",
            f"Which {revision_year - 1} level (亿元) does the stated {gr_p} % imply, i.e. the "
            "revised base?",
            implied["value"], 1.0, "亿元", implied["formula"],
            f"project backwards: divide the {revision_year} level by (1 + {gr_p} %)"),
        Exercise(
            "answer_6",
            f"Should a checker report the {revision_year} gap between {gr_p} % and "
            f"the level-over-level growth of exercise 4 as an \"error\" or a \"revision\"?",
            "revision", 0.0, "word",
            f"revision: the stated rate compares with a revised {revision_year - 1} level "
            f"({_f(implied['value'], 0)} instead of the first-published "
            f"{s.loc[revision_year - 1, 'level']:.0f}亿元; the NBS revises the base, e.g. after "
            "the 2018 economic census 第四次全国经济普查); both published numbers are right",
            "the NBS computes growth on a comparable basis; first-published levels are not "
            "revised in the communiqué"),
    ])


def checker_findings(frame: pd.DataFrame) -> pd.DataFrame:
    """What :func:`analysis.checks.run` (rule ``yoy_levels``) says about the series."""
    from analysis import checks

    figures = checks.figures_from_series(frame, "社会消费品零售总额", "亿元", value=_LEVEL,
                                         growth=_STATED)
    found = checks.run(figures, rules=["yoy_levels"])
    cols = [c for c in ("year", "verdict", "stated", "computed", "interval", "message_en",
                        "message_zh") if c in found.columns]
    return found[cols].reset_index(drop=True)


def base_effect_chart(frame: pd.DataFrame, year_a: int = 2020, year_b: int = 2021,
                      revision_year: int = 2018) -> Any:
    """Stated vs level-over-level growth by year, and the two-year path on an index."""
    from matplotlib.figure import Figure

    from analysis.fonts import use_cjk_font

    use_cjk_font()
    t = yoy_table(frame).dropna(subset=["level_yoy_pct"])
    r = _base_numbers(frame, year_a, year_b, revision_year)
    fig = Figure(figsize=(11, 4.6), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    w = 0.38
    ax.bar(t.year - w / 2, t.stated_yoy_pct, w, color="tab:blue", label="国家统计局公布的同比增速")
    ax.bar(t.year + w / 2, t.level_yoy_pct, w, color="tab:orange", label="按首次公布的水平值计算")
    for y in t.loc[t.consistent.eq(False), "year"]:
        ax.annotate("基数修订", (y, max(t.set_index("year").loc[y, ["stated_yoy_pct",
                                                                   "level_yoy_pct"]].max(), 0)),
                    xytext=(0, 6), textcoords="offset points", ha="center", color="tab:red")
    ax.axhline(0, color="black", lw=0.8)
    ax.set(title="社会消费品零售总额：同比增速与水平值之比", xlabel="年份", ylabel="增长（%）")
    ax.legend(fontsize=8)
    s = _numbers(frame)
    ga, gb = s.loc[year_a, "stated"], s.loc[year_b, "stated"]
    two = r["two_year_geometric"]["value"]
    years = [year_a - 1, year_a, year_b]
    bx.plot(years, [100, 100 * (1 + ga / 100), 100 * (1 + ga / 100) * (1 + gb / 100)], "o-",
            color="tab:blue", label=f"实际：{ga:+g}%，{gb:+g}%")
    bx.plot(years, [100 * (1 + two / 100) ** k for k in range(3)], "s--", color="tab:green",
            label=f"两年平均增长 {_f(two)}%（几何平均）")
    bx.axhline(100, color="gray", lw=0.8, ls=":")
    bx.annotate(f"低基数：{year_b}年仅恢复到{year_a - 1}年水平\n即需增长 "
                f"{_f(r['pure_base_effect']['value'])}%（基数效应）", (year_a, 100 * (1 + ga / 100)),
                xytext=(0.58, 0.05), textcoords="axes fraction", fontsize=8,
                arrowprops={"arrowstyle": "->", "color": "gray"})
    bx.set(title=f"可比口径指数（{year_a - 1}年 = 100）", xlabel="年份", ylabel="指数",
           xticks=years)
    bx.legend(fontsize=8, loc="upper left")
    for a in (ax, bx):
        a.grid(alpha=0.3)
    return fig


# --------------------------------------------------------------------------- output

def _json_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(df.to_json(orient="records", force_ascii=False, default_handler=str))


def save_outputs(output_dir: str | Path | None, notebook: str, tables: Mapping[str, pd.DataFrame],
                 chart: Any = None, meta: Mapping[str, Any] | None = None) -> dict[str, Path]:
    """Write each table as CSV, ``summary.json`` (meta + tables) and ``chart.png``.

    Nothing is written when ``output_dir`` is empty; relative paths start at
    the project root (like the other notebooks).  Everything is rendered
    before the first file is written, each file lands atomically.  Prints
    one line saying what happened.

    >>> save_outputs("", "01_cagr_and_compounding", {})
    output_dir is empty: nothing saved.
    {}
    """
    if not output_dir:
        print("output_dir is empty: nothing saved.")
        return {}
    out = Path(str(output_dir)).expanduser()
    out = out if out.is_absolute() else config.PROJECT_ROOT / out
    payload: dict[str, bytes] = {f"{k}.csv": cells.to_csv(v).encode("utf-8")
                                 for k, v in tables.items()}
    summary = {"notebook": notebook, **dict(meta or {}),
               **{k: _json_records(v) for k, v in tables.items()}}
    payload["summary.json"] = json.dumps(summary, ensure_ascii=False, indent=2,
                                         default=str).encode("utf-8")
    if chart is not None:
        buf = io.BytesIO()
        chart.savefig(buf, format="png", dpi=110)
        payload["chart.png"] = buf.getvalue()
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in payload.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out / name)
        written[name] = out / name
    print(f"Saved {', '.join(written)} in {out}")
    return written
