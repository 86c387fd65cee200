"""What the report notebooks display: HTML fragments built from the report tables.

Every piece of document text (quotes, indicator names, titles, messages)
goes through :func:`html.escape` or pandas ``to_html`` (which escapes), so a
document containing ``<script>`` shows it as text and runs nothing.  Each
section is a ``<section id=...>`` so tests and readers can find it.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.reports import labels
from analysis.reports.tables import Tables

__all__ = [
    "CHECK_COLUMNS",
    "FIGURE_COLUMNS",
    "checks_html",
    "coverage_text",
    "display_title",
    "figure_ids",
    "figures_html",
    "flag_facts",
    "flags_html",
    "fmt_computed",
    "fmt_display",
    "fmt_number",
    "gap_text",
    "one_line",
    "paths_html",
    "paths_view",
    "plain_name",
    "severity_html",
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
    "source",
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
    >>> fmt_number(6.359163214), fmt_number(0.10455522891252005), fmt_number(0.09062)
    ('6.3592', '0.1046', '0.09062')
    """
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, Decimal):
        return format(v, "f") if decimals is None else f"{float(v):.{decimals}f}"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        x = float(v)
        if decimals is not None:
            return f"{x:.{decimals}f}"
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        text = repr(x) if "e" not in repr(x) else f"{x:.10g}"
        digits = len(text.lstrip("-").replace(".", "").lstrip("0"))
        if "." in text and digits > MAX_DIGITS and abs(x) >= 1e-3:
            # a computed value, not a printed one (0.09062 = 906.2万 in 亿 stays): no float noise
            text = f"{x:.{MAX_DECIMALS}f}".rstrip("0").rstrip(".")
        return text if abs(x) >= 1e-4 else f"{x:.4g}"
    if hasattr(v, "item"):
        return fmt_number(v.item(), decimals)
    return str(v)


def fmt_display(x: float) -> str:
    """pandas ``display.float_format`` for notebooks: whole numbers (years, counts) without
    decimals or separators below 10,000, others with thousands separators and 4 decimals
    at most.

    >>> fmt_display(2020.0), fmt_display(380987.0), fmt_display(6.97712), fmt_display(0.5)
    ('2020', '380,987', '6.9771', '0.5')
    """
    if not math.isfinite(x):
        return str(x)
    if x.is_integer():
        return f"{x:.0f}" if abs(x) < 10_000 else f"{x:,.0f}"
    text = f"{x:,.4f}".rstrip("0")
    return text


_WS_BREAK = re.compile(r"\s*[\r\n]+\s*")
_WS = re.compile(r"\s+")
# Markdown emphasis, headings, code and link brackets that leak into indicator names
_MARKUP = re.compile(r"(\*\*|__|`|^#+\s*|[*\[\]【】]|^[>|\-+]\s+)")
# a site's breadcrumb trail taken for a title: "首页 > 政务公开", "当前位置：首页 > …"
_BREADCRUMB = re.compile(
    r"^\s*(?:(?:当前位置|您的位置|你的位置|所在位置)\s*[:：]?\s*)?"
    r"(?:首页|网站首页|主页|home)\s*(?:>|›|»|＞|→|/|-)",
    re.IGNORECASE,
)
#: Rules whose two values are both printed in the document (neither is "computed").
REPEAT_RULES = frozenset({"duplicate", "unit_scale"})
#: Units whose values are percentages: gaps are shown in percentage points.
PERCENT_UNITS = frozenset({"%", "％", "pp", "个百分点", "百分点"})
#: Decimals of a computed rate (percent) and the longest unbroken run of characters shown.
RATE_DECIMALS = 2
MAX_RUN = 60
MAX_TEXT = 2000
#: Most decimals a number is shown with when no precision is known (printed values have
#: fewer; 6.359163214 is computed and shown as 6.3592).
MAX_DECIMALS = 4
#: Significant digits up to which a float is taken as printed (or exactly converted).
MAX_DIGITS = 7
MAX_TITLE = 120


def one_line(text: Any, sep: str = " | ", limit: int = MAX_TEXT) -> str:
    r"""Text on one line: line breaks (table cells) become ``sep``, runs of spaces one space;
    unbroken ASCII runs (digits, Latin) longer than :data:`MAX_RUN` get zero-width break
    opportunities and the
    whole is cut at ``limit`` characters (a 5,000-digit number must not stall a layout).

    >>> one_line("出口额(亿元)\n\n153.9\n\n258.89")
    '出口额(亿元) | 153.9 | 258.89'
    >>> len(one_line("9" * 5000)) < 2200, one_line(None)
    (True, '')
    """
    s = _text(text)
    if not s:
        return ""
    s = _WS.sub(" ", _WS_BREAK.sub(sep, s.strip()))
    if len(s) > limit:
        s = s[:limit] + " …"
    if len(s) > MAX_RUN and re.search(rf"[!-~]{{{MAX_RUN},}}", s):
        s = re.sub(rf"([!-~]{{{MAX_RUN}}})(?=[!-~])", "\\1\u200b", s)
    return s


def plain_name(name: Any) -> str:
    """An indicator name for display: no Markdown markup, one line.

    >>> plain_name("**一般公共预算收入**"), plain_name("# 出口额"), plain_name(None)
    ('一般公共预算收入', '出口额', '')
    """
    return one_line(_MARKUP.sub("", _text(name)), sep=" ").strip()


def display_title(document: dict[str, Any]) -> str:
    """The document's title, unless it is a site breadcrumb ("首页 > 政务公开"), then its id.

    >>> display_title({"title": "首页 > 政务公开", "id": "plan"}), display_title({"title": "规划"})
    ('plan', '规划')
    """
    title = plain_name(document.get("title"))
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE] + " …"
    if _BREADCRUMB.match(title) or re.match(r"^\s*(?:当前位置|您的位置)\s*[:：]", title):
        title = ""
    return title or _text(document.get("id")) or _text(document.get("path"))


def is_percent(unit: Any) -> bool:
    """Is ``unit`` a percentage (or percentage points)?

    >>> is_percent("%"), is_percent("亿元"), is_percent(None)
    (True, False, False)
    """
    return _text(unit).strip() in PERCENT_UNITS


def with_unit(number: str, unit: Any) -> str:
    """``number`` followed by its unit ("2.58%", "153.76亿元", "1 pp").

    >>> with_unit("2.58", "%"), with_unit("153.76", "亿元"), with_unit("3", None)
    ('2.58%', '153.76亿元', '3')
    """
    u = _text(unit).strip()
    if not number or not u:
        return number
    return f"{number} {u}" if u in ("pp",) or u[0].isascii() and u[0].isalpha() else number + u


def gap_text(stated: Any, other: Any, unit: Any) -> str:
    """The gap between ``stated`` and the other value: percentage points for rates and
    shares, else relative to the other value.

    >>> gap_text(2.58, 1.7038950761, "%"), gap_text(280.0, 277.48, "亿元"), gap_text(1.0, 0.2, "亿美元")
    ('+0.88 pp', '+0.91%', '+400%')
    >>> gap_text(153.76, 153.9, "亿元"), gap_text(None, 1, "%")
    ('−0.09%', '')
    """
    try:
        a, b = float(stated), float(other)
    except (TypeError, ValueError):
        return ""
    if not (math.isfinite(a) and math.isfinite(b)):
        return ""
    if is_percent(unit):
        d = a - b
        return f"{'+' if d >= 0 else '−'}{abs(d):.2f} pp"
    if b == 0:
        return ""
    r = (a - b) / abs(b) * 100
    digits = 0 if abs(r) >= 100 else 1 if abs(r) >= 10 else 2
    return f"{'+' if r >= 0 else '−'}{abs(r):.{digits}f}%"


def flag_facts(row: pd.Series, figures: pd.DataFrame) -> dict[str, Any]:
    """What a flag says, formatted once for every output (HTML, Markdown, PDF).

    Keys: ``names`` (indicators), ``verdict``, ``severity``, ``rule``, ``values`` (list of
    (label key, text with unit)), ``gap``, ``arithmetic``, ``tolerance``, ``messages``
    (zh, en), ``figs`` (the figure rows).  A repeat (rule ``duplicate``) labels both
    values by where they are printed (text / table), never "computed".
    """
    ids = figure_ids(row.get("figures"))
    figs = [figures.loc[i] for i in ids if i in figures.index]
    names: list[str] = []
    for f in figs:
        name = plain_name(f.get("indicator_canonical")) or plain_name(f.get("indicator"))
        if name and name not in names:
            names.append(name)
    if not names and _text(row.get("indicator")):
        names = [plain_name(row.get("indicator"))]
    unit = row.get("unit")
    rule = _text(row.get("rule"))
    stated = fmt_stated(row.get("stated"), unit)
    if rule in REPEAT_RULES:
        other = fmt_number(row.get("computed"))
        sources = [_text(f.get("source")) or "text" for f in figs[:2]]
        keys = [f"source_{s}" if s in ("text", "table") else "printed" for s in sources]
        keys += ["printed"] * (2 - len(keys))
        values = [(keys[0], with_unit(stated, unit)), (keys[1], with_unit(other, unit))]
    else:
        other = (
            fmt_number(row.get("computed"), RATE_DECIMALS)
            if is_percent(unit)
            else fmt_computed(row.get("computed"), row.get("stated"))
        )
        values = [("stated", with_unit(stated, unit)), ("computed", with_unit(other, unit))]
    return {
        "names": names,
        "verdict": _text(row.get("verdict")),
        "severity": _text(row.get("severity")),
        "rule": rule,
        "values": values,
        "gap": gap_text(row.get("stated"), row.get("computed"), unit),
        "arithmetic": one_line(row.get("arithmetic"), sep=" "),
        "tolerance": one_line(row.get("tolerance"), sep=" "),
        "messages": tuple(one_line(row.get(k), sep=" ") for k in ("message_zh", "message_en")),
        "figs": figs,
    }


def severity_definitions() -> dict[str, dict[str, str]]:
    """Severity label -> {zh, en, definition_zh, definition_en}, from the checks (one
    definition, in :mod:`analysis.checks`); empty when the checks define none."""
    try:
        from analysis.checks.severity import SEVERITY_DEFINITIONS
    except ImportError:
        return {}
    return dict(SEVERITY_DEFINITIONS)


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


def _counts_line(tables: Tables, language: str) -> str:
    counts = tables.counts()
    parts = [
        (counts["figures"], "n_figures"),
        (counts["checks"], "n_checks"),
        (counts["inconsistent"], "inconsistent"),
        (counts["warning"], "warning"),
        (counts["consistent"], "consistent"),
    ]
    cells = "".join(
        f'<div class="pc-count pc-count-{key}"><b>{n}</b>'
        f"<span>{e(labels.column(key, language))}</span></div>"
        for n, key in parts
    )
    return f'<div class="pc-counts">{cells}</div>'


def coverage_text(tables: Tables, language: str = "both") -> list[str]:
    """The coverage line(s): what was checked and what could not be (from the checks'
    coverage, saved with the tables); [] when the tables carry none."""
    cov = getattr(tables, "coverage", None) or {}
    lines = []
    if language in ("zh", "both") and cov.get("summary_zh"):
        lines.append(str(cov["summary_zh"]))
    if language in ("en", "both") and cov.get("summary_en"):
        lines.append(str(cov["summary_en"]))
    return [one_line(x, sep=" ") for x in lines]


def severity_html(language: str = "both", used: Iterable[str] | None = None) -> str:
    """The severity labels with their definitions (the labels ``used``, else all), one
    short line each: "轻微 minor: 定义 / definition"."""
    defs = severity_definitions()
    keys = [k for k in defs if used is None or k in set(used)]
    if not keys:
        return ""
    items = []
    for k in keys:
        d = defs[k]
        name = _pick_lang(d.get("zh", k), d.get("en", k), language, " ")
        text = _pick_lang(d.get("definition_zh", ""), d.get("definition_en", ""), language, " / ")
        items.append(f'<li class="pc-sev-{e(k)}"><b>{name}</b>: {text}</li>')
    return (
        f'<div class="pc-severity"><b>{e(_h("severity", language))}</b>'
        f"<ul>{''.join(items)}</ul></div>"
    )


def _pick_lang(zh: str, en: str, language: str, sep: str) -> str:
    """Escaped zh / en / both (joined by ``sep``, which is markup)."""
    zh, en = e(one_line(zh, sep=" ")), e(one_line(en, sep=" "))
    if language == "zh":
        return zh or en
    if language == "en":
        return en or zh
    return sep.join(x for x in (zh, en) if x) if zh != en else zh


def summary_html(tables: Tables, language: str = "both") -> str:
    """First screen: title, the counts, coverage (what was checked, what not), the severity
    definitions, then the document's facts (file, format, encoding, size, hash)."""
    doc = tables.document
    items = [
        ("file", Path(_text(doc.get("path"))).name if _text(doc.get("path")) else ""),
        ("format", doc.get("format")),
        ("encoding", doc.get("encoding")),
        ("characters", doc.get("chars")),
        ("sha256", _text(doc.get("sha256"))[:16]),
    ]
    facts = " · ".join(
        f"{e(_h(k, language))}: {e(one_line(v, sep=' '))}" for k, v in items if _text(v)
    )
    coverage = "".join(
        f'<p class="pc-coverage">{e(x)}</p>' for x in coverage_text(tables, language)
    )
    used = [x for x in tables.flags.get("severity", pd.Series(dtype=object)).dropna().unique()]
    return (
        f'<section id="summary" class="pc-section pc-summary">'
        f'<h1>{e(display_title(doc))}</h1>'
        f'<p class="pc-muted">{e(_h("report", language))} · {facts}</p>'
        f"{_counts_line(tables, language)}{coverage}{severity_html(language, used) if used else ''}"
        "</section>"
    )


def _message(row: pd.Series, language: str) -> str:
    zh = one_line(row.get("message_zh"), sep=" ")
    en = one_line(row.get("message_en"), sep=" ")
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
        out += [e(_flat(quote[pos:s])), f"<mark>{e(_flat(quote[s:t], 200))}</mark>"]
        pos = t
    out.append(e(_flat(quote[pos:])))
    return "".join(out)


def _flat(piece: str, keep: int = 400) -> str:
    r"""A piece of a quote on one line (table cells joined by " | "), long pieces shortened
    in the middle, long unbroken runs given break opportunities.

    >>> _flat("a\n\nb "), _flat("x" * 1000, 10)
    ('a | b ', 'xxxxx … xxxxx')
    """
    piece = _WS.sub(" ", _WS_BREAK.sub(" | ", piece))
    if len(piece) > keep:
        piece = piece[: keep // 2] + " … " + piece[-(keep // 2):]
    if len(piece) > MAX_RUN and re.search(rf"[!-~]{{{MAX_RUN},}}", piece):
        piece = re.sub(rf"([!-~]{{{MAX_RUN}}})(?=[!-~])", "\\1\u200b", piece)
    return piece


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
    >>> fmt_computed(Decimal("11.053985"), Decimal("11.04"))
    '11.054'
    """
    text = fmt_number(stated)
    if isinstance(computed, Decimal) or hasattr(computed, "item"):
        computed = float(computed)  # computed in the kernel: a Decimal or a numpy scalar
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
    """The flags, gross first: verdict and severity, indicator, the two values with units,
    the gap (percentage points or relative), message, arithmetic with its tolerance, and
    the quote of every figure involved with the numbers highlighted."""
    flags = tables.flags
    if flags is None or flags.empty:
        return _section("flags", f"<p>{e(_h('no_flags', language))}</p>", language)
    figures = (
        tables.figures.set_index("id", drop=False) if "id" in tables.figures else pd.DataFrame()
    )
    items = []
    for _, row in flags.iterrows():
        f = flag_facts(row, figures)
        verdict, severity = f["verdict"], f["severity"]
        badge = " · ".join(_h(x, language) for x in (verdict, severity) if x)
        values = " · ".join(
            f"{e(_h(key, language))} <b>{e(text)}</b>" for key, text in f["values"] if text
        )
        if f["gap"]:
            values += f' · {e(_h("gap", language))} <b class="pc-gap">{e(f["gap"])}</b>'
        arith = (
            f'<p class="pc-arith">{e(_h("arithmetic", language))}: '
            f'<code>{e(f["arithmetic"])}</code>'
            f" · {e(_h('tolerance', language))}: {e(f['tolerance'])}</p>"
        )
        message = "".join(f"<p>{e(m)}</p>" for m in _message(row, language).split("\n") if m)
        quotes = "".join(
            f'<blockquote class="pc-quote" data-figures="{e(" ".join(group_ids))}">'
            f'<span class="pc-muted">{e(", ".join(group_ids))}</span> {marked}</blockquote>'
            for group_ids, marked in _quote_groups(f["figs"])
        )
        items.append(
            f'<li class="pc-flag pc-{e(verdict)} pc-{e(severity)}" data-rule="{e(f["rule"])}">'
            f'<div class="pc-flag-head"><span class="pc-badge">{e(badge)}</span> '
            f'<b class="pc-indicator">{e("、".join(f["names"]))}</b> '
            f'<span class="pc-muted">{e(_h("rule", language))}: {e(f["rule"])}</span></div>'
            f'<p class="pc-values">{values}</p>{message}{arith}{quotes}</li>'
        )
    return _section("flags", f"<ol>{''.join(items)}</ol>", language)


def table_html(
    frame: pd.DataFrame,
    columns: Sequence[str],
    language: str = "both",
    formatters: dict[str, Any] | None = None,
) -> str:
    r"""``frame[columns]`` (those present) as an escaped HTML table with translated headers.

    Cells are one line (:func:`one_line`); a formatter may return a list of lines, shown
    one under the other.  Numbers are right-aligned.

    >>> page = table_html(pd.DataFrame({"quote": ["a\nb"], "value": [1.5]}), ["quote", "value"], "en")
    >>> page[page.index("<tbody>"):]
    '<tbody><tr><td>a | b</td><td class="pc-num">1.5</td></tr></tbody></table>'
    """
    cols = [c for c in columns if c in frame.columns]
    head = "".join(f"<th>{e(labels.column(c, language))}</th>" for c in cols)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for col in cols:
            v = row[col]
            fmt = (formatters or {}).get(col)
            out = fmt(v) if fmt else fmt_number(v)
            lines = out if isinstance(out, list) else [out]
            text = "<br>".join(e(one_line(x)) for x in lines if _text(x))
            num = isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) and not fmt
            cells.append(f'<td class="pc-num">{text}</td>' if num else f"<td>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="pc-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def fmt_stated(v: Any, unit: Any) -> str:
    """A check's stated value: as printed, except a computed rate (more than 3 decimals)
    at :data:`RATE_DECIMALS`.

    >>> fmt_stated(2.58, "%"), fmt_stated(4.63079069579839, "%"), fmt_stated(153.76, "亿元")
    ('2.58', '4.63', '153.76')
    """
    text = fmt_number(v)
    if is_percent(unit) and "." in text and len(text.split(".")[1]) > 3:
        return fmt_number(v, RATE_DECIMALS)
    return text


def _check_value(row: pd.Series, key: str) -> str:
    if key == "stated":
        return with_unit(fmt_stated(row.get("stated"), row.get("unit")), row.get("unit"))
    v = row.get("computed")
    if _text(row.get("rule")) in REPEAT_RULES:
        text = fmt_number(v)
    elif is_percent(row.get("unit")):
        text = fmt_number(v, RATE_DECIMALS)
    else:
        text = fmt_computed(v, row.get("stated"))
    return with_unit(text, row.get("unit"))


def checks_html(tables: Tables, language: str = "both") -> str:
    """Every check with its verdict, one line of message per language (flags are listed in
    full above)."""
    checks = tables.checks.copy()
    if checks.empty:
        return _section("checks", "<p>—</p>", language)
    checks["stated"] = checks.apply(lambda r: _check_value(r, "stated"), axis=1)
    checks["computed"] = checks.apply(lambda r: _check_value(r, "computed"), axis=1)
    checks["message"] = checks.apply(lambda r: _message(r, language).split("\n"), axis=1)
    formatters = {
        "figures": lambda v: ", ".join(figure_ids(v)),
        "verdict": lambda v: _h(v, language) if _text(v) else "",
        "severity": lambda v: _h(v, language) if _text(v) else "",
        "stated": _text,
        "computed": _text,
        "message": lambda v: v,
    }
    table = table_html(checks, CHECK_COLUMNS, language, formatters)
    return _section("checks", table, language)


def figures_html(tables: Tables, language: str = "both") -> str:
    """The figures table (main columns; figures.csv has every field)."""
    fmt = {
        "indicator": plain_name,
        "value": lambda v: fmt_number(v),
        "year": lambda v: fmt_number(v),
    }
    return _section(
        "figures", table_html(tables.figures, FIGURE_COLUMNS, language, fmt), language
    )


def paths_view(tables: Tables) -> pd.DataFrame:
    """The base -> target table with one row per fact: a target printed in the text and
    again in a table is one row, its ``source`` column saying "text, table"."""
    paths = tables.paths
    if paths.empty:
        return paths.assign(source=pd.Series(dtype=object))
    figures = tables.figures.set_index("id") if "id" in tables.figures else pd.DataFrame()
    sources = [
        _text(figures.loc[i].get("source")) if i in figures.index else ""
        for i in paths["target_id"]
    ]
    view = paths.assign(source=sources, indicator=paths["indicator"].map(plain_name))
    key = ["indicator", "base_year", "base_value", "target_year", "target_value"]
    rows = []
    for _, group in view.groupby(key, sort=False, dropna=False):
        first = group.iloc[0].copy()
        first["source"] = ", ".join(dict.fromkeys(s for s in group["source"] if s))
        if "stated_rate" in group and group["stated_rate"].notna().any():
            first["stated_rate"] = group["stated_rate"].dropna().iloc[0]
        rows.append(first)
    return pd.DataFrame(rows).reset_index(drop=True)


def paths_html(tables: Tables, language: str = "both") -> str:
    """Targets with their base and implied CAGR, one row per fact with its source (charts
    follow in the notebook)."""
    paths = paths_view(tables)
    if paths.empty:
        return _section("paths", f"<p>{e(_h('no_paths', language))}</p>", language)
    fmt = {
        "implied_cagr": lambda v: fmt_number(v, RATE_DECIMALS),
        "stated_rate": fmt_number,
        "base_value": fmt_number,
        "source": lambda v: " · ".join(
            _h(f"source_{x.strip()}", language) for x in _text(v).split(",") if x.strip()
        ),
    }
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
    fmt = {"indicator": plain_name, "quote": lambda v: one_line(v)}
    return _section("unbased", table_html(unbased, UNBASED_COLUMNS, language, fmt), language)
