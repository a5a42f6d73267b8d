"""What the board's 重点项目 and 重点工作 pages read and change, by engine (the board imports no storage).

Project data are small (tens of projects, a year of weeks): each page load reads what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from monitor.domain.access import Principal
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Frequency, Period, month
from monitor.services.project_pace import ProjectPace, project_pace_report
from monitor.services.project_problems import change_service_problem, service_list, service_problem_events
from monitor.services.tasks import task_board
from monitor.storage.db import transaction
from monitor.storage.project_models import ProjectProgress
from monitor.storage.projects import load_projects, progress_history

__all__ = [
    "ProjectDetail",
    "board_change_problem",
    "board_problems",
    "board_project",
    "board_project_pace",
    "board_tasks",
    "project_months",
    "project_weeks",
]


def project_months(engine: Engine, today: date) -> list[Period]:
    """Report months with weekly reports, newest first (up to today's month), for the period selector."""
    with transaction(engine) as session:
        first, last = session.execute(
            select(func.min(ProjectProgress.week_end), func.max(ProjectProgress.week_end))
        ).one()
    if first is None:
        return [month(today.year, today.month)]
    end = min(last, today)
    out, p = [], month(end.year, end.month)
    while not p < month(first.year, first.month):
        out.append(p)
        p = p.shift(-1)
    return out


def project_weeks(engine: Engine, today: date) -> list[Period]:
    """ISO weeks with weekly reports up to today, newest first."""
    with transaction(engine) as session:
        rows = session.execute(
            select(ProjectProgress.year, ProjectProgress.week, ProjectProgress.week_end).distinct()
        ).all()
    weeks = sorted({(y, w) for y, w, end in rows if end <= today}, reverse=True)
    return [Period(y, Frequency.WEEKLY, w) for y, w in weeks]


def board_project_pace(engine: Engine, catalogue: Catalogue, period: Period) -> ProjectPace:
    with transaction(engine) as session:
        return project_pace_report(session, catalogue, period)


@dataclass(frozen=True)
class ProjectDetail:
    """One project: its register row, every weekly report with revisions, and its problems with their events."""

    project: dict[str, object]
    history: pd.DataFrame
    problems: pd.DataFrame
    events: dict[int, pd.DataFrame]


def board_project(engine: Engine, code: str, year: int, today: date) -> ProjectDetail | None:
    with transaction(engine) as session:
        projects = load_projects(session, year=year)
        match = projects[projects["code"] == code]
        if match.empty:
            return None
        problems = service_list(session, today, year=year)
        problems = problems[problems["code"] == code].reset_index(drop=True)
        events = {int(i): service_problem_events(session, int(i)) for i in problems["id"]}
        return ProjectDetail(match.iloc[0].to_dict(), progress_history(session, code, year), problems, events)


def board_problems(engine: Engine, today: date, department: str | None = None) -> pd.DataFrame:
    with transaction(engine) as session:
        return service_list(session, today, department=department)


def board_change_problem(
    engine: Engine, problem_id: int, to_state: str, principal: Principal, note: str, now: datetime
) -> str:
    """A change made on the board by the signed-in person (PermissionDenied when the problem is not theirs)."""
    with transaction(engine) as session:
        return change_service_problem(session, problem_id, to_state=to_state, principal=principal, note=note, now=now)


def board_tasks(engine: Engine, period: Period, department: str | None = None) -> pd.DataFrame:
    with transaction(engine) as session:
        return task_board(session, period, department=department)
