"""Markdown summary of one report: document, counts, flags with quotes and arithmetic.

Document text is escaped for Markdown *and* HTML (Markdown renderers pass raw
HTML through), so a quote containing ``<script>`` or ``**`` prints as text.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pandas as pd

from analysis import cells
from analysis.reports import labels, views
from analysis.reports.atomic import write_text
from analysis.reports.tables import Tables
from analysis.reports.views import fmt_number

__all__ = ["escape", "export", "render"]

# Characters with a meaning inside a Markdown line (HTML ones are escaped by html.escape).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape(text: object) -> str:
    """Text safe inside Markdown: HTML-escaped, Markdown punctuation backslashed, one line.

    >>> print(escape("<script>alert(1)</script> **粗体** [链接](x) a|b"))
    &lt;script&gt;alert(1)&lt;/script&gt; \\*\\*粗体\\*\\* \\[链接\\](x) a\\|b
    """
    if text is None or text is pd.NA or (isinstance(text, float) and math.isnan(text)):
        return ""
    one_line = cells.neutralize(" ".join(str(text).split()))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def _code(text: object) -> str:
    """Inline code span that no backtick inside can close.

    >>> _code("a`b")
    '`` a`b ``'
    """
    s = " ".join(str(text).split())
    return f"`` {s} ``" if "`" in s else f"`{s}`"


def render(tables: Tables, language: str = "both") -> str:
    """The summary as Markdown text."""
    h = lambda key: labels.heading(key, language)
    c = lambda key: labels.column(key, language)
    doc = tables.document
    title = views.display_title(doc)
    out = [f"# {escape(h('report'))}: {escape(title)}", ""]
    out += [f"## {escape(h('summary'))}", ""]
    for key, value in (
        ("file", doc.get("path")),
        ("format", doc.get("format")),
        ("encoding", doc.get("encoding")),
        ("characters", doc.get("chars")),
        ("sha256", doc.get("sha256")),
    ):
        if value not in (None, ""):
            out.append(f"- {escape(h(key))}: {escape(value)}")
    counts = tables.counts()
    out += [
        "",
        f"## {escape(h('counts'))}",
        "",
        (
            f"| {escape(c('n_figures'))} | {escape(c('n_checks'))} | {escape(c('inconsistent'))} "
            f"| {escape(c('warning'))} | {escape(c('consistent'))} | {escape(h('unbased'))} |"
        ),
        "|---:|---:|---:|---:|---:|---:|",
        (
            f"| {counts['figures']} | {counts['checks']} | {counts['inconsistent']} "
            f"| {counts['warning']} | {counts['consistent']} | {counts['targets_without_base']} |"
        ),
        "",
    ]
    out += [f"{escape(line)}  " for line in views.coverage_text(tables, language)]
    used = set(tables.flags["severity"].dropna()) if "severity" in tables.flags else set()
    for key, d in views.severity_definitions().items():
        if key in used:
            name = {"zh": d.get("zh"), "en": d.get("en")}.get(language) or (
                f"{d.get('zh')} {d.get('en')}"
            )
            text = {"zh": d.get("definition_zh"), "en": d.get("definition_en")}.get(language) or (
                f"{d.get('definition_zh')} / {d.get('definition_en')}"
            )
            out.append(f"- **{escape(name)}**: {escape(text)}")
    out += ["", f"## {escape(h('flags'))}", ""]
    figures = (
        tables.figures.set_index("id", drop=False) if "id" in tables.figures else pd.DataFrame()
    )
    if tables.flags.empty:
        out += [escape(h("no_flags")), ""]
    for n, (_, row) in enumerate(tables.flags.iterrows(), start=1):
        f = views.flag_facts(row, figures)
        verdict = " · ".join(h(x) for x in (f["verdict"], f["severity"]) if x)
        out += [f"### {n}. {escape('、'.join(f['names']))} ({escape(verdict)})", ""]
        out.append(f"- {escape(h('rule'))}: {escape(f['rule'])}")
        values = " · ".join(f"{escape(h(key))} **{escape(text)}**" for key, text in f["values"])
        if f["gap"]:
            values += f" · {escape(h('gap'))} **{escape(f['gap'])}**"
        out.append(f"- {values}")
        if f["arithmetic"]:
            out.append(f"- {escape(h('arithmetic'))}: {_code(f['arithmetic'])}")
        out.append(f"- {escape(h('tolerance'))}: {escape(f['tolerance'])}")
        zh, en = f["messages"]
        for message in {"zh": (zh,), "en": (en,)}.get(language, (zh, en)):
            if message:
                out.append(f"- {escape(message)}")
        out.append("")
        quotes: dict[str, list[str]] = {}
        for fig in f["figs"]:
            quotes.setdefault(views.one_line(fig.get("quote")), []).append(str(fig.get("id")))
        for quote, group in quotes.items():
            out += [f"> {escape(', '.join(group))}: {escape(quote)}", ">"]
        if quotes:
            out[-1] = ""
    unbased = tables.unbased
    out += [f"## {escape(h('unbased'))}", ""]
    if unbased.empty:
        out += [escape(h("no_unbased")), ""]
    for _, row in unbased.iterrows():
        year = "" if pd.isna(row.get("target_year")) else f"{int(row['target_year'])}: "
        out.append(
            f"- {escape(row.get('target_id'))} {escape(views.plain_name(row.get('indicator')))} {year}"
            f"{escape(fmt_number(row.get('target_value')))} {escape(row.get('unit'))}"
        )
    out.append("")
    return "\n".join(out)


def export(tables: Tables, path: str | Path, language: str = "both") -> Path:
    """Write the Markdown summary to ``path`` atomically."""
    return write_text(path, render(tables, language))
