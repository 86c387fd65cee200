"""Writers that turn a text into each input format the readers accept.

Tests import these (``from tests.fixtures import write_pdf``) to round-trip a
seed or sample text through an encoding or a file format and back.  Every
writer returns the path it wrote.
"""
from __future__ import annotations

import base64
import functools
import html
import io
from pathlib import Path

from analysis.fonts import cjk_font_path

#: Text a reader must never return: it sits in <script>/<style>/<noscript>.
HIDDEN_TEXT = "脚本里的数字999亿元"


def write_encoded(text: str, path: Path, encoding: str) -> Path:
    """Write ``text`` as bytes in ``encoding`` ("utf-8-sig" and "utf-16" add a BOM)."""
    path.write_bytes(text.encode(encoding))
    return path


@functools.cache
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Simplified -> Traditional script (OpenCC ``s2tw``).

    ``s2tw`` rather than plain ``s2t``: it picks the Taiwan standard forms
    (为 -> 為, not 爲), which are the ones Big5 can encode.

    >>> to_traditional("社会消费品零售总额增长为去年的2倍")
    '社會消費品零售總額增長為去年的2倍'
    """
    return _converter("s2tw").convert(text)


def _paragraphs(text: str) -> str:
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())


def write_html(text: str, path: Path, title: str = "示例市东港区人民政府", *,
               encoding: str = "utf-8", meta: bool = True) -> Path:
    """A government-style web page: each non-blank line a ``<p>``, hidden text around it.

    The head carries a ``<script>`` and a ``<style>`` and the body a
    ``<noscript>``, all holding ``HIDDEN_TEXT``, to prove readers drop them.
    ``meta=False`` leaves out ``<meta charset>`` so the charset must be detected.
    """
    charset = f'<meta charset="{encoding}">' if meta else ""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset}
<title>{html.escape(title)}</title>
<script>var hidden = "{HIDDEN_TEXT}"; document.title = hidden;</script>
<style>p::after {{ content: "{HIDDEN_TEXT}"; }}</style>
</head>
<body>
<noscript>{HIDDEN_TEXT}</noscript>
<!-- {HIDDEN_TEXT} -->
<div class="article">
{_paragraphs(text)}
</div>
</body>
</html>
"""
    path.write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))  # as editors do
    return path


def write_docx(text: str, path: Path, table: list[list[str]] | None = None) -> Path:
    """A Word file with one paragraph per line of ``text``, then ``table`` if given.

    Lines of a flattened table in ``text`` stay paragraphs; pass ``table``
    (rows of cell texts) to add a real Word table after them.
    """
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    if table:
        word_table = document.add_table(rows=len(table), cols=max(len(r) for r in table))
        for row, cells in zip(word_table.rows, table):
            for cell, value in zip(row.cells, cells):
                cell.text = value
    document.save(str(path))
    return path


def _font_css() -> str:
    return (
        f"@font-face {{ font-family: 'PolicycheckCJK'; src: url('{cjk_font_path().as_uri()}'); }}"
        "@page { size: A4; margin: 2cm; }"
        "body { font-family: 'PolicycheckCJK'; font-size: 10.5pt; }"
    )


def _pdf_bytes(body: str) -> bytes:
    from weasyprint import HTML

    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{_font_css()}</style>"
            f"</head><body>{body}</body></html>")
    return HTML(string=page).write_pdf()


def write_pdf(text: str, path: Path) -> Path:
    """A PDF whose text layer is ``text`` (weasyprint, CJK font embedded, line breaks kept)."""
    body = f"<div style='white-space: pre-wrap'>{html.escape(text)}</div>"
    path.write_bytes(_pdf_bytes(body))
    return path


def write_image_only_pdf(path: Path, text: str = "示例市东港区 扫描件 2022年") -> Path:
    """A PDF like a scan: ``text`` drawn into a PNG image, no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 200), "white")
    font = ImageFont.truetype(str(cjk_font_path()), 48)
    ImageDraw.Draw(image).text((30, 60), text, font=font, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    path.write_bytes(_pdf_bytes(f"<img src='{uri}' style='width: 16cm'>"))
    return path


def write_encrypted_pdf(path: Path, text: str = "示例市东港区 加密文件",
                        password: str = "secret") -> Path:
    """A text PDF encrypted with a user password (pypdf), so it cannot be opened without it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(html.escape(text)))))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    with path.open("wb") as f:
        writer.write(f)
    return path
