"""Chinese renders: in charts (no "Glyph ... missing" warning), in the PDF and in the HTML font subset."""

from __future__ import annotations

import base64
import io
import re
import warnings

import pandas as pd
import pytest

from analysis.fonts import cjk_font_path
from analysis.reports import charts, html, pdf

LABELS = "社会消费品零售总额 外贸进出口总额 中方投资额(亿美元) 隐含年均增长 → ≥ −"


def _paths() -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(
                indicator="外贸进出口总额",
                unit="亿元",
                base_id="F0017",
                base_year=2020,
                base_value=164.8,
                target_id="F0076",
                target_year=2025,
                target_value=280.0,
                qualifier="exceeds",
                years=5,
                implied_cagr=11.183455,
                stated_rate=None,
                quote="到2025年,外贸进出口总额突破280亿元",
            ),
            dict(
                indicator="外贸进出口总额",
                unit="亿元",
                base_id="F0017",
                base_year=2020,
                base_value=164.8,
                target_id="F0083",
                target_year=2025,
                target_value=277.48,
                qualifier=None,
                years=5,
                implied_cagr=10.9826,
                stated_rate=7.0,
                quote="进出口额(亿元) 164.8 277.48",
            ),
        ]
    )


def test_font_file_covers_chinese():
    from fontTools.ttLib import TTFont

    path = cjk_font_path()
    assert path.is_file() and path.stat().st_size > 1_000_000
    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
    missing = [ch for ch in LABELS if not ch.isspace() and ord(ch) not in cmap]
    assert not missing


@pytest.mark.parametrize("language", ["zh", "en", "both"])
def test_path_chart_has_every_glyph(language):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 36827 missing from font(s) DejaVu Sans" -> failure
        fig = charts.path_figure("外贸进出口总额", _paths(), language)
        fig.axes[0].set_xlabel(LABELS)
        data = charts.png(fig)
    assert data.startswith(b"\x89PNG")
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("11.18%" in t for t in texts) and any("10.98%" in t for t in texts)


def test_flags_chart_has_every_glyph():
    per_doc = pd.DataFrame(
        {
            "document": ["003_椒江规划", "plan"],
            "inconsistent": [4, 2],
            "gross": [1, 0],
            "warning": [3, 0],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.png(charts.flags_figure(per_doc, "both"))


def test_missing_glyph_warning_is_caught_without_the_cjk_font():
    """The check above can fail: the same Chinese label in DejaVu Sans alone warns."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = Figure()
        fig.add_subplot().set_title("外贸进出口总额")
        with pytest.warns(UserWarning, match=r"Glyph \d+ .*missing from font"):
            fig.savefig(io.BytesIO(), format="png")


def test_pdf_embeds_the_cjk_font_and_keeps_every_character(tmp_path):
    import pdfplumber

    text = "外贸进出口总额 2.58% → 1.70% 中方投资额1亿美元"
    path = pdf.export(f"<html><body><p>{text}</p></body></html>", tmp_path / "zh.pdf")
    with pdfplumber.open(path) as doc:
        chars = doc.pages[0].chars
    got = "".join(c["text"] for c in chars)
    assert got.replace(" ", "") == text.replace(" ", "")
    cjk_fonts = {c["fontname"] for c in chars if "\u4e00" <= c["text"] <= "\u9fff"}
    assert cjk_fonts and all(pdf.FONT_FAMILY in f for f in cjk_fonts)


def test_html_font_subset_covers_the_page_text():
    from fontTools.ttLib import TTFont

    text = "政策文件数字核验报告 外贸进出口总额 “十四五” ℃ ㎡"
    css = html.font_face_css(text)
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1))
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    needed = {ch for ch in text if ord(ch) > 0x7F}
    assert needed and all(ord(ch) in cmap for ch in needed)
    assert len(data) < 200_000  # a subset, not the 16 MB font
    assert html.font_face_css("ascii only") == ""
