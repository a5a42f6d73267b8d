"""Where the forecast fits run: in this process for a few, on a local process pool for many.

The domain's `forecast_frame` takes a `map`-like callable; `pool_map(workers)` returns one.
Fits are sent out in batches (`run_batch`, a list of tasks per process call) and gathered back in
the tasks' order whatever order the batches finish in, so the results do not depend on where
they ran; the cluster (`forecast_cluster`) uses the same batches and the same gathering.
A `Progress` callback hears (series done, series in all) after each batch.
"""

from __future__ import annotations

import math
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed

from threadpoolctl import threadpool_limits

from monitor.domain.forecast import Result, SeriesTask, TaskMap

__all__ = ["DEFAULT_BATCH", "Progress", "batches", "gather_in_order", "pool_map", "run_batch", "throttled"]

Progress = Callable[[int, int], None]
"""Called with (series done, series in all) as batches finish."""

DEFAULT_BATCH = 200  # most series in one batch (the setting MONITOR_FORECAST_BATCH)
_POOL_MIN_TASKS = 16  # below this a process pool costs more than it saves
_BATCHES_PER_WORKER = 4  # enough batches that a slow one does not leave the other workers idle at the end

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


def run_batch(run_task: Callable[[SeriesTask], Result], tasks: Sequence[SeriesTask]) -> list[Result]:
    """Fit a batch of series in order, with one BLAS thread (the same numbers in a pool or on a cluster)."""
    with threadpool_limits(1):  # same wall time, half the CPU: BLAS threads only spin on these sizes
        return [run_task(t) for t in tasks]


def batches(tasks: Sequence[SeriesTask], workers: int, most: int) -> list[Sequence[SeriesTask]]:
    """The tasks cut into consecutive batches: a few per worker, none larger than `most`."""
    size = max(1, min(most, math.ceil(len(tasks) / (max(workers, 1) * _BATCHES_PER_WORKER))))
    return [tasks[start : start + size] for start in range(0, len(tasks), size)]


def gather_in_order(
    finished: Iterable[tuple[int, list[Result]]], count: int, total: int, progress: Progress | None
) -> list[Result]:
    """Results of `count` batches, given as (batch number, results) in any order, back in batch order."""
    parts: list[list[Result] | None] = [None] * count
    done = 0
    for number, results in finished:
        parts[number] = results
        done += len(results)
        if progress is not None:
            progress(done, total)
    missing = [i for i, part in enumerate(parts) if part is None]
    if missing:
        raise RuntimeError(f"内部错误：第 {missing[:5]} 批预测拟合没有返回结果，本次刷新未保存任何预测，请重新运行")
    return [r for part in parts if part is not None for r in part]


def throttled(emit: Callable[[int, int], None], steps: int = 10) -> Progress:
    """A Progress that passes on only every 1/steps of the way, and the end (a log line, not one per batch)."""
    shown = [-1]

    def progress(done: int, total: int) -> None:
        step = steps if total <= 0 else (done * steps) // total
        if step > shown[0]:
            shown[0] = step
            emit(done, total)

    return progress


def _serial(
    run_task: Callable[[SeriesTask], Result], tasks: Sequence[SeriesTask], most: int, progress: Progress | None
) -> list[Result]:
    parts = batches(tasks, 1, most)
    return gather_in_order(((i, run_batch(run_task, p)) for i, p in enumerate(parts)), len(parts), len(tasks), progress)


def _run(
    run_task: Callable[[SeriesTask], Result],
    tasks: Sequence[SeriesTask],
    workers: int,
    most: int,
    progress: Progress | None,
) -> list[Result]:
    if workers <= 1 or len(tasks) < _POOL_MIN_TASKS:
        return _serial(run_task, tasks, most, progress)
    parts = batches(tasks, workers, most)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_one_blas_thread) as pool:
        numbers: dict[Future[list[Result]], int] = {
            pool.submit(run_batch, run_task, part): i for i, part in enumerate(parts)
        }
        finished = ((numbers[f], f.result()) for f in as_completed(numbers))
        return gather_in_order(finished, len(parts), len(tasks), progress)


def pool_map(workers: int, *, batch: int = DEFAULT_BATCH, progress: Progress | None = None) -> TaskMap:
    """A `map_tasks` for `forecast_frame`: serial below a few tasks or with one worker, else a process pool."""

    def run(run_task: Callable[[SeriesTask], Result], tasks: Sequence[SeriesTask]) -> Iterable[Result]:
        return _run(run_task, tasks, workers, batch, progress)

    return run
