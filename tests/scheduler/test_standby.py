"""One active scheduler per database: a second process waits and takes over when the first dies."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from monitor.catalogue_file import load_catalogue
from monitor.settings import PROJECT_ROOT
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, transaction
from tests.scheduler.processes import catalogue_with_schedule, environment, job_runs, start, stop, wait_for

FAST = {
    "inbox_scan_minutes": 0.02,
    "alerts_daily_at": "03:00",
    "digest_weekday": "sun",
    "digest_at": "23:59",
    "catchup_minutes": 600,
}


def _workers(url: str, job: str = "inbox_scan") -> list[int]:
    runs = job_runs(url)
    return [int(d["worker"].rsplit(":", 1)[1]) for d in runs.loc[runs["job"] == job, "detail"]]


def _database(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    with transaction(engine) as session:
        sync_catalogue(session, load_catalogue(PROJECT_ROOT / "indicators.toml"))
    engine.dispose()


def _standby_takes_over(url: str, tmp_path: Path) -> None:
    env = environment(url, catalogue_with_schedule(tmp_path, **FAST), tmp_path / "var")
    first = start(env, tmp_path / "first.log", "scheduler")
    second = None
    try:
        wait_for(lambda: first.pid in _workers(url), 60, "the first scheduler to run a job")
        second = start(env, tmp_path / "second.log", "scheduler")
        wait_for(lambda: "待命" in (tmp_path / "second.log").read_text(encoding="utf-8"), 60, "the second to wait")
        before = len(_workers(url))
        wait_for(lambda: len(_workers(url)) >= before + 2, 60, "more runs while both are up")
        assert second.pid not in _workers(url), "only one scheduler runs jobs"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        wait_for(lambda: second.pid in _workers(url), 60, "the standby to take over within a minute")
        assert second.poll() is None
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)
        if second is not None:
            assert stop(second) == 0


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_standby_takes_over_when_the_active_scheduler_dies(pg_databases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = pg_databases.create(f"sched_{tmp_path.name[-10:].lower()}")
    _database(url)
    _standby_takes_over(url, tmp_path)


@pytest.mark.slow
def test_sqlite_second_scheduler_waits_on_the_lock_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    _database(url)
    _standby_takes_over(url, tmp_path)
