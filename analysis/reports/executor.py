"""Where a batch's per-document tasks run: a local pool of warm workers, or a Dask cluster.

One small interface (:class:`Executor`): ``run(fn, items, budget)`` yields
``(item, result_or_exception)`` as tasks finish, in any order, each item
exactly once.  :func:`executor_for` picks the implementation:

- :class:`LocalPool` (default): ``workers`` processes of :mod:`pebble`, each
  keeping its own warm kernel; a document over its time budget has its worker
  killed and replaced (the batch goes on), a worker that dies is reported for
  that document only.
- :class:`DaskExecutor` (``scheduler="tcp://host:8786"`` or ``"local"`` for a
  :class:`distributed.LocalCluster` on loopback): the same tasks sent to Dask
  workers.  A worker lost mid-batch has its tasks re-run elsewhere by the
  scheduler; the budget bounds the notebook cells there (the worker is not
  killed).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["BudgetExceeded", "DaskExecutor", "Executor", "LocalPool", "executor_for"]

T = TypeVar("T")


class BudgetExceeded(Exception):
    """A document ran longer than its time budget."""


class Executor(Protocol):
    workers: int

    def run(
        self, fn: Callable[[T], Any], items: Sequence[T], budget: float | None
    ) -> Iterator[tuple[T, Any]]: ...

    def close(self) -> None: ...


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class LocalPool:
    """``workers`` local processes (spawned, each warmed by ``initializer`` once)."""

    def __init__(self, workers: int | None = None, initializer: Callable[[], None] | None = None):
        self.workers = workers or default_workers()
        self.initializer = initializer
        self._pool: Any = None

    def _start(self) -> Any:
        if self._pool is None:
            import multiprocessing

            from pebble import ProcessPool

            self._pool = ProcessPool(
                max_workers=self.workers,
                initializer=self.initializer,
                context=multiprocessing.get_context("spawn"),
            )
        return self._pool

    def run(
        self, fn: Callable[[T], Any], items: Sequence[T], budget: float | None
    ) -> Iterator[tuple[T, Any]]:
        from pebble import ProcessExpired

        if not items:
            return
        pool = self._start()
        futures = {pool.schedule(fn, args=(item,), timeout=budget): item for item in items}
        for future in cf.as_completed(futures):
            item = futures[future]
            try:
                yield item, future.result()
            except cf.TimeoutError:
                yield item, BudgetExceeded(
                    f"stopped after its time budget of {budget:g} s (--budget)"
                )
            except ProcessExpired as exc:
                yield item, RuntimeError(f"the worker process died (exit code {exc.exitcode})")
            except Exception as exc:  # noqa: BLE001 - reported for this item only
                yield item, exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None


class DaskExecutor:
    """Tasks on a Dask distributed cluster (``"local"``: a LocalCluster on loopback)."""

    def __init__(self, scheduler: str, workers: int | None = None):
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler == "local":
            self.cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,  # one warm kernel per worker process
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler, timeout=30)
        self.workers = len(self.client.scheduler_info().get("workers", {})) or 1

    def run(
        self, fn: Callable[[T], Any], items: Sequence[T], budget: float | None
    ) -> Iterator[tuple[T, Any]]:
        from distributed import as_completed

        if not items:
            return
        futures = {self.client.submit(fn, item, pure=False): item for item in items}
        for future in as_completed(futures):
            item = futures[future]
            try:
                yield item, future.result()
            except Exception as exc:  # noqa: BLE001 - reported for this item only
                yield item, exc
            finally:
                future.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def executor_for(
    workers: int | None = None,
    scheduler: str | None = None,
    initializer: Callable[[], None] | None = None,
) -> Executor:
    """A :class:`LocalPool` (``scheduler`` None) or a :class:`DaskExecutor`."""
    if scheduler:
        return DaskExecutor(scheduler, workers)
    return LocalPool(workers, initializer)
