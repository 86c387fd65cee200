"""Atheris fuzz target: bytes -> a file of some document type -> ``documents.load`` ->
``figures.extract``.  Any exception other than :class:`AnalysisError` is a crash.

Run it with ``make fuzz`` (``FUZZ_SECONDS``, default 600) or directly::

    .venv/bin/python tests/fuzz/load_extract.py -max_total_time=60 CORPUS_DIR

libFuzzer options follow the script name; ``CORPUS_DIR`` is a folder of inputs it reads and
adds to (``make fuzz`` seeds one from ``data/samples``).  A crash is written as
``crash-<sha1>``: copy it into ``tests/fuzz/crashes/`` (named after what it shows) and
``tests/test_fuzz.py`` keeps it as a regression case.

Crashes already reported and tracked by an xfail case in ``tests/test_fuzz.py`` are listed in
``KNOWN`` (exception type, words of its message), so a run goes on looking for new ones;
remove an entry when its fix lands.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris
import bs4  # noqa: F401 - third-party code is imported first, so it is not instrumented
import docx
import pandas  # noqa: F401
import pdfplumber  # noqa: F401

with atheris.instrument_imports(include=["analysis"]):
    # load() and extract() import these lazily: import them here, so they are instrumented
    import analysis.documents.readers
    import analysis.figures.tables
    import analysis.figures.text  # noqa: F401
    from analysis.documents import load
    from analysis.exceptions import AnalysisError
    from analysis.figures import extract

#: File types the first input byte chooses between ("" = no extension: sniffed).
SUFFIXES = [".txt", ".md", ".html", ".docx", ".pdf", ""]

#: Known crashes (see the module docstring): (exception type, words in its message).
KNOWN: list[tuple[type[BaseException], str]] = []

_DIR = Path(tempfile.mkdtemp(prefix="policycheck-fuzz-"))


def known(exc: BaseException) -> bool:
    return os.environ.get("FUZZ_STRICT") != "1" and any(
        isinstance(exc, kind) and words in str(exc) for kind, words in KNOWN)


def run_one(data: bytes) -> None:
    """Load and extract ``data[1:]`` as the file type ``data[0]`` picks (the regression tests
    call this too)."""
    if not data:
        return
    path = _DIR / ("doc" + SUFFIXES[data[0] % len(SUFFIXES)])
    path.write_bytes(data[1:])
    try:
        document = load(path)
    except AnalysisError:
        return
    extract(document)


def test_one_input(data: bytes) -> None:
    try:
        run_one(data)
    except Exception as exc:
        if not known(exc):
            raise


def seed(corpus: Path) -> None:
    """Fill an empty ``corpus`` folder with the sample documents, each behind the byte that
    picks its file type, and a DOCX made from the first sample."""
    from analysis import config

    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for sample in sorted(config.SAMPLES_DIR.iterdir()):
        if sample.suffix in SUFFIXES:
            data = bytes([SUFFIXES.index(sample.suffix)]) + sample.read_bytes()
            (corpus / f"seed-{sample.name}").write_bytes(data)
    document = docx.Document()
    for line in (config.SAMPLES_DIR / "plan_2021_2025.txt").read_text("utf-8").splitlines()[:40]:
        document.add_paragraph(line)
    document.save(corpus / "seed.docx")
    (corpus / "seed.docx").write_bytes(bytes([SUFFIXES.index(".docx")])
                                       + (corpus / "seed.docx").read_bytes())


def main() -> None:
    corpora = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    if corpora:
        seed(corpora[0])
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
