"""A papermill engine that keeps one kernel warm per worker (thread) and reuses it.

papermill's default engine starts a kernel for every notebook and shuts it
down afterwards; with the library's imports that is about 2 s per document.
:class:`WarmEngine` is registered in papermill's engine registry under
:data:`ENGINE_NAME` (entry point ``papermill.engine`` in pyproject.toml, and
by :func:`register` for a source checkout).  It starts the kernel once, and
before each notebook resets it: the user namespace is cleared (``%reset -f``,
which also restarts the execution counter), open figures are closed, the
working directory is set to the one papermill runs the notebook in.  Imported
modules stay imported, which is the point.  The executed notebook has the
same cells, execution counts and outputs as a plain papermill run (a test
compares the two).

A cell that raises is recorded by papermill's client and the kernel stays
(the next reset clears it); a notebook that does not end normally (a timeout,
a dead kernel) has its kernel replaced, so a broken run never leaks into the
next document.

Use it from papermill: ``papermill.execute_notebook(..., engine_name="policycheck-warm")``
or ``papermill --engine policycheck-warm in.ipynb out.ipynb``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from typing import Any

__all__ = ["ENGINE_NAME", "WarmEngine", "register", "shutdown"]

ENGINE_NAME = "policycheck-warm"

#: Code run (silently, not counted) before each notebook on a reused kernel.
RESET = """\
get_ipython().run_line_magic("reset", "-f")
import os as _pc_os, sys as _pc_sys
if "matplotlib.pyplot" in _pc_sys.modules:
    _pc_sys.modules["matplotlib.pyplot"].close("all")
_pc_os.chdir({cwd!r})
get_ipython().execution_count = 1
del _pc_os, _pc_sys
"""

_local = threading.local()


class _Kernel:
    """One kernel manager (and its client, once nbclient made it) kept across notebooks."""

    def __init__(self, kernel_name: str):
        from jupyter_client.manager import AsyncKernelManager

        self.kernel_name = kernel_name
        # IPC sockets in a private folder: no TCP port, no "running over TCP without
        # encryption" warning on every start
        self._dir = tempfile.mkdtemp(prefix="policycheck-kernel-")
        self.km = AsyncKernelManager(
            kernel_name=kernel_name, transport="ipc", ip=os.path.join(self._dir, "k")
        )
        self.kc: Any = None
        self.used = False

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(self.km.has_kernel and run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001, S110 - best effort at exit
            pass
        self.kc = None
        shutil.rmtree(self._dir, ignore_errors=True)


def _kernel(kernel_name: str) -> _Kernel:
    kernel = getattr(_local, "kernel", None)
    if kernel is not None and (kernel.kernel_name != kernel_name or not kernel.alive()):
        kernel.shutdown()
        kernel = None
    if kernel is None:
        kernel = _local.kernel = _Kernel(kernel_name)
        _all.append(kernel)
    return kernel


_all: list[_Kernel] = []


def shutdown() -> None:
    """Shut down every warm kernel of this process (at exit, or when a worker stops)."""
    while _all:
        _all.pop().shutdown()
    _local.__dict__.pop("kernel", None)


atexit.register(shutdown)


def _client_class() -> type:
    from jupyter_core.utils import ensure_async, run_sync
    from papermill.clientwrap import PapermillNotebookClient

    class WarmClient(PapermillNotebookClient):  # type: ignore[misc]
        """papermill's client, resetting a reused kernel before the first cell."""

        warm: _Kernel

        async def _async_reset(self) -> None:
            from analysis.exceptions import ReportError

            code = RESET.format(cwd=os.getcwd())
            msg_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False))
            reply = await self.async_wait_for_reply(msg_id)
            if reply is None or reply["content"].get("status") != "ok":
                raise ReportError("could not reset the reused kernel")

        def papermill_execute_cells(self) -> None:
            self.warm.kc = self.kc
            if self.warm.used:
                run_sync(self._async_reset)()
            self.warm.used = True
            super().papermill_execute_cells()

    return WarmClient


class WarmEngine:
    """papermill engine: ``NBClientEngine`` with the kernel kept between notebooks.

    Not a subclass of papermill's ``Engine`` only so that papermill can load this
    module from its entry points while it is itself being imported; the shared
    bookkeeping is papermill's (:meth:`execute_notebook`).
    """

    @classmethod
    def execute_notebook(cls, nb: Any, kernel_name: str, **kwargs: Any) -> Any:
        from papermill.engines import Engine

        return Engine.execute_notebook.__func__(cls, nb, kernel_name, **kwargs)

    @classmethod
    def nb_kernel_name(cls, nb: Any, name: str | None = None) -> str:
        from papermill.engines import Engine

        return Engine.nb_kernel_name.__func__(cls, nb, name)

    @classmethod
    def nb_language(cls, nb: Any, language: str | None = None) -> str:
        from papermill.engines import Engine

        return Engine.nb_language.__func__(cls, nb, language)

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        **kwargs: Any,
    ) -> Any:
        from papermill.log import logger
        from papermill.utils import merge_kwargs, remove_args

        warm = _kernel(kernel_name)
        safe_kwargs = remove_args(["timeout", "startup_timeout", "input_path"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            # the counter restarts per notebook; a history database would see repeated lines
            extra_arguments=["--HistoryManager.enabled=False"],
        )
        client = _client_class()(nb_man, km=warm.km, **final_kwargs)
        client.kc = warm.kc  # a plain attribute of NotebookClient, not a trait
        client.warm = warm
        ok = False
        try:
            result = client.execute(cwd=os.getcwd())
            ok = True
            return result
        finally:
            atexit.unregister(client._cleanup_kernel)  # the kernel outlives this client
            if not ok:  # never carry a broken kernel's state into the next document
                warm.shutdown()
                if warm in _all:
                    _all.remove(warm)
                _local.__dict__.pop("kernel", None)


def register() -> None:
    """Register :class:`WarmEngine` in papermill's engine registry (idempotent)."""
    from papermill.engines import papermill_engines

    if ENGINE_NAME not in papermill_engines._engines:
        papermill_engines.register(ENGINE_NAME, WarmEngine)
