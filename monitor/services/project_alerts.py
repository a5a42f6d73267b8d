"""Read what the 重点项目 and 督办 alert rules need for a report month and return their breaches."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from monitor.domain.alerts import BREACH_COLUMNS
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Period
from monitor.domain.projects.alerts import combine_breaches, project_breaches, subject_name
from monitor.errors import UsageError
from monitor.services.project_pace import project_pace_report
from monitor.services.project_problems import service_list
from monitor.services.tasks import task_board

__all__ = ["combine_breaches", "project_breaches_for", "subject_name"]


def project_breaches_for(session: Session, catalogue: Catalogue, month: Period, today: date) -> pd.DataFrame:
    """Breaches for the report month (no register or no tasks that year: none of those)."""
    try:
        pace = project_pace_report(session, catalogue, month).rows
    except UsageError:
        pace = pd.DataFrame(columns=["status", "start_late"])
    try:
        tasks = task_board(session, month)
    except UsageError:
        tasks = pd.DataFrame(columns=["status"])
    problems = service_list(session, today, open_only=True)
    if pace.empty and tasks.empty and problems.empty:
        return pd.DataFrame(columns=BREACH_COLUMNS)
    return project_breaches(pace, problems, tasks, period=month, region=catalogue.meta.default_region)
