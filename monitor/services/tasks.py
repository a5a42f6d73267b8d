"""重点工作任务督办: load the tasks file, monthly reports, and each task's status for a month."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from monitor.domain.access import Principal
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Period
from monitor.domain.tasks import parse_tasks, task_status
from monitor.errors import PermissionDenied, UsageError
from monitor.storage.bulk_write import WriteCounts
from monitor.storage.tasks import load_tasks, record_task_report, task_reports, upsert_tasks

__all__ = ["TASKS_FILE", "load_task_file", "report_task", "task_board", "tasks_file_for"]

TASKS_FILE = "tasks.toml"


def tasks_file_for(config_path: Path) -> Path:
    """The tasks file beside the catalogue (indicators.toml)."""
    return config_path.parent / TASKS_FILE


def load_task_file(session: Session, catalogue: Catalogue, path: Path) -> WriteCounts:
    """Read and check the tasks file, then upsert every task; UsageError listing every problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"找不到任务文件 {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"任务文件 {path} 不是合法的 TOML：{exc}") from None
    tasks, problems = parse_tasks(data, {c: d.name for c, d in catalogue.departments.items()})
    if problems:
        raise UsageError(f"任务文件 {path} 有 {len(problems)} 处问题：\n" + "\n".join(f"  {p}" for p in problems))
    return upsert_tasks(session, tasks)


def task_board(
    session: Session, month: Period, *, department: str | None = None, slack_pp: float = 5.0
) -> pd.DataFrame:
    """The tasks of the month's year with status (已完成/序时推进/滞后/未报) for that month."""
    tasks = load_tasks(session, year=month.year)
    if tasks.empty:
        raise UsageError(f"{month.year} 年没有督办任务：请先运行 monitor tasks load")
    board = task_status(tasks, task_reports(session), month, slack_pp)
    if department:
        board = board[board["departments"].map(lambda codes: department in codes)]
    return board.reset_index(drop=True)


def report_task(
    session: Session,
    *,
    code: str,
    month: Period,
    value: float | None,
    text: str,
    completed: bool,
    principal: Principal,
    now: datetime,
) -> str:
    """A task's monthly report for a principal who may (the group, or a department among its 责任单位)."""
    tasks = load_tasks(session)
    match = tasks[tasks["code"] == code]
    if match.empty:
        raise UsageError(f"没有编号为“{code}”的督办任务（monitor tasks list 可列出全部）")
    departments = match.iloc[0]["departments"]
    if not principal.acts_for_all and principal.department not in departments:
        raise PermissionDenied(f"{principal.display_name} 所在单位不是任务“{code}”的责任单位")
    if int(match.iloc[0]["year"]) != month.year:
        raise UsageError(f"任务“{code}”属于 {int(match.iloc[0]['year'])} 年，不能报送 {month} 的进展")
    return record_task_report(
        session,
        task=code,
        period=str(month),
        value=value,
        text=text,
        completed=completed,
        by=principal.display_name,
        now=now,
    )
