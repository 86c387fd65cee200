"""Fuzzing and properties of ``documents.load`` + ``figures.extract`` (issue 10).

- every crash the fuzzer found is a regression case (``tests/fuzz/crashes/``);
- a short atheris run (a few seconds) finds no new crash;
- hypothesis: any text of digits, Chinese numerals, units, qualifiers and punctuation
  extracts without an exception, each figure's start/end inside the text and covering the
  number as printed.  ``CI`` set: 2,000 examples per property, else 200.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.documents import from_text
from analysis.figures import extract

FUZZ_DIR = Path(__file__).parent / "fuzz"
CRASHES = sorted((FUZZ_DIR / "crashes").glob("*.bin"))

#: Crash fixtures whose fix is someone else's: file name -> reason (xfail, strict).
PENDING: dict[str, str] = {}


def _fuzz_module():
    pytest.importorskip("atheris", reason="atheris has no wheel for this Python/platform")
    from tests.fuzz import load_extract

    return load_extract


@pytest.mark.parametrize("crash", [
    pytest.param(p, id=p.name, marks=[pytest.mark.xfail(strict=True, reason=PENDING[p.name])]
                 if p.name in PENDING else []) for p in CRASHES])
def test_fuzz_crash_stays_fixed(crash: Path, monkeypatch):
    monkeypatch.setenv("FUZZ_STRICT", "1")    # known crashes count here
    _fuzz_module().test_one_input(crash.read_bytes())


def test_short_fuzz_run_finds_no_new_crash(tmp_path: Path):
    _fuzz_module()
    corpus = tmp_path / "corpus"
    proc = subprocess.run(
        [sys.executable, str(FUZZ_DIR / "load_extract.py"), "-max_total_time=5", "-seed=1",
         "-rss_limit_mb=1024", "-timeout=20", str(corpus)],
        capture_output=True, text=True, cwd=config.PROJECT_ROOT, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Done " in proc.stderr and any(corpus.iterdir())


# --- hypothesis ------------------------------------------------------------------------------

EXAMPLES = 2_000 if os.environ.get("CI") else 200
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")))

#: Pieces policy text is made of: digits (ASCII and full-width), Chinese numerals, units and
#: scales, qualifiers, period words, punctuation.
PIECES = [*"0123456789０１２３４５６７８９.．,，%％‰、。；：（）()[]-−—~～至到年月日 \n\t",
          *"一二三四五六七八九十百千万亿零两〇壹贰叁",
          "万元", "亿元", "万吨", "万亩", "平方米", "百分点", "倍", "翻一番", "以上", "左右",
          "不低于", "不少于", "突破", "力争", "达到", "增长", "下降", "年均", "同比", "占", "比重",
          "十四五", "到2025年", "2020年", "社会消费品零售总额", "GDP", "个", "家", "约", "近",
          "超过", "累计", "提高", "两年平均"]
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=40).map(
    "".join)


def _assert_figures_inside(text: str) -> None:
    for f in extract(from_text(text)):
        assert 0 <= f.start < f.end <= len(text), (f.start, f.end, len(text))
        assert text[f.start:f.end] == f.printed, (text[f.start:f.end], f.printed)
        assert any(c.isdigit() or c in "一二三四五六七八九十百千万亿零两〇壹贰叁半"
                   for c in f.printed), f.printed


@PROPERTY
@given(TEXTS)
@example("打造百亿元产业集群")   # the finding, so the gap shows on every run
def test_any_text_extracts_without_an_exception(text: str):
    _assert_figures_inside(text)


@PROPERTY
@given(TEXTS)
def test_every_figure_lies_inside_the_text_and_covers_its_number(text: str):
    """The offsets property on the same texts (every exception fails)."""
    _assert_figures_inside(text)
