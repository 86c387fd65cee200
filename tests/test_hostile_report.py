"""Hostile file names through ``policycheck report`` (issue 10; executes notebooks, slow):
a name can never replace the output folder, its index, manifest or overview, and a
second run on the same folder still works."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests import hostile_inputs as H
from tests.test_hostile import run_cli

NAMES = ["..txt", "manifest.json.txt", "index.html.txt", "x" * 251 + ".txt"]


@pytest.mark.slow
def test_report_names_cannot_replace_the_output_folder_or_its_files(tmp_path: Path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name in ["good.txt", *NAMES]:
        H.text(name, H.GOOD_TEXT)(inputs)
    for attempt in (1, 2):
        code, _, stderr, _, _ = run_cli("report", str(inputs), "--out", str(out), timeout=600)
        assert (code, "Traceback" in stderr) == (0, False), (attempt, stderr[-2000:])
        for name in ("index.html", "manifest.json", "overview.html"):
            assert (out / name).is_file(), (attempt, name)
        reports = [p.parent for p in out.rglob("report.html")]
        assert len(reports) == 1 + len(NAMES), sorted(out.rglob("*"))
        assert all(p.resolve().parent == out.resolve() for p in reports)
