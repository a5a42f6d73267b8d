"""Repositories of 重点工作任务督办: the tasks (upserted by code) and monthly reports with revisions."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain.tasks import TASK_COLUMNS
from monitor.storage.bulk_write import WriteCounts
from monitor.storage.project_models import Task, TaskReport

__all__ = ["REPORT_FIELDS", "load_tasks", "record_task_report", "task_reports", "upsert_tasks"]

REPORT_FIELDS = ["task", "period", "value", "text", "completed", "reported_by", "known_from", "known_to", "is_sample"]


def upsert_tasks(session: Session, tasks: pd.DataFrame) -> WriteCounts:
    """Insert new tasks and update changed ones (the tasks file is the latest word)."""
    counts = WriteCounts()
    for record in tasks.to_dict("records"):
        values = {k: (None if k == "goal_value" and pd.isna(record[k]) else record[k]) for k in TASK_COLUMNS}
        row = session.get(Task, values["code"])
        if row is None:
            session.add(Task(**values))
            counts += WriteCounts(inserted=1)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            counts += WriteCounts(revised=1)
        else:
            counts += WriteCounts(unchanged=1)
    session.flush()
    return counts


def load_tasks(session: Session, year: int | None = None) -> pd.DataFrame:
    t = Task.__table__
    stmt = select(*(t.c[c] for c in TASK_COLUMNS)).order_by(t.c.year, t.c.code)
    if year is not None:
        stmt = stmt.where(t.c.year == year)
    return pd.DataFrame(session.execute(stmt).all(), columns=TASK_COLUMNS)


def task_reports(session: Session, *, history: bool = False, task: str | None = None) -> pd.DataFrame:
    """Current monthly reports (every version with `history`)."""
    t = TaskReport.__table__
    stmt = select(*(t.c[c] for c in REPORT_FIELDS)).order_by(t.c.task, t.c.period, t.c.known_from)
    if not history:
        stmt = stmt.where(t.c.known_to.is_(None))
    if task is not None:
        stmt = stmt.where(t.c.task == task)
    return pd.DataFrame(session.execute(stmt).all(), columns=REPORT_FIELDS)


def record_task_report(
    session: Session,
    *,
    task: str,
    period: str,
    value: float | None,
    text: str,
    completed: bool,
    by: str,
    now: datetime,
    is_sample: bool = False,
) -> str:
    """Store a month's report; a changed resend closes the earlier one (kept as a revision).

    Returns "inserted", "revised" or "unchanged".
    """
    old = session.execute(
        select(TaskReport).where(TaskReport.task == task, TaskReport.period == period, TaskReport.known_to.is_(None))
    ).scalar_one_or_none()
    if old is not None and (old.value, old.text, old.completed) == (value, text, completed):
        return "unchanged"
    if old is not None:
        old.known_to = now
    session.add(
        TaskReport(
            task=task,
            period=period,
            value=value,
            text=text,
            completed=completed,
            reported_by=by,
            known_from=now,
            is_sample=is_sample,
        )
    )
    session.flush()
    return "revised" if old is not None else "inserted"
