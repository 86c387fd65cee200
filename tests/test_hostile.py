"""Hostile inputs through the real command line (issue 10): each case runs
``policycheck check --out OUT -- PATH`` in a subprocess and asserts the exit code, the one
line on stderr, the CPU time and the peak memory (ru_utime + ru_stime and ru_maxrss of that
child, from ``os.wait4``: CPU time, unlike wall time, does not grow when others share the
machine; a run is killed after twice its ceiling in wall time), and that a refused document
leaves no output.  The README's "Failure behaviour" table is checked against this table.

CPU-time and memory bounds are ceilings an order of magnitude above a healthy run (about 3 s and
90 MB here on a shared machine), low enough to catch the minutes and gigabytes the issue
measured; they are not benchmarks.
"""
from __future__ import annotations

import contextlib
import math
import os
import re
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest

from analysis import config
from tests import hostile_inputs as H

README = config.PROJECT_ROOT / "README.md"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it, and what the user must see."""

    name: str
    make: H.Maker
    code: int                    # exit code
    message: str = ""            # must be in the one stderr line ("" = no error line)
    seconds: float = 30.0        # ceiling of the child's CPU time
    megabytes: int = 400         # ceiling of the child's peak RSS
    marks: tuple = field(default=())


def pending(owner: str, what: str) -> tuple:
    return (pytest.mark.xfail(strict=True, reason=f"pending {owner}: {what}"),)


CASES = [
    # --- bytes that are not a document -----------------------------------------------
    Case("empty", H.raw("empty.txt", b""), 2, "is empty (0 bytes)"),
    Case("binary", H.random_bytes, 2, "is binary data (NUL bytes), not text"),
    Case("NUL bytes", H.text("nul.txt", "增长8%\x00" * 100), 2,
         "is binary data (NUL bytes), not text"),
    Case("mixed encodings", H.mixed_encodings, 2,
         "mixes encodings: UTF-8 text up to line 4, then bytes that are not UTF-8"),
    Case("200 MB file", H.sparse("huge.txt", 200 * 1024 * 1024), 2,
         "too large (200.0 MB, limit 50.0 MB)", seconds=10),
    Case("symlink to /dev/zero", H.symlink_to("zero.txt", "/dev/zero"), 2,
         "is not a regular file (a character device)", seconds=10),
    Case("directory named like a file", H.directory("folder.txt"), 2,
         "is a directory, not a document", seconds=10),
    # --- containers that inflate or lie ------------------------------------------------
    Case("DOCX zip bomb", H.docx_zip_bomb, 2,
         "MB (limit 100.0 MB; a zip bomb?)", megabytes=200),
    Case("DOCX XML entity expansion", H.docx_entities, 2,
         "has a DTD in word/document.xml (XML entity expansion is refused)", megabytes=200),
    Case("truncated PDF", H.truncated_pdf, 2, "is a corrupt PDF"),
    Case("encrypted PDF", H.encrypted_pdf, 2, "is an encrypted PDF (password required)"),
    Case("image-only PDF", H.image_only_pdf, 2, "PDF has no text layer (1 image-only page(s))"),
    Case("1,000 nested HTML elements", H.nested_html(1_000), 0),
    Case("100,000 nested HTML elements", H.nested_html(100_000), 0, megabytes=600),
    # --- text that is valid but pathological -------------------------------------------
    Case("1 MB of one character", H.text("a.txt", "a" * 1024 * 1024), 0),
    Case("10,000-digit number", H.text("digits.txt", "到2025年达到" + "9" * 10_000 + "亿元。"), 0),
    Case("10,000 nested brackets",
         H.text("brackets.txt", "（" * 10_000 + H.GOOD_TEXT + "）" * 10_000), 0),
    Case("a million 以上", H.text("yishang.txt", "以上" * 1_000_000), 0),
    Case("一 x 1,000,000", H.text("yi.txt", "一" * 1_000_000), 0, seconds=15),
    Case("千/百 numerals", H.text("qian.txt", "打造百亿元产业集群，培育千万元以上企业50家。"), 0),
    Case("400-digit number in a part/whole pair",
         H.text("pw.txt", f"2022年，全区外贸进出口总额{'9' * 400}亿元，其中出口总额300亿元。"), 0),
    Case("300 figures of one indicator", H.text("dup.txt", "\n".join(
        f"{2000 + i % 20}年社会消费品零售总额{100 + i}亿元，"
        f"增长{i % 9 + 1}%。" for i in range(300))), 0, seconds=10),
    # --- file names -------------------------------------------------------------------
    Case("name ..txt", H.text("..txt", H.GOOD_TEXT), 0),
    Case("name ...txt", H.text("...txt", H.GOOD_TEXT), 0),
    Case("name manifest.json.txt", H.text("manifest.json.txt", H.GOOD_TEXT), 0),
    Case("name -rf.txt", H.text("-rf.txt", H.GOOD_TEXT), 0),
    Case("name of 255 characters", H.text("x" * 251 + ".txt", H.GOOD_TEXT), 0),
    Case("name with spaces", H.text("2025 年 规划.txt", H.GOOD_TEXT), 0),
    Case("name with a newline", H.text("a\nb.txt", H.GOOD_TEXT), 0),
    Case("Chinese name", H.text("台州市椒江区商务发展规划.txt", H.GOOD_TEXT), 0),
    Case("bad name and bad bytes", H.raw("a\nb.txt", b"\x00\x01"), 2,
         "a\\nb.txt: is binary data (NUL bytes), not text"),
]


#: Runs its arguments as a child and reports the child's own rusage on stderr's last line.  A
#: small launcher, because a child forked from pytest starts with pytest's peak RSS.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(f"\\n@rusage {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}\\n")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def run_cli(*argv: str, timeout: float, preexec_fn: Callable[[], None] | None = None
            ) -> tuple[int, str, str, float, float]:
    """(exit code, stdout, stderr, CPU seconds, peak MB) of ``python -m analysis ARGV``; killed
    after ``timeout`` seconds of wall time (then the CPU time is reported as infinite)."""
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, sys.executable, "-m", "analysis",
                             *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=config.PROJECT_ROOT, preexec_fn=preexec_fn,
                            start_new_session=True)
    killer = threading.Timer(timeout, _kill_group, (proc.pid,))
    killer.start()
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()))
               for s, b in ((proc.stdout, out), (proc.stderr, err))]
    for t in readers:
        t.start()
    proc.wait()
    killer.cancel()
    for t in readers:
        t.join()
    stderr, _, last = err[0].decode("utf-8", "replace").rstrip("\n").rpartition("\n@rusage ")
    if not last:
        return proc.returncode, out[0].decode("utf-8", "replace"), stderr, math.inf, math.inf
    maxrss_kb, cpu = last.split()
    return (proc.returncode, out[0].decode("utf-8", "replace"), stderr, float(cpu),
            int(maxrss_kb) / 1024)


def _params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.name, marks=c.marks) for c in cases]


@pytest.mark.parametrize("case", _params(CASES))
def test_hostile_input(tmp_path: Path, case: Case):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    path = case.make(inputs)
    code, _, stderr, seconds, peak = run_cli("check", "--out", str(out), "--", str(path),
                                                  timeout=case.seconds * 2)
    assert "Traceback" not in stderr, stderr[-2000:]
    assert code == case.code, stderr[-2000:]
    if case.message:
        lines = stderr.splitlines()
        assert len(lines) == 1, stderr
        assert lines[0].startswith("policycheck: error: ") and case.message in lines[0], lines[0]
        assert H.read_tree(out) == {}, "a refused document left output"
    else:
        assert stderr == ""
        written = [p for p in out.rglob("figures.csv")]
        assert len(written) == 1, sorted(out.rglob("*"))
        folder = written[0].parent.resolve()
        assert folder.parent == out.resolve(), f"{folder} is not one folder inside {out}"
        assert {p.name for p in folder.iterdir()} == {"checks.json", "checks.csv", "figures.csv"}
    assert seconds < case.seconds, f"{seconds:.1f} s"
    assert peak < case.megabytes, f"{peak:.0f} MB"


#: (good documents, bad documents) for the mixed call.
GOOD = [H.good_html, H.text("plan.txt", H.GOOD_TEXT)]
BAD = [H.raw("empty.txt", b""), H.docx_zip_bomb, H.symlink_to("zero.txt", "/dev/zero"),
       H.directory("folder.txt"), H.mixed_encodings, H.random_bytes]


@pytest.mark.parametrize("command", ["extract", "check"])
def test_mixed_call_keeps_good_outputs_identical(tmp_path: Path, command: str):
    inputs = tmp_path / "in"
    inputs.mkdir()
    good = [str(make(inputs)) for make in GOOD]
    bad = [str(make(inputs)) for make in BAD]
    mixed = [p for pair in zip(bad, good + [""] * len(bad)) for p in pair if p]
    code, _, stderr, _, _ = run_cli(command, "--out", str(tmp_path / "mixed"), "--", *mixed,
                                    timeout=120)
    assert code == 2
    lines = stderr.splitlines()
    assert len(lines) == len(bad) and all(line.startswith("policycheck: error: ") for line in lines)
    code, _, stderr, _, _ = run_cli(command, "--out", str(tmp_path / "clean"), "--", *good,
                                    timeout=120)
    assert (code, stderr) == (0, "")
    clean = H.read_tree(tmp_path / "clean")
    assert clean and H.read_tree(tmp_path / "mixed") == clean


def test_mixed_call_survives_a_document_that_breaks_extraction(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    breaking = H.text("qian.txt", "打造百亿元产业集群，培育千万元以上企业50家。")(inputs)
    good = H.text("plan.txt", H.GOOD_TEXT)(inputs)
    _, _, stderr, _, _ = run_cli("extract", "--out", str(tmp_path / "o"), "--",
                                    str(breaking), str(good), timeout=60)
    assert "Traceback" not in stderr and (tmp_path / "o" / "plan" / "figures.csv").is_file()


def test_negative_number_over_28_digits_keeps_every_digit():
    from analysis.documents import from_text
    from analysis.figures import extract

    digits = "1" * 30 + ".5"
    (figure,) = extract(from_text(f"全年出口额同比下降{digits}%。"))
    assert figure.value == Decimal("-" + digits)  # exact: unary minus would round to 28 digits


def _file_size_limit() -> None:
    """In the child: files cannot grow beyond 64 KB (EFBIG, as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_full_output_folder_is_one_line_and_no_partial_file(tmp_path: Path):
    doc = H.text("plan.txt", "\n".join([H.GOOD_TEXT] * 2000))(tmp_path)
    out = tmp_path / "out"
    code, _, stderr, _, _ = run_cli("extract", "--out", str(out), "--", str(doc), timeout=60,
                                    preexec_fn=_file_size_limit)
    assert code == 2 and len(stderr.splitlines()) == 1 and "plan" in stderr, stderr[-2000:]
    assert H.read_tree(out) == {}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_is_one_line(tmp_path: Path):
    doc = H.text("plan.txt", H.GOOD_TEXT)(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    code, _, stderr, _, _ = run_cli("extract", "--out", str(out), "--", str(doc), timeout=60)
    out.chmod(0o700)
    assert code == 2 and len(stderr.splitlines()) == 1 and "plan" in stderr, stderr[-2000:]


# --- the README table ------------------------------------------------------------------------

_ROW = re.compile(r"^\|\s*(?P<input>[^|]+?)\s*\|\s*(?P<code>\d)\s*\|\s*(?P<sees>.+?)\s*\|\s*$")


def readme_failure_table() -> dict[str, tuple[int, str]]:
    """Rows of README's "Failure behaviour" table: input -> (exit code, what the user sees)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Failure behaviour", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = _ROW.match(line)
        if m:
            rows[m["input"]] = (int(m["code"]), m["sees"])
    return rows


def test_readme_failure_table_matches_the_cases():
    rows = readme_failure_table()
    cases = {c.name: c for c in CASES if not c.marks}
    documented = {name: c for name, c in cases.items() if name in rows}
    assert len(documented) >= 15, sorted(rows)
    for name, case in documented.items():
        code, sees = rows[name]
        assert code == case.code, name
        if case.message:
            assert case.message.split(": ", 1)[-1] in sees.replace("`", ""), name
    assert set(rows) <= set(cases) | {c.name for c in CASES}, set(rows) - set(cases)
