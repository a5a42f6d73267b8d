"""The 项目服务清单 as the board, CLI and digest read it (超期 derived from today), and changing a problem
on behalf of a principal allowed to (the assigned department or the group); every change kept as an event.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import Session

from monitor.domain.access import Principal, may_handle_problem
from monitor.domain.projects import next_state, shown_states
from monitor.errors import PermissionDenied, UsageError
from monitor.storage.projects import change_problem, load_problems, load_projects, problem_events

__all__ = ["change_service_problem", "service_list", "service_problem_events"]


def service_list(
    session: Session, today: date, *, year: int | None = None, department: str | None = None, open_only: bool = False
) -> pd.DataFrame:
    """Problems with `shown` (超期 when open and past 办结时限), `days_overdue` and the project's name."""
    problems = shown_states(load_problems(session, year=year, department=department), today)
    names = load_projects(session).drop_duplicates("code").set_index("code")["name"]
    problems["project_name"] = problems["code"].map(names).fillna("")
    if open_only:
        problems = problems[problems["state"] != "solved"]
    return problems.reset_index(drop=True)


def change_service_problem(
    session: Session, problem_id: int, *, to_state: str, principal: Principal, note: str, now: datetime
) -> str:
    """Move a problem along the state table for `principal`; returns the new state.

    Raises PermissionDenied when the principal may not handle it, InvalidTransition for a step the
    table does not allow, UsageError for an unknown id.
    """
    problems = load_problems(session)
    match = problems[problems["id"] == problem_id]
    if match.empty:
        raise UsageError(f"没有编号为 {problem_id} 的问题（monitor projects problems 可列出全部）")
    row = match.iloc[0]
    if not may_handle_problem(principal, str(row["department"] or "")):
        raise PermissionDenied(f"{principal.display_name} 不能办理分派给其他单位的问题（第 {problem_id} 号）")
    state = next_state(str(row["state"]), to_state, note)
    change_problem(session, problem_id, to_state=state.value, by=principal.display_name, note=note.strip(), now=now)
    return state.value


def service_problem_events(session: Session, problem_id: int) -> pd.DataFrame:
    return problem_events(session, problem_id)
