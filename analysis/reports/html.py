"""Executed notebook -> one self-contained HTML file without code cells.

nbconvert's ``HTMLExporter`` with the project's template (``templates/
policycheck``: the lab template minus require.js, MathJax, Mermaid and widget
scripts, plus a Content-Security-Policy forbidding scripts and remote
resources).  Images are inline ``data:`` URIs, the Chinese font is embedded
as a subset of the bundled Noto Sans CJK (only the characters the page uses),
so the file opens offline from the file system on a machine without CJK
fonts.  :func:`offline` removes any remaining script or remote reference and
is applied to every page written.

Document text never reaches the page unescaped: the notebook shows it
through pandas ``to_html`` (escapes) and :mod:`analysis.reports.views`
(``html.escape``).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import io
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.exceptions import ReportError
from analysis.reports import labels
from analysis.reports.atomic import write_text

__all__ = ["export", "font_face_css", "index_page", "offline", "render"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "policycheck"
FONT_FAMILY = "PolicycheckCJK"

_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_REMOTE_CSS = re.compile(r"""(@import|url\(\s*["']?\s*(https?:)?//)""", re.IGNORECASE)


@functools.cache
def _css() -> str:
    return (TEMPLATE_DIR / TEMPLATE / "report.css").read_text(encoding="utf-8")


def font_face_css(text: str) -> str:
    """``@font-face`` rule embedding the CJK font subset to the characters of ``text``.

    Returns "" when ``text`` has no character outside ASCII (nothing to embed).
    """
    chars = {ch for ch in text if ord(ch) > 0x7F}
    if not chars:
        return ""
    from fontTools import subset

    from analysis.fonts import cjk_font_path

    options = subset.Options()
    options.flavor = "woff"  # zlib: smaller than OTF, fast to write
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    font = subset.load_font(str(cjk_font_path()), options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(chars)))
        subsetter.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, options)
    finally:
        font.close()
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )


def offline(page: str) -> str:
    """Remove every ``<script>`` and every reference to a remote resource.

    A report is static: nothing in it needs JavaScript, and it must not fetch
    anything.  Raises ReportError if a remote reference survives (a bug).

    >>> offline('<p>a</p><script src="https://x/y.js"></script><link rel="stylesheet" href="//cdn/a.css">')
    '<p>a</p>'
    >>> offline('<img src="data:image/png;base64,AA"/>')
    '<img src="data:image/png;base64,AA"/>'
    """
    from bs4 import BeautifulSoup

    soup = (
        BeautifulSoup(page, "lxml")
        if "<html" in page[:2000].lower()
        else BeautifulSoup(page, "html.parser")
    )
    for tag in soup.find_all("script"):
        tag.decompose()
    for tag in soup.find_all(
        ["link", "img", "iframe", "source", "video", "audio", "embed", "object"]
    ):
        for attr in ("href", "src", "data"):
            if tag.has_attr(attr) and _REMOTE.match(str(tag[attr])):
                tag.decompose()
                break
    for style in soup.find_all("style"):
        if _REMOTE_CSS.search(style.get_text()):
            raise ReportError(
                "a stylesheet in the HTML report refers to a remote resource (this is a bug)"
            )
    out = str(soup)
    return out


def render(notebook: Any, title: str = "", embed_font: bool = True) -> str:
    """HTML of an executed notebook (a path or a NotebookNode), without code cells."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = (
        nbformat.read(str(notebook), as_version=4)
        if isinstance(notebook, (str, Path))
        else notebook
    )
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        theme="light",
    )
    page, _ = exporter.from_notebook_node(nb, resources={"policycheck_css": _css()})
    if embed_font:
        page = _embed_font(page)
    return offline(page)


def _embed_font(page: str) -> str:
    """Add the font subset for the page's visible text to its head."""
    from bs4 import BeautifulSoup

    text = BeautifulSoup(page, "lxml").get_text()
    css = font_face_css(text)
    if not css:
        return page
    return page.replace("</head>", f'<style type="text/css">{css}</style>\n</head>', 1)


def export(
    notebook: str | Path, path: str | Path, title: str = "", embed_font: bool = True
) -> Path:
    """Write the HTML report of the executed ``notebook`` to ``path`` atomically."""
    return write_text(path, render(notebook, title=title, embed_font=embed_font))


def index_page(
    rows: Iterable[dict[str, Any]], language: str = "both", title: str = "", overview: str = ""
) -> str:
    """The batch index page: one row per document linking its report.

    Each row: ``doc_id``, ``source`` (file name), ``status`` (built | skipped
    | failed | earlier), ``report`` (relative link or ""), ``figures``, ``inconsistent``,
    ``warning``, ``error``.  ``overview`` is the relative link of the batch
    overview page ("" for none).  All text is escaped.

    >>> page = index_page([{"doc_id": "<x>", "status": "failed", "error": "<x>.txt: empty"}], "en")
    >>> "&lt;x&gt;.txt: empty" in page and "<x>" not in page
    True
    """
    e = html.escape
    h = functools.partial(labels.heading, language=language)
    c = functools.partial(labels.column, language=language)
    title = title or h("index")
    head = "".join(
        f"<th>{e(x)}</th>"
        for x in (
            c("document"),
            h("file"),
            h("status"),
            c("n_figures"),
            c("inconsistent"),
            c("warning"),
            h("error"),
        )
    )
    body = []
    for row in rows:
        status = row.get("status", "")
        link = row.get("report") or ""
        name = e(str(row.get("doc_id", "")))
        cell = f'<a href="{e(link)}">{name}</a>' if link else name
        cls = ' class="pc-failed"' if status == "failed" else ""
        body.append(
            f"<tr{cls}><td>{cell}</td><td>{e(str(row.get('source', '')))}</td>"
            f"<td>{e(h(status) if status in ('built', 'skipped', 'failed', 'earlier') else status)}</td>"
            f"<td>{_num(row.get('figures'))}</td><td>{_num(row.get('inconsistent'))}</td>"
            f"<td>{_num(row.get('warning'))}</td><td>{e(str(row.get('error') or ''))}</td></tr>"
        )
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    page = f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:">
<title>{e(title)}</title>
<style type="text/css">{_css()}</style>
</head>
<body>
<main class="pc-index">
<h1>{e(title)}</h1>
{f'<p><a href="{e(overview)}">{e(h("overview"))}</a></p>' if overview else ""}
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
<p class="pc-muted">{e(h("generated"))} {e(stamp)}</p>
</main>
</body>
</html>
"""
    return offline(
        page.replace("</head>", f'<style type="text/css">{font_face_css(page)}</style>\n</head>', 1)
    )


def _num(v: Any) -> str:
    """A count for the index table ("" when unknown).

    >>> _num(3), _num(None), _num(float("nan"))
    ('3', '', '')
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return html.escape(str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
