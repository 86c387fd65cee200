"""Every path the project uses, resolved from one place (STYLE.md §7).

Notebooks and tests import these instead of hard-coding folders.  The
``POLICYCHECK_SHARED`` environment variable overrides where ``../shared`` is.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
LEXICON_DIR = PACKAGE_DIR / "lexicons"
DATA_DIR = PROJECT_ROOT / "data"
SAMPLES_DIR = DATA_DIR / "samples"
SCENARIOS_DIR = DATA_DIR / "scenarios"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
SHARED_DIR = Path(os.environ.get("POLICYCHECK_SHARED", PROJECT_ROOT.parent / "shared"))
SEEDS_DIR = SHARED_DIR / "seeds"
SHARED_DATA_DIR = SHARED_DIR / "data"
CORPUS_DIR = SHARED_DIR / "corpus"      # the hand-annotated development corpus and its scorer

#: Report output folder template; ``doc_id`` is the document's file stem.
REPORT_DIR_TEMPLATE = "{out}/{doc_id}"

#: Inputs larger than this are refused before reading (bytes).
MAX_INPUT_BYTES = 50 * 1024 * 1024

#: What a document may decode to (bytes of UTF-8 text, or inflated bytes): the sum of the
#: uncompressed sizes inside a DOCX, checked before anything is inflated, and the text of a
#: PDF, checked page by page.  A 5 MB zip bomb must not become gigabytes in memory.
MAX_DECODED_BYTES = 100 * 1024 * 1024

#: Seconds one document of a report batch may take (notebook and exports) before it is
#: stopped and reported as failed; ``policycheck report --budget`` overrides.
DOCUMENT_BUDGET = 600.0

#: The figure store ``policycheck check`` and ``query`` use (``report`` uses <out>/policycheck.duckdb).
STORE_PATH = Path(os.environ.get("POLICYCHECK_STORE", REPORTS_DIR / "policycheck.duckdb"))

#: Name of the Jupyter kernel the Makefile registers.
KERNEL_NAME = "policycheck"


def seed_paths() -> list[Path]:
    """The real seed documents, sorted; empty when ../shared is absent."""
    return sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
