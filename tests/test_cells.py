"""Formula-leading text is neutralised in every CSV and Markdown output (OWASP CSV Injection),
numbers stay numbers, the Excel workbook keeps text as text, and our own CSVs read back exactly."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis import cells
from analysis.cli import main
from analysis.reports import excel, markdown, tables

#: Lines that start like formulas (the issue's findings), each with a figure.
HOSTILE_TEXT = "\n".join([
    "=1+1社会消费品零售总额达到407亿元。",
    "@SUM电商平台交易额增长12%。",
    "+HYPERLINK物流园区投资5亿元。",
    "-1+1市场主体增长8%。",
    "\t外贸进出口总额474.4亿元。",
])

NEUTRALIZED = [
    ("=1+1社会消费品零售总额", "'=1+1社会消费品零售总额"),
    ("@SUM电商平台", "'@SUM电商平台"),
    ("+HYPERLINK物流园区", "'+HYPERLINK物流园区"),
    ("-1+1市场主体", "'-1+1市场主体"),
    ("\t外贸", "'\t外贸"),
    ("\r外贸", "'\r外贸"),
    ("'=already quoted", "''=already quoted"),
    ("-", "'-"),
]
KEPT = ["-1.8", "+5", "1E+8", "-3.5%", ".5", "社会消费品零售总额", "'plain", "", "a=b"]


@pytest.mark.parametrize(("value", "expected"), NEUTRALIZED)
def test_formula_leading_text_is_prefixed(value: str, expected: str):
    assert cells.neutralize(value) == expected
    assert cells.restore(expected) == value


@pytest.mark.parametrize("value", KEPT)
def test_numbers_and_plain_text_are_kept(value: str):
    assert cells.neutralize(value) == value == cells.restore(value)


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _assert_inert(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for key, value in row.items():
            assert not (value or "").startswith(cells.FORMULA_LEADS) or cells._NUMBER.fullmatch(
                value), (key, value)


@pytest.fixture()
def hostile_doc(tmp_path: Path) -> Path:
    path = tmp_path / "formulas.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["extract", "check"])
def test_cli_csv_files_and_stdout_are_inert(tmp_path: Path, hostile_doc: Path, capsys,
                                            command: str):
    assert main([command, str(hostile_doc), "--out", str(tmp_path / "o"), "--format", "csv"]) == 0
    stdout = capsys.readouterr().out
    files = sorted((tmp_path / "o").rglob("*.csv"))
    assert files
    for text in [stdout, *(f.read_text(encoding="utf-8") for f in files)]:
        _assert_inert(_csv_rows(text))
    figures = _csv_rows((tmp_path / "o" / "formulas" / "figures.csv").read_text(encoding="utf-8"))
    quotes = {row["quote"] for row in figures}
    assert "'=1+1社会消费品零售总额达到407亿元。" in quotes
    assert "'-1+1市场主体增长8%。" in quotes
    for row in figures:       # numbers stay numbers
        float(row["value"]), int(row["start"]), float(row["normalized"])


def test_report_tables_are_inert_and_read_back_exactly(tmp_path: Path, hostile_doc: Path):
    collected = tables.collect(hostile_doc)
    collected.save(tmp_path)
    for name in tables.FILES.values():
        _assert_inert(_csv_rows((tmp_path / name).read_text(encoding="utf-8")))
    back = tables.Tables.load(tmp_path)
    assert list(back.figures["quote"]) == list(collected.figures["quote"])
    assert back.figures["quote"].str.startswith("=").any()


def test_excel_keeps_formula_text_as_text(tmp_path: Path, hostile_doc: Path):
    from openpyxl import load_workbook

    collected = tables.collect(hostile_doc)
    path = excel.export({"figures": collected.figures}, tmp_path / "r.xlsx")
    sheet = load_workbook(path)["figures"]
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)
             and c.value.startswith("=1+1")]
    assert texts and all(c.data_type == "s" for c in texts)


def test_markdown_cells_are_inert():
    assert markdown.escape("=1+1社会消费品零售总额") == "'=1+1社会消费品零售总额"
    assert markdown.escape("-1.8") == "-1.8"
