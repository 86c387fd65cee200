"""Atomic outputs: a file or a whole report folder appears complete or not at all.

Files are written to a temporary name in the *same* folder and moved into
place with :func:`os.replace` (atomic on POSIX and Windows when source and
target share a file system).  A report folder is assembled in a hidden
temporary sibling (``.<name>.tmp-*``) and renamed into place, so an
interrupted run leaves at most a hidden temporary folder, never a report that
looks complete but is not.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from glob import escape as glob_escape
from pathlib import Path

__all__ = [
    "OutsideError",
    "atomic_dir",
    "atomic_path",
    "ensure_inside",
    "remove_all_stale",
    "remove_stale",
    "write_bytes",
    "write_text",
]

#: Characters of the target's name kept in a temporary name (names may be 255 bytes long).
_NAME_KEPT = 40

_TMP_FILE = re.compile(r"\.tmp(\.[^.]*)?$")  # atomic_path's names: .<name>.<random>.tmp<suffix>


class OutsideError(ValueError):
    """A write would land outside the output folder (or replace the folder itself)."""


def ensure_inside(root: str | Path, path: str | Path) -> Path:
    """``path`` resolved, if it lies strictly inside ``root``; else :class:`OutsideError`.

    >>> ensure_inside("/srv/out", "/srv/out/plan").as_posix()
    '/srv/out/plan'
    >>> ensure_inside("/srv/out", "/srv/out/..")
    Traceback (most recent call last):
    analysis.reports.atomic.OutsideError: /srv/out/..: refusing to write outside the output folder /srv/out
    """
    root_r, path_r = Path(root).resolve(), Path(path).resolve()
    if path_r == root_r or root_r not in path_r.parents:
        raise OutsideError(f"{path}: refusing to write outside the output folder {root}")
    return path_r


def _tmp_prefix(name: str) -> str:
    return f".{name[:_NAME_KEPT]}."


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _usual_mode(path: Path, directory: bool) -> None:
    """Give a temp file/folder the mode a plain open()/mkdir() would (mkstemp makes 0600/0700),
    so reports are readable by whoever may read the out folder."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it onto ``path``.

    For writers that insist on a file name (openpyxl, weasyprint).  On error
    the temporary file is removed and ``path`` is left as it was.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('done', ['a.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # hidden, and ending in the real suffix (papermill and openpyxl look at it)
    fd, name = tempfile.mkstemp(
        prefix=_tmp_prefix(path.name), suffix=f".tmp{path.suffix[:16]}", dir=path.parent
    )
    os.close(fd)
    tmp = Path(name)
    _usual_mode(tmp, directory=False)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (flushed to disk before the rename)."""
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x" / "summary.md"
    >>> write_text(p, "# 报告").read_text(encoding="utf-8")
    '# 报告'
    """
    return write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_dir(path: str | Path, root: str | Path | None = None) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it replaces the folder ``path``.

    A folder cannot be renamed onto a non-empty one, so an existing ``path``
    is first renamed to a hidden ``.<name>.old-*`` sibling and removed after
    the new folder is in place: ``path`` is always either the old complete
    report or the new complete one.  On error the temporary folder is removed
    and ``path`` is untouched.  With ``root`` (the output folder), ``path``
    must lie inside it and never be it (:class:`OutsideError`).
    """
    path = Path(path)
    if root is not None:
        ensure_inside(root, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{_tmp_prefix(path.name)}tmp-", dir=path.parent))
    _usual_mode(tmp, directory=True)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{_tmp_prefix(path.name)}old-", dir=path.parent))
        os.replace(path, old / path.name)
    try:
        os.replace(tmp, path)
    except BaseException:
        if old is not None:  # put the previous report back
            os.replace(old / path.name, path)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def remove_stale(folder: str | Path, name: str) -> list[Path]:
    """Remove hidden ``.<name>.tmp-*`` / ``.<name>.old-*`` leftovers of an interrupted run."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    stale = [
        p
        for p in folder.glob(f"{glob_escape(_tmp_prefix(name))}*")
        if p.is_dir() and (".tmp-" in p.name or ".old-" in p.name)
    ]
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    return stale


def remove_all_stale(folder: str | Path) -> list[Path]:
    """Remove every hidden temporary file or folder an interrupted run left in ``folder``.

    Only safe while holding the output folder's lock (another run's temporary
    folders look the same).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    stale = [
        p
        for p in folder.iterdir()
        if p.name.startswith(".")
        and (
            (p.is_dir() and (".tmp-" in p.name or ".old-" in p.name))
            or (p.is_file() and _TMP_FILE.search(p.name) is not None)
        )
    ]
    for p in stale:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
    return stale
