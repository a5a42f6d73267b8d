"""APScheduler wiring: the jobs, their triggers, the job store in the product's database, one active scheduler.

    inbox_scan       every [schedule] inbox_scan_minutes; evaluates alerts after an import landed
    alerts           daily at alerts_daily_at
    digest           weekly on digest_weekday at digest_at; misfire grace until midnight, so a
                     scheduler that was down at 09:00 sends when it comes back the same day, once
    digest_catchup   at start and every catchup_minutes: finishes a digest run that failed or was
                     killed mid-send (the ledger skips recipients already sent)
    briefing         monthly on briefing_day at briefing_at: the 经济运行简报 written and emailed once

Only one scheduler is active per database. PostgreSQL: a session-level advisory lock held on a
dedicated connection; a standby polls every STANDBY_POLL_SECONDS and takes over when the holder's
connection dies. SQLite: an exclusive lock on a file beside the database (same behaviour, one host).
"""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from monitor.catalogue_file import load_catalogue
from monitor.domain.catalogue import Catalogue
from monitor.jobs import mark_interrupted
from monitor.services.clock import local_now
from monitor.settings import Settings
from monitor.storage.db import make_engine

__all__ = [
    "JOBSTORE_TABLE",
    "STANDBY_POLL_SECONDS",
    "BackgroundHandle",
    "Leadership",
    "build_scheduler",
    "job_specs",
    "run_scheduler",
    "start_in_background",
]

log = logging.getLogger("monitor.scheduler")
JOBSTORE_TABLE = "scheduler_jobs"
STANDBY_POLL_SECONDS = 5.0
_LOCK_KEY = 7_202_107  # the PostgreSQL advisory lock of the active scheduler


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str
    trigger: Any
    misfire_grace_time: int
    kwargs: dict[str, str] = field(default_factory=dict)


def _at(text_time: str) -> time:
    return time.fromisoformat(text_time)


def _grace_until_midnight(at: time) -> int:
    return max(
        60,
        int((timedelta(days=1) - timedelta(hours=at.hour, minutes=at.minute, seconds=at.second)).total_seconds()) - 1,
    )


def job_specs(settings: Settings, catalogue: Catalogue) -> list[JobSpec]:
    """The jobs with their triggers in the catalogue's time zone."""
    s, tz = catalogue.schedule, ZoneInfo(catalogue.meta.timezone)
    kwargs = {"database_url": settings.database_url, "config_path": str(settings.config_path)}
    mail = {**kwargs, "serving_url": settings.serving_url}  # emails link to the board this process serves
    daily, weekly, monthly = _at(s.alerts_daily_at), _at(s.digest_at), _at(s.briefing_at)
    scan = max(1, round(s.inbox_scan_minutes * 60))
    catchup = max(1, round(s.catchup_minutes * 60))
    return [
        JobSpec("inbox_scan", "monitor.jobs:scan_inbox_job", IntervalTrigger(seconds=scan, timezone=tz), scan, kwargs),
        JobSpec(
            "alerts",
            "monitor.jobs:evaluate_alerts_job",
            CronTrigger(hour=daily.hour, minute=daily.minute, second=daily.second, timezone=tz),
            _grace_until_midnight(daily),
            kwargs,
        ),
        JobSpec(
            "digest",
            "monitor.jobs:weekly_digest",
            CronTrigger(
                day_of_week=s.digest_weekday, hour=weekly.hour, minute=weekly.minute, second=weekly.second, timezone=tz
            ),
            _grace_until_midnight(weekly),
            mail,
        ),
        JobSpec(
            "briefing",
            "monitor.jobs:monthly_briefing",
            CronTrigger(
                day=s.briefing_day, hour=monthly.hour, minute=monthly.minute, second=monthly.second, timezone=tz
            ),
            _grace_until_midnight(monthly),
            mail,
        ),
        JobSpec(
            "digest_catchup",
            "monitor.jobs:digest_catchup",
            IntervalTrigger(seconds=catchup, timezone=tz),
            catchup,
            mail,
        ),
    ]


def build_scheduler(settings: Settings, *, blocking: bool) -> BaseScheduler:
    """A scheduler with its job store in the product's database; jobs are added by `sync_jobs` after start."""
    catalogue = load_catalogue(settings.config_path)
    store = SQLAlchemyJobStore(engine=make_engine(settings.database_url), tablename=JOBSTORE_TABLE)
    options: dict[str, Any] = {
        "jobstores": {"default": store},
        "job_defaults": {"coalesce": True, "max_instances": 1},
        "timezone": ZoneInfo(catalogue.meta.timezone),
    }
    return BlockingScheduler(**options) if blocking else BackgroundScheduler(**options)


def sync_jobs(scheduler: BaseScheduler, settings: Settings, catalogue: Catalogue) -> None:
    """Add missing jobs; replace a job only when its definition changed (keeping a stored next run time,
    which is what lets a misfired run happen after a restart)."""
    for spec in job_specs(settings, catalogue):
        existing = scheduler.get_job(spec.id)
        same = (
            existing is not None
            and str(existing.trigger) == str(spec.trigger)
            and existing.kwargs == spec.kwargs
            and existing.misfire_grace_time == spec.misfire_grace_time
            and existing.func_ref == spec.func
        )
        if same:
            continue
        scheduler.add_job(
            spec.func,
            spec.trigger,
            id=spec.id,
            name=spec.id,
            kwargs=spec.kwargs,
            replace_existing=True,
            misfire_grace_time=spec.misfire_grace_time,
            coalesce=True,
            max_instances=1,
        )
    # finish an interrupted digest right away rather than at the next catch-up tick
    scheduler.modify_job("digest_catchup", next_run_time=local_now(catalogue.meta.timezone))


class Leadership:
    """Being the one active scheduler of a database: a PostgreSQL advisory lock or a lock file (SQLite)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._file: IO[bytes] | None = None

    def _lock_path(self) -> Path:
        url = make_url(self.settings.database_url)
        database = url.database or ""
        if url.get_backend_name() == "sqlite" and database and database != ":memory:":
            return Path(database).with_suffix(".scheduler.lock")
        return self.settings.var_dir / "scheduler.lock"

    def try_acquire(self) -> bool:
        if make_url(self.settings.database_url).get_backend_name() == "postgresql":
            try:
                if self._engine is None:
                    self._engine = make_engine(self.settings.database_url)
                if self._conn is None:
                    self._conn = self._engine.connect()
                got = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _LOCK_KEY}).scalar())
                self._conn.commit()
                return got
            except Exception as exc:  # noqa: BLE001 - database away: stay standby, try again later
                log.warning("cannot reach the database for the scheduler lock: %s", exc)
                self._drop_connection()
                return False
        path = self._lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+b")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        """False when the PostgreSQL lock connection died (another scheduler may have taken over)."""
        if self._conn is None:
            return self._file is not None
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
            return True
        except Exception:  # noqa: BLE001 - any failure of the probe means the lock connection is lost
            self._drop_connection()
            return False

    def _drop_connection(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception as exc:  # noqa: BLE001 - the connection is already gone
                log.debug("closing the lock connection: %s", exc)
        self._conn = None

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                self._conn.commit()
            finally:
                self._drop_connection()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def _activate(scheduler: BaseScheduler, settings: Settings) -> None:
    """Start paused, mark runs of a dead predecessor interrupted, sync the jobs, then run."""
    catalogue = load_catalogue(settings.config_path)
    engine = make_engine(settings.database_url)
    try:
        stale = mark_interrupted(engine)
    finally:
        engine.dispose()
    if stale:
        log.warning("%d job run(s) of a previous scheduler were interrupted", stale)
    scheduler.start(paused=True)
    sync_jobs(scheduler, settings, catalogue)
    scheduler.resume()


def run_scheduler(
    settings: Settings, stop: threading.Event, on_state: Any = None, poll: float = STANDBY_POLL_SECONDS
) -> None:
    """Wait to become the active scheduler, run the jobs until `stop` is set, then shut down cleanly."""
    say = on_state or (lambda message: log.info(message))
    leadership = Leadership(settings)
    scheduler: BaseScheduler | None = None
    try:
        waiting_said = False
        while not stop.is_set():
            if scheduler is None:
                if leadership.try_acquire():
                    say("已成为活动调度进程：开始执行定时任务")
                    scheduler = build_scheduler(settings, blocking=False)
                    _activate(scheduler, settings)
                elif not waiting_said:
                    say(f"另一个调度进程正在运行：本进程待命，每 {poll:g} 秒检查一次")
                    waiting_said = True
            elif not leadership.still_held():
                say("失去调度锁（数据库连接中断）：停止执行任务，重新待命")
                scheduler.shutdown(wait=True)
                scheduler, waiting_said = None, False
            stop.wait(poll)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        leadership.release()


class BackgroundHandle:
    """A scheduler running in a background thread of this process; `stop()` shuts it down cleanly."""

    def __init__(self, settings: Settings, on_state: Any = None):
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=run_scheduler, args=(settings, self._stop, on_state), name="monitor-scheduler", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


class ChildProcessHandle:
    """The scheduler in a process of its own (`monitor scheduler`), beside a board whose workers are forked:
    no scheduler thread is copied into a worker, and the jobs run once whatever the number of workers."""

    def __init__(self, settings: Settings):
        env = {
            **os.environ,
            "MONITOR_DATABASE_URL": settings.database_url,  # not on the command line, where `ps` shows it
            "MONITOR_CONFIG": str(settings.config_path),
            "MONITOR_VAR_DIR": str(settings.var_dir),
            "MONITOR_SERVING_URL": settings.serving_url,  # the emails link to the board `monitor run` serves
        }
        self._process = subprocess.Popen([sys.executable, "-m", "monitor", "scheduler"], env=env)

    def stop(self, timeout: float = 60.0) -> None:
        if self._process.poll() is None:
            self._process.terminate()  # the scheduler finishes the running job, then exits
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)


def start_in_background(
    settings: Settings, on_state: Any = None, *, own_process: bool = False
) -> BackgroundHandle | ChildProcessHandle:
    """Start the scheduler (or its standby) in the background: `monitor run` uses it. `own_process` when the
    board forks worker processes (gunicorn), else a thread of the current process."""
    if own_process:
        return ChildProcessHandle(settings)
    return BackgroundHandle(settings, on_state)
