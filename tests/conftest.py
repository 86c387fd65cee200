"""Shared test fixtures: paths from analysis.config, seeds skip cleanly when ../shared is absent."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# `policycheck check` fills a figure store by default: the tests' goes to a temporary folder
os.environ.setdefault(
    "POLICYCHECK_STORE", str(Path(tempfile.mkdtemp(prefix="policycheck-test-")) / "store.duckdb")
)

from analysis import config  # noqa: E402  (after the store location is set)

SEEDS_REASON = (
    f"needs the real seed documents in {config.SEEDS_DIR} (../shared beside the checkout); "
    "CI always has them"
)


def seed_path(prefix: str) -> Path:
    """Path of the seed whose file name starts with ``prefix`` ("003"); skips when absent."""
    if not config.SEEDS_DIR.is_dir():
        pytest.skip(SEEDS_REASON)
    matches = sorted(config.SEEDS_DIR.glob(f"{prefix}*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {config.SEEDS_DIR}")
    return matches[0]


@pytest.fixture
def seeds_dir() -> Path:
    if not config.SEEDS_DIR.is_dir():
        pytest.skip(SEEDS_REASON)
    return config.SEEDS_DIR


@pytest.fixture
def shared_data_dir() -> Path:
    if not config.SHARED_DATA_DIR.is_dir():
        pytest.skip(f"needs {config.SHARED_DATA_DIR} (../shared beside the checkout)")
    return config.SHARED_DATA_DIR
