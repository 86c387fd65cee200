"""The PDF report: a short audit memo, printed with weasyprint in the bundled CJK font.

Not a print of the notebook page: :func:`memo_html` lays out, in A4 portrait,
the first screen of the report (counts, coverage, severity definitions), the
flags, the charts two to a row (taken from the executed notebook, so they are
drawn once), the base -> target table, the targets without a base and the
checks that are not "consistent".  The full tables stay in ``report.html``,
the CSVs and the workbook.  The stylesheet is our own (``print.css``), a few
KB, instead of the JupyterLab theme; the bundled Noto Sans CJK is declared
once (:func:`font_css`) and weasyprint embeds the glyphs the memo uses.  Every
piece of document text is escaped
and shortened where unbroken (:func:`analysis.reports.views.one_line`), so a
5,000-digit title cannot stall the layout.
"""

from __future__ import annotations

import atexit
import base64
import functools
import html
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.exceptions import ReportError
from analysis.reports import labels, views
from analysis.reports.atomic import atomic_path
from analysis.reports.tables import Tables

__all__ = ["export", "export_memo", "font_css", "memo_html", "notebook_images"]

#: Font family name the embedded subset declares (the print stylesheet uses it).
FONT_FAMILY = "PolicycheckCJK"
_CSS_FILE = Path(__file__).resolve().parent / "templates" / "policycheck" / "print.css"


@functools.cache
def _print_css() -> str:
    return _CSS_FILE.read_text(encoding="utf-8")


def notebook_images(notebook: str | Path) -> list[bytes]:
    """The PNG images the executed notebook displays, in order ([] when it has none)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if data:
                out.append(base64.b64decode(data if isinstance(data, str) else "".join(data)))
    return out


def memo_html(tables: Tables, images: Iterable[bytes] = (), language: str = "both") -> str:
    """The memo as one HTML page (print stylesheet and font subset inside)."""
    e = html.escape
    h = functools.partial(labels.heading, language=language)
    charts = "".join(
        f'<img class="pc-chart" src="data:image/png;base64,{base64.b64encode(b).decode()}"/>'
        for b in images
    )
    counts = tables.counts()
    rest = (
        f'<p class="pc-muted">{e(h("memo_rest"))}: {counts["figures"]} {e(h("figures"))}, '
        f'{counts["consistent"]} {e(h("consistent"))} — '
        "report.html, figures.csv, checks.csv, report.xlsx</p>"
    )
    body = "".join(
        [
            views.summary_html(tables, language),
            views.flags_html(tables, language),
            f'<section id="charts" class="pc-section"><h2>{e(h("paths"))}</h2>{charts}</section>'
            if charts
            else "",
            views.paths_html(tables, language),
            views.unbased_html(tables, language),
            rest,
        ]
    )
    title = e(views.display_title(tables.document))
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{font_css()}{_print_css()}</style></head>"
        f'<body class="pc-memo">{body}</body></html>'
    )


@functools.cache
def font_css() -> str:
    """``@font-face`` declaring the bundled CJK font file (weasyprint embeds only the glyphs
    a PDF uses, with their character map, so its text can be extracted)."""
    from analysis.fonts import cjk_font_path

    url = cjk_font_path().as_uri()
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); }}\n'
        "html, body, table, td, th, pre, code, p, li, h1, h2, h3, dd, dt, blockquote { "
        f'font-family: "{FONT_FAMILY}", sans-serif !important; }}\n'
    )


def export_memo(
    tables: Tables, notebook: str | Path | None, path: str | Path, language: str = "both"
) -> Path:
    """Write the memo PDF of ``tables`` (charts from the executed ``notebook``) to ``path``."""
    images = notebook_images(notebook) if notebook and Path(notebook).is_file() else []
    return export(memo_html(tables, images, language), path)


@functools.cache
def _font_setup() -> tuple[Any, Any]:
    """The font configuration and the font stylesheet, made once per process: the bundled
    font is registered once and every PDF of the process (a batch) reuses it."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # release it before the interpreter tears weasyprint's C bindings down
    atexit.register(_font_setup.cache_clear)
    return fonts, weasyprint.CSS(string=font_css(), font_config=fonts)


def export(page: str | Path, path: str | Path, base_url: str | Path | None = None) -> Path:
    """Render ``page`` (HTML text, or the path of an HTML file) to the PDF ``path`` atomically,
    its text in the bundled CJK font (:func:`font_css`); the page's own styles otherwise."""
    import weasyprint

    if isinstance(page, Path) or (isinstance(page, str) and not page.lstrip().startswith("<")):
        source = Path(page)
        text = source.read_text(encoding="utf-8")
        base_url = base_url or source.parent
    else:
        text = str(page)
    # weasyprint logs every CSS property it does not support
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    path = Path(path)
    try:
        document = weasyprint.HTML(string=text, base_url=str(base_url) if base_url else None)
        with atomic_path(path) as tmp:
            fonts, css = _font_setup()
            document.write_pdf(tmp, stylesheets=[css], font_config=fonts)
    except Exception as exc:
        raise ReportError(
            f"{path}: PDF could not be rendered: {type(exc).__name__}: {exc}"
        ) from exc
    return path
