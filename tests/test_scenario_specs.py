"""Scenario specs: bad YAML gets one clear SpecError naming file, key and problem; odd but
documented inputs (gaps allowed, derived values, inline actuals) load as documented.

Targets taken from a document (seed 003 through the extractor) are tested at the end.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis import config
from analysis.exceptions import SpecError
from analysis.scenarios import TargetModel, load_spec, spec_from_inline
from tests.conftest import seed_path

GOOD = """\
indicator: 社会消费品零售总额
unit: 亿元
base: {year: 2020, value: 290.5}
target: {year: 2025, value: 407}
"""

CSV_OK = "year,value\n2018,250\n2019,270\n2020,290.5\n"

# id, spec YAML, extra files {name: text}, key named in the error, words of the problem
BAD_SPECS = [
    ("missing base", "indicator: x\ntarget: {year: 2025, value: 407}\n", {}, "base", "missing"),
    ("target year before base year", GOOD.replace("year: 2025", "year: 2019"), {},
     "target.year", "2019 is not after base.year 2020"),
    ("target year equals base year", GOOD.replace("year: 2025", "year: 2020"), {},
     "target.year", "is not after"),
    ("zero base with a growth target",
     "indicator: x\nbase: {year: 2020, value: 0}\ntarget: {year: 2025, rate: 10}\n", {},
     "base.value", "0 is not positive"),
    ("negative base", GOOD.replace("290.5", "-290.5"), {}, "base.value", "is not positive"),
    ("negative target", GOOD.replace("407", "-407"), {}, "target.value", "is not positive"),
    ("words for a number", GOOD.replace("407", "四百零七"), {}, "target.value",
     "'四百零七' is not a number"),
    ("unit inside the number", GOOD.replace("290.5", "290.5亿元"), {}, "base.value",
     "is not a number"),
    ("boolean for a number", GOOD.replace("407", "yes"), {}, "target.value", "True is not a number"),
    ("year in words", GOOD.replace("year: 2025", "year: 二〇二五"), {}, "target.year",
     "is not a year"),
    ("neither value nor rate", GOOD.replace("value: 407", "qualifier: at_least"), {}, "target",
     "neither value nor rate"),
    ("both value and rate", GOOD.replace("value: 407", "value: 407, rate: 7"), {}, "target",
     "both value and rate"),
    ("unknown qualifier", GOOD.replace("value: 407", "value: 407, qualifier: roughly"), {},
     "target.qualifier", "'roughly' is not one of"),
    ("unknown top-level key", GOOD + "horizn: 2030\n", {}, "horizn", "unknown key"),
    ("unknown scenario key", GOOD + "scenarios:\n  slow: {rat: 3}\n", {}, "scenarios.slow.rat",
     "unknown key"),
    ("scenario without a rate", GOOD + "scenarios:\n  slow: {label: 放缓}\n", {}, "scenarios.slow",
     "neither rate nor rates"),
    ("scenario rate in words", GOOD + "scenarios:\n  slow: {rate: fast}\n", {},
     "scenarios.slow.rate", "'fast' is not a number"),
    ("scenario name not a column", GOOD + "scenarios:\n  放缓: {rate: 3}\n", {}, "scenarios.放缓",
     "not a usable scenario name"),
    ("stated rate missing", GOOD + "scenarios:\n  plan: {rate: stated}\n", {},
     "scenarios.plan.rate", "no stated rate"),
    ("history without actuals", GOOD + "scenarios:\n  past: {rate: history}\n", {},
     "scenarios.past.rate", "needs at least two actual values"),
    ("shock that wipes out the level", GOOD + "scenarios:\n  s: {rate: 3, shocks: {2022: -100}}\n",
     {}, "scenarios.s.shocks.2022", "would make the level vanish"),
    ("horizon before target", GOOD + "horizon: 2024\n", {}, "horizon", "before target.year"),
    ("duplicate key", GOOD + "unit: 万元\n", {}, "unit", "duplicate key at line 5"),
    ("not YAML", GOOD + "scenarios: [\n", {}, "(file)", "not valid YAML"),
    ("not a mapping", "- 1\n- 2\n", {}, "(file)", "expected a mapping"),
    ("assumed volatility without a source", GOOD + "simulation: {sd_pct: 3}\n", {},
     "simulation.note", "missing"),
    ("actuals CSV with a gap", GOOD + "actuals: {csv: a.csv}\n",
     {"a.csv": "year,value\n2016,200\n2017,210\n2020,290.5\n"}, "actuals.csv (a.csv)",
     "gap: no value for 2018-2019"),
    ("actuals CSV with a duplicate year", GOOD + "actuals: {csv: a.csv}\n",
     {"a.csv": CSV_OK + "2019,271\n"}, "actuals.csv (a.csv)", "duplicate year(s) 2019"),
    ("actuals CSV with a non-numeric cell", GOOD + "actuals: {csv: a.csv}\n",
     {"a.csv": "year,value\n2019,n/a\n2020,290.5\n"}, "actuals.csv (a.csv)",
     "line 2: value 'n/a' is not a number"),
    ("actuals CSV with a blank cell", GOOD + "actuals: {csv: a.csv}\n",
     {"a.csv": "year,value\n2019,\n2020,290.5\n"}, "actuals.csv (a.csv)", "line 2: value '' is not"),
    ("actuals CSV with a bad year", GOOD + "actuals: {csv: a.csv}\n",
     {"a.csv": "year,value\n19,270\n2020,290.5\n"}, "actuals.csv (a.csv)",
     "line 2: year '19' is not a four-digit year"),
    ("actuals CSV without the value column", GOOD + "actuals: {csv: a.csv}\n",
     {"a.csv": "year,level\n2020,290.5\n"}, "actuals.value_column", "column 'value' not in a.csv"),
    ("actuals CSV missing", GOOD + "actuals: {csv: nowhere.csv}\n", {}, "actuals.csv",
     "file nowhere.csv not found"),
    ("actuals with zero", GOOD + "actuals: {values: {2019: 0, 2020: 290.5}}\n", {},
     "actuals.values", "value 0 for 2019 is not positive"),
    ("inline actuals twice a year", GOOD + 'actuals: "2019:270,2019:271"\n', {}, "actuals",
     "year 2019 given twice"),
    ("derived actual without a note", GOOD
     + "actuals:\n  values:\n    2020: 290.5\n    2015: {from_year: 2020, growth_pct: 25.4}\n", {},
     "actuals.values.2015.note", "missing"),
    ("base year not in the actuals", ("indicator: x\nbase: {year: 2017}\n"
     "target: {year: 2025, value: 407}\nactuals: {values: {2019: 270, 2020: 290.5}}\n"), {},
     "base.value", "the actuals have no value for 2017"),
    ("document target with a value", GOOD.replace("value: 407", "value: 407, document: a.txt"),
     {"a.txt": "到2025年"}, "target.value", "cannot be combined with target.document"),
]


@pytest.mark.parametrize("name,text,files,key,problem", BAD_SPECS, ids=[c[0] for c in BAD_SPECS])
def test_bad_spec_is_refused_with_file_key_problem_and_fix(tmp_path, name, text, files, key,
                                                          problem):
    for fname, content in files.items():
        (tmp_path / fname).write_text(content, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: {key}: "), msg
    assert problem in msg, msg
    assert msg.endswith(")") and " (" in msg, f"no fix in: {msg}"  # "<problem> (<fix>)"
    assert "\n" not in msg
    assert (info.value.file, info.value.key) == (str(path), key)


def test_missing_spec_file(tmp_path):
    with pytest.raises(SpecError, match=r"nowhere\.yaml: \(file\): spec file not found"):
        load_spec(tmp_path / "nowhere.yaml")


INLINE_BAD = [
    # kwargs, key, problem
    ({"actuals": "2021=300;2022"}, "actuals", "cannot read '2022'"),
    ({"base_value": "abc"}, "base.value", "is not a number"),
    ({"target_year": 2010}, "target.year", "is not after base.year"),
    ({"actuals": "2021:300,2023:320"}, "actuals.values", "gap: no value for 2022"),
]


@pytest.mark.parametrize("kwargs,key,problem", INLINE_BAD)
def test_bad_inline_target(kwargs, key, problem):
    args = {"indicator": "x", "base_year": 2020, "base_value": 290.5, "target_year": 2025,
            "target_value": 407} | kwargs
    with pytest.raises(SpecError, match=f"^<inline>: {key}: .*{problem}"):
        spec_from_inline(**args)


# --------------------------------------------------------------------------- documented handling


def test_gaps_allowed_when_declared(tmp_path):
    (tmp_path / "a.csv").write_text("year,value\n2015,231.66\n2019,270\n2020,290.5\n",
                                    encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(GOOD + "actuals: {csv: a.csv, gaps: allow}\n", encoding="utf-8")
    spec = load_spec(path)
    assert spec.actuals.missing_years == [2016, 2017, 2018]
    res = TargetModel(spec).fit(seed=0, n_paths=100)
    # the history average spans the gap (level method); the yoy rates use consecutive years only
    assert res.model.history.avg == pytest.approx(((290.5 / 231.66) ** 0.2 - 1) * 100, rel=1e-12)
    assert res.model.history.yoy.index.tolist() == [2020]
    assert "the series has 2" in res.unavailable["ets"]


def test_exact_values_and_relative_paths(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text(CSV_OK, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(GOOD.replace("290.5", '"290.50"') + "actuals: {csv: data/a.csv}\n",
                    encoding="utf-8")
    spec = load_spec(path)
    assert spec.base_value == Decimal("290.50") and str(spec.base_value) == "290.50"
    assert spec.actuals.values == (Decimal(250), Decimal(270), Decimal("290.5"))
    assert spec.actuals.source.startswith("actuals CSV") and spec.actuals.source.endswith("a.csv")


def test_base_from_the_actuals(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text('indicator: x\nbase: {year: 2019}\ntarget: {year: 2025, value: 407}\n'
                    'actuals: "2019:270, 2020:290.5"\n', encoding="utf-8")
    spec = load_spec(path)
    assert (spec.base_year, spec.base_value) == (2019, Decimal(270))
    assert spec.base_source == f"actuals in spec {path}"


def test_shipped_specs_load_and_fit():
    names = sorted(p.stem for p in config.SCENARIOS_DIR.glob("*.yaml"))
    assert names == ["chongqing_rural_online_2025", "jiaojiang_retail_2025", "national_retail_2027"]
    for name in names:
        res = TargetModel(load_spec(config.SCENARIOS_DIR / f"{name}.yaml")).fit(seed=0,
                                                                                 n_paths=100)
        assert len(res.scenario_table()) >= 3


# --------------------------------------------------------------------------- targets from documents


def test_target_from_document_seed_003(tmp_path):
    """社会消费品零售总额 in seed 003: 2020 base 290.5 and 2025 target 超过407 from the extractor."""
    seed = seed_path("003")
    by_indicator = tmp_path / "by_indicator.yaml"
    by_indicator.write_text(f"target: {{document: {seed}, indicator: 社会消费品零售总额}}\n",
                            encoding="utf-8")
    spec = load_spec(by_indicator)
    assert (spec.indicator, spec.unit) == ("社会消费品零售总额", "亿元")
    assert (spec.base_year, spec.base_value) == (2020, Decimal("290.5"))
    assert (spec.target_year, spec.target_value, spec.target_qualifier) == (2025, Decimal(407),
                                                                            "exceeds")
    assert (spec.stated_rate, spec.stated_rate_qualifier) == (Decimal(7), "about")
    # the spec names the document by its resolved path (../shared may be a symlink)
    assert spec.base_source.startswith(f"document {seed.resolve()} figure ")
    assert spec.target_source.startswith(f"document {seed.resolve()} figure ")
    res = TargetModel(spec).fit(seed=0, n_paths=100)
    implied = res.required_growth_table().iloc[0]
    assert implied["rate_pct"] == pytest.approx(6.977, abs=5e-4)
    # the same target picked by its figure id
    figure_id = spec.target_source.rsplit(" ", 1)[1]
    by_id = tmp_path / "by_id.yaml"
    by_id.write_text(f"target: {{document: {seed}, figure: {figure_id}}}\n", encoding="utf-8")
    same = load_spec(by_id)
    assert (same.target_value, same.base_value, same.base_source) == (
        spec.target_value, spec.base_value, spec.base_source)


def test_document_errors_name_the_key(tmp_path):
    seed = seed_path("003")
    path = tmp_path / "spec.yaml"
    path.write_text(f"target: {{document: {seed}, indicator: 不存在的指标}}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"target\.indicator: no figure for '不存在的指标'"):
        load_spec(path)
    path.write_text(f"target: {{document: {seed}, figure: F9999}}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"target\.figure: no figure F9999"):
        load_spec(path)
