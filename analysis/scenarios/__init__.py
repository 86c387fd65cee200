"""Scenario lab: what a target means for the years ahead.

From a target (typed in, or taken from a document) and the actual values so
far: the implied path at the constant CAGR, the growth still required, named
scenarios from a YAML spec (``data/scenarios/*.yaml``, schema in
``data/scenarios/README.md``), statistical forecasts with prediction
intervals, the probability of reaching the target, and a sensitivity table.

>>> from analysis.scenarios import spec_from_inline, TargetModel
>>> spec = spec_from_inline("社会消费品零售总额", 2020, "290.5", 2025, 407, unit="亿元",
...                         actuals="2021:300,2022:320")
>>> res = TargetModel(spec).fit(seed=0)   # the base year 2020 is part of the history
>>> res.warnings[0][:50]
'small sample: 2 yearly growth rate(s) in the histo'
>>> res.attainment()["shown"]
'withheld'

>>> res.required_growth_table()[["measure", "from_year", "rate_pct"]].round(3)
        measure  from_year  rate_pct
0       implied       2020     6.977
1      required       2021     7.924
2      required       2022     8.346
3   history_avg       2020     4.955
4  history_mean       2021     4.968

Modules: :mod:`~analysis.scenarios.spec` (the YAML schema and its
validation), :mod:`~analysis.scenarios.sources` (targets from documents),
:mod:`~analysis.scenarios.paths` (scenario paths, verdicts, vectorised random
paths), :mod:`~analysis.scenarios.forecast` (ETS/ARIMA on log levels),
:mod:`~analysis.scenarios.model` (``TargetModel`` / ``TargetResults``),
:mod:`~analysis.scenarios.chart` (the fan chart) and :mod:`~analysis.scenarios.run`
(``render_text``, ``save``, ``run``) on top.
"""

from analysis.scenarios.chart import fan_chart
from analysis.scenarios.model import TargetModel, TargetResults
from analysis.scenarios.paths import attainment_probability, scenario_path, simulate_paths, verdict
from analysis.scenarios.run import render_text, resolve_out, run, save
from analysis.scenarios.spec import ScenarioSpec, load_spec, parse_actuals, spec_from_inline

__all__ = [
    "ScenarioSpec",
    "TargetModel",
    "TargetResults",
    "attainment_probability",
    "fan_chart",
    "load_spec",
    "parse_actuals",
    "render_text",
    "resolve_out",
    "run",
    "save",
    "scenario_path",
    "simulate_paths",
    "spec_from_inline",
    "verdict",
]
