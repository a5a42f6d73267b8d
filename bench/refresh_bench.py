"""`refresh_forecasts` on the local process pool against a 2-worker Dask LocalCluster, in one run.

    .venv/bin/python bench/refresh_bench.py --regions 3000 --sizes 30,300,1000
    .venv/bin/python bench/refresh_bench.py --regions 100 --sizes 10,30

Synthetic data as in pace_bench (N county-level regions × all 55 indicators × 2016-01..2021-06,
loaded raw into a throw-away SQLite database). For each size n (the first n regions; the last
size is always --regions) it refreshes the report month 2021-06 twice on the same database,
forgetting the stored forecasts before each run, once on a local pool of --workers processes
and once on the LocalCluster (--cluster-workers processes, one thread each) through
MONITOR_DASK_SCHEDULER's code path, and prints seconds, series/s, the ratio cluster / pool and
whether the stored forecasts are identical. The cluster is started and warmed (models imported
on its workers) before the timed runs, as a standing cluster would be; its start is printed
apart. Each timed refresh runs in a fresh process, as `monitor forecast refresh` does (its pool
forked by a single-threaded process), and times `refresh_forecasts` only, not the start-up.

From the sizes it fits t = fixed + per_series·n for both and prints the fixed cost of a refresh
and the per-series cost, and from those the size above which a cluster of K such workers would
beat this machine's pool (an extrapolation that assumes workers scale linearly; printed as
such). With --one-future-per-series it also times the cluster with batches of one series, the
cost batching saves. Nothing is asserted. Bounded: at most --max-series series fitted per run (default 200,000).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pace_bench import REPORT, bench_catalogue, synthetic_database  # noqa: E402

from monitor.domain.catalogue import Catalogue  # noqa: E402
from monitor.services.forecasts import refresh_forecasts  # noqa: E402
from monitor.settings import ClusterSettings  # noqa: E402
from monitor.storage.db import make_engine, transaction  # noqa: E402
from monitor.storage.models import Forecast  # noqa: E402


def stored(engine: Engine) -> pd.DataFrame:
    columns = [c for c in Forecast.__table__.columns if c.name not in ("id", "fitted_at")]
    with transaction(engine) as session:
        rows = session.execute(select(*columns).order_by(Forecast.indicator, Forecast.region, Forecast.period))
        return pd.DataFrame(rows.all(), columns=[c.name for c in columns])


def forget(engine: Engine) -> None:
    with transaction(engine) as session:
        session.execute(delete(Forecast))


def build(url: str, regions: int) -> tuple[Engine, Catalogue]:
    engine, full, rows, load_s = synthetic_database(url, regions)
    print(f"{rows:,} synthetic figures for {regions:,} regions loaded in {load_s:.0f} s")
    return engine, full


def start_cluster(workers: int) -> tuple[object, str]:
    """A LocalCluster of `workers` processes, warmed: the forecast models imported on every worker."""
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    )
    address = str(cluster.scheduler_address)
    with Client(address, set_as_default=False) as client:
        client.run(__import__, "monitor.domain.forecast.series")
    print(f"LocalCluster of {workers} worker processes started and warmed in {time.perf_counter() - started:.1f} s")
    return cluster, address


def timed_refresh(
    url: str, regions: int, size: int, args: argparse.Namespace, address: str, batch: int | None = None
) -> dict[str, Any]:
    """One refresh in a fresh process, as `monitor forecast refresh` runs (a single-threaded parent forks
    the pool; this process's cluster threads would not let it): its seconds, fitted count and methods."""
    child = [sys.executable, __file__, "--child", url, str(regions), str(size), address]
    options = ["--workers", str(args.workers), "--batch", str(batch or args.batch)]
    done = subprocess.run([*child, *options], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def child(argv: list[str], args: argparse.Namespace) -> None:
    url, regions, size, address = argv[0], int(argv[1]), int(argv[2]), argv[3]
    catalogue, _ = bench_catalogue(regions)
    engine = make_engine(url)
    cluster = ClusterSettings(scheduler="" if address == "pool" else address, batch=args.batch)
    result = refresh_forecasts(
        engine, catalogue, REPORT, regions=list(catalogue.regions)[:size], workers=args.workers, cluster=cluster
    )
    engine.dispose()
    print(json.dumps({"seconds": result.seconds, "fitted": result.fitted, "series": result.series, **result.methods}))


def one_size(
    engine: Engine, url: str, regions: int, size: int, args: argparse.Namespace, address: str
) -> tuple[dict[str, Any], float, float, bool]:
    """(pool result, best pool seconds, best cluster seconds, identical stored forecasts) for `size` regions."""
    pool_runs: list[dict[str, Any]] = []
    cluster_runs: list[dict[str, Any]] = []
    outputs: list[pd.DataFrame] = []
    for i in range(args.repeat):  # alternate which goes first; the best of each is printed
        for mode in ("pool", address) if i % 2 == 0 else (address, "pool"):
            forget(engine)
            got = timed_refresh(url, regions, size, args, mode)
            (pool_runs if mode == "pool" else cluster_runs).append(got)
            outputs.append(stored(engine))
    same = all(o.equals(outputs[0]) for o in outputs) and all(
        {k: v for k, v in r.items() if k != "seconds"} == {k: v for k, v in pool_runs[0].items() if k != "seconds"}
        for r in [*pool_runs, *cluster_runs]
    )
    best = min(r["seconds"] for r in pool_runs), min(r["seconds"] for r in cluster_runs)
    return pool_runs[0], best[0], best[1], same


def one_by_one(engine: Engine, url: str, size: int, args: argparse.Namespace, address: str, batched: float) -> None:
    """The cluster again with batches of one series (a future per series), against the batched run."""
    forget(engine)
    single = timed_refresh(url, args.regions, size, args, address, batch=1)["seconds"]
    print(f"[{size:,} regions]   cluster, one future per series: {single:.1f} s, {single / batched:.2f}x the batched")


def fit_line(sizes: list[int], seconds: list[float]) -> tuple[float, float]:
    """(fixed seconds, seconds per series) of a least-squares line; (nan, mean rate) with one size."""
    if len(sizes) < 2:
        return float("nan"), seconds[0] / max(sizes[0], 1)
    slope, intercept = np.polyfit(np.array(sizes, dtype=float), np.array(seconds), 1)
    return float(intercept), float(slope)


def report_break_even(fitted: list[int], pool_s: list[float], cluster_s: list[float], args: argparse.Namespace) -> None:
    if len(fitted) < 2:
        print("one size only: no line fitted, no break-even extrapolated")
        return
    pool_fixed, pool_per = fit_line(fitted, pool_s)
    cl_fixed, cl_per = fit_line(fitted, cluster_s)
    print(
        f"fit t = fixed + per_series·n: pool ({args.workers} processes) fixed {pool_fixed:.2f} s, "
        f"{pool_per * 1000:.2f} ms/series; cluster ({args.cluster_workers} workers) fixed {cl_fixed:.2f} s, "
        f"{cl_per * 1000:.2f} ms/series"
    )
    for k in (4, 8, 16, 32):
        per_k = cl_per * args.cluster_workers / k  # assumes linear scaling over workers: an extrapolation
        if per_k >= pool_per:
            print(f"  extrapolated: a cluster of {k} such workers is not faster per series than this pool")
            continue
        n = max(0.0, (cl_fixed - pool_fixed) / (pool_per - per_k)) if np.isfinite(cl_fixed - pool_fixed) else 0.0
        print(f"  extrapolated: a cluster of {k} such workers beats this pool from about {n:,.0f} series")


def run(args: argparse.Namespace) -> None:
    sizes = sorted({*(s for s in args.sizes if 0 < s < args.regions), args.regions})
    print(f"machine: {os.cpu_count()} cores (shared); pool {args.workers} processes; batch {args.batch} series")
    with tempfile.TemporaryDirectory(prefix="refresh_bench_") as tmp:
        url = f"sqlite:///{Path(tmp) / 'refresh.db'}"
        engine, catalogue = build(url, args.regions)
        cluster, address = start_cluster(args.cluster_workers)
        fitted, pool_s, cluster_s = [], [], []
        try:
            for size in sizes:
                series = size * len(catalogue.indicators)
                if series > args.max_series:
                    print(f"[{size:,} regions] skipped: {series:,} series > --max-series {args.max_series:,}")
                    continue
                result, t_pool, t_cluster, same = one_size(engine, url, args.regions, size, args, address)
                fitted.append(result["fitted"])
                pool_s.append(t_pool)
                cluster_s.append(t_cluster)
                print(
                    f"[{size:,} regions] {result['series']:,} series ({result['fitted']:,} fitted): "
                    f"pool {t_pool:.1f} s ({result['fitted'] / t_pool:,.0f} series/s), "
                    f"cluster {t_cluster:.1f} s ({result['fitted'] / t_cluster:,.0f} series/s), "
                    f"ratio cluster/pool {t_cluster / t_pool:.2f}x, identical: {'yes' if same else 'NO'}",
                    flush=True,
                )
                if args.one_future_per_series:
                    one_by_one(engine, url, size, args, address, t_cluster)
        finally:
            cluster.close()  # type: ignore[attr-defined]
            engine.dispose()
        if fitted:
            report_break_even(fitted, pool_s, cluster_s, args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=3000, help="synthetic regions loaded (and the largest size)")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(x) for x in text.split(",") if x.strip()],
        default=[30, 300, 1000],
        help="region counts to refresh besides --regions (comma-separated, default 30,300,1000)",
    )
    parser.add_argument("--workers", type=int, default=2, help="local pool processes (default 2)")
    parser.add_argument("--cluster-workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--batch", type=int, default=200, help="most series per task (MONITOR_FORECAST_BATCH)")
    parser.add_argument("--max-series", type=int, default=200_000, help="skip sizes with more series than this")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each per size (the best is printed)")
    parser.add_argument(
        "--one-future-per-series", action="store_true", help="also time the cluster with batches of one series"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args)
    else:
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
