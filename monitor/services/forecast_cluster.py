"""Forecast fits on a Dask distributed cluster (MONITOR_DASK_SCHEDULER), else on the local pool.

`fit_map(workers, cluster, progress)` is the `map_tasks` a refresh hands to `forecast_frame`:
with no scheduler set it is `pool_map`; with one it connects a `dask.distributed.Client`, sends
the same batches as the pool (`run_batch`, a list of series per task: thousands of small fits
are a few hundred tasks, not one future each), keeps only a bounded number of batches in flight
(the scheduler never holds the whole district's figures at once), and gathers the results back
in the tasks' order, so the output equals the pool's. Workers must have this package installed
(`pip install economic-indicator-monitor[cluster]`); dask is imported only when a scheduler is set.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from monitor.domain.forecast import Result, SeriesTask, TaskMap
from monitor.errors import ClusterError
from monitor.services.forecast_pool import DEFAULT_BATCH, Progress, batches, gather_in_order, pool_map, run_batch
from monitor.settings import ClusterSettings

__all__ = ["cluster_map", "connect", "fit_map"]

_IN_FLIGHT_PER_THREAD = 2  # batches queued per worker thread: enough to keep each busy between round trips
_MISSING = (
    "未安装 dask.distributed：请在本机和各计算节点安装 economic-indicator-monitor[cluster]，"
    "或删去 MONITOR_DASK_SCHEDULER 改用本机进程池"
)


def connect(cluster: ClusterSettings) -> Any:
    """A `dask.distributed.Client` of the scheduler; a ClusterError in Chinese when it does not answer in time."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(_MISSING) from None
    try:
        return Client(cluster.scheduler, timeout=cluster.connect_timeout, set_as_default=False)
    except ValueError as exc:
        raise ClusterError(
            f"MONITOR_DASK_SCHEDULER=“{cluster.scheduler}” 不是调度器地址（如 tcp://host:8786）：{exc}"
        ) from None
    except OSError:  # TimeoutError is an OSError: nothing answered within the timeout
        raise ClusterError(
            f"无法连接 Dask 调度器 {cluster.scheduler}：{cluster.connect_timeout:g} 秒内没有响应。"
            "请检查 MONITOR_DASK_SCHEDULER 的地址和调度器是否在运行（等待时间由 MONITOR_DASK_CONNECT_TIMEOUT 设置），"
            "或删去该变量改用本机进程池"
        ) from None


def _finished(
    client: Any, run_task: Callable[[SeriesTask], Result], parts: list[Sequence[SeriesTask]], threads: int
) -> Iterator[tuple[int, list[Result]]]:
    """(batch number, results) as batches finish, submitting the next batch as each one returns."""
    from distributed import as_completed

    numbers: dict[str, int] = {}
    waiting = iter(enumerate(parts))

    def submit(number: int, part: Sequence[SeriesTask]) -> Any:
        future = client.submit(run_batch, run_task, part, pure=False)
        numbers[future.key] = number
        return future

    first = [submit(n, p) for n, p in itertools.islice(waiting, threads * _IN_FLIGHT_PER_THREAD)]
    running = as_completed(first, loop=client.loop, with_results=True)
    for future, results in running:
        for number, part in itertools.islice(waiting, 1):
            running.add(submit(number, part))
        yield numbers.pop(future.key), results


def _threads(client: Any, cluster: ClusterSettings) -> int:
    """Worker threads of the cluster, waiting up to the connect timeout for a first worker."""
    try:
        client.wait_for_workers(1, timeout=cluster.connect_timeout)
    except (TimeoutError, OSError):
        raise ClusterError(
            f"Dask 调度器 {cluster.scheduler} 上没有计算节点（等待 {cluster.connect_timeout:g} 秒）："
            "请先在各计算节点启动 dask worker，或删去 MONITOR_DASK_SCHEDULER 改用本机进程池"
        ) from None
    return max(1, int(sum(client.nthreads().values())))


def _cluster_run(
    cluster: ClusterSettings,
    run_task: Callable[[SeriesTask], Result],
    tasks: Sequence[SeriesTask],
    progress: Progress | None,
) -> list[Result]:
    if not tasks:
        return []
    from distributed import KilledWorker

    with connect(cluster) as client:
        threads = _threads(client, cluster)
        parts = batches(tasks, threads, cluster.batch)
        try:
            return gather_in_order(_finished(client, run_task, parts, threads), len(parts), len(tasks), progress)
        except (KilledWorker, OSError) as exc:  # CommClosedError is an OSError: the scheduler went away
            raise ClusterError(
                f"Dask 集群 {cluster.scheduler} 在拟合中断开或计算节点退出（{type(exc).__name__}）："
                "本次刷新未保存任何预测，请检查集群后重新运行"
            ) from exc


def cluster_map(cluster: ClusterSettings, *, progress: Progress | None = None) -> TaskMap:
    """A `map_tasks` for `forecast_frame` that fits on the Dask cluster at `cluster.scheduler`."""

    def run(run_task: Callable[[SeriesTask], Result], tasks: Sequence[SeriesTask]) -> Iterable[Result]:
        return _cluster_run(cluster, run_task, tasks, progress)

    return run


def fit_map(workers: int, cluster: ClusterSettings | None = None, *, progress: Progress | None = None) -> TaskMap:
    """The cluster when a scheduler is set, else the local process pool of `workers` processes."""
    if cluster is not None and cluster.scheduler:
        return cluster_map(cluster, progress=progress)
    return pool_map(workers, batch=cluster.batch if cluster is not None else DEFAULT_BATCH, progress=progress)
