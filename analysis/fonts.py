"""The CJK font charts and PDFs use, installed by the project itself.

The font ships in the ``cvttf-notosanscjk-regular`` wheel (Noto Sans CJK, SIL
Open Font License), a declared dependency, so nothing is assumed about the
machine's fonts.
"""
from __future__ import annotations

import functools
from pathlib import Path

from analysis.exceptions import AnalysisError

FONT_PACKAGE = "cvttf_NotoSansCJK_Regular"


@functools.cache
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans CJK font file."""
    import importlib.util

    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise AnalysisError(
            f"the CJK font package {FONT_PACKAGE!r} is not installed (run `make setup`)"
        )
    folder = Path(list(spec.submodule_search_locations)[0])
    fonts = sorted(folder.glob("*.otf")) + sorted(folder.glob("*.ttf"))
    if not fonts:
        raise AnalysisError(f"no font file inside {folder} (reinstall with `make setup`)")
    return fonts[0]


@functools.cache
def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the default; returns its family name."""
    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
