"""The policycheck command: output schema, bad input, batches."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import main
from analysis.figures.model import FIELDS

REQUIRED_FIELDS = ["id", "indicator", "indicator_canonical", "indicator_en", "region", "year",
                   "period", "value", "unit", "scale", "base_unit", "normalized", "kind",
                   "qualifier", "range", "status", "source", "start", "end", "quote"]
SAMPLE = config.SAMPLES_DIR / "plan_2021_2025.txt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_json_schema_and_offsets(capsys):
    code, out, _ = run(capsys, "extract", str(SAMPLE), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload["document"]) >= {"path", "sha256", "encoding", "chars"}
    text = SAMPLE.read_text(encoding="utf-8")
    assert payload["document"]["chars"] == len(text)
    assert payload["figures"]
    for fig in payload["figures"]:
        assert list(fig)[: len(REQUIRED_FIELDS)] == REQUIRED_FIELDS
        printed = text[fig["start"]:fig["end"]]
        assert any(ch.isdigit() for ch in printed), fig
        assert printed == fig["printed"]
    assert set(FIELDS) >= set(REQUIRED_FIELDS)


def test_extract_csv_and_table(capsys):
    code, out, _ = run(capsys, "extract", str(SAMPLE), "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("id,indicator,indicator_canonical")
    code, out, _ = run(capsys, "extract", str(SAMPLE))
    assert code == 0 and "figures" in out.splitlines()[0]


@pytest.mark.parametrize("name,content,problem", [
    ("missing.txt", None, "not found"),
    ("empty.txt", b"", "empty"),
    ("binary.txt", b"\x00\x01\x02\x03PK\x00\x00" * 50, "binary"),
    ("bad.pdf", b"%PDF-1.4 this is not a pdf", "PDF"),
])
def test_bad_input_one_line_error_and_exit_code(capsys, tmp_path, name, content, problem):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "extract", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and problem.lower() in lines[0].lower()
    assert not (tmp_path / "out" / path.stem).exists()        # no partial output


def test_huge_file_refused_before_reading(capsys, tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)                          # sparse: nothing read
    code, _, err = run(capsys, "extract", str(big))
    assert code == 2 and "huge.txt" in err and "large" in err.lower()


def test_batch_continues_after_a_failure(capsys, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "extract", str(tmp_path / "nope.txt"), str(SAMPLE),
                         "--format", "json", "--out", str(out_dir))
    assert code == 2                                          # the failure is reported
    assert "nope.txt" in err
    written = out_dir / SAMPLE.stem
    assert (written / "figures.json").exists() and (written / "figures.csv").exists()
    assert json.loads((written / "figures.json").read_text("utf-8"))["figures"]
    assert not list(out_dir.rglob("*.tmp*"))                  # atomic writes left nothing


def test_python_dash_m_analysis():
    proc = subprocess.run([sys.executable, "-m", "analysis", "extract", str(SAMPLE),
                           "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("id,")


def test_check_json_references_figure_ids_and_exit_codes(capsys):
    code, out, _ = run(capsys, "check", str(SAMPLE), "--format", "json")
    assert code == 0                                          # findings are not failures
    payload = json.loads(out)
    ids = {f["id"] for f in payload["figures"]}
    assert payload["checks"]
    for row in payload["checks"]:
        assert {"rule", "verdict", "severity", "figures", "stated", "computed", "interval",
                "message_zh", "message_en"} <= set(row)
        assert set(row["figures"]) <= ids
    verdicts = [r["verdict"] for r in payload["checks"]]
    assert verdicts.count("inconsistent") == 2                # the two planted findings
    code, _, _ = run(capsys, "check", str(SAMPLE), "--fail-on", "inconsistent")
    assert code == 1
    clean = config.SAMPLES_DIR / "workplan_2023_gbk.txt"
    code, out, _ = run(capsys, "check", str(clean), "--fail-on", "inconsistent")
    assert code == 0 and "0 inconsistent" in out


def test_check_carries_coverage_in_json_and_summary_line(capsys):
    _, out, _ = run(capsys, "check", str(SAMPLE), "--format", "json")
    cov = json.loads(out)["coverage"]
    assert {"figures", "checked", "share_checked", "by_rule", "unchecked", "thin"} <= set(cov)
    assert cov["figures"] == len(json.loads(out)["figures"])
    assert cov["checked"] + sum(cov["unchecked"].values()) == cov["figures"]
    _, out, _ = run(capsys, "check", str(SAMPLE))
    summary = out.splitlines()[0]
    assert f"coverage: {cov['figures']} figures, {cov['checked']} checked" in summary


def test_check_table_shows_quotes_arithmetic_and_tolerance(capsys):
    code, out, _ = run(capsys, "check", str(SAMPLE))
    assert code == 0
    assert "arithmetic:" in out and "tolerance:" in out and "> " in out
    assert "25.3%" in out and "22.53" in out                   # the planted growth mismatch


def test_scenario_command_and_bad_spec(capsys, tmp_path):
    spec = config.SCENARIOS_DIR / "jiaojiang_retail_2025.yaml"
    code, out, _ = run(capsys, "scenario", "--spec", str(spec), "--format", "json")
    assert code == 0 and "6.97" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntarget: {year: 2025, value: 407}\n", encoding="utf-8")
    code, out, err = run(capsys, "scenario", "--spec", str(bad), "--out", str(tmp_path / "o"))
    assert code == 2 and "bad.yaml" in err and not (tmp_path / "o").exists()


@pytest.mark.slow
def test_report_with_a_relative_out_folder(capsys, tmp_path, monkeypatch):
    """`make report` passes --out reports (relative): the notebook runs from elsewhere."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "report", str(config.SAMPLES_DIR / "workplan_2023.md"),
                         "--out", "rel_reports")
    assert code == 0, err
    assert (tmp_path / "rel_reports" / "workplan_2023" / "report.html").is_file()
    lines = out.strip().splitlines()
    assert lines[0].startswith("built") and "workplan_2023" in lines[0]  # one line per document
    assert "reports are in " in lines[-1] and "rel_reports" in lines[-1]


#: (argv, what the help must say): every option explains itself, rules are listed.
HELP = [
    (["check", "--help"], ["--rules", "avg_growth", "duplicate", "contribution", "--fail-on",
                           "inconsistent", "--format", "table (readable), csv or json", "--out"]),
    (["extract", "--help"], ["--format", "table (readable), csv or json", "--out"]),
    (["report", "--help"], ["--out", "index.html", "--language", "--force"]),
    (["scenario", "--help"], ["--spec", "data/scenarios/README.md", "--out", "--format"]),
]


@pytest.mark.parametrize("argv, expected", HELP, ids=[a[0] for a, _ in HELP])
def test_help_explains_every_option(capsys, argv, expected):
    from analysis import checks

    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for word in expected:
        assert word in text, word
    if argv[0] == "check":
        assert all(name in text for name in checks.registered())


#: an option given without its value is an error (exit 2), never silently ignored
MISSING_VALUE = [["check", "x.txt", "--fail-on"], ["check", "x.txt", "--rules"],
                 ["check", "x.txt", "--format"], ["report", "x.txt", "--out"]]


@pytest.mark.parametrize("argv", MISSING_VALUE, ids=[a[-1] for a in MISSING_VALUE])
def test_option_without_value_is_an_error(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert "expected" in capsys.readouterr().err
