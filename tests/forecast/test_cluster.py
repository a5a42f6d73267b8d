"""The forecast refresh on a Dask cluster (a real LocalCluster of 2 worker processes) equals the pool's."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pandas as pd
import pytest
from distributed import LocalCluster
from sqlalchemy import Engine, delete, select

from monitor.cli import main
from monitor.domain.catalogue import Catalogue, RegionKind
from monitor.domain.periods import month
from monitor.errors import ClusterError
from monitor.jobs import evaluate_alerts_job, list_job_runs
from monitor.services.forecasts import district_regions, refresh_forecasts
from monitor.settings import PROJECT_ROOT, ClusterSettings, load_settings
from monitor.storage.db import transaction
from monitor.storage.models import Forecast
from tests.forecast.test_stored_forecasts import revenue, write

pytestmark = pytest.mark.slow  # a LocalCluster of 2 processes starts in a few seconds

BATCH = 7  # small batches: many more than the workers, so they finish out of order


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Address of a 2-process LocalCluster started for these tests and closed after them."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        yield str(cluster.scheduler_address)


def figures_everywhere(engine: Engine, catalogue: Catalogue) -> None:
    """Revenue for the district and each street, with its own noise: every region has a real fit."""
    write(engine, pd.concat([revenue(seed=i, region=r) for i, r in enumerate(district_regions(catalogue))]))


def stored(engine: Engine) -> pd.DataFrame:
    """Every stored forecast but its fit time, in key order."""
    columns = [c for c in Forecast.__table__.columns if c.name not in ("id", "fitted_at")]
    with transaction(engine) as session:
        rows = session.execute(select(*columns).order_by(Forecast.indicator, Forecast.region, Forecast.period))
        return pd.DataFrame(rows.all(), columns=[c.name for c in columns])


def forget_forecasts(engine: Engine) -> None:
    with transaction(engine) as session:
        session.execute(delete(Forecast))


def test_a_refresh_on_the_cluster_stores_exactly_what_the_pool_stores(
    synced_engine: Engine, catalogue: Catalogue, scheduler: str
) -> None:
    figures_everywhere(synced_engine, catalogue)
    on_pool = refresh_forecasts(
        synced_engine, catalogue, month(2021, 6), workers=2, cluster=ClusterSettings(batch=BATCH)
    )
    from_pool = stored(synced_engine)
    forget_forecasts(synced_engine)
    seen: list[tuple[int, int]] = []
    on_cluster = refresh_forecasts(
        synced_engine,
        catalogue,
        month(2021, 6),
        cluster=ClusterSettings(scheduler=scheduler, batch=BATCH),
        progress=lambda done, total: seen.append((done, total)),
    )
    pd.testing.assert_frame_equal(stored(synced_engine), from_pool)
    assert on_cluster.methods == on_pool.methods
    assert on_cluster.methods["combination"] == len(district_regions(catalogue))
    assert (on_cluster.series, on_cluster.fitted) == (on_pool.series, on_pool.fitted)
    assert len(seen) == -(-on_cluster.fitted // BATCH)  # once per batch
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (on_cluster.fitted, on_cluster.fitted)


def test_the_command_fits_on_the_cluster_and_shows_progress(
    synced_engine: Engine,
    db_url: str,
    catalogue: Catalogue,
    scheduler: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    figures_everywhere(synced_engine, catalogue)
    monkeypatch.setenv("MONITOR_DASK_SCHEDULER", scheduler)
    streets = sum(1 for r in catalogue.regions.values() if r.kind is RegionKind.STREET)
    series = sum(1 + streets * i.reported_by(RegionKind.STREET) for i in catalogue.indicators.values())
    code = main(["--db", db_url, "forecast", "refresh", "--period", "2021-06"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"在Dask 集群 {scheduler}上" in err
    assert f"已完成 {series}/{series} 序列" in err
    assert f"新拟合 {series} 个" in out
    assert "组合模型（Theta、指数平滑、季节朴素、航空模型，按各自近期误差加权）：" in out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_a_clear_error_in_chinese(synced_engine: Engine, catalogue: Catalogue) -> None:
    figures_everywhere(synced_engine, catalogue)
    nowhere = ClusterSettings(scheduler=f"tcp://127.0.0.1:{free_port()}", connect_timeout=0.5)
    with pytest.raises(ClusterError, match=r"无法连接 Dask 调度器 tcp://127\.0\.0\.1:\d+：0\.5 秒内没有响应"):
        refresh_forecasts(synced_engine, catalogue, month(2021, 6), cluster=nowhere)


def test_the_command_says_so_and_exits_1(
    synced_engine: Engine,
    db_url: str,
    catalogue: Catalogue,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    figures_everywhere(synced_engine, catalogue)
    monkeypatch.setenv("MONITOR_DASK_SCHEDULER", f"tcp://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MONITOR_DASK_CONNECT_TIMEOUT", "0.5")
    code = main(["--db", db_url, "forecast", "refresh", "--period", "2021-06"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "无法连接 Dask 调度器" in err
    assert "MONITOR_DASK_CONNECT_TIMEOUT" in err
    assert "Traceback" not in err


def test_cluster_settings_come_from_the_environment() -> None:
    got = load_settings(
        {
            "MONITOR_DASK_SCHEDULER": " tcp://10.0.0.5:8786 ",
            "MONITOR_DASK_CONNECT_TIMEOUT": "3",
            "MONITOR_FORECAST_BATCH": "50",
        }
    ).cluster
    assert got == ClusterSettings(scheduler="tcp://10.0.0.5:8786", connect_timeout=3.0, batch=50)
    assert load_settings({}).cluster == ClusterSettings()


def test_the_scheduler_job_fits_on_the_cluster_and_logs_progress(
    synced_engine: Engine,
    db_url: str,
    catalogue: Catalogue,
    scheduler: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    figures_everywhere(synced_engine, catalogue)
    monkeypatch.setenv("MONITOR_DASK_SCHEDULER", scheduler)
    with caplog.at_level(logging.INFO, logger="monitor.jobs"):
        evaluate_alerts_job(db_url, str(PROJECT_ROOT / "indicators.toml"))
    run = list_job_runs(synced_engine, job="alerts").iloc[0]
    assert run["status"] == "success", run["error"]
    fitted = run["detail"]["forecasts_fitted"]
    assert fitted > 0
    assert f"job alerts: 已完成 {fitted}/{fitted} 序列" in caplog.text


def test_the_scheduler_job_records_an_unreachable_scheduler_as_a_failed_run(
    synced_engine: Engine, db_url: str, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures_everywhere(synced_engine, catalogue)
    monkeypatch.setenv("MONITOR_DASK_SCHEDULER", f"tcp://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MONITOR_DASK_CONNECT_TIMEOUT", "0.5")
    evaluate_alerts_job(db_url, str(PROJECT_ROOT / "indicators.toml"))
    run = list_job_runs(synced_engine, job="alerts").iloc[0]
    assert run["status"] == "failed"
    assert "无法连接 Dask 调度器" in run["error"]


def test_a_scheduler_without_workers_is_a_clear_error_in_chinese(synced_engine: Engine, catalogue: Catalogue) -> None:
    figures_everywhere(synced_engine, catalogue)
    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=":0") as empty:
        idle = ClusterSettings(scheduler=str(empty.scheduler_address), connect_timeout=0.5)
        with pytest.raises(ClusterError, match="上没有计算节点"):
            refresh_forecasts(synced_engine, catalogue, month(2021, 6), cluster=idle)
