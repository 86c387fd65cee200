"""analysis.documents.readers: every format and encoding gives back the original text;
every bad input fails with one line naming the file and the problem."""
from __future__ import annotations

import hashlib
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis import config
from analysis.documents.readers import RawDocument, read
from analysis.exceptions import DocumentError
from tests.conftest import seed_path
from tests.fixtures import (
    HIDDEN_TEXT,
    to_traditional,
    write_docx,
    write_encoded,
    write_encrypted_pdf,
    write_html,
    write_image_only_pdf,
    write_pdf,
)

#: Where round-trip texts come from: seed 003 and the project's own samples.
SOURCES = ["seed:003", "plan_2021_2025.txt", "summary_2022.html", "workplan_2023_gbk.txt",
           "workplan_2023.md"]


def source_text(source: str) -> str:
    if source.startswith("seed:"):
        return seed_path(source.removeprefix("seed:")).read_text(encoding="utf-8")
    return read(config.SAMPLES_DIR / source).text


def squeeze(text: str) -> str:
    """The text without any whitespace: what HTML/DOCX/PDF layout cannot change."""
    return re.sub(r"\s+", "", text)


def encodable(text: str, encoding: str) -> str:
    """``text`` with the characters ``encoding`` has no code for as spaces.

    Seed 003 has two such characters for GBK and Big5 (NBSP and 〇), which no
    file in those encodings can contain; the round trip is about the rest.
    """
    def ok(c: str) -> bool:
        try:
            c.encode(encoding)
        except UnicodeEncodeError:
            return False
        return True

    return "".join(c if ok(c) else " " for c in text)


# --- plain text: exact round trip --------------------------------------------

#: (encoding the file is written in, encoding the reader must report)
TEXT_ENCODINGS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),  # BOM-less UTF-16 is an error case, see ERRORS
    ("gbk", "gb18030"),
    ("gb18030", "gb18030"),
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("written", "reported"), TEXT_ENCODINGS)
def test_text_round_trips_exactly(tmp_path: Path, source: str, written: str, reported: str):
    text = encodable(source_text(source), written)
    path = write_encoded(text, tmp_path / "doc.txt", written)
    doc = read(path)
    assert (doc.text, doc.encoding, doc.format) == (text, reported, "text")


@pytest.mark.parametrize("source", SOURCES)
def test_big5_traditional_round_trips_exactly(tmp_path: Path, source: str):
    text = encodable(to_traditional(source_text(source)), "big5")
    assert text != source_text(source)  # the conversion really changed the script
    doc = read(write_encoded(text, tmp_path / "doc.txt", "big5"))
    assert (doc.text, doc.encoding) == (text, "big5")


def test_raw_document_describes_the_bytes(tmp_path: Path):
    path = write_encoded("社会消费品零售总额253.7亿元\r\n增长6.36%", tmp_path / "plan", "gbk")
    doc = read(path)
    data = path.read_bytes()
    assert doc == RawDocument(path=path, text="社会消费品零售总额253.7亿元\n增长6.36%",
                              encoding="gb18030", format="text",
                              sha256=hashlib.sha256(data).hexdigest(), size=len(data))


# --- encoding detection on short texts ---------------------------------------

#: (text, written in, reported): the short snippets charset detectors get wrong.
SHORT_TEXTS = [
    ("增长14.5%", "gbk", "gb18030"),
    ("4场", "gbk", "gb18030"),
    ("年均增长", "gbk", "gb18030"),
    ("为去年的19.8倍", "utf-8", "utf-8"),
    ("年均增长", "utf-8", "utf-8"),
    ("2022-07-15", "ascii", "utf-8"),
    ("社會消費品零售總額", "big5", "big5"),
    ("外貿進出口總額474.4億元", "big5", "big5"),
    ("優化營商環境", "big5", "big5"),
    ("圍棋碁聖戰", "cp950", "cp950"),  # 碁 is an ETen extension plain Big5 lacks
    # issue 10: valid Latin-script UTF-8 is UTF-8, not GB18030 mojibake (ú -> 煤)
    ("ú", "utf-8", "utf-8"),
    ("Bogotá", "utf-8", "utf-8"),
    ("Prévisions à moyen terme", "utf-8", "utf-8"),
    ("Café 3,5 %", "utf-8", "utf-8"),
    ("Zürich: +2,1 % (2024)", "utf-8", "utf-8"),
]
#: Known gap: 2-3 hanzi whose Big5 bytes are also frequent GB2312 characters tie,
#: and ties go to GB18030 (the mainland documents this project reads).
SHORT_TEXTS_XFAIL = [
    pytest.param("商務", "big5", "big5", marks=pytest.mark.xfail(strict=True)),
    pytest.param("區域", "big5", "big5", marks=pytest.mark.xfail(strict=True)),
    pytest.param("營商環境", "big5", "big5", marks=pytest.mark.xfail(strict=True)),
]


@pytest.mark.parametrize(("text", "written", "reported"), SHORT_TEXTS + SHORT_TEXTS_XFAIL)
def test_short_texts_are_decoded_right(tmp_path: Path, text: str, written: str, reported: str):
    doc = read(write_encoded(text, tmp_path / "s.txt", written))
    assert (doc.text, doc.encoding) == (text, reported)


# --- HTML --------------------------------------------------------------------

#: (html encoding, meta charset written?, reported encoding)
HTML_CHARSETS = [
    ("utf-8", True, "utf-8"),
    ("utf-8", False, "utf-8"),
    ("gbk", True, "gb18030"),
    ("gbk", False, "gb18030"),
    ("gb18030", True, "gb18030"),
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("encoding", "meta", "reported"), HTML_CHARSETS)
def test_html_round_trips_visible_text(tmp_path: Path, source: str, encoding: str, meta: bool,
                                       reported: str):
    text = encodable(source_text(source), encoding)
    doc = read(write_html(text, tmp_path / "page.html", encoding=encoding, meta=meta))
    assert HIDDEN_TEXT not in doc.text
    assert squeeze(doc.text) == squeeze(text)
    assert (doc.encoding, doc.format) == (reported, "html")


def test_html_big5_page_round_trips(tmp_path: Path):
    text = encodable(to_traditional(source_text("plan_2021_2025.txt")), "big5")
    doc = read(write_html(text, tmp_path / "page.htm", encoding="big5"))
    assert (squeeze(doc.text), doc.encoding) == (squeeze(text), "big5")


def test_html_wrong_meta_charset_loses_to_the_bytes(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_bytes('<meta charset="gb2312"><p>网络零售额98.35亿元，年均增长18.77%</p>'.encode())
    doc = read(path)
    assert (doc.text, doc.encoding) == ("网络零售额98.35亿元，年均增长18.77%", "utf-8")


#: (markup, visible text): block elements, cells, <br>, dropped elements.
HTML_LAYOUTS = [
    ("<p>出口额<b>153.76</b>亿元</p><p>进口额11.04亿元</p>", "出口额153.76亿元\n进口额11.04亿元"),
    ("<div>\n  <div>\n    <p>2020年</p>\n  </div>\n</div>", "2020年"),
    (("<table><tr><th>指标</th><th>2025年目标值</th></tr>"
      "<tr><td>网络零售额(亿元)</td><td>235</td></tr></table>"),
     "指标\t2025年目标值\n网络零售额(亿元)\t235"),   # a row per line, cells tab-separated
    ("<ul><li>4场</li><li>50场左右</li></ul>", "4场\n50场左右"),
    ("<h1>标题</h1><h2>一、现实基础</h2>正文", "标题\n一、现实基础\n正文"),
    ("<p>第一行<br>第二行<br><br><br>第三行</p>", "第一行\n第二行\n\n第三行"),
    ("<p>全区\n   实现  社零</p>", "全区 实现 社零"),  # source line breaks render as one space
    ("<pre>表1\n  290.5\n  407</pre>", "表1\n290.5\n407"),
    (("<style>p{}</style><script>x()</script><noscript>请启用脚本</noscript><!-- 注释 -->"
      "<template><p>模板</p></template><p>正文&nbsp;内容 &amp; 其他</p>"), "正文\xa0内容 & 其他"),
]


@pytest.mark.parametrize(("markup", "expected"), HTML_LAYOUTS)
def test_html_layout_gives_one_line_per_block(tmp_path: Path, markup: str, expected: str):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>页面标题</title><script>var a = '脚本';</script>"
                    f"</head><body>{markup}</body></html>", encoding="utf-8")
    assert read(path).text == expected


# --- DOCX and PDF ------------------------------------------------------------

#: (writer, file name, format): containers whose layout may change whitespace.
CONTAINERS: list[tuple[Callable[[str, Path], Path], str, str]] = [
    (write_docx, "doc.docx", "docx"),
    (write_pdf, "doc.pdf", "pdf"),
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("writer", "name", "fmt"), CONTAINERS)
def test_container_round_trips_text(tmp_path: Path, source: str, writer, name: str, fmt: str):
    text = source_text(source)
    doc = read(writer(text, tmp_path / name))
    assert squeeze(doc.text) == squeeze(text)
    assert (doc.format, doc.encoding) == (fmt, "")


def test_docx_keeps_paragraph_lines_exactly(tmp_path: Path):
    text = source_text("plan_2021_2025.txt")
    assert read(write_docx(text, tmp_path / "doc.docx")).text == text


def test_docx_tables_come_in_document_order_one_row_per_line(tmp_path: Path):
    table = [["指标名称", "2020 基值", "2025年目标值"], ["社会消费品零售总额(亿元)", "290.5", "407"]]
    path = write_docx("表1 主要目标", tmp_path / "t.docx", table=table)
    assert read(path).text.split("\n") == ["表1 主要目标", *("\t".join(row) for row in table)]


def test_docx_merged_cell_is_read_once_and_keeps_its_columns(tmp_path: Path):
    import docx

    document = docx.Document()
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).merge(grid.cell(0, 1)).text = "商贸流通"
    grid.cell(1, 0).text, grid.cell(1, 1).text = "网络零售额(亿元)", "151.28"
    document.save(str(tmp_path / "m.docx"))
    assert read(tmp_path / "m.docx").text.split("\n") == ["商贸流通\t", "网络零售额(亿元)\t151.28"]


# --- files without extension are sniffed -----------------------------------------


@pytest.mark.parametrize(("writer", "fmt"), [
    (lambda text, path: write_pdf(text, path), "pdf"),
    (lambda text, path: write_docx(text, path), "docx"),
    (lambda text, path: write_html(text, path), "html"),
    (lambda text, path: write_encoded(text, path, "gbk"), "text"),
])
def test_file_without_extension_is_sniffed(tmp_path: Path, writer, fmt: str):
    text = "实际利用外资1.16亿美元"
    doc = read(writer(text, tmp_path / "download"))
    assert (squeeze(doc.text), doc.format) == (squeeze(text), fmt)


# --- the samples themselves ----------------------------------------------------

#: (sample, format, encoding, a phrase its text must contain)
SAMPLES = [
    ("plan_2021_2025.txt", "text", "utf-8", "年均增长25.3%"),
    ("summary_2022.html", "html", "utf-8", "为去年的2.4倍"),
    ("workplan_2023_gbk.txt", "text", "gb18030", "440吨/日"),
    ("workplan_2023.md", "markdown", "utf-8", "## 一、主要目标"),
]


@pytest.mark.parametrize(("name", "fmt", "encoding", "phrase"), SAMPLES)
def test_samples_decode(name: str, fmt: str, encoding: str, phrase: str):
    doc = read(config.SAMPLES_DIR / name)
    assert (doc.format, doc.encoding) == (fmt, encoding)
    assert phrase in doc.text and "\r" not in doc.text
    assert doc.size == (config.SAMPLES_DIR / name).stat().st_size <= 3 * 1024


def test_every_sample_is_readable_and_documented():
    readme = (config.DATA_DIR / "README.md").read_text(encoding="utf-8")
    samples = sorted(config.SAMPLES_DIR.iterdir())
    assert {s[0] for s in SAMPLES} <= {p.name for p in samples}
    for path in samples:
        assert read(path).text and f"`{path.name}`" in readme


# --- errors: one line, naming the file and the problem ---------------------------


def _zip(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return path


DTD_XML = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           "<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>")


def _symlink(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


def _docx_with_part(path: Path, name: str, content: str | bytes) -> Path:
    """A real DOCX with the part ``name`` replaced (or added)."""
    plain = write_docx("增长8%", path.with_suffix(".plain.docx"))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item.filename))
        dst.writestr(name, content)
    return path


def _half_pdf(path: Path) -> Path:
    data = write_pdf("台州市椒江区商务发展规划", path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name
    return make


#: (case, make the file in tmp_path, words the message must contain)
ERRORS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("missing", lambda tmp: tmp / "nope.txt", "file not found"),
    ("directory", lambda tmp: (tmp / "docs").mkdir() or tmp / "docs", "is a directory"),
    ("unsupported", _bytes("table.xlsx", b"PK\x03\x04"), "unsupported file type '.xlsx'"),
    ("zero bytes", _bytes("empty.txt", b""), "is empty (0 bytes)"),
    ("whitespace", _bytes("blank.txt", " \r\n\t\u3000\n".encode()), "is empty"),
    ("html no text", _bytes("blank.html", b"<html><head><script>x()</script></head><body>"
                            b"<p> </p></body></html>"), "is empty"),
    ("NUL bytes", _bytes("data.txt", b"\x00\x01\x02abc\x00" * 10), "binary data (NUL bytes)"),
    ("UTF-16 without BOM", _bytes("u16.txt", "增长14.5%".encode("utf-16-le")), "NUL bytes"),
    ("PDF named .txt", _bytes("report.txt", b"%PDF-1.7\n1 0 obj"), "is a PDF file, not text"),
    ("PNG named .md", _bytes("chart.md", b"\x89PNG\r\n\x1a\n"), "is a PNG image"),
    ("Latin-1", _bytes("fr.txt", "Prévisions à moyen terme".encode("latin-1")),
     "cannot be decoded as UTF-8, GB18030 or Big5"),
    ("Shift-JIS", _bytes("jp.txt", "日本語のテキストです。".encode("shift_jis")),
     "cannot be decoded"),
    ("broken BOM", _bytes("bom.txt", b"\xef\xbb\xbf\xff\xfe\xfd abc"), "not valid utf-8-sig"),
    ("encrypted PDF", lambda tmp: write_encrypted_pdf(tmp / "locked.pdf"), "encrypted PDF"),
    ("image-only PDF", lambda tmp: write_image_only_pdf(tmp / "scan.pdf"),
     "no text layer"),
    ("truncated PDF", lambda tmp: _half_pdf(tmp / "half.pdf"), "corrupt PDF"),
    ("not a PDF", _bytes("fake.pdf", "这不是PDF".encode()), "not a PDF file"),
    ("truncated DOCX", _bytes("half.docx", b"PK\x03\x04\x14\x00garbage"), "not a readable .docx"),
    ("ZIP without Word part", lambda tmp: _zip(tmp / "x.docx", ["xl/workbook.xml"]),
     "not a readable .docx"),
    ("old .doc", _bytes("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
     "old binary Word .doc"),
    # issue 10
    ("symlink to /dev/zero", lambda tmp: _symlink(tmp / "zero.txt", "/dev/zero"),
     "is not a regular file (a character device)"),
    ("FIFO", lambda tmp: os.mkfifo(tmp / "pipe.txt") or tmp / "pipe.txt",
     "is not a regular file (a FIFO)"),
    ("mixed encodings", _bytes("mixed.txt", "第一部分：社会消费品零售总额增长8%\n".encode() * 2
                               + "第二部分".encode("gbk")),
     "mixes encodings: UTF-8 text up to line 3, then bytes that are not UTF-8 (byte 102)"),
    ("truncated UTF-8", _bytes("cut.txt", "社会消费品零售总额增长8%".encode()[:-4]),
     "ends inside a UTF-8 character (line 1; truncated?)"),
    ("DOCX with a DTD", lambda tmp: _docx_with_part(tmp / "dtd.docx", "word/document.xml",
                                                    DTD_XML), "has a DTD in word/document.xml"),
    ("DOCX UTF-16 DTD", lambda tmp: _docx_with_part(tmp / "dtd16.docx", "word/styles.xml",
                                                    DTD_XML.encode("utf-16-le")), "has a DTD"),
]


@pytest.mark.parametrize(("case", "make", "problem"), ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_fails_naming_file_and_problem(tmp_path: Path, case: str, make, problem: str):
    path = make(tmp_path)
    with pytest.raises(DocumentError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "\n" not in message and caught.value.fix


def test_too_large_fails_before_reading(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: no 200 MB are written, and none must be read
        f.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(DocumentError) as caught:
        read(path)
    assert time.perf_counter() - started < 0.5
    assert str(caught.value).startswith(f"{path}: too large (200.0 MB, limit 50.0 MB)")


def test_limit_is_read_from_config_at_call_time(tmp_path: Path, monkeypatch):
    path = write_encoded("增长14.5%", tmp_path / "small.txt", "utf-8")
    monkeypatch.setattr(config, "MAX_INPUT_BYTES", 4)
    with pytest.raises(DocumentError, match="too large"):
        read(path)


def test_html_meta_charset_breaks_ties(tmp_path: Path):
    """商務 in Big5 bytes is also valid, frequent GB2312 (see SHORT_TEXTS_XFAIL): the meta decides."""
    path = tmp_path / "page.html"
    path.write_bytes('<meta http-equiv="Content-Type" content="text/html; charset=big5">'
                     "<p>商務</p>".encode("big5"))
    doc = read(path)
    assert (doc.text, doc.encoding) == ("商務", "big5")


# --- decoded-size limits and deep markup (issue 10) -------------------------------


def test_docx_refused_from_declared_sizes_before_inflating(tmp_path: Path, monkeypatch):
    path = write_docx("增长8%", tmp_path / "small.docx")
    monkeypatch.setattr(config, "MAX_DECODED_BYTES", 1000)
    with pytest.raises(DocumentError, match=r"inflates to 0\.\d MB \(limit 0\.0 MB; a zip bomb"):
        read(path)


def test_pdf_text_is_bounded_page_by_page(tmp_path: Path, monkeypatch):
    path = write_pdf("台州市椒江区商务发展规划" * 20, tmp_path / "long.pdf")
    monkeypatch.setattr(config, "MAX_DECODED_BYTES", 100)
    with pytest.raises(DocumentError, match="PDF text exceeds 0.0 MB by page 1"):
        read(path)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_html_is_read_without_recursion(tmp_path: Path, depth: int):
    path = tmp_path / "deep.html"
    path.write_text("<body>" + "<div><span>" * depth + "增长8%" + "</span></div>" * depth
                    + "<p>下一段</p></body>", encoding="utf-8")
    assert read(path).text == "增长8%\n下一段"
