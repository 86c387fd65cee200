"""Reports: atomic outputs, exports (HTML, Markdown, Excel, PDF), escaping, batches.

The first part tests the export machinery on tables built here (a few real
figures from a sentence of seed 003, checks rows shaped like
``analysis.checks.run`` output).  The second part (marked slow) executes the
report notebook through papermill on the sample documents and the seeds and
asserts on the tables, files and pages it produced.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import config
from analysis.exceptions import AnalysisError, ReportError
from analysis.reports import atomic, excel, html, manifest, markdown, views
from analysis.reports.tables import Tables
from analysis.targets import TARGET_PATH_COLUMNS, target_path_table
from tests.conftest import seed_path

HOSTILE = "<script>alert(1)</script>"

# ----------------------------------------------------------------------------- fixtures


def _figures() -> pd.DataFrame:
    """Figures of seed 003's trade sentence (values, spans and quotes as the extractor gives them)."""
    quote = f"{HOSTILE}由2015年的151.45亿元增长至2020年的164.80亿元,年均增长2.58%。"
    rows = []
    for fid, printed, unit, kind, year, status in (
        ("F0001", "151.45", "亿元", "level", 2015, "actual"),
        ("F0002", "164.80", "亿元", "level", 2020, "actual"),
        ("F0003", "2.58", "%", "avg_growth", 2020, "actual"),
        ("F0004", "280", "亿元", "level", 2025, "target"),
        ("F0005", "235", "亿元", "level", 2025, "target"),
    ):
        start = quote.find(printed)
        scale = Decimal(10**8) if unit == "亿元" else Decimal(1)
        name = "网络零售额" if fid == "F0005" else "外贸进出口总额"
        rows.append(
            dict(
                id=fid,
                indicator=name,
                indicator_canonical=name,
                indicator_en="imports and exports",
                region=None,
                year=year,
                period=None,
                value=Decimal(printed),
                unit=unit,
                scale=scale,
                base_unit="CNY" if unit == "亿元" else "%",
                normalized=float(Decimal(printed) * scale),
                kind=kind,
                qualifier="exceeds" if fid == "F0004" else None,
                range=None,
                status=status,
                source="text",
                start=max(start, 0),
                end=max(start, 0) + len(printed),
                quote=quote,
                base_year=2015 if kind == "avg_growth" else None,
                span_years=5 if kind == "avg_growth" else None,
                printed=printed,
                quote_start=0,
                quote_end=len(quote),
                document="t",
            )
        )
    return pd.DataFrame(rows)


def _checks() -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(
                rule="avg_growth",
                verdict="inconsistent",
                severity="minor",
                figures=("F0001", "F0002", "F0003"),
                stated=2.58,
                computed=1.6998,
                interval="[1.6990, 1.7007]",
                unit="%",
                # messages quote document words, so they may carry markup too
                message_zh=f"{HOSTILE}年均增长2.58%与151.45→164.80亿元不符(应为1.70%)",
                message_en="stated 2.58% but 151.45 -> 164.80 over 5 years gives 1.70%",
                arithmetic="(164.80 / 151.45)^(1/5) - 1 = 1.70%",
                tolerance="±0.005 on each printed value",
                indicator="外贸进出口总额",
                year=2020,
                quotes=("q",),
                document="t",
            ),
            dict(
                rule="share_sum",
                verdict="consistent",
                severity=None,
                figures=("F0004",),
                stated=280.0,
                computed=280.0,
                interval="[279.5, 280.5]",
                unit="亿元",
                message_zh="一致",
                message_en="ok",
                arithmetic="=1+1",
                tolerance="±0.5",
                indicator="外贸进出口总额",
                year=2025,
                quotes=("q",),
                document="t",
            ),
        ]
    )


@pytest.fixture
def tables() -> Tables:
    figures, checks = _figures(), _checks()
    return Tables(
        document={
            "id": "t",
            "title": f"{HOSTILE}椒江区商务规划",
            "path": "/x/t.txt",
            "format": "text",
            "encoding": "utf-8",
            "chars": 120,
            "sha256": "ab" * 32,
        },
        figures=figures,
        checks=checks,
        flags=checks[checks["verdict"] != "consistent"],
        scenarios=target_path_table(figures),
    )


# ----------------------------------------------------------------------------- atomic


def test_atomic_dir_replaces_whole_folder(tmp_path):
    target = tmp_path / "doc"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with atomic.atomic_dir(target) as tmp:
        assert not (tmp / "old.txt").exists()
        assert target.exists() and (target / "old.txt").exists()  # old report intact while building
        (tmp / "new.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["doc"]


def test_atomic_dir_interrupted_leaves_old_report_and_no_partial(tmp_path):
    target = tmp_path / "doc"
    target.mkdir()
    (target / "report.html").write_text("complete")
    with pytest.raises(KeyboardInterrupt), atomic.atomic_dir(target) as tmp:
        (tmp / "report.html").write_text("half")
        raise KeyboardInterrupt
    assert (target / "report.html").read_text() == "complete"
    assert [p.name for p in tmp_path.iterdir()] == ["doc"]


def test_atomic_dir_new_folder_absent_until_done(tmp_path):
    target = tmp_path / "doc"
    with atomic.atomic_dir(target) as tmp:
        (tmp / "a").write_text("x")
        assert not target.exists()
        assert tmp.name.startswith(".doc.tmp-")  # hidden: never mistaken for a report
    assert (target / "a").read_text() == "x"


def test_atomic_write_failure_keeps_previous_file(tmp_path):
    path = tmp_path / "summary.md"
    atomic.write_text(path, "v1")
    with pytest.raises(RuntimeError), atomic.atomic_path(path) as tmp:
        tmp.write_text("partial")
        raise RuntimeError("disk full")
    assert path.read_text() == "v1"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.md"]


def test_remove_stale_leftovers(tmp_path):
    (tmp_path / ".doc.tmp-abc").mkdir()
    (tmp_path / ".doc.old-def").mkdir()
    (tmp_path / "doc").mkdir()
    removed = atomic.remove_stale(tmp_path, "doc")
    assert len(removed) == 2 and [p.name for p in tmp_path.iterdir()] == ["doc"]


# ----------------------------------------------------------------------------- tables


def test_scenario_table_pairs_base_and_target(tables):
    s = tables.scenarios
    trade = s[s["target_id"] == "F0004"].iloc[0]
    assert (trade["base_id"], trade["base_year"], trade["years"]) == ("F0002", 2020, 5)
    assert trade["implied_cagr"] == pytest.approx(((280 / 164.80) ** 0.2 - 1) * 100, abs=1e-9)
    assert list(tables.unbased["target_id"]) == ["F0005"]  # 网络零售额 has no base here


def test_tables_save_load_roundtrip(tables, tmp_path):
    tables.save(tmp_path)
    back = Tables.load(tmp_path)
    assert list(back.figures.columns) == list(tables.figures.columns)
    assert back.figures["value"].tolist() == [151.45, 164.8, 2.58, 280.0, 235.0]
    assert back.figures["printed"].tolist()[1] == "164.80"  # as printed: text
    assert str(back.figures["year"].dtype) == "Int64"
    assert back.checks.loc[0, "figures"] == "F0001, F0002, F0003"
    assert back.scenarios["implied_cagr"].iloc[0] == pytest.approx(
        tables.scenarios["implied_cagr"].iloc[0]
    )
    assert (
        back.counts()
        == tables.counts()
        == {
            "figures": 5,
            "checks": 2,
            "inconsistent": 1,
            "warning": 0,
            "consistent": 1,
            "targets_without_base": 1,
        }
    )
    assert (
        json.loads((tmp_path / "document.json").read_text(encoding="utf-8"))["document"]["id"]
        == "t"
    )


# ----------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "view",
    [
        views.summary_html,
        views.flags_html,
        views.figures_html,
        views.checks_html,
        views.unbased_html,
    ],
)
def test_views_escape_document_text(tables, view):
    page = view(tables, "both")
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find_all("script")
    assert HOSTILE not in page
    assert HOSTILE in soup.get_text()  # shown, as text


def test_flags_view_shows_numbers_arithmetic_and_marked_quote(tables):
    soup = BeautifulSoup(views.flags_html(tables, "both"), "html.parser")
    flags = soup.select("section#flags li.pc-flag")
    assert len(flags) == 1
    text = flags[0].get_text(" ")
    for expected in (
        "外贸进出口总额",
        "2.58%",
        "1.70%",
        "+0.88 pp",
        "(164.80 / 151.45)^(1/5) - 1 = 1.70%",
        "不一致",
        "inconsistent",
    ):
        assert expected in text
    assert [m.get_text() for m in flags[0].select("mark")] == ["151.45", "164.80", "2.58"]


@pytest.mark.parametrize(
    "language, present, absent",
    [("zh", "问题数字", "Flags"), ("en", "Flags", "问题数字"), ("both", "问题数字 Flags", None)],
)
def test_views_language(tables, language, present, absent):
    page = views.flags_html(tables, language)
    assert present in page
    if absent:
        assert absent not in page


def test_markdown_summary_escapes_and_shows_arithmetic(tables, tmp_path):
    path = markdown.export(tables, tmp_path / "summary.md")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "`(164.80 / 151.45)^(1/5) - 1 = 1.70%`" in text
    assert "| 5 | 2 | 1 | 0 | 1 | 1 |" in text
    assert re.search(r"^### 1\. 外贸进出口总额", text, re.MULTILINE)
    assert "> F0001, F0002, F0003: &lt;script&gt;" in text  # one quote, its three figures


# ----------------------------------------------------------------------------- Excel


def test_excel_headers_frozen_numbers_roundtrip(tables, tmp_path):
    from openpyxl import load_workbook

    sheets = {
        "figures": tables.figures,
        "checks": tables.checks,
        "flags": tables.flags,
        "scenarios": tables.scenarios,
    }
    path = excel.export(sheets, tmp_path / "report.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["figures", "checks", "flags", "scenarios"]
    ws = wb["figures"]
    assert ws.freeze_panes == "A3"
    header_zh = [c.value for c in ws[1]]
    header_en = [c.value for c in ws[2]]
    assert header_en == list(tables.figures.columns)
    assert header_zh[header_en.index("indicator")] == "指标"
    value_col = header_en.index("value") + 1
    cell = ws.cell(row=4, column=value_col)
    assert cell.data_type == "n" and cell.value == 164.8
    year = ws.cell(row=3, column=header_en.index("year") + 1)
    assert year.data_type == "n" and year.value == 2015
    # text that looks like a formula stays text
    checks = wb["checks"]
    arith = checks.cell(row=4, column=[c.value for c in checks[2]].index("arithmetic") + 1)
    assert arith.value == "=1+1" and arith.data_type == "s"
    # the quote column is wider than the default and capped
    quote_letter = ws.cell(row=1, column=header_en.index("quote") + 1).column_letter
    assert 20 < ws.column_dimensions[quote_letter].width <= excel.MAX_WIDTH + 2

    back = excel.read(path, "figures")
    assert list(back.columns) == list(tables.figures.columns)
    assert back["value"].tolist() == [float(v) for v in tables.figures["value"]]
    assert back["normalized"].tolist() == tables.figures["normalized"].tolist()
    sc = excel.read(path, "scenarios")
    assert list(sc.columns) == list(TARGET_PATH_COLUMNS)
    assert sc["implied_cagr"].iloc[0] == pytest.approx(
        tables.scenarios["implied_cagr"].iloc[0], rel=1e-12
    )


def test_excel_of_empty_sheet_has_headers(tmp_path):
    path = excel.export({"flags": pd.DataFrame(columns=["rule", "verdict"])}, tmp_path / "e.xlsx")
    assert excel.read(path, "flags").columns.tolist() == ["rule", "verdict"]


# ----------------------------------------------------------------------------- HTML


def _tiny_notebook(path: Path, body: str) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(body)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


def test_html_export_offline_no_code_escaped(tmp_path):
    from analysis import runner

    nb = _tiny_notebook(
        tmp_path / "t.ipynb",
        (
            "import pandas as pd\n"
            "from IPython.display import HTML, display, Image\n"
            "from analysis.reports import charts\n"
            "import matplotlib.figure as mf\n"
            "SECRET_CODE_MARKER = 1\n"
            f"display(pd.DataFrame({{'原文 quote': ['{HOSTILE}进出口额']}}))\n"
            "fig = mf.Figure(); ax = fig.add_subplot(); ax.plot([1, 2]); ax.set_title('进出口额')\n"
            "display(Image(charts.png(fig)))\n"
        ),
    )
    out = runner.execute(nb, tmp_path / "out.ipynb", document="t")
    page = html.export(out, tmp_path / "r.html", title=f"{HOSTILE}标题").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    assert not soup.find_all("script")
    assert HOSTILE not in page and HOSTILE + "进出口额" in soup.get_text()
    assert "SECRET_CODE_MARKER" not in page  # no code cells
    imgs = soup.find_all("img")
    assert imgs and all(i["src"].startswith("data:image/png;base64,") for i in imgs)
    for tag in soup.find_all(src=True) + soup.find_all(href=True):
        ref = tag.get("src") or tag.get("href")
        assert not re.match(r"(https?:)?//", ref), ref
    assert "require.min.js" not in page and "MathJax" not in page
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "script-src" not in csp["content"] and "default-src 'none'" in csp["content"]
    assert "@font-face" in page and "data:font/woff;base64," in page


def test_index_page_links_and_failures(tmp_path):
    rows = [
        {
            "doc_id": "003",
            "source": "003.txt",
            "status": "built",
            "report": "003/report.html",
            "figures": 96,
            "inconsistent": 4,
            "warning": 1,
        },
        {
            "doc_id": "bad",
            "source": "bad.txt",
            "status": "failed",
            "error": f"bad.txt: {HOSTILE} empty file",
        },
    ]
    soup = BeautifulSoup(html.index_page(rows, "both"), "lxml")
    links = [a["href"] for a in soup.find_all("a")]
    assert links == ["003/report.html"]
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert cells[0][:6] == ["003", "003.txt", "已生成 built", "96", "4", "1"]
    assert cells[1][2] == "失败 failed" and HOSTILE in cells[1][6]
    assert not soup.find_all("script")


# ----------------------------------------------------------------------------- PDF


def test_pdf_renders_chinese_with_bundled_font(tmp_path):
    import pdfplumber

    from analysis.reports import pdf

    page = f"<html><body><h1>核验报告</h1><p>外贸进出口总额 2.58 {html_escape(HOSTILE)}</p></body></html>"
    path = pdf.export(page, tmp_path / "r.pdf")
    with pdfplumber.open(path) as doc:
        text = doc.pages[0].extract_text()
        fonts = {c["fontname"] for c in doc.pages[0].chars if not c["text"].isascii()}
    assert "核验报告" in text and "外贸进出口总额" in text and "<script>" in text
    assert fonts and all(pdf.FONT_FAMILY in f for f in fonts)


#: (text, seconds): pathological document text the PDF must lay out quickly (issue 10).
PATHOLOGICAL = [
    ("9" * 5000, "5,000-digit title"),
    ("9" * 1_000_000, "1 MB of digits"),
    ("(" * 10_000 + "1" + ")" * 10_000, "10,000 nested brackets"),
]


@pytest.mark.parametrize("text, what", PATHOLOGICAL, ids=[w for _, w in PATHOLOGICAL])
def test_pdf_of_pathological_text_finishes(tables, tmp_path, text, what):
    """The title, a quote and a message made of ``text``: the memo is laid out in bounded
    time (generous bound: the machine is shared) and shows a shortened form."""
    import time

    import pdfplumber

    from analysis.reports import pdf

    figures = tables.figures.copy()
    figures.loc[0, "quote"] = text
    flags = tables.flags.copy()
    flags.loc[0, "message_en"] = text
    odd = Tables(
        document={**tables.document, "title": text},
        figures=figures,
        checks=tables.checks,
        flags=flags,
        scenarios=tables.scenarios,
    )
    started = time.perf_counter()
    path = pdf.export(pdf.memo_html(odd, [], "both"), tmp_path / "odd.pdf")
    seconds = time.perf_counter() - started
    assert seconds < 90, f"{what}: {seconds:.0f} s"
    with pdfplumber.open(path) as doc:
        assert len(doc.pages) <= 6, what
        assert "外贸进出口总额" in "".join(p.extract_text() or "" for p in doc.pages[:2])


#: (stated, other, unit, shown gap)
GAPS = [
    (2.58, 1.7038950761761693, "%", "+0.88 pp"),  # seed 003 avg_growth
    (280.0, 277.48, "亿元", "+0.91%"),  # seed 003 duplicate text vs table
    (1.0, 0.2, "亿美元", "+400%"),
    (153.76, 153.9, "亿元", "−0.09%"),
    (25.3, 22.53, "%", "+2.77 pp"),
    (3.0, 3.0, "个百分点", "+0.00 pp"),
]


@pytest.mark.parametrize("stated, other, unit, expected", GAPS)
def test_gap_in_points_or_relative(stated, other, unit, expected):
    assert views.gap_text(stated, other, unit) == expected


#: (title as extracted, shown)
TITLES = [
    ("首页 > 政务公开", "t"),
    ("当前位置：首页 > 政务公开 > 通知", "t"),
    ("**台州市椒江区商务发展“十四五”规划**", "台州市椒江区商务发展“十四五”规划"),
    ("# 2023年工作计划", "2023年工作计划"),
    ("", "t"),
]


@pytest.mark.parametrize("title, shown", TITLES)
def test_display_title_is_never_a_breadcrumb_or_markup(title, shown):
    assert views.display_title({"title": title, "id": "t"}) == shown


def test_repeat_flag_labels_both_printed_values(tables):
    """A value printed twice (text and table) is never called "computed"."""
    figures = tables.figures.set_index("id", drop=False)
    figures.loc["F0005", "source"] = "table"
    row = pd.Series(
        {"rule": "duplicate", "verdict": "inconsistent", "severity": "minor",
         "figures": "F0004, F0005", "stated": 280.0, "computed": 277.48, "unit": "亿元",
         "arithmetic": "a\nb", "tolerance": "t"}
    )
    facts = views.flag_facts(row, figures)
    assert facts["values"] == [("source_text", "280亿元"), ("source_table", "277.48亿元")]
    assert facts["gap"] == "+0.91%" and facts["arithmetic"] == "a b"


def test_checks_and_paths_views_one_line_and_one_row_per_fact(tables):
    checks = tables.checks.copy()
    checks.loc[0, "computed"] = 6.359163214
    checks.loc[0, "message_zh"] = "第一行\n第二行"
    page = views.checks_html(
        Tables(tables.document, tables.figures, checks, tables.flags, tables.scenarios), "both"
    )
    text = BeautifulSoup(page, "html.parser").get_text(" ")
    assert "\\n" not in page and "第一行 第二行" in text
    assert "6.36%" in text and "6.359" not in text
    # the same target in the text and a table: one row, its source "text, table"
    again = tables.figures.iloc[[3]].assign(id="F0006", source="table")
    figures = pd.concat([tables.figures, again])
    t = Tables(tables.document, figures, tables.checks, tables.flags, target_path_table(figures))
    view = views.paths_view(t)
    assert len(view) == len(t.paths) - 1
    assert "text, table" in set(view["source"])
    assert "正文 text · 表格 table" in views.paths_html(t, "both")


def html_escape(s: str) -> str:
    import html as std_html

    return std_html.escape(s)


# ----------------------------------------------------------------------------- manifest


def test_manifest_roundtrip_and_schema(tmp_path):
    manifest.save(tmp_path, {"a": {"status": "built", "sha256": "x"}})
    assert manifest.load(tmp_path) == {"a": {"status": "built", "sha256": "x"}}
    (tmp_path / manifest.MANIFEST).write_text("{not json")
    assert manifest.load(tmp_path) == {}


def test_build_report_bad_document_leaves_nothing(tmp_path):
    from analysis.reports import build_report

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    with pytest.raises(AnalysisError) as err:
        build_report(empty, out)
    assert str(err.value).count("empty.txt") == 1 and "\n" not in str(err.value)
    assert not out.exists() or not any(out.iterdir())


def test_build_report_rejects_unknown_language_and_format(tmp_path):
    from analysis.reports import build_report

    with pytest.raises(ReportError, match="language 'fr'"):
        build_report(config.SAMPLES_DIR / "plan_2021_2025.txt", tmp_path, language="fr")
    with pytest.raises(ReportError, match="unknown report format"):
        build_report(config.SAMPLES_DIR / "plan_2021_2025.txt", tmp_path, formats=["docx"])


# ============================================================================= end to end
# The report notebook executed through papermill (build_reports) on the sample
# documents, a hostile document and a broken one; then on the real seeds.

HOSTILE_DOC = (
    f"{HOSTILE}<img src=x onerror=alert(2)>示例区商务规划\n"
    f"“十三五”期间,{HOSTILE}外贸进出口总额由2015年的151.45亿元增长至2020年的164.80亿元,年均增长2.58%。\n"
)


@pytest.fixture(scope="module")
def sample_batch(tmp_path_factory):
    """One batch over data/samples plus a hostile and an empty document."""
    from analysis.reports import build_reports

    if not config.SAMPLES_DIR.is_dir():
        pytest.skip(f"no sample documents in {config.SAMPLES_DIR}")
    extra = tmp_path_factory.mktemp("inputs")
    (extra / "hostile.txt").write_text(HOSTILE_DOC, encoding="utf-8")
    (extra / "empty.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("reports")
    results = build_reports([config.SAMPLES_DIR, extra / "hostile.txt", extra / "empty.txt"], out)
    return out, {r.doc_id: r for r in results}


@pytest.mark.slow
def test_batch_builds_every_sample_and_reports_the_broken_one(sample_batch):
    import nbformat

    from analysis.reports import OUTPUTS, document_paths

    out, results = sample_batch
    samples = [p.stem for p in document_paths([config.SAMPLES_DIR])]
    assert samples and set(results) == set(samples) | {"hostile", "empty"}
    assert results["empty"].status == "failed"
    assert "empty.txt" in results["empty"].error and "\n" not in results["empty"].error
    for doc_id in [*samples, "hostile"]:
        r = results[doc_id]
        assert r.status == "built", r.error
        files = sorted(p.name for p in r.folder.iterdir())
        assert files == sorted(
            [
                *OUTPUTS.values(),
                "figures.csv",
                "checks.csv",
                "flags.csv",
                "scenarios.csv",
                "document.json",
            ]
        )
        # the report shows no warnings or tracebacks
        nb = nbformat.read(str(r.folder / OUTPUTS["notebook"]), as_version=4)
        noise = [
            o
            for c in nb.cells
            for o in c.get("outputs", [])
            if o["output_type"] == "error" or o.get("name") == "stderr"
        ]
        assert noise == [], (doc_id, noise[:1])
    assert not (out / "empty").exists()
    assert not [p for p in out.iterdir() if ".tmp" in p.name or ".old-" in p.name]  # no temp


@pytest.mark.slow
def test_report_tables_are_the_pipelines(sample_batch):
    """figures.csv / checks.csv hold what the pipeline computes for the document."""
    from analysis import checks, documents, figures

    _out, results = sample_batch
    for r in results.values():
        if r.status != "built":
            continue
        doc = documents.load(r.source)
        found = figures.extract(doc)
        expected_checks = checks.run(found)
        saved = Tables.load(r.folder)
        assert saved.figures["id"].tolist() == [f.id for f in found]
        assert saved.figures["value"].tolist() == [float(f.value) for f in found]
        assert saved.checks["rule"].tolist() == expected_checks["rule"].tolist()
        assert saved.checks["verdict"].tolist() == expected_checks["verdict"].tolist()
        assert r.counts["inconsistent"] == int((expected_checks["verdict"] == "inconsistent").sum())
        assert saved.document["sha256"] == doc.sha256


@pytest.mark.slow
def test_plan_sample_flags_with_arithmetic(sample_batch):
    """The plan sample states 年均增长25.3% for 0.42 -> 1.16亿美元 (2015-2020) and prints
    网络零售额 2025 as 160 in the text but 170 in its table."""
    _out, results = sample_batch
    t = Tables.load(results["plan_2021_2025"].folder)
    flags = t.flags.set_index("rule")
    growth = flags.loc["avg_growth"]
    assert growth["stated"] == 25.3
    assert growth["computed"] == pytest.approx(((1.16 / 0.42) ** (1 / 5) - 1) * 100, abs=1e-6)
    assert "1.16" in growth["arithmetic"] and "0.42" in growth["arithmetic"]
    dup = flags.loc["duplicate"]
    assert {dup["stated"], dup["computed"]} == {160.0, 170.0}
    md = (results["plan_2021_2025"].folder / "summary.md").read_text(encoding="utf-8")
    assert "实际利用外资" in md and "网络零售额" in md and "25.3" in md
    page = BeautifulSoup(
        (results["plan_2021_2025"].folder / "report.html").read_text(encoding="utf-8"), "lxml"
    )
    items = page.select("section#flags li.pc-flag")
    assert len(items) == len(t.flags) == 2
    assert "22.53" in items[[i.get("data-rule") for i in items].index("avg_growth")].get_text()


@pytest.mark.slow
def test_report_html_is_self_contained(sample_batch):
    _out, results = sample_batch
    page = (results["plan_2021_2025"].folder / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    ids = [s.get("id") for s in soup.find_all("section")]
    assert ids[:3] == ["summary", "flags", "paths"] and {"unbased", "checks", "figures"} <= set(ids)
    imgs = soup.find_all("img")
    # the base -> target charts, grouped in one image
    assert len(imgs) >= 1 and all(i["src"].startswith("data:image/png;base64,") for i in imgs)
    assert not soup.find_all("script") and not soup.find_all("link", href=True)
    assert "reports.collect(" not in page  # no code cells
    assert "data:font/woff;base64," in page


@pytest.mark.slow
def test_hostile_document_is_escaped_everywhere(sample_batch):
    from openpyxl import load_workbook

    _out, results = sample_batch
    folder = results["hostile"].folder
    t = Tables.load(folder)
    assert len(t.flags) >= 1  # 151.45 -> 164.80 is 1.70 % a year, not the stated 2.58 %
    assert HOSTILE in t.document["title"]
    page = (folder / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    assert not soup.find_all("script")
    assert not soup.find_all("img", src="x")
    assert HOSTILE in soup.select_one("section#flags").get_text()  # shown as text
    assert HOSTILE not in page
    md = (folder / "summary.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<img" not in md
    wb = load_workbook(folder / "report.xlsx")
    quotes = [c.value for c in wb["figures"]["T"] if c.value and "script" in str(c.value)]
    assert quotes and all(HOSTILE in q for q in quotes)


@pytest.mark.slow
def test_excel_of_a_report_roundtrips_with_pandas(sample_batch):
    _out, results = sample_batch
    folder = results["plan_2021_2025"].folder
    t = Tables.load(folder)
    for sheet in ("figures", "checks", "flags", "scenarios"):
        back = excel.read(folder / "report.xlsx", sheet)
        frame = getattr(t, sheet)
        assert list(back.columns) == list(frame.columns)
        assert len(back) == len(frame)
        for col in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[col]):
                pd.testing.assert_series_equal(
                    back[col].astype(float), frame[col].astype(float), check_names=False, rtol=1e-12
                )


@pytest.mark.slow
def test_pdf_of_a_report_has_chinese_text(sample_batch):
    import pdfplumber

    _out, results = sample_batch
    with pdfplumber.open(results["plan_2021_2025"].folder / "report.pdf") as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages[:3])
        fonts = {
            c["fontname"]
            for p in doc.pages[:3]
            for c in p.chars
            if "\u4e00" <= c["text"] <= "\u9fff"
        }
    assert "政策文件数字核验报告" in text and "实际利用外资" in text
    assert fonts and all("PolicycheckCJK" in f for f in fonts)


@pytest.mark.slow
def test_index_and_overview(sample_batch):
    out, results = sample_batch
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "lxml")
    links = {a["href"] for a in soup.find_all("a")}
    built = [r for r in results.values() if r.status == "built"]
    assert {f"{r.doc_id}/report.html" for r in built} | {"overview.html"} == links
    rows = {
        tr.find_all("td")[0].get_text(): [td.get_text() for td in tr.find_all("td")]
        for tr in soup.select("tbody tr")
    }
    assert rows["plan_2021_2025"][4] == "2"
    assert "empty.txt" in rows["empty"][6] and "failed" in rows["empty"][2]
    overview = BeautifulSoup((out / "overview.html").read_text(encoding="utf-8"), "lxml")
    table = overview.select_one("section#flags-per-document table")
    got = {
        tr.find_all("td")[0].get_text(): tr.find_all("td")[4].get_text()
        for tr in table.select("tbody tr")
    }
    assert got == {r.doc_id: str(r.counts["inconsistent"]) for r in built}
    indicators = overview.select_one("section#indicators").get_text()
    assert "社会消费品零售总额" in indicators
    assert manifest.load(out)["empty"]["status"] == "failed"


@pytest.mark.slow
def test_unchanged_documents_are_skipped(tmp_path):
    from analysis.reports import build_reports

    src = tmp_path / "in"
    src.mkdir()
    doc = src / "plan.txt"
    doc.write_text(
        (config.SAMPLES_DIR / "plan_2021_2025.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "out"
    first = build_reports([src], out, formats=["markdown"], overview=False)
    assert [r.status for r in first] == ["built"]
    stamp = (out / "plan" / "summary.md").stat().st_mtime_ns
    again = build_reports([src], out, formats=["markdown"], overview=False)
    assert [r.status for r in again] == ["skipped"] and again[0].counts == first[0].counts
    assert (out / "plan" / "summary.md").stat().st_mtime_ns == stamp
    other_language = build_reports([src], out, language="en", formats=["markdown"], overview=False)
    assert [r.status for r in other_language] == ["built"]  # settings changed
    doc.write_text(
        doc.read_text(encoding="utf-8") + "\n到2025年,网络零售额达到200亿元。", encoding="utf-8"
    )
    changed = build_reports([src], out, language="en", formats=["markdown"], overview=False)
    assert [r.status for r in changed] == ["built"]
    forced = build_reports(
        [src], out, language="en", formats=["markdown"], overview=False, force=True
    )
    assert [r.status for r in forced] == ["built"]
    entry = manifest.load(out)["plan"]
    assert entry["sha256"] == __import__("hashlib").sha256(doc.read_bytes()).hexdigest()
    assert "## Flags" in (out / "plan" / "summary.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_duplicate_document_ids_in_one_batch(tmp_path):
    from analysis.reports import build_reports

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = (config.SAMPLES_DIR / "plan_2021_2025.txt").read_text(encoding="utf-8")
    (tmp_path / "a" / "x.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "x.md").write_text(text, encoding="utf-8")
    res = build_reports(
        [tmp_path / "a" / "x.txt", tmp_path / "b" / "x.md"],
        tmp_path / "out",
        formats=["markdown"],
        overview=False,
    )
    assert [(r.doc_id, r.status) for r in res] == [("x", "built"), ("x-2", "built")]
    assert res[1].source.name == "x.md"


# ----------------------------------------------------------------------------- seeds

SEED_003_FLAGS = [
    # (indicator, stated, computed) — the four inconsistencies of seed 003 (checked by hand:
    # (164.80/151.45)^(1/5)-1 = 1.70 %; text vs table 280 / 277.48, 1 / 0.2亿美元, 153.76 / 153.9)
    ("外贸进出口总额", 2.58, 1.70),
    ("外贸进出口总额", 280, 277.48),
    ("中方投资额", 1, 0.2),
    ("出口额", 153.76, 153.9),
]


@pytest.fixture(scope="module")
def seed_batch(tmp_path_factory):
    from analysis.reports import build_reports

    seed_path("003")  # skips with the reason when ../shared is absent
    out = tmp_path_factory.mktemp("seed_reports")
    results = build_reports([config.SEEDS_DIR], out, formats=["markdown", "excel"], overview=True)
    return out, {r.doc_id[:3]: r for r in results}


@pytest.mark.slow
@pytest.mark.seeds
def test_every_seed_report_builds(seed_batch):
    from analysis import checks, documents, figures

    _out, results = seed_batch
    assert set(results) == {p.name[:3] for p in config.seed_paths()}
    for r in results.values():
        assert r.status == "built", r.error
        t = Tables.load(r.folder)
        found = figures.extract(documents.load(r.source))
        assert len(t.figures) == len(found) > 0
        assert len(t.checks) == len(checks.run(found))
        assert (r.folder / "report.xlsx").is_file() and (r.folder / "summary.md").is_file()


@pytest.mark.slow
@pytest.mark.seeds
def test_seed_003_flags_the_four_inconsistencies(seed_batch):
    _out, results = seed_batch
    t = Tables.load(results["003"].folder)
    incon = t.flags[t.flags["verdict"] == "inconsistent"]
    assert len(incon) == 4
    got = sorted(
        (r.indicator, round(r.stated, 2), round(r.computed, 2)) for r in incon.itertuples()
    )
    assert got == sorted((i, round(s, 2), round(c, 2)) for i, s, c in SEED_003_FLAGS)
    sheet = excel.read(results["003"].folder / "report.xlsx", "flags")
    assert sheet["stated"].tolist() == t.flags["stated"].tolist()
    md = (results["003"].folder / "summary.md").read_text(encoding="utf-8")
    assert md.count("\n### ") == len(t.flags)
    assert "`(164.80 / 151.45)^(1/5)" in md


@pytest.mark.slow
@pytest.mark.seeds
def test_seed_003_paths_and_unbased_targets(seed_batch):
    _out, results = seed_batch
    t = Tables.load(results["003"].folder)
    retail = t.paths[t.paths["indicator"] == "社会消费品零售总额"].iloc[0]
    assert (retail["base_value"], retail["target_value"], retail["years"]) == (290.5, 407.0, 5)
    assert retail["implied_cagr"] == pytest.approx(((407 / 290.5) ** 0.2 - 1) * 100, abs=1e-9)
    assert retail["stated_rate"] == 7.0
    assert len(t.unbased) == t.counts()["targets_without_base"] > 0
    assert t.unbased["target_year"].isna().any() or (t.unbased["target_id"].notna()).all()


@pytest.mark.slow
def test_failing_notebook_leaves_no_partial_report(tmp_path, monkeypatch):
    """A run that fails: one-line error naming the document, no folder, old report kept."""
    import analysis.reports as reports

    out = tmp_path / "out"
    (out / "plan_2021_2025").mkdir(parents=True)
    (out / "plan_2021_2025" / "report.html").write_text("previous complete report")
    # an unknown rule: refused by the runner before the kernel starts (issue 10)
    with pytest.raises(ReportError) as err:
        reports.build_report(
            config.SAMPLES_DIR / "plan_2021_2025.txt",
            out,
            rules="no_such_rule",
            formats=["markdown"],
        )
    msg = str(err.value)
    assert msg.startswith(str(config.SAMPLES_DIR / "plan_2021_2025.txt") + ": ")
    assert "plan_2021_2025.txt: check_document.ipynb: parameter 'rules' names unknown" in msg
    assert "no_such_rule" in msg and "\n" not in msg and "(see " not in msg
    assert sorted(p.name for p in out.iterdir()) == ["plan_2021_2025"]
    assert (out / "plan_2021_2025" / "report.html").read_text() == "previous complete report"


# ---------------------------------------------------------------------- the pages a reader sees

#: Page bounds of the PDF memo (issue 12: seed 003 in at most 8 pages).
MAX_PAGES_003 = 8
MAX_PAGES_SAMPLE = 5
OUT_DIR = Path(__file__).resolve().parent / "_out"
#: A raw float: more decimals than any printed or rounded value shows.
RAW_FLOAT = re.compile(r"\d\.\d{7,}")


def _pdf_pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def _save_pages(pdf_path: Path, stem: str) -> list[Path]:
    """Each PDF page as a PNG under tests/_out (pypdfium2, the renderer pdfplumber uses)."""
    import pypdfium2

    OUT_DIR.mkdir(exist_ok=True)
    doc = pypdfium2.PdfDocument(str(pdf_path))
    paths = []
    for i in range(len(doc)):
        path = OUT_DIR / f"{stem}-page{i + 1}.png"
        doc[i].render(scale=1.4).to_pil().save(path)
        paths.append(path)
    doc.close()
    return paths


@pytest.fixture(scope="module")
def seed_003_pages(tmp_path_factory):
    from analysis.reports import build_report

    path = seed_path("003")  # skips with the reason when ../shared is absent
    formats = ["html", "markdown", "pdf"]
    result = build_report(path, tmp_path_factory.mktemp("r003"), formats=formats)
    return result


@pytest.mark.slow
@pytest.mark.seeds
def test_seed_003_pdf_is_a_short_memo_flags_first(seed_003_pages):
    pdf_path = seed_003_pages.files["pdf"]
    pages = _pdf_pages(pdf_path)
    print(f"\nPDF pages: seed 003 = {len(pages)}")
    saved = _save_pages(pdf_path, "seed_003_pdf")
    assert len(saved) == len(pages) <= MAX_PAGES_003
    first = pages[0]
    t = Tables.load(seed_003_pages.folder)
    assert t.coverage and t.coverage["summary_en"][:20] in " ".join(first.split())
    # the four inconsistencies on page 1, each with both values and its gap
    for indicator, stated, other in SEED_003_FLAGS:
        assert indicator in first
        assert views.fmt_number(stated) in first and views.fmt_number(other) in first
    for gap in ("+0.88 pp", "+0.91%", "+400%", "−0.09%"):
        assert gap in first
    for text in pages:
        assert "\\n" not in text and not RAW_FLOAT.search(text), RAW_FLOAT.search(text)
    import pypdf

    box = pypdf.PdfReader(pdf_path).pages[0].mediabox
    assert float(box.height) > float(box.width)  # portrait


@pytest.mark.slow
@pytest.mark.seeds
def test_seed_003_html_and_markdown_have_no_raw_text_artefacts(seed_003_pages):
    page = seed_003_pages.files["html"].read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "lxml")
    for tag in soup(["style", "script"]):
        tag.decompose()
    text = soup.get_text(" ")
    assert "\\n" not in text and not RAW_FLOAT.search(text), RAW_FLOAT.search(text)
    assert "首页 >" not in soup.title.get_text()
    first = soup.select_one("section#summary").get_text(" ")
    assert "checked" in first and "核查" in first  # the coverage line
    assert "minor" in first and "gross" in first  # the severity labels used, defined
    md = (seed_003_pages.folder / "summary.md").read_text(encoding="utf-8")
    assert "\\n" not in md and not RAW_FLOAT.search(md)
    assert "正文 text **280亿元** · 表格 table **277.48亿元**" in md


@pytest.mark.slow
def test_sample_pdfs_are_short(sample_batch):
    _out, results = sample_batch
    counts = {}
    for doc_id, r in sorted(results.items()):
        if r.status != "built":
            continue
        pages = _pdf_pages(r.folder / "report.pdf")
        counts[doc_id] = len(pages)
        assert all("\\n" not in p and not RAW_FLOAT.search(p) for p in pages), doc_id
    print(f"\nPDF pages: {counts}")
    assert counts and max(counts.values()) <= MAX_PAGES_SAMPLE, counts
