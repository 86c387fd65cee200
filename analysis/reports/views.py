"""What the report notebooks display: HTML fragments built from the report tables.

Every piece of document text (quotes, indicator names, titles, messages)
goes through :func:`html.escape` or pandas ``to_html`` (which escapes), so a
document containing ``<script>`` shows it as text and runs nothing.  Each
section is a ``<section id=...>`` so tests and readers can find it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from analysis.reports import labels
from analysis.reports.tables import Tables

__all__ = [
    "CHECK_COLUMNS",
    "FIGURE_COLUMNS",
    "checks_html",
    "figure_ids",
    "figures_html",
    "flags_html",
    "fmt_computed",
    "fmt_number",
    "paths_html",
    "summary_html",
    "table_html",
    "unbased_html",
]

#: Figure columns the report shows (all of them are in figures.csv and the workbook).
FIGURE_COLUMNS = (
    "id",
    "indicator",
    "year",
    "value",
    "unit",
    "kind",
    "status",
    "qualifier",
    "source",
    "quote",
)
CHECK_COLUMNS = (
    "rule",
    "verdict",
    "severity",
    "figures",
    "stated",
    "computed",
    "interval",
    "message",
    "arithmetic",
    "tolerance",
)
PATH_COLUMNS = (
    "indicator",
    "unit",
    "base_year",
    "base_value",
    "target_year",
    "target_value",
    "qualifier",
    "implied_cagr",
    "stated_rate",
)
UNBASED_COLUMNS = (
    "target_id",
    "indicator",
    "target_year",
    "target_value",
    "unit",
    "qualifier",
    "quote",
)

e = html.escape


def fmt_number(v: Any, decimals: int | None = None) -> str:
    """A number for display: exact Decimals as printed, floats without float noise.

    >>> fmt_number(Decimal("164.80")), fmt_number(1.6998234, 2), fmt_number(0.2), fmt_number(None)
    ('164.80', '1.70', '0.2', '')
    >>> fmt_number(277.48000000000002), fmt_number(3.0), fmt_number("2.58")
    ('277.48', '3', '2.58')
    """
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        x = float(v)
        if decimals is not None:
            return f"{x:.{decimals}f}"
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        return f"{x:.10g}" if abs(x) >= 1e-4 else f"{x:.4g}"
    if hasattr(v, "item"):
        return fmt_number(v.item(), decimals)
    return str(v)


def figure_ids(v: Any) -> list[str]:
    """Figure ids from a list or from the ``"F1, F2"`` text figures.csv holds.

    >>> figure_ids(["F0001", "F0002"]), figure_ids("F0001, F0002"), figure_ids(None)
    (['F0001', 'F0002'], ['F0001', 'F0002'], [])
    """
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return []
    if isinstance(v, str):
        return [x.strip(" []'\"") for x in v.replace(";", ",").split(",") if x.strip(" []'\"")]
    if isinstance(v, Iterable):
        return [str(x) for x in v]
    return [str(v)]


def _h(key: str, language: str) -> str:
    return labels.heading(key, language)


def _section(key: str, inner: str, language: str, extra_class: str = "") -> str:
    return (
        f'<section id="{key}" class="pc-section pc-{key} {extra_class}">'
        f"<h2>{e(_h(key, language))}</h2>{inner}</section>"
    )


def _text(v: Any) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)


def summary_html(tables: Tables, language: str = "both") -> str:
    """Document summary: title, file, format, encoding, size, hash, and the counts."""
    doc = tables.document
    items = [
        ("title", doc.get("title")),
        ("file", doc.get("path")),
        ("format", doc.get("format")),
        ("encoding", doc.get("encoding")),
        ("characters", doc.get("chars")),
        ("year", doc.get("year")),
        ("sha256", doc.get("sha256")),
    ]
    rows = "".join(
        f"<tr><th>{e(_h(k, language))}</th><td>{e(_text(v))}</td></tr>"
        for k, v in items
        if _text(v)
    )
    counts = tables.counts()
    names = {
        "figures": "n_figures",
        "checks": "n_checks",
        "inconsistent": "inconsistent",
        "warning": "warning",
        "consistent": "consistent",
    }
    count_rows = "".join(
        f"<tr><th>{e(labels.column(col, language))}</th><td>{counts[key]}</td></tr>"
        for key, col in names.items()
    )
    count_rows += (
        f"<tr><th>{e(_h('unbased', language))}</th><td>{counts['targets_without_base']}</td></tr>"
    )
    title = _text(doc.get("title")) or _text(doc.get("id"))
    return (
        f'<section id="summary" class="pc-section pc-summary"><h1>{e(_h("report", language))}: {e(title)}</h1>'
        f'<h2>{e(_h("summary", language))}</h2><table class="pc-facts">{rows}</table>'
        f'<h3>{e(_h("counts", language))}</h3><table class="pc-facts pc-counts">{count_rows}</table></section>'
    )


def _message(row: pd.Series, language: str) -> str:
    zh, en = _text(row.get("message_zh")), _text(row.get("message_en"))
    if language == "zh":
        return zh or en
    if language == "en":
        return en or zh
    return "\n".join(m for m in (zh, en) if m)


def _span(fig: pd.Series) -> tuple[int, int] | None:
    """The printed number's span inside the figure's quote."""
    try:
        s = int(fig["start"]) - int(fig["quote_start"])
        t = int(fig["end"]) - int(fig["quote_start"])
    except (KeyError, TypeError, ValueError):
        return None
    return (s, t) if 0 <= s < t <= len(_text(fig.get("quote"))) else None


def _marked(quote: str, spans: Iterable[tuple[int, int]]) -> str:
    """``quote`` escaped, with each (non-overlapping) span inside <mark>.

    >>> _marked("<b>由151.45增至164.80", [(4, 10), (12, 18)])
    '&lt;b&gt;由<mark>151.45</mark>增至<mark>164.80</mark>'
    """
    out, pos = [], 0
    for s, t in sorted(set(spans)):
        if s < pos:
            continue
        out += [e(quote[pos:s]), f"<mark>{e(quote[s:t])}</mark>"]
        pos = t
    out.append(e(quote[pos:]))
    return "".join(out)


def _quote_groups(figs: list[pd.Series]) -> list[tuple[list[str], str]]:
    """(figure ids, marked quote) per distinct quote, in the order the figures are given."""
    groups: dict[str, tuple[list[str], list[tuple[int, int]]]] = {}
    for f in figs:
        ids, spans = groups.setdefault(_text(f.get("quote")), ([], []))
        ids.append(_text(f.get("id")))
        span = _span(f)
        if span:
            spans.append(span)
    return [(ids, _marked(quote, spans)) for quote, (ids, spans) in groups.items()]


def fmt_computed(computed: Any, stated: Any) -> str:
    """A computed value with two more decimals than the stated one, trailing zeros cut
    (but never fewer decimals than the stated value has).

    >>> fmt_computed(1.703895076, 2.58), fmt_computed(0.2, 1.0), fmt_computed(153.9, 153.76)
    ('1.7039', '0.2', '153.90')
    >>> fmt_computed(277.48, 280.0), fmt_computed(11.183455, 2.58), fmt_computed(None, 1)
    ('277.48', '11.1835', '')
    """
    text = fmt_number(stated)
    if not isinstance(computed, (int, float)) or isinstance(computed, bool) or not text:
        return fmt_number(computed)
    if isinstance(computed, float) and math.isnan(computed):
        return ""
    decimals = len(text.split(".")[1]) if "." in text else 0
    out = f"{float(computed):.{decimals + 2}f}"
    if "." in out:
        head, tail = out.split(".")
        tail = tail.rstrip("0")
        tail = tail + "0" * (decimals - len(tail)) if len(tail) < decimals else tail
        out = f"{head}.{tail}" if tail else head
    return out


def flags_html(tables: Tables, language: str = "both") -> str:
    """The flags, gross first: verdict, indicator, stated vs computed, message,
    arithmetic with its tolerance, and the quote of every figure involved."""
    flags = tables.flags
    if flags is None or flags.empty:
        return _section("flags", f"<p>{e(_h('no_flags', language))}</p>", language)
    figures = (
        tables.figures.set_index("id", drop=False) if "id" in tables.figures else pd.DataFrame()
    )
    items = []
    for _, row in flags.iterrows():
        ids = figure_ids(row.get("figures"))
        figs = [figures.loc[i] for i in ids if i in figures.index]
        names = []
        for f in figs:
            name = _text(f.get("indicator_canonical")) or _text(f.get("indicator"))
            if name and name not in names:
                names.append(name)
        verdict, severity = _text(row.get("verdict")), _text(row.get("severity"))
        badge = " · ".join(_h(x, language) for x in (verdict, severity) if x)
        stated = fmt_number(row.get("stated"))
        computed = fmt_computed(row.get("computed"), row.get("stated"))
        values = (
            f'<p class="pc-values">{e(_h("stated", language))} <b>{e(stated)}</b> · '
            f"{e(_h('computed', language))} <b>{e(computed)}</b>"
        )
        if _text(row.get("interval")):
            values += f" · {e(_h('interval', language))} {e(fmt_number(row.get('interval')))}"
        values += "</p>"
        arith = (
            f'<p class="pc-arith">{e(_h("arithmetic", language))}: <code>{e(_text(row.get("arithmetic")))}</code>'
            f" · {e(_h('tolerance', language))}: {e(fmt_number(row.get('tolerance')))}</p>"
        )
        message = "".join(f"<p>{e(m)}</p>" for m in _message(row, language).split("\n") if m)
        quotes = "".join(
            f'<blockquote class="pc-quote" data-figures="{e(" ".join(group_ids))}">'
            f'<span class="pc-muted">{e(", ".join(group_ids))}</span> {marked}</blockquote>'
            for group_ids, marked in _quote_groups(figs)
        )
        items.append(
            f'<li class="pc-flag pc-{e(verdict)} pc-{e(severity)}" data-rule="{e(_text(row.get("rule")))}">'
            f'<div class="pc-flag-head"><span class="pc-badge">{e(badge)}</span> '
            f'<b class="pc-indicator">{e("、".join(names))}</b> '
            f'<span class="pc-muted">{e(_h("rule", language))}: {e(_text(row.get("rule")))}</span></div>'
            f"{values}{message}{arith}{quotes}</li>"
        )
    return _section("flags", f"<ol>{''.join(items)}</ol>", language)


def table_html(
    frame: pd.DataFrame,
    columns: Sequence[str],
    language: str = "both",
    formatters: dict[str, Any] | None = None,
) -> str:
    """``frame[columns]`` (those present) as an escaped HTML table with translated headers."""
    cols = [c for c in columns if c in frame.columns]
    view = frame[cols].copy()
    for col in cols:
        fmt = (formatters or {}).get(col)
        view[col] = view[col].map(fmt if fmt else fmt_number)
    view.columns = [labels.column(c, language) for c in cols]
    return view.to_html(index=False, escape=True, na_rep="", border=0, classes="pc-table")


def checks_html(tables: Tables, language: str = "both") -> str:
    """Every check with its verdict (flags are listed in full above)."""
    checks = tables.checks.copy()
    if checks.empty:
        return _section("checks", "<p>—</p>", language)
    checks["message"] = checks.apply(lambda r: _message(r, language), axis=1)
    formatters = {
        "figures": lambda v: ", ".join(figure_ids(v)),
        "verdict": lambda v: _h(v, language) if _text(v) else "",
        "severity": lambda v: _h(v, language) if _text(v) else "",
    }
    table = table_html(checks, CHECK_COLUMNS, language, formatters)
    return _section("checks", table, language)


def figures_html(tables: Tables, language: str = "both") -> str:
    """The figures table (main columns; figures.csv has every field)."""
    return _section("figures", table_html(tables.figures, FIGURE_COLUMNS, language), language)


def paths_html(tables: Tables, language: str = "both") -> str:
    """Targets with their base and implied CAGR, as a table (charts follow in the notebook)."""
    paths = tables.paths
    if paths.empty:
        return _section("paths", f"<p>{e(_h('no_paths', language))}</p>", language)
    fmt = {"implied_cagr": lambda v: fmt_number(v, 2), "base_value": fmt_number}
    return _section(
        "paths",
        table_html(paths, PATH_COLUMNS, language, fmt)
        + f'<p class="pc-muted">{e(_h("charts_note", language))}</p>',
        language,
    )


def unbased_html(tables: Tables, language: str = "both") -> str:
    """Targets for which the document gives no base value: the scenario follow-up list."""
    unbased = tables.unbased
    if unbased.empty:
        return _section("unbased", f"<p>{e(_h('no_unbased', language))}</p>", language)
    return _section("unbased", table_html(unbased, UNBASED_COLUMNS, language), language)
