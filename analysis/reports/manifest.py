"""The out folder's manifest: what was built from which document, for skipping unchanged ones.

``<out>/manifest.json`` maps each document id to the source path, its
sha256, the package version and the report settings it was built with, the
status (built | failed), the counts and the error.  A document whose sha256,
version and settings match a ``built`` entry, and whose report folder still
has every file, is skipped by a batch (nightly runs); ``force=True`` rebuilds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analysis.reports.atomic import write_text

__all__ = ["MANIFEST", "is_current", "load", "save"]

MANIFEST = "manifest.json"
SCHEMA = 1


def load(out_dir: str | Path) -> dict[str, dict[str, Any]]:
    """The entries of ``out_dir``'s manifest; empty when absent or unreadable (then all rebuild)."""
    path = Path(out_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return {}
    docs = data.get("documents")
    return docs if isinstance(docs, dict) else {}


def save(out_dir: str | Path, entries: dict[str, dict[str, Any]]) -> Path:
    """Write the manifest atomically."""
    text = json.dumps(
        {"schema": SCHEMA, "documents": entries},
        ensure_ascii=False,
        indent=2,
        sort_keys=True,
        default=str,
    )
    return write_text(Path(out_dir) / MANIFEST, text + "\n")


def is_current(
    entry: dict[str, Any] | None,
    sha256: str,
    version: str,
    settings: dict[str, Any],
    folder: str | Path,
    files: list[str],
) -> bool:
    """Whether the report in ``folder`` was built from this very input and can be kept.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "report.html").write_text("x")
    >>> e = {"status": "built", "sha256": "ab", "version": "0.1.0", "settings": {"language": "both"}}
    >>> is_current(e, "ab", "0.1.0", {"language": "both"}, d, ["report.html"])
    True
    >>> is_current(e, "cd", "0.1.0", {"language": "both"}, d, ["report.html"])
    False
    >>> is_current(e, "ab", "0.1.0", {"language": "both"}, d, ["report.html", "report.pdf"])
    False
    """
    if not entry or entry.get("status") != "built":
        return False
    if entry.get("sha256") != sha256 or entry.get("version") != version:
        return False
    if json.loads(json.dumps(entry.get("settings"), default=str)) != json.loads(
        json.dumps(settings, default=str)
    ):
        return False
    folder = Path(folder)
    return all((folder / f).is_file() for f in files)
