"""HTML report -> PDF with weasyprint, Chinese rendered with the bundled CJK font.

An ``@font-face`` pointing at :func:`analysis.fonts.cjk_font_path` is
injected, so the PDF never depends on the machine's fonts; weasyprint embeds
only the glyphs used.  The page is A4 landscape (wide tables) with the print
rules of ``templates/policycheck/report.css``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from analysis.exceptions import ReportError
from analysis.reports.atomic import atomic_path

__all__ = ["export", "font_css"]

#: Font family name the injected @font-face declares.
FONT_FAMILY = "PolicycheckCJK"


def font_css() -> str:
    """CSS declaring the bundled CJK font and making it the text font."""
    from analysis.fonts import cjk_font_path

    url = cjk_font_path().as_uri()
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); }}\n'
        f"html, body, table, td, th, pre, code, p, li, h1, h2, h3, dd, dt, blockquote {{ "
        f'font-family: "{FONT_FAMILY}", sans-serif !important; }}\n'
        "@page { size: A4 landscape; margin: 1.2cm; }\n"
    )


def export(page: str | Path, path: str | Path, base_url: str | Path | None = None) -> Path:
    """Render ``page`` (HTML text, or the path of an HTML file) to the PDF ``path`` atomically."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    if isinstance(page, Path) or (isinstance(page, str) and not page.lstrip().startswith("<")):
        source = Path(page)
        text = source.read_text(encoding="utf-8")
        base_url = base_url or source.parent
    else:
        text = str(page)
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=font_css(), font_config=fonts)
    # weasyprint logs every CSS property it does not support (the lab CSS has many)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    path = Path(path)
    try:
        document = weasyprint.HTML(string=text, base_url=str(base_url) if base_url else None)
        with atomic_path(path) as tmp:
            document.write_pdf(tmp, stylesheets=[css], font_config=fonts)
    except Exception as exc:
        raise ReportError(
            f"{path}: PDF could not be rendered: {type(exc).__name__}: {exc}"
        ) from exc
    return path
