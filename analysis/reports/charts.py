"""Charts of each indicator's base -> target path with the implied CAGR.

Figures are built with matplotlib's object API (no pyplot state, nothing
shown twice in a notebook) in the bundled CJK font
(:func:`analysis.fonts.use_cjk_font`), so Chinese labels render on any
machine; :func:`png` turns one into the bytes a notebook displays.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator

import pandas as pd

from analysis import growth
from analysis.reports import labels

__all__ = ["flags_figure", "path_figure", "path_figures", "png"]


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


def path_figure(indicator: str, paths: pd.DataFrame, language: str = "both"):
    """One chart: every base -> target path of ``indicator`` (rows of the scenario table)."""
    import matplotlib

    with matplotlib.rc_context(_font_rc()):
        return _path_figure(indicator, paths, language)


def _path_figure(indicator: str, paths: pd.DataFrame, language: str):
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6.4, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    implied_label = labels.heading("implied_cagr", language)
    # a target printed in the text and again in a table is one path on the chart
    paths = paths.drop_duplicates(subset=["base_year", "base_value", "target_year", "target_value"])
    bases = set()
    for _, p in paths.iterrows():
        b_year, t_year = int(p["base_year"]), int(p["target_year"])
        b_val, t_val = float(p["base_value"]), float(p["target_value"])
        rate = float(p["implied_cagr"])
        stated = p.get("stated_rate")
        has_stated = stated is not None and not pd.isna(stated)
        label = f"{b_year} {b_val:,.6g} → {t_year} {t_val:,.6g}: {implied_label} {rate:.2f}%"
        if has_stated:
            label += f" ({labels.heading('stated', language)} {float(stated):g}%)"
        if math.isfinite(rate):
            xs, ys = _curve(b_year, b_val, t_year, rate)
        else:
            xs, ys = [b_year, t_year], [b_val, t_val]
        (line,) = ax.plot(xs, ys, linewidth=2, label=label)
        color = line.get_color()
        ax.plot([b_year, t_year], [b_val, t_val], "o", color=color)
        if (b_year, b_val) not in bases:
            bases.add((b_year, b_val))
            ax.annotate(
                f"{b_val:,.6g}",
                (b_year, b_val),
                textcoords="offset points",
                xytext=(4, -12),
                fontsize=8,
            )
        if has_stated:
            sx, sy = _curve(b_year, b_val, t_year, float(stated))
            ax.plot(sx, sy, linestyle="--", linewidth=1, color=color)
    unit = str(paths["unit"].iloc[0]) if len(paths) and pd.notna(paths["unit"].iloc[0]) else ""
    ax.set_title(f"{indicator}({unit})" if unit else indicator, fontsize=11)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.set_xlabel(labels.column("year", language))
    ax.set_ylabel(unit)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.08, y=0.2)
    ax.grid(alpha=0.3)
    return fig


def path_figures(paths: pd.DataFrame, language: str = "both") -> Iterator[tuple[str, object]]:
    """(indicator, chart) for every indicator that has a base -> target path, in table order."""
    if paths.empty:
        return
    for indicator in dict.fromkeys(paths["indicator"]):
        yield indicator, path_figure(indicator, paths[paths["indicator"] == indicator], language)


def flags_figure(per_document: pd.DataFrame, language: str = "both"):
    """Horizontal bars: inconsistent (gross and minor) and warnings per document."""
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
    minor = (docs["inconsistent"] - docs["gross"]).to_numpy()
    warning = docs["warning"].to_numpy()
    ax.barh(names, gross, color="#c00000", label=labels.heading("gross", language))
    ax.barh(names, minor, left=gross, color="#f4a6a6", label=labels.heading("minor", language))
    ax.barh(
        names,
        warning,
        left=gross + minor,
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
