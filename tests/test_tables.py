"""Flattened tables read as tables (analysis.figures.tables).

Every snippet below is written in a layout real documents print (web pages, PDF extraction,
Word); labels and numbers are our own.  Expected values come from reading the snippet.
"""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.documents import from_text
from analysis.documents.readers import html_text
from analysis.figures.tables import Region, annex_regions, extract_tables, table_regions

# --- layouts -----------------------------------------------------------------------------------

# cells terminated by " |", a lone "|" an empty cell, "|||||" the rest of a category row
TERMINATED = """某县国民经济和社会发展第十四个五年规划纲要
表2:“十四五”经济社会发展主要指标
指 标 |
2020年 实际 |
2025年 目标 |
“十四五”年均增长(%) |
属性 |
|
一、经济发展 |
|||||
地区生产总值(亿元) |
512.3 |
760 |
8.2 |
预期性 |
|
常住人口城镇化率(%) |
58.2 |
65 |
提高6.8个百分点 |
预期性 |
|
二、创新驱动 |
|||||
研发经费投入强度(%) |
1.9 |
2.5 |
0.12 |
预期性 |
|
每万人口高价值发明专利拥有量(件) |
3.1 |
6 |
14.1 |
预期性 |
|
规模以上工业企业数(家) |
410 |
/ |
— |
约束性 |
|
全县经济总量稳步提升,各项事业全面进步,人民生活持续改善,社会大局和谐稳定。"""

# cells on their own lines, "|" lines between them; the title and a unit line before the header
SEPARATED = """全年主要经济指标完成情况良好,经济运行总体平稳,稳中有进,结构持续优化。
2023年全县主要经济指标
|
单位：万元
|
指 标
|
绝对数
|
同比增长(%)
|
一般公共预算收入
|
86512
|
-3.4
|
税收收入
|
61200
|
5.5
|
城乡居民储蓄存款余额
|
2,315,600
|
12.1
|
全年城镇新增就业岗位持续增加,社会保障水平稳步提高,民生事业取得新进展,群众获得感增强。"""

# one row per line, cells separated by "|"; the title gives year, kind and unit
PIPE_ROWS = """全年居民消费价格总水平比上年上涨0.4%,各类商品和服务价格涨跌互现,总体运行平稳。
图3:2023年居民消费价格比上年涨跌幅度(%) | |
指 标 | 涨跌幅 |
居民消费价格 | 0.4 |
一、食品烟酒 | -1.6 |
猪 肉 | -12.3 |
鲜 菜 | 2.8 |
二、衣着 | 1.1 |
三、居住 | 0.0 |
全年农林牧渔业增加值稳步增长,粮食生产再获丰收,农业基础地位进一步巩固,农民收入持续增加。"""

# tab-separated rows with 序号 and 单位 columns, qualified cells
TABS = """全市“十四五”时期将坚持稳中求进工作总基调,主要指标安排如下表所示,请各部门抓好落实。
序号\t指标\t单位\t2020年\t2025年\t属性
1\t全社会研发经费支出\t亿元\t12.5\t20以上\t预期性
2\t城镇调查失业率\t%\t4.6\t<5.5\t预期性
3\t森林覆盖率\t%\t61.2\t62左右\t约束性
各地各部门要按照职责分工,细化工作措施,确保各项目标任务如期完成,推动经济社会高质量发展。"""

# one cell per line with blank lines (PDF extraction): year and status split over two lines
BLANK_LINES = """到2025年,全区现代商贸体系基本建成,消费对经济增长的拉动作用进一步增强,市场活力显著提升。

表3 “十四五”时期商贸发展主要目标

指标类别

指标名称

2020

现状值

2025年目标值

消费

限额以上批发零售业销售额(亿元)

88.4

130

外贸

货物进出口总额(亿元)

45.7

60

四、主要任务

(一)完善商贸流通网络,提升城乡消费水平,推动商贸流通业转型发展和高质量发展迈出新步伐。"""

# a Markdown table of a finance report: thousands separators, bracketed negatives
MARKDOWN = """2024年预算执行情况如下表,收支总体平衡,债务风险总体可控,财政运行保持平稳态势良好。
单位:万元
| 项目 | 2023年 | 2024年 |
|---|---|---|
| 一般公共预算收入 | 1,234.5 | 1,301.2 |
| 结转结余变动 | (123) | (98) |
以上数据为快报数,最终以决算为准,各部门要加强预算执行管理,提高财政资金使用效益和水平。"""


def _figs(text: str, doc_id: str = "t"):
    doc = from_text(text, doc_id)
    return doc, extract_tables(doc)


def _row(figs, indicator):
    return [(f.value, f.unit, f.kind, f.year, f.status, f.period) for f in figs
            if f.indicator == indicator]


D = Decimal
CASES = [
    # (layout, text, indicator, [(value, unit, kind, year, status, period), ...])
    ("terminated", TERMINATED, "地区生产总值", [
        (D("512.3"), "亿元", "level", 2020, "actual", None),
        (D("760"), "亿元", "level", 2025, "target", None),
        (D("8.2"), "%", "avg_growth", 2025, "target", "2021-2025")]),
    ("terminated", TERMINATED, "常住人口城镇化率", [
        (D("58.2"), "%", "rate", 2020, "actual", None),
        (D("65"), "%", "rate", 2025, "target", None)]),
    ("terminated", TERMINATED, "研发经费投入强度", [
        (D("1.9"), "%", "share", 2020, "actual", None),
        (D("2.5"), "%", "share", 2025, "target", None),
        (D("0.12"), "%", "pp_change", 2025, "target", "2021-2025")]),
    ("terminated", TERMINATED, "每万人口高价值发明专利拥有量", [
        (D("3.1"), "件", "level", 2020, "actual", None),
        (D("6"), "件", "level", 2025, "target", None),
        (D("14.1"), "%", "avg_growth", 2025, "target", "2021-2025")]),
    ("terminated", TERMINATED, "规模以上工业企业数", [
        (D("410"), "家", "count", 2020, "actual", None)]),
    ("separated", SEPARATED, "一般公共预算收入", [
        (D("86512"), "万元", "level", 2023, "actual", None),
        (D("-3.4"), "%", "yoy_growth", 2023, "actual", None)]),
    ("separated", SEPARATED, "城乡居民储蓄存款余额", [
        (D("2315600"), "万元", "level", 2023, "actual", None),
        (D("12.1"), "%", "yoy_growth", 2023, "actual", None)]),
    ("pipe rows", PIPE_ROWS, "居民消费价格", [
        (D("0.4"), "%", "yoy_growth", 2023, "actual", None)]),
    ("pipe rows", PIPE_ROWS, "食品烟酒", [
        (D("-1.6"), "%", "yoy_growth", 2023, "actual", None)]),
    ("pipe rows", PIPE_ROWS, "猪肉", [
        (D("-12.3"), "%", "yoy_growth", 2023, "actual", None)]),
    ("pipe rows", PIPE_ROWS, "居住", [
        (D("0.0"), "%", "yoy_growth", 2023, "actual", None)]),
    ("tabs", TABS, "全社会研发经费支出", [
        (D("12.5"), "亿元", "level", 2020, "actual", None),
        (D("20"), "亿元", "level", 2025, "target", None)]),
    ("tabs", TABS, "城镇调查失业率", [
        (D("4.6"), "%", "rate", 2020, "actual", None),
        (D("5.5"), "%", "rate", 2025, "target", None)]),
    ("blank lines", BLANK_LINES, "限额以上批发零售业销售额", [
        (D("88.4"), "亿元", "level", 2020, "actual", None),
        (D("130"), "亿元", "level", 2025, "target", None)]),
    ("blank lines", BLANK_LINES, "货物进出口总额", [
        (D("45.7"), "亿元", "level", 2020, "actual", None),
        (D("60"), "亿元", "level", 2025, "target", None)]),
    ("markdown", MARKDOWN, "一般公共预算收入", [
        (D("1234.5"), "万元", "level", 2023, "actual", None),
        (D("1301.2"), "万元", "level", 2024, "actual", None)]),
    ("markdown", MARKDOWN, "结转结余变动", [
        (D("-123"), "万元", "level", 2023, "actual", None),
        (D("-98"), "万元", "level", 2024, "actual", None)]),
]


@pytest.mark.parametrize("layout,text,indicator,expected", CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_cells_of_each_layout(layout, text, indicator, expected):
    _, figs = _figs(text)
    assert _row(figs, indicator) == expected


@pytest.mark.parametrize("text,count", [
    (TERMINATED, 12), (SEPARATED, 6), (PIPE_ROWS, 6), (TABS, 6), (BLANK_LINES, 4),
    (MARKDOWN, 4)])
def test_no_other_cells_become_figures(text, count):
    """Attribute cells (预期性), empty cells (/ —), header years and category rows are not
    figures: the count is every numeric value cell of the snippet."""
    _, figs = _figs(text)
    assert len(figs) == count
    assert all(f.source == "table" for f in figs)


@pytest.mark.parametrize("text", [TERMINATED, SEPARATED, PIPE_ROWS, TABS, BLANK_LINES, MARKDOWN])
def test_offsets_point_at_the_printed_number(text):
    doc, figs = _figs(text)
    for f in figs:
        printed = doc.text[f.start:f.end]
        assert printed == f.printed
        assert D(printed.replace(",", "").replace("(", "-").rstrip(")")) == f.value
        assert doc.text[f.quote_start:f.quote_end] == f.quote
        assert f.quote_start <= f.start < f.end <= f.quote_end


def test_qualified_cells_keep_their_qualifier():
    _, figs = _figs(TABS)
    q = {(f.indicator, f.year): f.qualifier for f in figs}
    assert q[("全社会研发经费支出", 2025)] == "at_least"
    assert q[("城镇调查失业率", 2025)] == "below"
    assert q[("森林覆盖率", 2025)] == "about"
    assert q[("森林覆盖率", 2020)] is None


def test_index_column_is_not_a_figure():
    _, figs = _figs(TABS)
    assert not [f for f in figs if f.value in (1, 2, 3) and f.year is None]
    assert {f.indicator for f in figs} == {"全社会研发经费支出", "城镇调查失业率", "森林覆盖率"}


def test_text_cell_with_a_figure_is_a_region_with_the_column_year():
    doc = from_text(TERMINATED)
    regions = table_regions(doc)
    cells = [(doc.norm.text[r.start:r.end], r) for r in regions]
    assert cells == [("提高6.8个百分点", Region(cells[0][1].start, cells[0][1].end,
                                                   2025, "target", "2021-2025", "常住人口城镇化率"))]
    assert annex_regions(doc) == [(r.start, r.end, r.year) for r in regions]
    # nothing is read twice: the region's number is not a table figure
    assert not [f for f in extract_tables(doc) if f.value == D("6.8")]


def test_prose_and_lists_are_not_tables():
    text = ("2023年,全市地区生产总值达到512.3亿元,比上年增长6.1%。\n"
            "1.加快建设现代产业体系\n2.推进城乡融合发展\n3.持续改善民生\n"
            "联系电话:0580-2281234\n2023年12月31日\n")
    assert extract_tables(from_text(text)) == []


def test_html_table_through_the_reader():
    """The HTML reader puts each cell on its own line: the cell model reads it."""
    html = ("<p>全县主要指标完成情况如下表所示,总体符合预期,部分指标超额完成年度目标任务。</p>"
            "<table><tr><td>指标</td><td>2022年</td><td>2023年</td></tr>"
            "<tr><td>粮食产量(万吨)</td><td>31.2</td><td>32.0</td></tr>"
            "<tr><td>油料产量(万吨)</td><td>4.5</td><td>4.8</td></tr></table>")
    figs = extract_tables(from_text(html_text(html)))
    assert [(f.indicator, f.value, f.unit, f.year) for f in figs] == [
        ("粮食产量", D("31.2"), "万吨", 2022), ("粮食产量", D("32.0"), "万吨", 2023),
        ("油料产量", D("4.5"), "万吨", 2022), ("油料产量", D("4.8"), "万吨", 2023)]


def test_docx_table_through_the_reader(tmp_path):
    docx = pytest.importorskip("docx")
    from analysis.documents import load

    d = docx.Document()
    d.add_paragraph("全区主要经济指标完成情况如下表所示,总体运行平稳,结构持续优化,质量效益提升。")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("指标", "绝对数", "比上年增长(%)"),
                             ("工业增加值(亿元)", "45.6", "7.2"),
                             ("服务业增加值(亿元)", "88.1", "-1.5")]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "t.docx"
    path.write_bytes(buf.getvalue())
    figs = extract_tables(load(path))
    assert [(f.indicator, f.value, f.unit, f.kind) for f in figs] == [
        ("工业增加值", D("45.6"), "亿元", "level"), ("工业增加值", D("7.2"), "%", "yoy_growth"),
        ("服务业增加值", D("88.1"), "亿元", "level"),
        ("服务业增加值", D("-1.5"), "%", "yoy_growth")]


# --- totality ----------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("|\t\n \n\n||0123456789.,-()%/—年月亿元万人指标项目属性预期性"
                                 "约束性增长年均比上年同比占比重率一、二三(个)单位:：2020 2025"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, st.sampled_from(
    ["2020年", "2025年目标", "年均增长(%)", "指 标", " |\n", "\n|\n", "|||||", "(亿元)",
     "提高1.2个百分点", "≥5", "左右", "单位:亿元", "一、", "\t"])), max_size=120))
def test_any_text_reads_without_error(parts):
    text = "".join(parts)
    doc = from_text(text)
    for f in extract_tables(doc):
        assert 0 <= f.start < f.end <= len(text)
        assert f.quote_start <= f.start and f.end <= f.quote_end
    for r in table_regions(doc):
        assert 0 <= r.start < r.end <= len(doc.norm.text)


def test_cells_with_units_and_no_double_reading():
    """Cells that print their unit (512.3亿元, 6.1%) are table figures, read once."""
    from analysis.figures import extract

    text = ("全区主要指标如下表所示,总体运行平稳,结构持续优化,质量效益稳步提升,发展后劲增强。\n"
            "指标 | 2022年 | 同比增长 |\n"
            "地区生产总值 | 512.3亿元 | 6.1% |\n"
            "城镇化率 | 61.2% | 提高1.1个百分点 |\n")
    figs = extract(from_text(text))
    got = [(f.source, f.indicator, f.value, f.unit, f.kind, f.year) for f in figs
           if f.source == "table" and f.indicator != "|"]
    assert got[:3] == [
        ("table", "地区生产总值", D("512.3"), "亿元", "level", 2022),
        ("table", "地区生产总值", D("6.1"), "%", "yoy_growth", 2022),
        ("table", "城镇化率", D("61.2"), "%", "rate", 2022)]
    starts = [f.start for f in figs]
    assert len(starts) == len(set(starts)), "a cell was read twice"


TASK_LIST = """附件
2024年重点任务清单
序号
任务
目标
责任科室
1
组织家电下乡活动
12场
市场科
2
培育电商直播基地
3个以上
电商科
3
电商人才培训
开展培训不少于5期
人社科
"""


def test_task_list_numbers_are_not_figures():
    """序号 1, 2 of a task list are row numbers; its target cells are figures of the title's
    year; a cell of prose stays text (a region)."""
    doc = from_text(TASK_LIST)
    got = [(f.indicator, f.value, f.unit, f.kind, f.year, f.status, f.qualifier)
           for f in extract_tables(doc)]
    assert got == [("组织家电下乡活动", D("12"), "场", "count", 2024, "target", None),
                   ("培育电商直播基地", D("3"), "个", "count", 2024, "target", "at_least")]
    assert [doc.norm.text[r.start:r.end] for r in table_regions(doc)] == ["开展培训不少于5期"]


@pytest.mark.parametrize("text,expected", [
    # two header rows, the lower one without its label cell
    (("全市主要指标完成情况如下表所示,总体运行平稳,结构持续优化,发展质量稳步提升。\n"
     "指 标 | 2022年 | 2023年 |\n| 实际 | 目标 |\n粮食产量(万吨) | 31.2 | 32 |\n"),
     [(D("31.2"), 2022, "actual"), (D("32"), 2023, "target")]),
    # a plan name on its own line above its kind; the year and status on two lines
    (("全县主要目标如下表所示,各地各部门要抓好落实,确保各项目标任务如期完成。\n指标\n2015\n基值\n"
     "2020\n完成\n“十三五”\n年均增长(%)\n一般公共预算收入(亿元)\n12.4\n18.6\n8.4\n"),
     [(D("12.4"), 2015, "actual"), (D("18.6"), 2020, "actual"), (D("8.4"), 2020, "actual")]),
])
def test_headers_spread_over_lines(text, expected):
    _, figs = _figs(text)
    assert [(f.value, f.year, f.status) for f in figs] == expected
    if len(figs) == 3:
        assert (figs[2].kind, figs[2].period, figs[2].unit) == ("avg_growth", "2016-2020", "%")


_SNIPPETS = [TERMINATED, SEPARATED, PIPE_ROWS, TABS, BLANK_LINES, MARKDOWN, TASK_LIST]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_SNIPPETS), st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 30),
                                                      st.sampled_from(["", "|", "\n", "1", "/",
                                                                       "(亿元)", "\t", "%"])),
                                            max_size=8))
def test_damaged_tables_read_without_error(snippet, edits):
    """Real layouts with lines cut, cells lost and separators inserted still read totally."""
    text = snippet
    for pos, length, insert in edits:
        pos %= len(text) + 1
        text = text[:pos] + insert + text[pos + length:]
    doc = from_text(text)
    for f in extract_tables(doc):
        assert 0 <= f.start < f.end <= len(text)
        assert f.printed == text[f.start:f.end]
    for r in table_regions(doc):
        assert 0 <= r.start < r.end <= len(doc.norm.text)


def test_tab_rows_with_merged_category_cells():
    """A category printed once (merged cells): the rows below it start with an empty cell."""
    text = ("“十四五”时期全市生态环境保护主要指标如下表所示,请各地各部门认真贯彻落实。\n"
            "类别\t指标\t2020年\t2025年\t属性\n"
            "环境质量\t空气质量优良天数比率(%)\t93.1\t95\t约束性\n"
            "\t地表水达到或好于Ⅲ类水体比例(%)\t85\t90\t约束性\n"
            "绿色低碳\t森林覆盖率(%)\t—\t62\t约束性\n")
    _, figs = _figs(text)
    assert [(f.indicator, f.value, f.kind, f.year, f.status) for f in figs] == [
        ("空气质量优良天数比率", D("93.1"), "rate", 2020, "actual"),
        ("空气质量优良天数比率", D("95"), "rate", 2025, "target"),
        ("地表水达到或好于Ⅲ类水体比例", D("85"), "share", 2020, "actual"),
        ("地表水达到或好于Ⅲ类水体比例", D("90"), "share", 2025, "target"),
        ("森林覆盖率", D("62"), "rate", 2025, "target")]


def test_separated_layout_keeps_empty_cells():
    """Between "|" separator lines, a missing value is two "|" lines in a row."""
    text = ("全年全区主要经济指标运行情况如下表所示,总体运行平稳,部分指标增速回落。\n"
            "2023年全区主要经济指标\n|\n指 标\n|\n绝对数\n|\n比上年增长%\n|\n"
            "工业用电量(亿千瓦时)\n|\n|\n6.5\n|\n"
            "货物周转量(亿吨公里)\n|\n48.2\n|\n3.1\n")
    _, figs = _figs(text)
    assert [(f.indicator, f.value, f.kind) for f in figs] == [
        ("工业用电量", D("6.5"), "yoy_growth"),
        ("货物周转量", D("48.2"), "level"), ("货物周转量", D("3.1"), "yoy_growth")]


def test_html_empty_cell_keeps_its_column():
    html = ("<p>全县主要指标完成情况如下表所示,总体符合预期,部分指标超额完成年度目标任务。</p>"
            "<table><tr><td>指标</td><td>2022年</td><td>2023年</td></tr>"
            "<tr><td>粮食产量(万吨)</td><td></td><td>32.0</td></tr></table>")
    figs = extract_tables(from_text(html_text(html)))
    assert [(f.value, f.year) for f in figs] == [(D("32.0"), 2023)]


def test_text_cell_figures_take_their_column_year_status_and_period():
    from analysis.figures import extract

    figs = [f for f in extract(from_text(TERMINATED)) if f.printed.startswith("6.8")]
    assert [(f.value, f.kind, f.year, f.status, f.period, f.source) for f in figs] == [
        (D("6.8"), "pp_change", 2025, "target", "2021-2025", "table")]
