"""Notebook parameters are validated before any work: by the runner before the kernel starts
(``policycheck report``) and by the notebook's first cell (plain papermill), in one line."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from analysis import config, runner
from analysis.exceptions import ParameterError

NOTEBOOK = config.NOTEBOOKS_DIR / "check_document.ipynb"
SAMPLE = str(config.SAMPLES_DIR / "plan_2021_2025.txt")

#: (parameters, words the one-line message must contain): the issue's findings and more.
BAD_PARAMETERS = [
    ({"tolerance": "abc"}, "parameter 'tolerance' must be a float, got str 'abc'"),
    ({"tolerance": -0.5}, "parameter 'tolerance' must be a number >= 0, got -0.5"),
    ({"tolerance": float("nan")}, "parameter 'tolerance' must be a number >= 0"),
    ({"document": 123}, "parameter 'document' must be a str, got int 123"),
    ({"document": "no/such/file.txt"}, "parameter 'document' names a file that does not exist"),
    ({"document": ""}, "parameter 'document' is empty"),
    ({"document": str(config.SAMPLES_DIR)}, "parameter 'document' is not a file"),
    ({"rules": 5}, "parameter 'rules' must be a str, got int 5"),
    ({"rules": "cagr_typo"}, "parameter 'rules' names unknown rules cagr_typo (known: "),
    ({"language": "fr"}, "parameter 'language' must be one of zh | en | both, got 'fr'"),
    ({"langauge": "zh"}, "unknown parameter 'langauge' (known: document, language, out_dir, "),
    ({"out_dir": None}, "parameter 'out_dir' must be a str, got NoneType None"),
]


@pytest.mark.parametrize(("parameters", "message"), BAD_PARAMETERS,
                         ids=[next(iter(p)) + "=" + repr(v) for p, v in
                              ((p, next(iter(p.values()))) for p, _ in BAD_PARAMETERS)])
def test_bad_parameter_is_one_line_naming_it(parameters: dict, message: str):
    with pytest.raises(ParameterError) as caught:
        runner.validate_parameters(NOTEBOOK, {"document": SAMPLE, **parameters}, label="plan")
    text = str(caught.value)
    assert text.startswith("plan: check_document.ipynb: ") and message in text
    assert "\n" not in text


def test_every_problem_is_named_at_once():
    with pytest.raises(ParameterError) as caught:
        runner.validate_parameters(NOTEBOOK, {"document": 1, "language": "fr", "x": 1})
    assert str(caught.value).count("parameter") == 3


@pytest.mark.parametrize("parameters", [
    {},
    {"document": SAMPLE, "language": "zh", "rules": "", "tolerance": 0, "out_dir": ""},
    {"document": "data/samples/plan_2021_2025.txt", "tolerance": 0.01},  # from the project root
])
def test_good_parameters_pass(parameters: dict):
    runner.validate_parameters(NOTEBOOK, parameters)


def test_runner_refuses_before_the_kernel_starts(tmp_path: Path):
    output = tmp_path / "run" / "out.ipynb"
    started = time.perf_counter()
    with pytest.raises(ParameterError, match="parameter 'language'"):
        runner.execute(NOTEBOOK, output, {"document": SAMPLE, "language": "fr"})
    assert not output.parent.exists()          # no kernel, no output notebook
    assert time.perf_counter() - started < 5   # a kernel start alone takes longer here


def test_injected_names_come_from_papermills_cell():
    history = ["", "# Check one policy document\ndocument: str = 'x'",
               "# Parameters\ndocument = \"a.txt\"\ncolour = 1\n", "from analysis import runner"]
    assert runner._injected_names(history) == ["document", "colour"]
    assert runner._injected_names(["x = 1"]) == []


@pytest.mark.slow
@pytest.mark.parametrize(("parameters", "message"), [
    ({"language": "fr"}, "parameter 'language' must be one of zh | en | both, got 'fr'"),
    ({"colour": "red"}, "unknown parameter 'colour'"),
    ({"tolerance": "abc"}, "parameter 'tolerance' must be a float, got str 'abc'"),
])
def test_plain_papermill_fails_in_the_first_cell_in_one_line(tmp_path: Path, parameters: dict,
                                                              message: str):
    """Without the runner: papermill reports unknown names only as a warning, so the notebook's
    first cell after the imports checks; it fails before the extraction cell runs."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = tmp_path / "out.ipynb"
    with pytest.raises(PapermillExecutionError) as caught:
        papermill.execute_notebook(str(NOTEBOOK), str(output),
                                   parameters={"document": SAMPLE, **parameters},
                                   kernel_name=runner.kernel_name(), cwd=str(config.NOTEBOOKS_DIR),
                                   progress_bar=False)
    assert caught.value.ename == "ParameterError" and message in caught.value.evalue
    assert caught.value.traceback == [f"ParameterError: {caught.value.evalue}"]  # one line
    cells = [c for c in nbformat.read(output, as_version=4).cells if c.cell_type == "code"]
    failed = next(i for i, c in enumerate(cells) if any(
        o.get("output_type") == "error" for o in c.get("outputs", [])))
    assert "check_parameters" in cells[failed].source
    assert all(c.get("execution_count") is None for c in cells[failed + 1:])  # nothing ran after
