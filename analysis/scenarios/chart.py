"""The fan chart: history, target path, forecast interval and scenarios, labelled in Chinese.

Drawn on a plain :class:`matplotlib.figure.Figure` (no pyplot state), with the
project's CJK font (:func:`analysis.fonts.use_cjk_font`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.scenarios.results import fmt_number

if TYPE_CHECKING:
    from analysis.scenarios.results import TargetResults

__all__ = ["chart_axes", "fan_chart"]


def chart_axes(ax: Any = None, figsize: tuple[float, float] = (9, 5.2)) -> tuple[Any, Any]:
    """``(figure, axes)``: ``ax`` and its figure, or a new plain Figure (no pyplot state);
    the bundled CJK font is registered first."""
    from analysis.fonts import use_cjk_font

    use_cjk_font()
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def fan_chart(results: TargetResults, ax: Any = None, method: str | None = None) -> Any:
    """History, target path, forecast interval and scenarios in one chart; returns the Figure.

    Labels are Chinese and English; the CJK font is registered first.
    """
    fig, ax = chart_axes(ax)
    m, s = results.model, results.spec
    conf = f"{(1 - results.alpha) * 100:g}%"
    method = method or results.primary_method
    if len(m.actual):
        ax.plot(m.actual.index, m.actual.values, "o-", color="black", lw=1.8, label="实际 actual")
    tp = results.target_path()
    ax.plot(
        tp.index,
        tp.values,
        "--",
        color="tab:red",
        lw=1.5,
        label=f"目标路径 target path ({m.implied:.2f}%/年)",
    )
    ax.plot([m.target_year], [m.target], "*", color="tab:red", ms=16, label="目标 target")
    if method is not None and len(m.actual):
        fc = results.forecast_frame(method)
        join = pd.DataFrame(
            {
                "year": [m.last_year],
                "mean": [m.actual.iloc[-1]],
                "pi_lower": [m.actual.iloc[-1]],
                "pi_upper": [m.actual.iloc[-1]],
            }
        )
        fc = (
            pd.concat([join, fc], ignore_index=True)
            if method != "simulation" or results.simulation["start_year"] == m.last_year
            else fc
        )
        name = results.forecasts[method].label if method in results.forecasts else "simulation 模拟"
        ax.fill_between(
            fc["year"],
            fc["pi_lower"],
            fc["pi_upper"],
            color="tab:blue",
            alpha=0.2,
            label=f"预测区间 {conf} ({name})",
        )
        ax.plot(fc["year"], fc["mean"], "-", color="tab:blue", lw=1.5, label="预测 forecast")
        for other in results.forecasts:
            if other != method:
                ofc = pd.concat([join, results.forecast_frame(other)], ignore_index=True)
                ax.plot(ofc["year"], ofc["pi_lower"], ":", color="tab:purple", lw=1)
                ax.plot(
                    ofc["year"],
                    ofc["pi_upper"],
                    ":",
                    color="tab:purple",
                    lw=1,
                    label=f"预测区间 {conf} ({results.forecasts[other].label})",
                )
    colors = ["tab:green", "tab:orange", "tab:brown", "tab:pink", "tab:olive", "tab:cyan"]
    for i, (name, path) in enumerate(results.scenario_paths().items()):
        label = next(sc.label for sc in m.scenarios if sc.name == name)
        ax.plot(
            path.index,
            path.values,
            "-.",
            color=colors[i % len(colors)],
            lw=1.3,
            label=f"情景 {label}",
        )
    title = s.title or s.indicator
    ax.set_title(
        f"{title}\n{m.base_year}年 {fmt_number(m.base)} → {m.target_year}年 "
        f"{fmt_number(m.target)} {s.unit}",
        fontsize=11,
    )
    ax.set_xlabel("年份 year")
    ax.set_ylabel(f"{s.indicator} ({s.unit})" if s.unit else s.indicator)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.set_major_formatter("{x:,.6g}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return fig
