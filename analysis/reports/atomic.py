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
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_dir", "atomic_path", "remove_stale", "write_bytes", "write_text"]


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
        prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent
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
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it replaces the folder ``path``.

    A folder cannot be renamed onto a non-empty one, so an existing ``path``
    is first renamed to a hidden ``.<name>.old-*`` sibling and removed after
    the new folder is in place: ``path`` is always either the old complete
    report or the new complete one.  On error the temporary folder is removed
    and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    _usual_mode(tmp, directory=True)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
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
        for p in folder.glob(f".{name}.*")
        if p.is_dir() and (".tmp-" in p.name or ".old-" in p.name)
    ]
    for p in stale:
        shutil.rmtree(p, ignore_errors=True)
    return stale
