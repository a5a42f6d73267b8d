"""Where the forecast fits run: in this process for a few, on a local process pool for many.

The domain's `forecast_frame` takes a `map`-like callable; `pool_map(workers)` returns one.
"""

from __future__ import annotations

import math
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from threadpoolctl import threadpool_limits

from monitor.domain.forecast import Result, SeriesTask, TaskMap

__all__ = ["pool_map"]

_POOL_MIN_TASKS = 16  # below this a process pool costs more than it saves

_FORK_SERVER = multiprocessing.get_context("forkserver")
_FORK_SERVER.set_forkserver_preload(["monitor.domain.forecast.series"])


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork when this process runs no other thread (the CLI: fastest); otherwise (the board, the
    scheduler) take workers from a fork server, because forking a multi-threaded process can copy
    a lock another thread holds. The server imports the models once for all later pools."""
    return multiprocessing.get_context("fork") if threading.active_count() == 1 else _FORK_SERVER


def _one_blas_thread() -> None:
    """Pool initializer: fits are tiny, and idle BLAS threads spinning per process only steal the cores."""
    threadpool_limits(1)


def _run(run_task: Callable[[SeriesTask], Result], tasks: Sequence[SeriesTask], workers: int) -> Iterable[Result]:
    if workers <= 1 or len(tasks) < _POOL_MIN_TASKS:
        with threadpool_limits(1):  # same wall time, half the CPU: BLAS threads only spin on these sizes
            return [run_task(t) for t in tasks]
    chunk = max(1, math.ceil(len(tasks) / (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_one_blas_thread) as pool:
        return list(pool.map(run_task, tasks, chunksize=chunk))


def pool_map(workers: int) -> TaskMap:
    """A `map_tasks` for `forecast_frame`: serial below a few tasks or with one worker, else a process pool."""

    def run(run_task: Callable[[SeriesTask], Result], tasks: Sequence[SeriesTask]) -> Iterable[Result]:
        return _run(run_task, tasks, workers)

    return run
