"""Teaching: exercise tables, the answer checker, and the three teaching notebooks via papermill.

Expected numbers here come from plain arithmetic written out in this file
(``math``, no ``analysis.growth``), so they check the library independently.
"""
from __future__ import annotations

import json
import math
import re
import warnings

import nbformat
import pandas as pd
import papermill as pm
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from analysis import config, teaching
from analysis.teaching import TeachingError, check_answer, check_answers

TEACHING_DIR = config.NOTEBOOKS_DIR / "teaching"
NOTEBOOKS = ["01_cagr_and_compounding.ipynb", "02_rounding.ipynb", "03_base_effects.ipynb"]
KERNEL = (config.KERNEL_NAME if config.KERNEL_NAME in KernelSpecManager().find_kernel_specs()
          else "python3")


def rate(base: float, end: float, years: float) -> float:
    """Independent CAGR in percent."""
    return ((end / base) ** (1 / years) - 1) * 100


# --------------------------------------------------------------------------- expected values

#: (exercise, independent expected value) — seed 003 / 001 printed figures.
CAGR_EXPECTED = [
    ("answer_1", rate(290.5, 407, 5)),                                    # 6.977
    ("answer_2", 290.5 * (1 + (407 / 290.5 - 1) / 5) ** 5),               # 427.25
    ("answer_3", rate(73.22, 151.28, 5)),                                 # 15.62
    ("answer_4", (2 ** (1 / 6) - 1) * 100),                               # 12.246
    ("answer_5", 4.0),                                                    # 2019 - 2015
    ("answer_6", rate(1552.5, 3759.8, 5)),                                # 19.35
]
ROUNDING_EXPECTED = [
    ("answer_1", rate(0.1, 1.72, 5)),                                     # 76.65
    ("answer_2", rate(0.15, 1.715, 5)),                                   # 62.79
    ("answer_3", rate(0.05, 1.725, 5)),                                   # 103.03
    ("answer_4", 1.72 / 1.7508 ** 5),                                     # 0.1046
    ("answer_5", rate(151.45, 164.80, 5)),                                # 1.70
    ("answer_6", 2.575 - rate(151.445, 164.805, 5)),                      # 0.87
    ("answer_7", 164.80 / 1.0258 ** 5),                                   # 145.09
]
BASE_EXPECTED = [
    ("answer_1", (math.sqrt(0.961 * 1.125) - 1) * 100),                   # 3.98
    ("answer_2", (0.961 * 1.125 - 1) * 100),                              # 8.11
    ("answer_3", (1 / 0.961 - 1) * 100),                                  # 4.06
    ("answer_4", (380987 / 366262 - 1) * 100),                            # 4.02
    ("answer_5", 380987 / 1.09),                                          # 349529
    ("answer_6", "revision"),
]


def _series() -> pd.DataFrame:
    return teaching.load_series().frame


def _table(kind: str) -> pd.DataFrame:
    return {"cagr": teaching.exercises_cagr, "rounding": teaching.exercises_rounding,
            "base": lambda: teaching.exercises_base_effects(_series())}[kind]()


@pytest.mark.parametrize("kind,expected", [("cagr", CAGR_EXPECTED),
                                           ("rounding", ROUNDING_EXPECTED),
                                           ("base", BASE_EXPECTED)])
def test_exercise_tables_match_independent_arithmetic(kind, expected):
    table = _table(kind)
    assert list(table.columns) == teaching.EXERCISE_COLUMNS
    assert list(table["name"]) == [name for name, _ in expected]
    for row, (name, value) in zip(table.itertuples(index=False), expected, strict=True):
        assert row.question and row.worked and row.hint, name
        if isinstance(value, str):
            assert row.expected == value
        else:
            assert row.expected == pytest.approx(value, rel=1e-9), name
            assert row.tolerance > 0 or row.unit == "years"


def test_expected_values_follow_the_figures_not_constants():
    """Change an input figure: the answers move with it (nothing is hard-coded)."""
    values = teaching.defaults(teaching.FIGURES_CAGR) | {"retail_2025": "500", "doubling": "2"}
    table = teaching.exercises_cagr(values).set_index("name")
    assert table.loc["answer_1", "expected"] == pytest.approx(rate(290.5, 500, 5))
    assert table.loc["answer_4", "expected"] == pytest.approx((4 ** (1 / 6) - 1) * 100)  # 翻两番
    rounding = teaching.defaults(teaching.FIGURES_ROUNDING) | {"fdi_2015": "0.10"}
    r = teaching.exercises_rounding(rounding).set_index("name")
    assert r.loc["answer_2", "expected"] == pytest.approx(rate(0.105, 1.715, 5))  # ±0.005 now
    base = teaching.exercises_base_effects(_series(), 2021, 2022, 2019).set_index("name")
    assert base.loc["answer_1", "expected"] == pytest.approx(
        (math.sqrt(1.125 * 0.998) - 1) * 100)  # 5.96, the NBS two-year average for 2022


# --------------------------------------------------------------------------- the checker

CHECKER_EXAMPLES = [
    # value, expected, tolerance, correct
    (6.98, 6.977, 0.01, True),
    (6.977, 6.977, 0.0, True),
    ("6.98%", 6.977, 0.01, True),
    (6.99, 6.977, 0.01, False),
    (8.02, 6.977, 0.01, False),
    ("abc", 6.977, 0.01, False),
    (True, 1.0, 0.01, False),          # a bool is not a number answer
    (4, 4.0, 0, True),
    (5, 4.0, 0, False),
    (None, 6.977, 0.01, None),
    ("", 6.977, 0.01, None),
    ("revision", "revision", 0, True),
    (" Revision ", "revision", 0, True),
    ("基数修订", "revision", 0, True),
    ("error", "revision", 0, False),
]


@pytest.mark.parametrize("value,expected,tolerance,correct", CHECKER_EXAMPLES)
def test_check_answer(value, expected, tolerance, correct, capsys):
    verdict = check_answer("answer_1", value, expected, tolerance, "why", hint="how")
    assert verdict.correct is correct
    printed = capsys.readouterr().out
    assert printed.startswith({True: "✓", False: "✗", None: "·"}[correct])
    assert ("how" in printed) == (correct is False)
    assert ("why" in printed) == (correct is True)


def test_traps_name_the_mistake(capsys):
    table = teaching.exercises_cagr()
    verdicts = check_answers(table, {"answer_1": 8.02, "answer_5": 5})
    out = capsys.readouterr().out
    assert "✗ answer_1 = 8.02: that is the arithmetic average" in out
    assert "✗ answer_5 = 5: over five years the rate would be 19.35 %" in out
    assert list(verdicts.columns) == teaching.VERDICT_COLUMNS
    assert verdicts.set_index("name")["correct"].tolist() == [False, None, None, None, False,
                                                              None]


@pytest.mark.parametrize("kind", ["cagr", "rounding", "base"])
def test_the_expected_answers_pass_and_score(kind, capsys):
    table = _table(kind)
    verdicts = check_answers(table, dict(zip(table["name"], table["expected"], strict=True)))
    assert verdicts["correct"].tolist() == [True] * len(table)
    assert f"{len(table)} of {len(table)} correct ({len(table)} answered)." in capsys.readouterr().out


def test_unknown_answer_name_is_an_error():
    with pytest.raises(TeachingError, match="no exercise named answer_9"):
        check_answers(teaching.exercises_cagr(), {"answer_9": 1.0})


def test_show_worked(capsys):
    table = teaching.exercises_rounding()
    teaching.show_worked(table, False)
    assert "Worked answers appear here" in capsys.readouterr().out
    tried = check_answers(table, {"answer_2": 60.0}, quiet=True)  # one attempt, wrong
    teaching.show_worked(table, False, tried)
    out = capsys.readouterr().out
    assert "(1.715 / 0.15)^(1/5) − 1 = 62.793 %" in out and "145.09" not in out
    teaching.show_worked(table, True)
    out = capsys.readouterr().out
    assert "(1.715 / 0.15)^(1/5) − 1 = 62.793 %" in out
    assert "164.80 / (1 + 2.58 %)^5 = 145.09亿元" in out


# --------------------------------------------------------------------------- figures and results

@pytest.mark.seeds
@pytest.mark.parametrize("specs", [teaching.FIGURES_CAGR, teaching.FIGURES_ROUNDING],
                         ids=["cagr", "rounding"])
def test_seed_figures_come_from_the_seeds(seeds_dir, specs):
    figs = teaching.seed_figures(specs, seeds_dir=seeds_dir)
    assert figs.from_seeds and figs.note.startswith(f"All {len(specs)} figures read")
    assert figs.values == teaching.defaults(specs)  # the parameter defaults are the printed seeds
    for row in figs.table.itertuples():
        assert re.match(r"seed 00[13]_\w+\.txt F\d{4} \(chars \d+–\d+\)", row.source)
        assert row.value.replace(" ", "") in row.quote.replace(" ", "") or row.kind == "multiple"


def test_seed_figures_fall_back_and_say_so(tmp_path):
    figs = teaching.seed_figures(teaching.FIGURES_ROUNDING, {"trade_stated": "1.70"},
                                 seeds_dir=tmp_path)
    assert not figs.from_seeds
    assert f"not in {tmp_path}" in figs.note and "parameters" in figs.note
    assert figs["trade_stated"] == "1.70" and figs["trade_2020"] == "164.80"
    assert set(figs.table["source"]) == {"notebook parameter"}
    (tmp_path / "003_copy.txt").write_text("2015年实际利用外资0.1亿美元。", encoding="utf-8")
    partial = teaching.seed_figures(teaching.FIGURES_ROUNDING, seeds_dir=tmp_path)
    assert "except fdi_2020" in partial.note and not partial.from_seeds


def test_results_cagr_and_rounding():
    r = teaching.results_cagr().set_index("id")
    assert r.loc["retail", "cagr_pct"] == pytest.approx(rate(290.5, 407, 5))
    assert r.loc["retail", "arithmetic_pct"] == pytest.approx((407 / 290.5 - 1) / 5 * 100)
    assert r.loc["invest_4y", "consistent"] is True and r.loc["invest_5y", "consistent"] is False
    assert r.loc["online", "consistent"] is True
    q = teaching.results_rounding().set_index("id")
    assert q.loc["fdi", ["implied_lo_pct", "implied_hi_pct"]].tolist() == pytest.approx(
        [rate(0.15, 1.715, 5), rate(0.05, 1.725, 5)])
    assert q["consistent"].tolist() == [True, False]
    assert q.loc["trade", "gap_pp"] == pytest.approx(2.575 - rate(151.445, 164.805, 5))


def test_series_tables_and_checker():
    frame = _series()
    yoy = teaching.yoy_table(frame)
    assert set(yoy.loc[yoy["consistent"].eq(False), "year"]) == {2018, 2020}
    r = teaching.results_base_effects(frame).set_index("id")["value"]
    assert r["two_year_arithmetic"] == pytest.approx(4.3)
    assert r["two_year_from_levels"] == pytest.approx(rate(411649, 440823, 2))
    assert r["revision_base_change_pct"] == pytest.approx((380987 / 1.09 / 366262 - 1) * 100)
    found = teaching.checker_findings(frame).set_index("year")
    assert found.loc[2018, "verdict"] == "warning" and "revision" in found.loc[2018, "message_en"]
    assert found.loc[2021, "verdict"] == "consistent"
    with pytest.raises(TeachingError, match="year_b"):
        teaching.exercises_base_effects(frame, 2020, 2022)
    with pytest.raises(TeachingError, match="no year"):
        teaching.exercises_base_effects(frame, 2030, 2031)


def test_series_falls_back_to_shared_data(shared_data_dir, tmp_path, monkeypatch):
    repo_copy = pd.read_csv(config.DATA_DIR / "reference" / teaching.SERIES_FILE, dtype=str)
    monkeypatch.setattr(teaching.config, "DATA_DIR", tmp_path)  # no data/reference copy
    series = teaching.load_series()
    assert series.path == shared_data_dir / teaching.SERIES_FILE
    assert "is not there (yet)" in series.note
    pd.testing.assert_frame_equal(series.frame, repo_copy)  # the copy is unchanged
    with pytest.raises(TeachingError, match="not found"):
        teaching.load_series(tmp_path / "missing.csv")


@pytest.mark.parametrize("make", [
    teaching.compounding_chart, teaching.rounding_chart,
    lambda: teaching.base_effect_chart(_series())], ids=["01", "02", "03"])
def test_charts_render_chinese_without_missing_glyphs(make, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would raise
        fig = make()
        fig.savefig(tmp_path / "c.png", dpi=60)
    assert len(fig.axes) == 2
    assert any(re.search(r"[\u4e00-\u9fff]", ax.get_title()) for ax in fig.axes)
    assert (tmp_path / "c.png").stat().st_size > 10_000


def test_save_outputs(tmp_path, capsys):
    assert teaching.save_outputs("", "x", {"t": pd.DataFrame({"a": [1]})}) == {}
    written = teaching.save_outputs(tmp_path / "o", "x", {"t": pd.DataFrame({"a": [1.5, None]})},
                                    meta={"k": "v"})
    assert set(written) == {"t.csv", "summary.json"}
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary == {"notebook": "x", "k": "v", "t": [{"a": 1.5}, {"a": None}]}
    assert "Saved t.csv, summary.json" in capsys.readouterr().out


# --------------------------------------------------------------------------- notebooks

PARAM_LINE = re.compile(r"^(\w+): ")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean_and_documented(name):
    path = TEACHING_DIR / name
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == config.KERNEL_NAME
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert not re.search(r"^\s*(def|class|lambda)\b", cell.source, re.MULTILINE)
    declared = [m[1] for line in tagged[0].source.splitlines() if (m := PARAM_LINE.match(line))]
    params = pm.inspect_notebook(str(path))
    assert list(params) == declared  # every line parsed by `papermill --help-notebook`
    assert all(p["help"] and p["inferred_type_name"] != "None" for p in params.values())
    assert {"show_answers", "output_dir", "answer_1"} <= set(params)
    specs = {"01": teaching.FIGURES_CAGR, "02": teaching.FIGURES_ROUNDING}.get(name[:2], ())
    for spec in specs:  # the fallback defaults are the seeds' printed values
        assert params[spec.name]["default"] == f'"{spec.printed}"'
    assert name in (TEACHING_DIR / "README.md").read_text(encoding="utf-8")


def _run(tmp_path, name: str, params: dict) -> tuple[dict, nbformat.NotebookNode]:
    out = tmp_path / "out"
    pm.execute_notebook(str(TEACHING_DIR / name), str(tmp_path / "run.ipynb"),
                        parameters=params | {"output_dir": str(out)}, kernel_name=KERNEL,
                        cwd=str(tmp_path), progress_bar=False)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    png = (out / "chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    return summary, nbformat.read(tmp_path / "run.ipynb", as_version=4)


def _stdout(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")


def _verdicts(summary: dict) -> dict:
    return {v["name"]: v["correct"] for v in summary["verdicts"]}


def _images(nb: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


@pytest.mark.slow
def test_notebook_01_runs_and_judges(tmp_path):
    # correct answers as a student would type them (rounded), one wrong: the trap 24.75
    answers = {"answer_1": 6.98, "answer_2": 427.25, "answer_3": 15.62, "answer_4": 12.25,
               "answer_5": 4, "answer_6": 24.75}
    summary, nb = _run(tmp_path, NOTEBOOKS[0], answers | {"show_answers": True})
    assert _verdicts(summary) == {f"answer_{i}": True for i in range(1, 6)} | {"answer_6": False}
    assert summary["from_seeds"] is config.SEEDS_DIR.is_dir()
    r = {row["id"]: row for row in summary["results"]}
    assert r["retail"]["cagr_pct"] == pytest.approx(rate(290.5, 407, 5), abs=1e-9)
    assert r["retail"]["arithmetic_pct"] == pytest.approx(8.0207, abs=1e-4)
    assert r["online"]["cagr_pct"] == pytest.approx(rate(73.22, 151.28, 5), abs=1e-9)
    assert r["doubling"]["cagr_pct"] == pytest.approx(12.2462, abs=1e-4)
    assert r["invest_4y"]["cagr_pct"] == pytest.approx(rate(1552.5, 3759.8, 4), abs=1e-9)
    assert r["invest_4y"]["consistent"] is True and r["invest_5y"]["consistent"] is False
    out = _stdout(nb)
    assert "✓ answer_1 = 6.98: correct — (407 / 290.5)^(1/5) − 1 = 6.977 %" in out
    assert "✗ answer_6 = 24.75: that is the correct four-year rate" in out
    assert "5 of 6 correct (6 answered)." in out and "Worked answers" in out
    assert _images(nb) == 1


@pytest.mark.slow
def test_notebook_01_falls_back_to_its_parameters(tmp_path):
    """No seeds in seeds_dir: the parameters are used (and the notebook says so)."""
    empty = tmp_path / "no_seeds"
    empty.mkdir()
    summary, nb = _run(tmp_path, NOTEBOOKS[0], {"seeds_dir": str(empty), "retail_2025": "450",
                                                "answer_1": round(rate(290.5, 450, 5), 2)})
    assert summary["from_seeds"] is False
    assert "not in" in summary["figures_note"] and "not in" in _stdout(nb)
    retail = next(r for r in summary["results"] if r["id"] == "retail")
    assert retail["cagr_pct"] == pytest.approx(rate(290.5, 450, 5))
    assert _verdicts(summary)["answer_1"] is True
    out = _stdout(nb)
    assert "1. answer_1" in out and "2. answer_2" not in out  # only the attempted one
    assert "The discussion below shows the answers" in out


@pytest.mark.slow
def test_notebook_02_runs_and_judges(tmp_path):
    answers = {"answer_1": 76.65, "answer_2": 62.79, "answer_3": 103.03, "answer_4": 0.1046,
               "answer_5": 1.70, "answer_6": 0.87, "answer_7": 151.45}  # 7: the printed base
    summary, nb = _run(tmp_path, NOTEBOOKS[1], answers)
    assert _verdicts(summary) == {f"answer_{i}": True for i in range(1, 7)} | {"answer_7": False}
    r = {row["id"]: row for row in summary["results"]}
    assert [r["fdi"]["implied_lo_pct"], r["fdi"]["implied_hi_pct"]] == pytest.approx(
        [rate(0.15, 1.715, 5), rate(0.05, 1.725, 5)], abs=1e-9)
    assert r["fdi"]["consistent"] is True and r["trade"]["consistent"] is False
    assert r["trade"]["cagr_printed_pct"] == pytest.approx(rate(151.45, 164.80, 5), abs=1e-9)
    assert r["fdi"]["base_lo"] == pytest.approx(0.05) and r["fdi"]["base_hi"] == pytest.approx(0.15)
    assert "6 of 7 correct (7 answered)." in _stdout(nb)
    assert _images(nb) == 1


@pytest.mark.slow
def test_notebook_03_runs_and_judges(tmp_path):
    answers = {"answer_1": 3.98, "answer_2": 8.11, "answer_3": 4.06, "answer_4": 4.02,
               "answer_5": 349529, "answer_6": "error"}
    summary, nb = _run(tmp_path, NOTEBOOKS[2], answers)
    assert _verdicts(summary) == {f"answer_{i}": True for i in range(1, 6)} | {"answer_6": False}
    r = {row["id"]: row["value"] for row in summary["results"]}
    assert r["two_year_geometric"] == pytest.approx((math.sqrt(0.961 * 1.125) - 1) * 100)
    assert r["revision_level_yoy"] == pytest.approx((380987 / 366262 - 1) * 100)
    yoy = {row["year"]: row for row in summary["yoy"]}
    assert yoy[2018]["consistent"] is False and yoy[2019]["consistent"] is True
    assert summary["series_path"].endswith("national_retail_sales_nbs.csv")
    assert "5 of 6 correct (6 answered)." in _stdout(nb)
    assert _images(nb) == 1


# --------------------------------------------------------------------------- exercise before answer

#: Exercises whose answer is one of the notebook's printed inputs (answer_3 of 01 checks
#: that the plan's 15.62 % is right): their value is shown as the figure it is.
GIVEN = {("01_cagr_and_compounding.ipynb", "answer_3")}


def _answer_strings(expected) -> list[str]:
    """How an answer could be shown: 2 and 3 decimals; big levels whole, with separators."""
    if isinstance(expected, str):
        return []
    x = float(expected)
    if x.is_integer() and abs(x) < 100:  # a count of years: too common a number to search
        return []
    if abs(x) >= 10_000:
        return [f"{x:,.0f}", f"{x:.0f}"]
    return [f"{x:.2f}", f"{x:.3f}"] if abs(x) >= 1 else [f"{x:.4f}"]


def _cell_text(cell) -> str:
    if cell.cell_type != "code":
        return ""
    parts = []
    for o in cell.outputs:
        parts.append(o.get("text", ""))
        for kind, data in o.get("data", {}).items():
            if kind.startswith("text/"):
                parts.append(data if isinstance(data, str) else "".join(data))
    return "".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_answer_before_its_exercise(tmp_path, name):
    """Run as a student first opens it (no answers): no exercise's answer is in the outputs
    of the cells before the exercises, nor in the prose before them; with nothing attempted
    the whole notebook's outputs hold no answer either.  With every exercise answered, the
    discussion shows its results."""
    pm.execute_notebook(str(TEACHING_DIR / name), str(tmp_path / "run.ipynb"),
                        kernel_name=KERNEL, cwd=str(tmp_path), progress_bar=False)
    nb = nbformat.read(tmp_path / "run.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and "teaching.exercises_" in c.source)
    before_prose = "".join(c.source for c in nb.cells[:at] if c.cell_type == "markdown")
    outputs = [_cell_text(c) for c in nb.cells]
    table = _table({0: "cagr", 1: "rounding", 2: "base"}[NOTEBOOKS.index(name)])
    searched = 0
    for row in table.itertuples(index=False):
        if (name, row.name) in GIVEN:
            continue
        for text in _answer_strings(row.expected):
            searched += 1
            assert text not in "".join(outputs[:at]), (row.name, text, "in an output before")
            assert text not in before_prose, (row.name, text, "in the prose before")
            assert text not in "".join(outputs), (row.name, text, "shown before any attempt")
    assert searched >= 8
    assert "The discussion below shows the answers" in "".join(outputs)
    assert _images(nb) == 0  # the charts belong to the discussion
