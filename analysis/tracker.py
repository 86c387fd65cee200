"""The target tracker: each plan's targets against the actuals other documents report.

Figures from many documents (read now, or from the DuckDB figure store,
:class:`analysis.store.FigureStore`) are matched by canonical indicator,
region and base unit (:func:`analysis.targets.same_series`; values converted
to the target's printed unit).  For each level/count target:

* **base**: the one the plan states (:func:`analysis.targets.base_for` on the
  plan's own figures); failing that, the latest earlier actual in another
  document (``base_note`` says so);
* **actuals**: every later actual of the same series in any document, one per
  year (several documents for one year: the latest document wins — a
  revision — and ``notes`` lists the others);
* **progress** ``(latest - base) / (target - base)``, the **required** growth per
  year from the latest actual (:func:`analysis.growth.required_rate`), the
  **historical** rate (CAGR base -> latest actual), the implied CAGR, and
  P(attain) from the scenario engine (:class:`analysis.scenarios.TargetModel`,
  with its small-sample rules: indicative or withheld);
* a **verdict** (:func:`verdict`), or "no actual yet" when no document
  reports a value after the base.

Regions: a figure's printed region (东港区) when it names one, else the
document's (:func:`document_region`, from its title or first lines); 全区,
全县, 本市 … stand for the document's own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import cells, growth, targets
from analysis.exceptions import AnalysisError

__all__ = [
    "ACCELERATION_PP",
    "TRACK_COLUMNS",
    "Corpus",
    "compare_regions",
    "cross_check",
    "document_region",
    "read_documents",
    "read_store",
    "scenario_results",
    "target_chart",
    "track",
    "verdict",
]

#: A required rate at most this many percentage points above the historical rate
#: "needs acceleration"; further above it is "out of reach".
ACCELERATION_PP = 3.0
#: A probability below this makes a target "out of reach" whatever the rates say.
OUT_OF_REACH_P = 0.05

TRACK_COLUMNS = [
    "region",
    "indicator",
    "unit",
    "target_year",
    "target",
    "qualifier",
    "target_document",
    "target_id",
    "base_year",
    "base",
    "base_document",
    "base_id",
    "base_note",
    "actuals",
    "series",
    "latest_year",
    "latest",
    "progress_pct",
    "implied_pct",
    "required_pct",
    "history_pct",
    "p_attain",
    "p_shown",
    "p_note",
    "verdict",
    "notes",
    "quote",
]

#: Region words that stand for the document's own region.
_GENERIC = re.compile(r"^(?:全|本|我)(?:省|市|区|县|州|旗|镇|乡)$")
#: A region name: an optional province/city then a county/district (示例市东港区), or a city.
_REGION = re.compile(
    r"""(?:[\u4e00-\u9fff]{2,6}?(?:省|自治区))?      # province (optional)
        (?:[\u4e00-\u9fff]{2,4}?(?:市|自治州|州|盟))?  # city or prefecture (optional)
        [\u4e00-\u9fff]{2,3}?(?:区|县|旗)             # district or county
      | [\u4e00-\u9fff]{2,4}?市                       # or a city alone
    """,
    re.VERBOSE,
)
_NOT_REGION = ("全区", "全县", "全市", "城区", "社区", "园区", "开发区", "新区", "街区", "辖区")


def document_region(title: str | None, text: str = "") -> str | None:
    """The region a document is about: the first region name in its title, else its first lines.

    >>> document_region("示例市西岭县2024年国民经济和社会发展统计公报")
    '示例市西岭县'
    >>> document_region("首页 > 政务公开", "东港区商务局2022年工作总结")
    '东港区'
    >>> document_region("关于开展促消费活动的通知") is None
    True
    """
    for chunk in (title or "", text[:300]):
        for m in _REGION.finditer(chunk):
            name = m.group(0)
            if not any(name.endswith(w) for w in _NOT_REGION) and not _GENERIC.match(name):
                return name
    return None


@dataclass
class Corpus:
    """Figures of many documents (as frame rows) with each document's title, year and region."""

    figures: pd.DataFrame
    documents: pd.DataFrame  # document, title, year, region
    errors: list[str] = field(default_factory=list)

    def rows(self) -> list[Any]:
        return targets.rows(self.figures)


def _with_regions(figs: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    own = dict(zip(docs["document"], docs["region"]))
    region = []
    for doc, printed in zip(figs["document"], figs["region"]):
        p = printed if isinstance(printed, str) and printed.strip() else None
        region.append(own.get(doc) if p is None or _GENERIC.match(p) else p)
    return figs.assign(region=region)


def _paths(items: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        else:
            out.append(p)
    return out


def read_documents(paths: Iterable[str | Path], store: str | Path | None = None) -> Corpus:
    """Read and extract documents (files or folders); store them when ``store`` is given.

    A document that cannot be read is skipped with a one-line error in
    :attr:`Corpus.errors`; the others are still read.
    """
    from analysis.documents import load
    from analysis.figures import extract, to_frame

    frames, docs, errors = [], [], []
    loaded = []
    for path in _paths(paths):
        try:
            doc = load(path)
            found = extract(doc)
        except AnalysisError as exc:
            errors.append(str(exc))
            continue
        loaded.append((doc, found))
        info = doc.info()
        frames.append(to_frame(found).assign(document=doc.doc_id))
        docs.append(
            {
                "document": doc.doc_id,
                "title": info.get("title"),
                "year": info.get("year"),
                "region": document_region(info.get("title"), doc.text),
            }
        )
    if store is not None and loaded:
        from analysis.store import FigureStore

        with FigureStore(store) as fs:
            for doc, found in loaded:
                fs.add(doc, found)
    return _corpus(frames, docs, errors)


def read_store(store: str | Path) -> Corpus:
    """Every document's figures from a DuckDB figure store (:class:`analysis.store.FigureStore`)."""
    from analysis.store import FigureStore

    if not Path(store).is_file():
        raise AnalysisError(f"{store}: no figure store here (run policycheck report or pass documents)")
    with FigureStore(store) as fs:
        figs = fs.figures()
        docs = fs.query("SELECT document, title, year, path FROM documents")
    docs["region"] = [_stored_region(t, p) for t, p in zip(docs["title"], docs["path"])]
    return _corpus([figs], docs.drop(columns="path").to_dict("records"), [])


def _stored_region(title: str | None, path: str | None) -> str | None:
    """A stored document's region: from its title, else from its first lines if still readable."""
    found = document_region(title)
    if found is None and path and Path(path).is_file():
        from analysis.documents import load

        try:
            found = document_region(title, load(path).text)
        except AnalysisError:
            return None
    return found


def _corpus(frames: list[pd.DataFrame], docs: list[dict[str, Any]], errors: list[str]) -> Corpus:
    dframe = pd.DataFrame(docs, columns=["document", "title", "year", "region"])
    figs = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(
        len(f) for f in frames
    ) else pd.DataFrame(columns=["document", "region"])
    return Corpus(_with_regions(figs, dframe) if len(figs) else figs, dframe, errors)


# --------------------------------------------------------------------------- tracking


def verdict(
    latest: float,
    target: float,
    required: float | None,
    history: float | None,
    p_attain: float | None = None,
    *,
    down: bool = False,
    past: bool = False,
) -> str:
    """on track / needs acceleration / out of reach (or attained / missed once the year is past).

    * on track: already at the target, or the historical rate is at least the required one;
    * needs acceleration: the required rate is at most ``ACCELERATION_PP`` above history;
    * out of reach: further above, or P(attain) below ``OUT_OF_REACH_P``.

    >>> verdict(160.9, 170, 5.66, 6.22), verdict(58.1, 65, 11.88, 10.83), verdict(61.2, 70, 14.4, 7.9)
    ('on track', 'needs acceleration', 'out of reach')
    >>> verdict(99, 100, None, None, past=True)
    'missed'
    """
    reached = latest <= target if down else latest >= target
    if past:
        return "attained" if reached else "missed"
    if reached:
        return "on track"
    if required is None or history is None:
        return "unknown"
    if p_attain is not None and not math.isnan(p_attain) and p_attain < OUT_OF_REACH_P:
        return "out of reach"
    # Percentage points the history falls short of what is needed (a ceiling needs a fall).
    gap = (history - required) if down else (required - history)
    if gap <= 0:
        return "on track"
    return "needs acceleration" if gap <= ACCELERATION_PP else "out of reach"


def _same_place(f: Any, t: Any) -> bool:
    """Same document, or two documents whose regions are both known and match.

    A figure whose region is unknown never pairs with another document's: two
    documents that do not say where they are about are not assumed to be one place.
    """
    if f.document == t.document:
        return True
    rf, rt = targets.get(f, "region"), targets.get(t, "region")
    return rf is not None and rt is not None and targets.regions_match(rf, rt)


def _year(f: Any) -> int | None:
    y = targets.get(f, "year")
    return None if y is None else int(y)


def _dedupe_targets(rows: Sequence[Any]) -> list[Any]:
    """One target per document, series and year (the text's, before a table restating it)."""
    groups: dict[tuple, list[Any]] = {}
    for f in rows:
        if (
            targets.get(f, "status") == "target"
            and targets.get(f, "kind") in targets.PATH_KINDS
            and _year(f) is not None
            and targets.indicator_key(f)
        ):
            key = (
                f.document,
                targets.indicator_key(f),
                targets.get(f, "region"),
                targets.get(f, "base_unit"),
                _year(f),
            )
            groups.setdefault(key, []).append(f)
    out = []
    for group in groups.values():
        choice = targets.choose(group)
        if choice is not None:
            out.append((choice.figure, choice.others))
    return out


def _actuals(t: Any, rows: Sequence[Any], after: int, doc_year: dict[str, Any]) -> dict[int, Any]:
    """Per year after ``after``: the actual of ``t``'s series (latest document first)."""
    by_year: dict[int, list[Any]] = {}
    for f in rows:
        y = _year(f)
        if (
            y is not None
            and y > after
            and targets.get(f, "status") == "actual"
            and targets.get(f, "kind") == targets.get(t, "kind")
            and targets.same_series(f, t)
            and _same_place(f, t)
        ):
            by_year.setdefault(y, []).append(f)
    def order(f: Any) -> tuple:
        # Latest document first (a document without a year counts as of the figure's year).
        dy = doc_year.get(f.document)
        return (-(int(dy) if dy is not None and not pd.isna(dy) else int(f.year)), f.document)

    out = {}
    for y, figs in sorted(by_year.items()):
        newest = min(figs, key=order).document
        mine = [f for f in figs if f.document == newest]
        choice = targets.choose(mine)
        assert choice is not None
        others = [f for f in figs if f.document != newest] + list(choice.others)
        out[y] = (choice.figure, others)
    return out


def scenario_results(
    indicator: str,
    unit: str,
    base_year: int,
    base: float,
    target_year: int,
    target: float,
    qualifier: str | None,
    actuals: dict[int, float],
    n_paths: int = 20_000,
    seed: int = 0,
) -> Any:
    """The scenario engine's :class:`~analysis.scenarios.TargetResults` for one tracked target."""
    from analysis.scenarios import TargetModel, spec_from_inline

    spec = spec_from_inline(
        indicator,
        int(base_year),
        repr(float(base)),
        int(target_year),
        repr(float(target)),
        unit=unit,
        qualifier=qualifier if qualifier in ("at_least", "exceeds", "about", "at_most",
                                             "below") else None,
        actuals={int(y): repr(float(v)) for y, v in actuals.items() if y != base_year} or None,
        allow_gaps=True,
        name="track",
    )
    return TargetModel(spec).fit(n_paths=n_paths, seed=seed)


def _p_attain(*args: Any) -> dict[str, Any]:
    try:
        return scenario_results(*args).attainment()  # type: ignore[no-any-return]
    except (AnalysisError, ValueError) as exc:
        return {"probability": math.nan, "shown": "n/a", "note": str(exc)}


def track(
    corpus: Corpus,
    region: str | None = None,
    indicator: str | None = None,
    *,
    n_paths: int = 20_000,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per target in the corpus (see the module docstring), columns ``TRACK_COLUMNS``."""
    rows = corpus.rows()
    doc_year = dict(zip(corpus.documents["document"], corpus.documents["year"]))
    out = []
    for t, restated in _dedupe_targets(rows):
        key = targets.indicator_key(t)
        reg = targets.get(t, "region")
        if indicator and indicator not in (key, targets.get(t, "indicator")):
            continue
        if region and not targets.regions_match(region, reg):
            continue
        same_doc = [f for f in rows if f.document == t.document]
        base = targets.base_for(t, same_doc)
        base_note = "stated in the plan"
        if base is None:
            base = targets.base_for(
                t, [f for f in rows if f.document != t.document and _same_place(f, t)]
            )
            base_note = "not stated in the plan: latest earlier actual in another document"
        row: dict[str, Any] = {
            "region": reg,
            "indicator": key,
            "unit": targets.get(t, "unit"),
            "target_year": _year(t),
            "target": float(targets.in_unit(t, t)),
            "qualifier": targets.get(t, "qualifier"),
            "target_document": t.document,
            "target_id": t.id,
            "quote": targets.get(t, "quote"),
        }
        notes = [
            f"also {o.document} {o.id} = {o.value}{o.unit}" for o in restated
        ]
        if base is None:
            row.update(base_note="no base found", verdict="unknown")
            row["notes"] = "; ".join(notes)
            out.append(row)
            continue
        b = base.figure
        if base.ambiguous:
            notes += [f"base also {o.document} {o.id} = {o.value}{o.unit}" for o in base.others]
        base_value = float(targets.in_unit(b, t))
        row.update(
            base_year=_year(b),
            base=base_value,
            base_document=b.document,
            base_id=b.id,
            base_note=base_note,
        )
        acts = _actuals(t, rows, int(_year(b)), doc_year)  # type: ignore[arg-type]
        values = {y: float(targets.in_unit(f, t)) for y, (f, _) in acts.items()}
        row["series"] = {int(row["base_year"]): base_value, **values}
        row["actuals"] = "; ".join(
            f"{y}: {values[y]:g} ({f.document} {f.id}"
            + (f", printed {f.value}{f.unit}" if targets.get(f, "unit") != row["unit"] else "")
            + ")"
            for y, (f, _) in acts.items()
        )
        for y, (f, others) in acts.items():
            for o in others:
                ov = float(targets.in_unit(o, t))
                if not math.isclose(ov, values[y], rel_tol=1e-9):
                    notes.append(
                        f"{y}: {o.document} {o.id} prints {o.value}{o.unit} "
                        f"(used {f.document} {f.id})"
                    )
        target_year = int(row["target_year"])
        years = target_year - int(row["base_year"])
        row["implied_pct"] = growth.cagr(base_value, row["target"], years)
        if values:
            ly = max(values)
            latest = values[ly]
        else:
            ly, latest = int(row["base_year"]), base_value
        row.update(latest_year=ly, latest=latest)
        row["progress_pct"] = (
            (latest - base_value) / (row["target"] - base_value) * 100
            if row["target"] != base_value and values
            else math.nan
        )
        required = (
            growth.required_rate(latest, ly, row["target"], target_year) if ly < target_year else None
        )
        history = growth.cagr(base_value, latest, ly - int(row["base_year"])) if values else None
        row.update(required_pct=required, history_pct=history)
        pa: dict[str, Any] = (
            _p_attain(key or "", row["unit"] or "", int(row["base_year"]), base_value, target_year,
                      row["target"], row["qualifier"], values, n_paths, seed)
            if ly < target_year
            else {"probability": math.nan, "shown": "n/a", "note": f"{target_year} is observed"}
        )
        row.update(p_attain=pa["probability"], p_shown=pa["shown"], p_note=pa["note"])
        down = row["qualifier"] in ("at_most", "below")
        row["verdict"] = (
            verdict(latest, row["target"], required, history, pa["probability"], down=down,
                    past=ly >= target_year)
            if values
            else "no actual yet"
        )
        row["notes"] = "; ".join(notes)
        out.append(row)
    frame = pd.DataFrame(out, columns=TRACK_COLUMNS)
    for col in ("target_year", "base_year", "latest_year"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    for col in ("target", "base", "latest", "progress_pct", "implied_pct", "required_pct",
                "history_pct", "p_attain"):
        frame[col] = frame[col].astype(float)
    return frame.sort_values(["region", "indicator", "target_year", "target_document"],
                             na_position="last", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- output

#: Columns of the readable table (CSV and JSON carry every column).
TABLE_COLUMNS = [
    "region",
    "indicator",
    "target_year",
    "target",
    "unit",
    "base_year",
    "base",
    "latest_year",
    "latest",
    "progress_pct",
    "required_pct",
    "history_pct",
    "p_shown",
    "verdict",
]


def render(frame: pd.DataFrame, fmt: str = "table") -> str:
    """The tracker table as readable text, CSV or JSON (records)."""
    if fmt == "csv":
        return cells.to_csv(frame, float_format="%.6g")
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    if fmt != "table":
        raise ValueError(f"format must be table, csv or json, got {fmt!r}")
    if frame.empty:
        return "(no targets)\n"
    view = frame[TABLE_COLUMNS].copy()
    for col in ("progress_pct", "required_pct", "history_pct"):
        view[col] = view[col].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    with pd.option_context("display.max_rows", None, "display.width", 250):
        text = view.to_string(index=False, na_rep="")
    traced = [
        f"{r.region or ''} {r.indicator} {r.target_year}: target {r.target_document} "
        f"{r.target_id}; base {r.base_document or '-'} {r.base_id or ''}; actuals {r.actuals or '-'}"
        for r in frame.itertuples()
        if isinstance(r.base_id, str)
    ]
    return text + "\n\nSources\n" + "\n".join(traced) + "\n"


def run(
    paths: Sequence[str | Path] = (),
    store: str | Path | None = None,
    region: str | None = None,
    indicator: str | None = None,
    fmt: str = "table",
) -> tuple[str, list[str]]:
    """``policycheck track``: documents read (and stored) first, else the store; returns
    (rendered output, one-line errors of unreadable documents)."""
    if not paths and store is None:
        raise AnalysisError("track: nothing to read (give documents or folders, or --store FILE)")
    errors: list[str] = []
    if paths:
        corpus = read_documents(paths, store)
        errors = corpus.errors
        if store is not None:
            corpus = read_store(store)
    else:
        corpus = read_store(store)  # type: ignore[arg-type]
    return render(track(corpus, region, indicator), fmt), errors


# --------------------------------------------------------------------------- across documents


def _figure(row: Any) -> Any:
    """A :class:`~analysis.figures.model.Figure` from a frame or store row (for the checks)."""
    from decimal import Decimal

    from analysis.figures.model import Figure

    g = targets.get

    def whole(name: str, alt: str | None = None) -> int:
        v = g(row, name, g(row, alt) if alt else None)
        return 0 if v is None else int(v)

    return Figure(
        id=row.id,
        value=Decimal(str(row.value)),
        unit=g(row, "unit", ""),
        kind=row.kind,
        start=whole("start", "start_offset"),
        end=whole("end", "end_offset"),
        quote=g(row, "quote", ""),
        indicator=g(row, "indicator"),
        indicator_canonical=g(row, "indicator_canonical"),
        region=g(row, "region"),
        year=_year(row),
        period=g(row, "period"),
        scale=Decimal(str(g(row, "scale", 1))),
        base_unit=g(row, "base_unit", ""),
        qualifier=g(row, "qualifier"),
        status=g(row, "status", "actual"),
        source=g(row, "source", "text"),
        quote_start=whole("quote_start"),
        quote_end=whole("quote_end"),
        document=row.document,
    )


def cross_check(corpus: Corpus, tolerance: float = 0.0) -> pd.DataFrame:
    """The cross-document rules (:mod:`analysis.checks.rules_cross`) over the whole corpus,
    regions resolved per document; the checks table (:data:`analysis.checks.COLUMNS`)."""
    from analysis import checks
    from analysis.checks.rules_cross import CROSS_RULES

    return checks.run([_figure(r) for r in corpus.rows()], rules=list(CROSS_RULES),
                      tolerance=tolerance)


COMPARE_COLUMNS = [
    "region",
    "indicator",
    "document",
    "base_year",
    "base",
    "target_year",
    "target",
    "unit",
    "implied_pct",
    "history_from",
    "history_pct",
    "ambition_pp",
]


def compare_regions(corpus: Corpus, indicator: str) -> pd.DataFrame:
    """The same indicator's targets in several plans side by side: each plan's implied CAGR
    against its region's own history (CAGR of its earliest actual up to the base year).

    ``ambition_pp`` = implied − history: how much faster than before the plan asks to grow.
    """
    rows = corpus.rows()
    out = []
    for t, _ in _dedupe_targets(rows):
        if targets.indicator_key(t) != indicator:
            continue
        base = targets.base_for(t, [f for f in rows if f.document == t.document])
        if base is None:
            continue
        b = base.figure
        by = int(_year(b))  # type: ignore[arg-type]
        earlier = [
            f for f in rows
            if targets.get(f, "status") == "actual" and targets.get(f, "kind") == b.kind
            and targets.same_series(f, t) and _year(f) is not None and _year(f) < by  # type: ignore[operator]
        ]
        first = min(earlier, key=lambda f: _year(f)) if earlier else None  # type: ignore[arg-type,return-value]
        bv, tv = float(targets.in_unit(b, t)), float(targets.in_unit(t, t))
        implied = growth.cagr(bv, tv, int(_year(t)) - by)  # type: ignore[arg-type]
        hist = (
            growth.cagr(float(targets.in_unit(first, t)), bv, by - int(_year(first)))  # type: ignore[arg-type]
            if first is not None
            else math.nan
        )
        out.append(
            {
                "region": targets.get(t, "region"),
                "indicator": indicator,
                "document": t.document,
                "base_year": by,
                "base": bv,
                "target_year": _year(t),
                "target": tv,
                "unit": targets.get(t, "unit"),
                "implied_pct": implied,
                "history_from": _year(first) if first is not None else None,
                "history_pct": hist,
                "ambition_pp": implied - hist,
            }
        )
    frame = pd.DataFrame(out, columns=COMPARE_COLUMNS)
    frame["history_from"] = pd.array(frame["history_from"].tolist(), dtype="Int64")
    return frame


# --------------------------------------------------------------------------- chart


def target_chart(row: pd.Series | dict[str, Any], n_paths: int = 20_000, seed: int = 0,
                 ax: Any = None) -> Any:
    """One tracked target: the path it needs, the actual path, and the forecast fan.

    The needed path runs at the implied CAGR from the base, and at the required
    rate from the latest actual; the fan is the scenario engine's chosen
    forecast (80 % interval) when the history supports one, else the title
    says why not.  Returns the matplotlib Figure (CJK font bundled).
    """
    from analysis.scenarios.chart import chart_axes

    fig, ax = chart_axes(ax, figsize=(8, 4.6))
    r = dict(row)
    title = f"{r.get('region') or ''} {r['indicator']} {r['target_year']}年目标 {r['target']:g}{r['unit']}"
    series = r.get("series")
    if not isinstance(series, dict) or not series:
        ax.set_title(title + "\n(no base: nothing to draw)", fontsize=10)
        return fig
    series = {int(y): float(v) for y, v in series.items()}
    by, ty, latest_year = int(r["base_year"]), int(r["target_year"]), max(series)
    years = list(range(by, ty + 1))
    needed = [r["base"] * (1 + r["implied_pct"] / 100) ** (y - by) for y in years]
    ax.plot(years, needed, "--", color="tab:red", label=f"目标路径 needed ({r['implied_pct']:.2f}%/年)")
    if latest_year < ty and r.get("required_pct") is not None and not pd.isna(r["required_pct"]):
        ys = list(range(latest_year, ty + 1))
        ax.plot(ys, [series[latest_year] * (1 + r["required_pct"] / 100) ** (y - latest_year)
                     for y in ys], ":", color="tab:red",
                label=f"仍需增速 required ({r['required_pct']:.2f}%/年)")
    ax.plot(sorted(series), [series[y] for y in sorted(series)], "o-", color="black",
            label="实际 actual")
    ax.plot([ty], [r["target"]], "*", color="tab:red", ms=14, label="目标 target")
    note = ""
    if latest_year < ty:
        try:
            res = scenario_results(r["indicator"], r["unit"] or "", by, r["base"], ty, r["target"],
                                   r.get("qualifier"), series, n_paths, seed)
            method = res.primary_method
        except (AnalysisError, ValueError) as exc:
            res, method, note = None, None, str(exc)
        if res is not None and method is not None:
            fc = res.forecast_frame(method, alpha=0.2)
            fc = pd.concat([pd.DataFrame({"year": [latest_year], "mean": [series[latest_year]],
                                          "pi_lower": [series[latest_year]],
                                          "pi_upper": [series[latest_year]]}), fc])
            ax.fill_between(fc["year"], fc["pi_lower"], fc["pi_upper"], color="tab:blue",
                            alpha=0.2, label=f"预测 80% ({method})")
            ax.plot(fc["year"], fc["mean"], "-", color="tab:blue", lw=1)
        elif res is not None:
            note = "; ".join(res.warnings) or "no forecast"
    ax.set_title(title + f"  [{r.get('verdict')}]" + (f"\nforecast withheld: {note[:90]}" if note
                                                       else ""), fontsize=10)
    ax.set_xlabel("年份 year")
    ax.set_ylabel(f"{r['indicator']} ({r['unit']})")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return fig
