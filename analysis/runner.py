"""Execute notebooks with papermill: one at a time or in batches.

The kernel is the project's own (``config.KERNEL_NAME``, registered by
``make setup``); where it is not registered (a bare ``pip install``) the
notebook runs on ``python3`` of the current environment instead.  Every
failure is re-raised as :class:`~analysis.exceptions.ReportError` whose
message names the document and the notebook cell that failed, in one line.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config
from analysis.exceptions import ReportError

__all__ = ["CellError", "Run", "execute", "execute_many", "kernel_name"]

log = logging.getLogger(__name__)

#: Kernel used when the project's kernel is not registered.
FALLBACK_KERNEL = "python3"

#: Seconds one cell may run before the notebook is abandoned.
CELL_TIMEOUT = 600


@functools.cache
def kernel_name(preferred: str = config.KERNEL_NAME) -> str:
    """The kernel to execute with: ``preferred`` when registered, else ``python3``.

    >>> kernel_name() in (config.KERNEL_NAME, FALLBACK_KERNEL)
    True
    """
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if preferred in specs:
        return preferred
    log.info("kernel %r is not registered; using %r", preferred, FALLBACK_KERNEL)
    return FALLBACK_KERNEL


class CellError(ReportError):
    """A cell of the notebook raised; ``output`` is the executed notebook with the traceback."""

    def __init__(self, summary: str, output: Path, ename: str = "", evalue: str = ""):
        self.summary = summary
        self.output = output
        self.ename, self.evalue = ename, evalue  # the failing cell's exception
        super().__init__(f"{summary} (see {output})")


@dataclass
class Run:
    """One notebook execution: what ran, for which document, and how it ended."""

    notebook: Path
    output: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    document: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def execute(
    notebook: str | Path,
    output: str | Path,
    parameters: dict[str, Any] | None = None,
    *,
    document: str | Path | None = None,
    kernel: str | None = None,
    cwd: str | Path | None = None,
    timeout: int = CELL_TIMEOUT,
    engine: str | None = None,
) -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output``; return ``output``.

    ``document`` only labels errors (defaults to ``parameters["document"]``).
    ``engine`` names a papermill engine (``policycheck-warm`` reuses one
    kernel per worker; None: papermill's default).
    The executed notebook is written even when a cell fails, so the traceback
    can be read there; the raised :class:`ReportError` names the document,
    the notebook and the exception of the failing cell.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook, output = Path(notebook), Path(output)
    parameters = dict(parameters or {})
    label = str(document if document is not None else parameters.get("document", notebook.name))
    if not notebook.is_file():
        raise ReportError(f"{label}: notebook {notebook} not found (reinstall the package)")
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel or kernel_name(),
            cwd=str(cwd) if cwd is not None else None,
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
            **({"engine_name": engine} if engine else {}),
        )
    except PapermillExecutionError as exc:
        raise CellError(
            f"{label}: {notebook.name} failed at In [{exc.exec_count}]: "
            f"{exc.ename}: {_first_line(exc.evalue)}",
            output,
            exc.ename,
            _first_line(exc.evalue),
        ) from None
    except Exception as exc:  # kernel died, bad parameters, unreadable notebook ...
        raise ReportError(
            f"{label}: {notebook.name} could not run: {type(exc).__name__}: {_first_line(str(exc))}"
        ) from exc
    return output


def execute_many(runs: Iterable[Run], **options: Any) -> list[Run]:
    """Execute each run independently; a failure is recorded in ``run.error``, others go on.

    ``options`` are passed to :func:`execute` (``kernel``, ``cwd``, ``timeout``).
    """
    done = []
    for run in runs:
        try:
            execute(
                run.notebook, run.output, run.parameters, document=run.document or None, **options
            )
        except ReportError as exc:
            run.error = str(exc)
            log.error("%s", exc)
        done.append(run)
    return done


def _first_line(text: str) -> str:
    """First non-empty line of ``text`` (errors are one line).

    >>> _first_line("\\nValueError: bad\\nmore")
    'ValueError: bad'
    """
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""
