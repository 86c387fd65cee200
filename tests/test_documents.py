"""Documents: load() over formats and encodings gives the same figures; offsets hold."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.documents import from_text, load
from analysis.documents.normalize import normalize
from analysis.figures import extract
from tests.conftest import seed_path
from tests.fixtures import to_traditional, write_docx, write_encoded, write_pdf


def signature(doc):
    """What must not depend on the container: value, unit, kind, year, status, indicator."""
    return [(f.value, f.scale, f.base_unit, f.kind, f.year, f.status, f.indicator_canonical)
            for f in extract(doc)]


NORMALIZE_CASES = [
    # (original, normalized) — STYLE.md §8: tables of examples
    ("组织 4场汽车团购活动", "组织4场汽车团购活动"),
    ("重点培育跨境电商企业 10 家以上。", "重点培育跨境电商企业10家以上。"),
    ("增长１２．５％", "增长12.5%"),
    ("增强地方粮食储备能力。全市地方储备粮规模达到\n\n12.87万吨，落实",
     "增强地方粮食储备能力。全市地方储备粮规模达到12.87万吨，落实"),
    ("争创省级现代商贸特色镇 1个、商贸发展示范村 3\n\n个。", "争创省级现代商贸特色镇1个、商贸发展示范村3个。"),
    ("储备粮\n规模", "储备粮\n规模"),                 # short lines (table cells) keep their break
    ("290.5\n\n407", "290.5\n407"),                   # table cells never glued
    ("一、现实基础\n\n“十三五”时期", "一、现实基础\n“十三五”时期"),
    ("Warby Parker", "Warby Parker"),
    ("進出口總額", "进出口总额"),
]


@pytest.mark.parametrize("original,expected", NORMALIZE_CASES)
def test_normalize_examples(original, expected):
    n = normalize(original)
    assert n.text == expected
    # every normalized character maps back to an original character that reads the same
    # (modulo full-width/traditional mapping)
    for i, ch in enumerate(n.text):
        if ch.isdigit():
            assert original[n.origin[i]] in (ch, chr(ord(ch) + 0xFEE0))


def test_offsets_point_at_the_printed_number_in_every_seed(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = load(path)
        for f in extract(doc):
            printed = doc.text[f.start:f.end]
            assert printed == f.printed
            digits = "".join(c for c in printed if c.isdigit())
            # a number in digits, in Chinese numerals (两个跑道) or a multiple word (翻一番, 翻倍)
            numeral = any(c in "零〇一二两三四五六七八九十百千" for c in printed)
            assert digits or numeral or "番" in printed or "倍" in printed, (path.name, f.id, printed)
            assert doc.text[f.quote_start:f.quote_end].strip() == f.quote.strip() or f.source == "table"


@pytest.fixture(scope="module")
def seed003():
    path = seed_path("003")
    return path, path.read_text(encoding="utf-8")


def test_same_figures_gbk_and_big5_traditional(seed003, tmp_path):
    path, text = seed003
    reference = signature(load(path))
    # characters GBK/Big5 cannot encode (a no-break space, 〇) become spaces first
    safe = text.replace("\xa0", " ").replace("〇", "零")
    gbk = load(write_encoded(safe, tmp_path / "003_gbk.txt", "gbk"))
    assert gbk.encoding == "gb18030"
    assert signature(gbk) == reference
    trad = to_traditional(safe)
    big5 = load(write_encoded(trad, tmp_path / "003_big5.txt", "big5"))
    assert big5.encoding in ("big5", "cp950")
    assert signature(big5) == reference


def test_same_figures_docx_and_pdf(seed003, tmp_path):
    path, text = seed003
    reference = signature(load(path))
    docx = load(write_docx(text, tmp_path / "003.docx"))
    assert docx.format == "docx"
    assert signature(docx) == reference
    pdf = load(write_pdf(text, tmp_path / "003.pdf"))
    assert pdf.format == "pdf"
    assert signature(pdf) == reference


def test_document_year_and_title(seeds_dir):
    years = {p.name[:3]: load(p).year for p in sorted(seeds_dir.glob("*.txt"))}
    assert years == {"000": 2022, "001": 2015, "002": 2022, "003": 2022, "004": 2023}


def test_samples_load_in_their_encodings():
    docs = {p.name: load(p) for p in sorted(config.SAMPLES_DIR.iterdir()) if p.is_file()}
    assert docs["workplan_2023_gbk.txt"].encoding == "gb18030"
    assert all(extract(d) for d in docs.values())


def test_from_text_matches_load(tmp_path):
    text = "到2025年，网络零售额达到235亿元，年均增长9.2%。"
    p = tmp_path / "x.txt"
    p.write_text(text, encoding="utf-8")
    assert signature(load(p)) == signature(from_text(text))
