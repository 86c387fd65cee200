"""Report batches: safe names, the output folder's lock and cleanup, read-only and full
folders, time budgets, warm workers (same notebook as plain papermill), Dask, the store,
resuming after a kill, and the CLI's one line per document."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from analysis import config
from analysis.exceptions import ReportError
from analysis.reports import batch, document_id, manifest, run_batch

pytestmark = pytest.mark.slow

TINY = (
    "{title}\n2020年，全区实现社会消费品零售总额290.5亿元。"
    "到2025年，社会消费品零售总额达到407亿元，年均增长{rate}%。\n"
)


def tiny(folder: Path, name: str, rate: str = "7") -> Path:
    """A small real document (two levels and a stated rate) named ``name``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TINY.format(title=f"示例区规划 {rate}", rate=rate), encoding="utf-8")
    return path


def policycheck(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# ----------------------------------------------------------------------------- names

ID_EXAMPLES = [
    # (file name, document id)
    ("plan.txt", "plan"),
    ("..txt", "document"),  # used to be "." = the output folder itself
    ("...txt", "document"),  # used to be ".." = its parent
    ("manifest.json.txt", "manifest.json_"),
    ("index.html.txt", "index.html_"),
    ("overview.html.txt", "overview.html_"),
    ("policycheck.duckdb.txt", "policycheck.duckdb_"),
    ("-rf.txt", "-rf"),
    ("with space.txt", "with space"),
    ("line\nbreak.txt", "line_break"),
    ("tab\there.txt", "tab_here"),
    ("a:b*c?.txt", "a_b_c_"),
    ("规划纲要.txt", "规划纲要"),
    ("e\u0301.txt", "\u00e9"),  # Unicode NFC
]


@pytest.mark.parametrize(("name", "expected"), ID_EXAMPLES)
def test_document_id(name, expected):
    assert document_id(name) == expected


def test_document_id_long_names_are_bounded_and_distinct():
    a, b = document_id("长" * 80 + "甲.txt"), document_id("长" * 80 + "乙.txt")
    assert a != b and len(a.encode()) <= batch.MAX_ID_BYTES >= len(b.encode())


def test_hostile_file_names_build_inside_the_output_folder(tmp_path):
    """..txt, ...txt, manifest.json.txt, 255-byte names …: every report lands in its own
    folder inside --out, the batch's own files stay files, and a second run works."""
    src = tmp_path / "in"
    names = ["..txt", "...txt", "manifest.json.txt", "index.html.txt", "overview.html.txt",
             "x" * 251 + ".txt", "line\nbreak.txt", "-rf.txt", "规划 一.txt"]
    paths = [tiny(src, name, rate=str(5 + i)) for i, name in enumerate(names)]
    out = tmp_path / "out"
    (out / "earlier").mkdir(parents=True)
    (out / "earlier" / "keep.txt").write_text("an earlier report")
    # named one by one (a folder gives the same: only ._ resource forks are left out)
    result = run_batch(paths, out, formats=["markdown"], workers=2, store=False)
    assert [r.status for r in result.results] == ["built"] * len(names), result.to_dict()
    ids = [r.doc_id for r in result.results]
    assert len(set(ids)) == len(ids)
    for r in result.results:
        assert r.folder.parent == out.resolve() and (r.folder / "summary.md").is_file()
    assert (out / "earlier" / "keep.txt").read_text() == "an earlier report"
    for own in ("manifest.json", "index.html"):
        assert (out / own).is_file()
    again = run_batch(paths, out, formats=["markdown"], workers=2, store=False)
    assert {r.status for r in again.results} == {"skipped"}
    assert not list(tmp_path.glob("*.md")) and not (tmp_path / "figures.csv").exists()


def test_same_file_name_in_two_folders_gets_two_reports(tmp_path):
    a, b = tiny(tmp_path / "a", "x.txt", "6"), tiny(tmp_path / "b", "x.md", "8")
    res = run_batch([a, b, a], tmp_path / "out", formats=["markdown"], store=False)
    assert [(r.doc_id, r.status) for r in res.results] == [("x", "built"), ("x-2", "built")]
    again = run_batch([b, a], tmp_path / "out", formats=["markdown"], store=False)
    assert {r.doc_id: r.status for r in again.results} == {"x-2": "skipped", "x": "skipped"}


# ----------------------------------------------------------------------------- the out folder


def test_stale_temporary_folders_are_removed_and_the_lock_kept(tmp_path):
    out = tmp_path / "out"
    stale = [out / ".plan.tmp-abc123", out / ".plan.old-xyz", out / ".manifest.json.k2.tmp.json"]
    stale[0].mkdir(parents=True)
    (stale[0] / "report.html").write_text("half")
    stale[1].mkdir()
    stale[2].write_text("{")
    (out / "plan").mkdir()
    run_batch([], out, store=False)
    assert not any(p.exists() for p in stale)
    assert (out / "plan").is_dir() and (out / batch.LOCK_FILE).exists()


def test_a_second_run_on_the_same_folder_refuses_with_one_line(tmp_path):
    from filelock import FileLock

    out = tmp_path / "out"
    out.mkdir()
    doc = tiny(tmp_path, "plan.txt")
    with FileLock(out / batch.LOCK_FILE):
        with pytest.raises(ReportError, match="another policycheck report run"):
            run_batch([doc], out, store=False, wait=0.2)
        proc = policycheck("report", str(doc), "--out", str(out), "--no-store")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "another policycheck report run" in proc.stderr
    assert not (out / "plan").exists()


@contextlib.contextmanager
def small_tmpfs(path: Path, size: str):
    """A tmpfs of ``size`` at ``path`` (root only); None when it cannot be mounted."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True, check=False,
    ).returncode == 0 if shutil.which("mount") and os.geteuid() == 0 else False
    try:
        yield path if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], check=False)


def _inject(monkeypatch, code: int) -> None:
    """Fallback when no tmpfs can be mounted: the folder behaves as read-only / full."""
    import tempfile

    def refuse(*_a, **_k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(batch.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)


@pytest.mark.parametrize("problem", ["read-only", "full"])
def test_read_only_or_full_output_folder_one_line_reports_intact(tmp_path, monkeypatch, problem):
    doc = tiny(tmp_path / "in", "plan.txt")
    with small_tmpfs(tmp_path / "mnt", "4m") as mnt:
        out = (mnt or tmp_path) / "out"
        first = run_batch([doc], out, formats=["markdown"], store=False)
        assert first.ok
        before = {p.name: p.read_bytes() for p in (out / "plan").iterdir()}
        tiny(tmp_path / "in", "plan.txt", rate="9")  # changed: would be rebuilt
        if mnt is None:
            _inject(monkeypatch, errno.EROFS if problem == "read-only" else errno.ENOSPC)
        elif problem == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        else:
            with open(mnt / "filler", "wb") as fh, contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
        with pytest.raises(ReportError) as err:
            run_batch([doc], out, formats=["markdown"], store=False)
        msg = str(err.value)
        assert "\n" not in msg and str(out) in msg and "left as they were" in msg
        assert ("Read-only" in msg) if problem == "read-only" else ("No space" in msg)
        assert {p.name: p.read_bytes() for p in (out / "plan").iterdir()} == before
        assert manifest.load(out)["plan"]["status"] == "built"


def test_a_document_over_its_time_budget_is_stopped_and_the_batch_goes_on(tmp_path):
    docs = [tiny(tmp_path / "in", f"d{i}.txt", rate=str(5 + i)) for i in range(3)]
    out = tmp_path / "out"
    res = run_batch(docs, out, formats=["markdown"], workers=2, budget=0.5, store=False)
    assert [r.status for r in res.results] == ["failed"] * 3
    assert all("time budget of 0.5 s" in r.error and "\n" not in r.error for r in res.results)
    assert not [p for p in out.iterdir() if p.name.startswith("d")]
    # killed workers may leave temporary folders; the next run removes them and builds
    again = run_batch(docs, out, formats=["markdown"], workers=2, store=False)
    assert [r.status for r in again.results] == ["built"] * 3
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]


# ----------------------------------------------------------------------------- warm engine


def test_warm_engine_notebook_equals_a_plain_papermill_run(tmp_path):
    """Cells, execution counts and outputs of check_document.ipynb on a reused kernel are
    those of papermill's own engine (the second document runs on the reused kernel)."""
    import nbformat
    import papermill

    from analysis import runner
    from analysis.reports import engine

    engine.register()
    nb = config.NOTEBOOKS_DIR / "check_document.ipynb"
    first, second = tiny(tmp_path, "a.txt", "6"), tiny(tmp_path, "b.txt", "7.5")
    runs = {}
    for label, eng, doc in [("warm-a", "policycheck-warm", first),
                            ("warm-b", "policycheck-warm", second),
                            ("plain-b", None, second)]:
        out = tmp_path / f"{label}.ipynb"
        papermill.execute_notebook(
            str(nb), str(out), parameters={"document": str(doc), "language": "both"},
            kernel_name=runner.kernel_name(), cwd=str(config.NOTEBOOKS_DIR),
            progress_bar=False, **({"engine_name": eng} if eng else {}),
        )
        runs[label] = nbformat.read(str(out), as_version=4)
    warm, plain = runs["warm-b"], runs["plain-b"]
    assert len(warm.cells) == len(plain.cells)
    for w, p in zip(warm.cells, plain.cells, strict=True):
        assert w.source == p.source
        assert w.get("execution_count") == p.get("execution_count")
        assert w.get("outputs") == p.get("outputs"), w.source[:60]
    assert "7.5" in json.dumps(warm.cells[-1].outputs) or "7.5" in json.dumps(
        [c.get("outputs") for c in warm.cells])
    assert "b.txt" not in json.dumps([c.get("outputs") for c in runs["warm-a"].cells])


# ----------------------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    )
    yield cluster
    cluster.close()


def _tables(folder: Path) -> dict[str, str]:
    return {n: (folder / n).read_text(encoding="utf-8")
            for n in ("figures.csv", "checks.csv", "flags.csv", "scenarios.csv")}


def test_dask_cluster_gives_the_outputs_of_local_workers(tmp_path, dask_cluster):
    docs = [tiny(tmp_path / "in", f"d{i}.txt", rate=str(6 + i)) for i in range(3)]
    local = run_batch(docs, tmp_path / "local", formats=["markdown"], workers=2, store=False)
    dask = run_batch(docs, tmp_path / "dask", formats=["markdown"],
                     scheduler=dask_cluster.scheduler_address, store=False)
    assert [r.status for r in dask.results] == [r.status for r in local.results] == ["built"] * 3
    for a, b in zip(local.results, dask.results, strict=True):
        assert _tables(a.folder) == _tables(b.folder)
        assert (a.folder / "summary.md").read_text() == (b.folder / "summary.md").read_text()


def test_killing_a_dask_worker_mid_batch_loses_and_doubles_nothing(tmp_path, dask_cluster):
    from distributed import Client

    docs = [tiny(tmp_path / "in", f"k{i}.txt", rate=str(5 + i / 10)) for i in range(6)]
    store = tmp_path / "store.duckdb"
    killed: list[int] = []

    class KillOnFirst:
        def start(self, total, workers):
            pass

        def done(self, result):
            if killed:
                return
            with Client(dask_cluster.scheduler_address) as client:
                busy = [w for w, keys in client.processing().items() if keys]
                pids = client.run(os.getpid, workers=busy[:1]) if busy else {}
            for pid in pids.values():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        def close(self):
            pass

    res = run_batch(docs, tmp_path / "out", formats=["markdown"],
                    scheduler=dask_cluster.scheduler_address, store=store,
                    listener=KillOnFirst())
    assert killed, "no busy worker to kill"
    assert sorted(r.doc_id for r in res.results) == sorted(d.stem for d in docs)
    assert [r.status for r in res.results] == ["built"] * 6, res.to_dict()
    from analysis.store import FigureStore

    with FigureStore(store, read_only=True) as s:
        per_doc = s.query("SELECT document, count(*) AS n FROM figures GROUP BY 1")
        records = s.query("SELECT document, count(*) AS n FROM run_documents GROUP BY 1")
    expected = {r.doc_id: len((r.folder / "figures.csv").read_text().splitlines()) - 1
                for r in res.results}
    assert dict(zip(per_doc.document, per_doc.n, strict=True)) == expected
    assert set(records.n) == {1}


# ----------------------------------------------------------------------------- store, CLI


def test_two_batches_fill_one_store_and_query_answers_across(tmp_path):
    store = tmp_path / "pc.duckdb"
    a = [tiny(tmp_path / "a", f"a{i}.txt", rate=str(6 + i)) for i in range(2)]
    b = [tiny(tmp_path / "b", "b0.txt", rate="9")]
    threads = [
        threading.Thread(target=run_batch, args=(docs, tmp_path / name),
                         kwargs={"formats": ["markdown"], "store": store, "workers": 1})
        for name, docs in (("out-a", a), ("out-b", b))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    proc = policycheck("query", "SELECT document, indicator, year, value FROM figures "
                       "WHERE kind = 'level' ORDER BY document, year", "--store", str(store),
                       "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert {r["document"] for r in rows} == {"a0", "a1", "b0"}
    assert {r["value"] for r in rows} == {"290.5", "407"}
    runs = policycheck("query", "SELECT count(*) AS n FROM runs", "--store", str(store),
                       "--format", "csv")
    assert runs.stdout.split() == ["n", "2"]
    parquet = tmp_path / "parquet"
    assert policycheck("query", "--parquet", str(parquet), "--store", str(store)).returncode == 0
    import duckdb

    n = duckdb.sql(f"SELECT count(*) FROM '{parquet / 'figures.parquet'}'").fetchall()[0][0]
    assert n >= len(rows) >= 6


def test_cli_one_line_per_document_each_failure_once_and_json(tmp_path):
    src = tmp_path / "in"
    tiny(src, "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 8)
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    proc = policycheck("report", str(src), str(missing), "--out", str(out), "--formats",
                       "markdown", "--workers", "2")
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    for name in ("empty.txt", "binary.txt", "missing.txt"):
        assert sum(name in line for line in lines + proc.stderr.splitlines()) == 1, name
        assert (proc.stdout + proc.stderr).count(name) == 1
    assert [ln.split()[0] for ln in lines[:-1]].count("built") == 1
    assert "Traceback" not in proc.stderr and "without encryption" not in proc.stderr
    js = policycheck("report", str(src), "--out", str(out), "--formats", "markdown",
                     "--format", "json")
    summary = json.loads(js.stdout)
    assert summary["counts"] == {"built": 0, "skipped": 1, "failed": 2}
    assert {d["doc_id"]: d["status"] for d in summary["documents"]}["good"] == "skipped"


def test_vanished_sources_leave_the_index(tmp_path):
    from bs4 import BeautifulSoup

    src = tmp_path / "in"
    keep, gone = tiny(src, "keep.txt", "6"), tiny(src, "gone.txt", "7")
    out = tmp_path / "out"
    run_batch([src], out, formats=["html"], store=False, overview=False)
    gone.unlink()
    run_batch([src], out, formats=["html"], store=False, overview=False)
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "lxml")
    listed = [tr.find_all("td")[0].get_text() for tr in soup.select("tbody tr")]
    assert listed == [keep.stem]
    assert "gone" not in manifest.load(out) and not (out / "gone").exists()


def test_killed_run_resumes_with_only_what_is_missing(tmp_path):
    docs = [tiny(tmp_path / "in", f"r{i}.txt", rate=str(6 + i)) for i in range(4)]
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "report", str(tmp_path / "in"), "--out", str(out),
         "--formats", "markdown", "--workers", "1", "--no-store"],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    first = proc.stdout.readline()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert first.startswith("built")
    done_before = {d for d, e in manifest.load(out).items() if e["status"] == "built"}
    assert 1 <= len(done_before) < len(docs)
    res = run_batch([tmp_path / "in"], out, formats=["markdown"], store=False)
    status = {r.doc_id: r.status for r in res.results}
    assert {d for d, s in status.items() if s == "skipped"} == done_before
    assert {d for d, s in status.items() if s == "built"} == {d.stem for d in docs} - done_before
    assert not [p for p in out.iterdir() if p.name.startswith(".r")]


def test_extract_and_check_go_on_after_a_document_that_raises(tmp_path, monkeypatch, capsys):
    """A bug on one document's text (any exception) is one line for it; the rest run."""
    from analysis import cli, figures

    real = figures.extract

    def extract(doc, *a, **k):
        if doc.doc_id == "bad":
            raise ValueError("numeral library choked on 打造百亿元产业集群")
        return real(doc, *a, **k)

    monkeypatch.setattr(figures, "extract", extract)
    good, bad, also = tiny(tmp_path, "good.txt"), tiny(tmp_path, "bad.txt"), tiny(tmp_path, "z.txt")
    for verb in ("extract", "check"):
        code = cli.main([verb, str(good), str(bad), str(also), "--format", "json",
                         "--out", str(tmp_path / verb), "--store", str(tmp_path / "s.duckdb")])
        captured = capsys.readouterr()
        assert code == 2
        assert captured.err.count("\n") == 1 and "bad.txt: ValueError: numeral" in captured.err
        assert captured.out.count('"document": {') == 2
        assert sorted(p.name for p in (tmp_path / verb).iterdir()) == ["good", "z"]
