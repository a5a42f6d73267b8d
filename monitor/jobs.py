"""The scheduler's jobs, importable by reference (APScheduler stores "monitor.jobs:name").

Every run is a `job_runs` row (running -> success | failed, with the error); a job never raises:
it logs and carries on, so one bad run does not stop the scheduler.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, select, update

from monitor.catalogue_file import load_catalogue
from monitor.domain.catalogue import WEEKDAYS, Catalogue
from monitor.domain.digest import digest_week, week_key
from monitor.domain.run_states import JobStatus
from monitor.errors import MonitorError
from monitor.services.clock import as_of_moment, effective_today, local_now, utc_now
from monitor.settings import Settings, load_settings
from monitor.storage.db import make_engine, transaction
from monitor.storage.models import JobRun

__all__ = [
    "JOB_NAMES",
    "digest_catchup",
    "evaluate_alerts_job",
    "list_job_runs",
    "mark_interrupted",
    "monthly_briefing",
    "scan_inbox_job",
    "weekly_digest",
]

log = logging.getLogger("monitor.jobs")
JOB_NAMES = {
    "inbox_scan": "扫描收件箱",
    "alerts": "评估预警",
    "alerts_after_import": "导入后评估预警",
    "digest": "预警周报",
    "digest_catchup": "补发预警周报",
    "briefing": "月度经济运行简报",
}
_DIGEST_LOCK = threading.Lock()  # the weekly job and its catch-up never send at once in one process


def _context(database_url: str, config_path: str, serving_url: str = "") -> tuple[Settings, Engine, Catalogue]:
    settings = load_settings().with_overrides(database_url=database_url, config_path=config_path)
    settings = replace(settings, serving_url=serving_url or settings.serving_url)
    return settings, make_engine(settings.database_url), load_catalogue(settings.config_path)


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _run(name: str, engine: Engine, body: Callable[[dict[str, Any]], JobStatus]) -> None:
    """Record a job_runs row around `body` (which fills `detail` and returns SUCCESS or SKIPPED)."""
    detail: dict[str, Any] = {"worker": _worker()}
    with transaction(engine) as session:
        row = JobRun(job=name, started_at=utc_now(), status=JobStatus.RUNNING, detail=detail)
        session.add(row)
        session.flush()
        run_id = row.id
    status, error = JobStatus.SUCCESS, None
    try:
        status = body(detail)
    except MonitorError as exc:
        status, error = JobStatus.FAILED, str(exc)
    except Exception as exc:  # noqa: BLE001 - the jobs' edge: log and carry on, the scheduler must keep running
        status, error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"
        log.error("job %s failed:\n%s", name, traceback.format_exc())
    if error:
        log.error("job %s failed: %s", name, error)
    with transaction(engine) as session:
        session.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(finished_at=utc_now(), status=status, error=error, detail=detail)
        )


def _as_of(engine: Engine, catalogue: Catalogue) -> datetime:
    """Now, or the sample data's own date at the current time of day (as the CLI does)."""
    with transaction(engine) as session:
        today = effective_today(session, catalogue.meta.timezone)
    return as_of_moment(today, catalogue.meta.timezone)


def _evaluate(name: str, settings: Settings, engine: Engine, catalogue: Catalogue) -> None:
    """Refit the forecasts whose figures changed (in parallel or on the Dask cluster, outside any
    transaction; progress in the log), then evaluate."""
    from monitor.services.alerts import evaluate_alerts
    from monitor.services.forecast_pool import throttled
    from monitor.services.forecasts import refresh_forecasts
    from monitor.services.pace import current_report_month

    def body(detail: dict[str, Any]) -> JobStatus:
        as_of = _as_of(engine, catalogue)
        with transaction(engine) as session:
            shown = current_report_month(session, as_of.date())  # the month the board opens at
        refreshed = refresh_forecasts(
            engine,
            catalogue,
            shown,
            cluster=settings.cluster,
            progress=throttled(lambda done, total: log.info("job %s: 已完成 %d/%d 序列", name, done, total)),
        )
        result = evaluate_alerts(engine, catalogue, as_of)
        detail.update(
            forecasts_fitted=refreshed.fitted,
            opened=result.opened,
            escalated=result.escalated,
            resolved=result.resolved,
        )
        return JobStatus.SUCCESS

    _run(name, engine, body)


def scan_inbox_job(database_url: str, config_path: str) -> None:
    """Import finished files from var/inbox/<department>/; evaluate alerts when any landed."""
    from monitor.services.inbox import scan_inbox

    settings, engine, catalogue = _context(database_url, config_path)
    landed: list[int] = []

    def body(detail: dict[str, Any]) -> JobStatus:
        root = settings.var_dir / "inbox"
        if not root.is_dir():
            detail["note"] = f"{root} 不存在"
            return JobStatus.SUCCESS
        report = scan_inbox(
            engine, catalogue, root, today=_as_of(engine, catalogue).date(), limits=settings.import_limits
        )
        accepted = [i for i in report.items if i.result.status.value == "accepted"]
        landed.append(len(accepted))
        detail.update(files=len(report.items), accepted=len(accepted))
        return JobStatus.SUCCESS

    try:
        _run("inbox_scan", engine, body)
        if landed and landed[0]:
            _evaluate("alerts_after_import", settings, engine, catalogue)
    finally:
        engine.dispose()


def evaluate_alerts_job(database_url: str, config_path: str) -> None:
    """The daily alert evaluation."""
    settings, engine, catalogue = _context(database_url, config_path)
    try:
        _evaluate("alerts", settings, engine, catalogue)
    finally:
        engine.dispose()


def _send(name: str, settings: Settings, engine: Engine, catalogue: Catalogue, only_if_due: bool) -> None:
    from monitor.services.digest import send_digest

    def body(detail: dict[str, Any]) -> JobStatus:
        as_of = _as_of(engine, catalogue)
        detail["week"] = week_key(digest_week(as_of.date()))
        if only_if_due and not _catchup_needed(engine, catalogue, as_of):
            return JobStatus.SKIPPED
        result = send_digest(engine, catalogue, settings, as_of, say=log.info)
        detail.update(sent=result.sent, skipped=result.skipped, failed=[r for r, _ in result.failed])
        if result.failed:
            raise MonitorError("；".join(f"{r}：{e}" for r, e in result.failed))
        return JobStatus.SUCCESS

    if not _DIGEST_LOCK.acquire(blocking=False):
        return  # the other digest job of this process is sending right now
    try:
        _run(name, engine, body)
    finally:
        _DIGEST_LOCK.release()


def weekly_digest(database_url: str, config_path: str, serving_url: str = "") -> None:
    """The Monday 09:00 digest."""
    settings, engine, catalogue = _context(database_url, config_path, serving_url)
    try:
        _send("digest", settings, engine, catalogue, only_if_due=False)
    finally:
        engine.dispose()


def digest_due_at(catalogue: Catalogue, as_of: datetime) -> datetime:
    """When this week's digest was (or is) due, in the catalogue's time zone."""
    s = catalogue.schedule
    tz = ZoneInfo(catalogue.meta.timezone)
    local = as_of.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=WEEKDAYS.index(s.digest_weekday))
    return datetime.combine(day, time.fromisoformat(s.digest_at), tz)


def _catchup_needed(engine: Engine, catalogue: Catalogue, as_of: datetime) -> bool:
    """This week's digest started (a digest run since its due time) but did not finish with every send done."""
    from monitor.services.digest import unsent_recipients

    due = digest_due_at(catalogue, local_now(catalogue.meta.timezone))
    with transaction(engine) as session:
        runs = (
            session.execute(
                select(JobRun.status)
                .where(JobRun.job.in_(["digest", "digest_catchup"]), JobRun.started_at >= due)
                .order_by(JobRun.id)
            )
            .scalars()
            .all()
        )
    started = [s for s in runs if s != JobStatus.SKIPPED]
    if not started:
        return False
    week = week_key(digest_week(as_of.astimezone(ZoneInfo(catalogue.meta.timezone)).date()))
    return started[-1] != JobStatus.SUCCESS or bool(unsent_recipients(engine, week))


def digest_catchup(database_url: str, config_path: str, serving_url: str = "") -> None:
    """Finish this week's digest when a run failed or was interrupted (run at start and every few minutes)."""
    settings, engine, catalogue = _context(database_url, config_path, serving_url)
    try:
        _send("digest_catchup", settings, engine, catalogue, only_if_due=True)
    finally:
        engine.dispose()


def monthly_briefing(database_url: str, config_path: str, serving_url: str = "") -> None:
    """The monthly 经济运行简报 on [schedule] briefing_day: written under var/briefings/, emailed to the group once."""
    from monitor.services.briefing_mail import send_briefing

    settings, engine, catalogue = _context(database_url, config_path, serving_url)

    def body(detail: dict[str, Any]) -> JobStatus:
        result = send_briefing(engine, catalogue, settings, _as_of(engine, catalogue), say=log.info)
        detail.update(
            report_month=result.report_month, files=[str(f) for f in result.files], sent=result.sent, notes=result.notes
        )
        if result.skipped:
            detail["skipped"] = result.skipped
        return JobStatus.SUCCESS

    try:
        _run("briefing", engine, body)
    finally:
        engine.dispose()


def mark_interrupted(engine: Engine) -> int:
    """Runs left `running` by a dead scheduler become `failed` (called by the process that takes over)."""
    with transaction(engine) as session:
        result = session.execute(
            update(JobRun)
            .where(JobRun.status == JobStatus.RUNNING)
            .values(status=JobStatus.FAILED, finished_at=utc_now(), error="进程中断（调度进程被终止）")
        )
        return int(getattr(result, "rowcount", 0) or 0)


def list_job_runs(engine: Engine, limit: int = 50, job: str | None = None) -> pd.DataFrame:
    """The latest job runs, newest first."""
    columns = ["id", "job", "started_at", "finished_at", "status", "error", "detail"]
    stmt = select(*(getattr(JobRun, c) for c in columns)).order_by(JobRun.id.desc()).limit(limit)
    if job:
        stmt = stmt.where(JobRun.job == job)
    with transaction(engine) as session:
        return pd.DataFrame(session.execute(stmt).all(), columns=columns)
