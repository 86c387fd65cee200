"""Charts of each indicator's base -> target path with the implied CAGR.

Figures are built with matplotlib's object API (no pyplot state, nothing
shown twice in a notebook) in the bundled CJK font
(:func:`analysis.fonts.use_cjk_font`), so Chinese labels render on any
machine; :func:`png` turns one into the bytes a notebook displays.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Iterator

import pandas as pd

from analysis import growth
from analysis.reports import labels

__all__ = ["flags_figure", "history_of", "path_figure", "path_figures", "paths_grid", "png"]


def _curve(
    start_year: int, start: float, end_year: int, rate: float
) -> tuple[list[int], list[float]]:
    """Years and levels compounding at ``rate`` percent from ``start``.

    >>> years, levels = _curve(2020, 100.0, 2022, 10.0)
    >>> years, [round(x, 6) for x in levels]
    ([2020, 2021, 2022], [100.0, 110.0, 121.0])
    """
    years = list(range(start_year, end_year + 1))
    return years, [growth.project(start, rate, y - start_year) for y in years]


def _font_rc() -> dict:
    """rcParams putting the bundled CJK font first (applied while a chart is built, so a
    later change of the global rcParams cannot bring back missing glyphs)."""
    from analysis.fonts import use_cjk_font

    name = use_cjk_font()
    # concrete family names (not the generic "sans-serif", which is resolved at draw time)
    return {"font.family": [name, "DejaVu Sans"], "axes.unicode_minus": False}


def path_figure(indicator: str, paths: pd.DataFrame, language: str = "both",
                history: pd.DataFrame | None = None):
    """One chart: every base -> target path of ``indicator`` (rows of the scenario table),
    with the indicator's history (``history``: year, value in the target's unit)."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_font_rc()):
        fig = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
        _draw_paths(fig.add_subplot(), indicator, paths, language, history)
        return fig


def history_of(indicator: str, paths: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """The indicator's actual levels (year, value) in the unit of its first target, one per
    year (the first printed), from the figures table."""
    empty = pd.DataFrame(columns=["year", "value"])
    if figures is None or figures.empty or paths.empty or "kind" not in figures:
        return empty
    name = figures.get("indicator_canonical", pd.Series(index=figures.index, dtype=object))
    key = name.where(name.notna() & (name != ""), figures.get("indicator"))
    target = figures[figures["id"] == paths["target_id"].iloc[0]]
    if target.empty:
        return empty
    t = target.iloc[0]
    same = figures[
        (key == indicator)
        & (figures["status"] == "actual")
        & (figures["kind"] == t["kind"])
        & (figures["base_unit"] == t["base_unit"])
        & figures["year"].notna()
    ]
    if same.empty:
        return empty
    values = same["value"].astype(float) * same["scale"].astype(float) / float(t["scale"])
    out = pd.DataFrame({"year": same["year"].astype(int), "value": values})
    out = out.drop_duplicates("year").sort_values("year").reset_index(drop=True)
    rates = figures[(key == indicator) & (figures["kind"] == "avg_growth")
                    & (figures["status"] == "actual") & figures["year"].notna()]
    if "base_year" in rates:
        rates = rates[rates["base_year"].notna()]
        out.attrs["rates"] = [(int(b), int(y), float(v)) for b, y, v in
                              zip(rates["base_year"], rates["year"], rates["value"])]
    return out


def _draw_paths(ax, indicator: str, paths: pd.DataFrame, language: str,
                history: pd.DataFrame | None) -> None:
    """History (grey dots), the path each target needs (solid, implied CAGR), the path at
    the stated rate (dashed) and, where they part, the gap at the target year (red); a
    past rate the document states (年均增长 over the history) is drawn the same way."""
    from matplotlib.ticker import MaxNLocator

    h = functools.partial(labels.heading, language=language)
    if history is not None and len(history) and "rates" in history.attrs:
        known = dict(zip(history["year"], history["value"]))
        for base_year, year, stated in history.attrs["rates"]:
            if base_year in known and year in known and year > base_year:
                sx, sy = _curve(base_year, known[base_year], year, stated)
                ax.plot(sx, sy, linestyle="--", linewidth=1.2, color="#555",
                        label=f"{h('stated')} {stated:g}% ({base_year}–{year})")
                implied = growth.cagr(known[base_year], known[year], year - base_year)
                _gap_arrow(ax, year, sy[-1], known[year], stated - implied, h("gap"))
    # a target printed in the text and again in a table is one path on the chart
    paths = paths.drop_duplicates(subset=["base_year", "base_value", "target_year", "target_value"])
    if history is not None and len(history):
        ax.plot(history["year"], history["value"], "o-", color="#888", linewidth=1,
                markersize=4, label=h("history"))
    for _, p in paths.iterrows():
        b_year, t_year = int(p["base_year"]), int(p["target_year"])
        b_val, t_val = float(p["base_value"]), float(p["target_value"])
        rate = float(p["implied_cagr"])
        xs, ys = (_curve(b_year, b_val, t_year, rate) if math.isfinite(rate)
                  else ([b_year, t_year], [b_val, t_val]))
        (line,) = ax.plot(xs, ys, linewidth=2,
                          label=f"{h('needed')} {rate:.2f}% → {t_year} {t_val:,.6g}")
        color = line.get_color()
        ax.plot([t_year], [t_val], "o", color=color)
        stated = p.get("stated_rate")
        if stated is None or pd.isna(stated):
            continue
        sx, sy = _curve(b_year, b_val, t_year, float(stated))
        ax.plot(sx, sy, linestyle="--", linewidth=1.2, color=color,
                label=f"{h('stated')} {float(stated):g}% → {sy[-1]:,.4g}")
        _gap_arrow(ax, t_year, sy[-1], t_val, float(stated) - rate, h("gap"))
    unit = str(paths["unit"].iloc[0]) if len(paths) and pd.notna(paths["unit"].iloc[0]) else ""
    ax.set_title(f"{indicator}({unit})" if unit else indicator, fontsize=10)
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(labelsize=8)
    ax.margins(x=0.08, y=0.2)
    ax.grid(alpha=0.3)


def _gap_arrow(ax, year: int, at_stated: float, actual: float, gap_pp: float, word: str) -> None:
    """A red arrow between the stated path's end and the level, labelled with the gap in
    percentage points (nothing for gaps under 0.05 pp: rounding)."""
    if abs(gap_pp) < 0.05:
        return
    ax.annotate("", xy=(year, at_stated), xytext=(year, actual),
                arrowprops={"arrowstyle": "<->", "color": "#c00000", "lw": 1.2})
    ax.annotate(f"{word} {gap_pp:+.2f} pp", (year, (at_stated + actual) / 2),
                textcoords="offset points", xytext=(-6, 0), ha="right", va="center",
                fontsize=8, color="#c00000")


def path_figures(paths: pd.DataFrame, language: str = "both",
                 figures: pd.DataFrame | None = None) -> Iterator[tuple[str, object]]:
    """(indicator, chart) for every indicator that has a base -> target path, in table order."""
    if paths.empty:
        return
    for indicator in dict.fromkeys(paths["indicator"]):
        rows = paths[paths["indicator"] == indicator]
        history = history_of(indicator, rows, figures)
        yield indicator, path_figure(indicator, rows, language, history)


def paths_grid(paths: pd.DataFrame, figures: pd.DataFrame | None = None,
               language: str = "both", columns: int = 2):
    """Every indicator's paths in one figure, ``columns`` charts to a row (None when no
    indicator has a path)."""
    import matplotlib
    from matplotlib.figure import Figure

    if paths.empty:
        return None
    names = list(dict.fromkeys(paths["indicator"]))
    cols = min(columns, len(names))
    rows = math.ceil(len(names) / cols)
    with matplotlib.rc_context(_font_rc()):
        fig = Figure(figsize=(5.2 * cols, 3.3 * rows), dpi=100, layout="constrained")
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for ax, name in zip(axes, names):
            sub = paths[paths["indicator"] == name]
            _draw_paths(ax, name, sub, language, history_of(name, sub, figures))
        for ax in axes[len(names):]:
            ax.set_visible(False)
        return fig


def flags_figure(per_document: pd.DataFrame, language: str = "both"):
    """Horizontal bars: inconsistent (gross, major, minor) and warnings per document."""
    import matplotlib

    with matplotlib.rc_context(_font_rc()):
        return _flags_figure(per_document, language)


def _flags_figure(per_document: pd.DataFrame, language: str):
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    docs = per_document.iloc[::-1]
    fig = Figure(figsize=(7.0, 0.45 * len(docs) + 1.4), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    names = [str(d) for d in docs["document"]]
    gross = docs["gross"].to_numpy()
    major = docs["major"].to_numpy() if "major" in docs else gross * 0
    minor = (docs["inconsistent"] - docs["gross"]).to_numpy() - major
    warning = docs["warning"].to_numpy()
    ax.barh(names, gross, color="#c00000", label=labels.heading("gross", language))
    ax.barh(names, major, left=gross, color="#e06666", label=labels.heading("major", language))
    ax.barh(names, minor, left=gross + major, color="#f4a6a6",
            label=labels.heading("minor", language))
    ax.barh(
        names,
        warning,
        left=gross + major + minor,
        color="#bf8f00",
        label=labels.heading("warning", language),
    )
    ax.set_xlabel(labels.heading("flags", language))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title(labels.heading("flags_per_document", language), fontsize=11)
    return fig


def png(fig, dpi: int = 100) -> bytes:
    """The chart as PNG bytes."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context(_font_rc()):
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
