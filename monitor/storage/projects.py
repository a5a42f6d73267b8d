"""Repositories of 重点项目: the register (upserted per year and code), weekly progress with revisions,
and the 项目服务清单 with every change kept as an event. Frames in, frames out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from monitor.domain.projects import PROGRESS_COLUMNS, PROJECT_COLUMNS
from monitor.storage.bulk_write import WriteCounts
from monitor.storage.project_models import Project, ProjectProblem, ProjectProblemEvent, ProjectProgress

__all__ = [
    "PROBLEM_FIELDS",
    "PROGRESS_FIELDS",
    "add_problems",
    "change_problem",
    "current_progress",
    "load_problems",
    "load_projects",
    "problem_events",
    "progress_history",
    "project_departments",
    "record_progress",
    "upsert_projects",
]

PROGRESS_FIELDS = [*PROGRESS_COLUMNS, "import_id", "known_from", "known_to", "is_sample"]
PROBLEM_FIELDS = [
    "id",
    "year",
    "code",
    "category",
    "description",
    "department",
    "raised_on",
    "due_on",
    "state",
    "response",
    "updated_at",
    "is_sample",
]
_COMPARED = ("weekly", "cumulative", "image", "start_actual", "finish_actual")


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def upsert_projects(
    session: Session, projects: pd.DataFrame, *, import_id: int | None, now: datetime, is_sample: bool = False
) -> WriteCounts:
    """Insert new projects, update changed ones (the register is the latest word on plans)."""
    counts = WriteCounts()
    for record in projects.to_dict("records"):
        values = {k: _clean(record[k]) for k in PROJECT_COLUMNS}
        row = session.get(Project, (values["year"], values["code"]))
        if row is None:
            session.add(Project(**values, import_id=import_id, updated_at=now, is_sample=is_sample))
            counts += WriteCounts(inserted=1)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.import_id, row.updated_at = import_id, now
            counts += WriteCounts(revised=1)
        else:
            counts += WriteCounts(unchanged=1)
    session.flush()
    return counts


def load_projects(session: Session, year: int | None = None) -> pd.DataFrame:
    """The register (PROJECT_COLUMNS plus is_sample), by year and code."""
    t = Project.__table__
    stmt = select(*(t.c[c] for c in [*PROJECT_COLUMNS, "is_sample"])).order_by(t.c.year, t.c.code)
    if year is not None:
        stmt = stmt.where(t.c.year == year)
    return pd.DataFrame(session.execute(stmt).all(), columns=[*PROJECT_COLUMNS, "is_sample"])


def project_departments(session: Session, years: Iterable[int]) -> dict[tuple[str, int], str]:
    """(code, year) -> lead department of every registered project of those years."""
    rows = session.execute(select(Project.code, Project.year, Project.department).where(Project.year.in_(list(years))))
    return {(code, year): dept for code, year, dept in rows}


def current_progress(
    session: Session, years: Iterable[int] | None = None, known_at: datetime | None = None, code: str | None = None
) -> pd.DataFrame:
    """Weekly progress as known at `known_at` (default: now current), PROGRESS_FIELDS."""
    t = ProjectProgress.__table__
    stmt = select(*(t.c[c] for c in PROGRESS_FIELDS))
    if known_at is None:
        stmt = stmt.where(t.c.known_to.is_(None))
    else:
        stmt = stmt.where(t.c.known_from <= known_at, or_(t.c.known_to.is_(None), t.c.known_to > known_at))
    if years is not None:
        stmt = stmt.where(t.c.year.in_(list(years)))
    if code is not None:
        stmt = stmt.where(t.c.code == code)
    return pd.DataFrame(session.execute(stmt.order_by(t.c.code, t.c.year, t.c.week)).all(), columns=PROGRESS_FIELDS)


def progress_history(session: Session, code: str, year: int) -> pd.DataFrame:
    """Every version of a project's weekly reports, newest knowledge last (revisions included)."""
    t = ProjectProgress.__table__
    stmt = select(*(t.c[c] for c in PROGRESS_FIELDS)).where(t.c.code == code, t.c.year == year)
    return pd.DataFrame(session.execute(stmt.order_by(t.c.week, t.c.known_from)).all(), columns=PROGRESS_FIELDS)


def record_progress(
    session: Session, progress: pd.DataFrame, *, known_from: datetime, import_id: int | None, is_sample: bool = False
) -> WriteCounts:
    """Write weekly rows: new weeks inserted, changed ones revised (the old row closed), equal ones left."""
    counts = WriteCounts()
    years = {int(y) for y in progress["year"]}
    current = {
        (r.code, r.year, r.week): r
        for r in session.execute(
            select(ProjectProgress).where(ProjectProgress.known_to.is_(None), ProjectProgress.year.in_(years))
        ).scalars()
    }
    for record in progress.to_dict("records"):
        values = {k: _clean(record[k]) for k in ("code", "year", "week", "week_end", *_COMPARED)}
        values["year"], values["week"] = int(values["year"]), int(values["week"])
        old = current.get((values["code"], values["year"], values["week"]))
        if old is not None and all(_same(getattr(old, k), values[k]) for k in _COMPARED):
            counts += WriteCounts(unchanged=1)
            continue
        if old is not None:
            old.known_to = known_from
            counts += WriteCounts(revised=1)
        else:
            counts += WriteCounts(inserted=1)
        session.add(ProjectProgress(**values, import_id=import_id, known_from=known_from, is_sample=is_sample))
    session.flush()
    return counts


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a))
    return bool(a == b) or (a in (None, "") and b in (None, ""))


def add_problems(
    session: Session,
    problems: pd.DataFrame,
    *,
    year_of: dict[str, int],
    import_id: int | None,
    now: datetime,
    by: str,
    is_sample: bool = False,
) -> int:
    """New 项目服务清单 entries (state submitted), each with its first event; a problem already listed
    for the project with the same text is not added twice."""
    added = 0
    for r in problems.to_dict("records"):
        exists = session.execute(
            select(func.count())
            .select_from(ProjectProblem)
            .where(ProjectProblem.code == r["code"], ProjectProblem.description == r["description"])
        ).scalar_one()
        if exists:
            continue
        row = ProjectProblem(
            year=year_of[r["code"]],
            code=r["code"],
            category=r["category"],
            description=r["description"],
            department=r["department"],
            raised_on=r["raised_on"],
            due_on=r["due_on"],
            state="submitted",
            response="",
            import_id=import_id,
            updated_at=now,
            is_sample=is_sample,
        )
        session.add(row)
        session.flush()
        session.add(
            ProjectProblemEvent(
                problem_id=row.id, at=now, by=by, from_state=None, to_state="submitted", note=r["description"]
            )
        )
        added += 1
    return added


def load_problems(session: Session, year: int | None = None, department: str | None = None) -> pd.DataFrame:
    """The 项目服务清单 (PROBLEM_FIELDS), oldest first."""
    t = ProjectProblem.__table__
    stmt = select(*(t.c[c] for c in PROBLEM_FIELDS)).order_by(t.c.id)
    if year is not None:
        stmt = stmt.where(t.c.year == year)
    if department is not None:
        stmt = stmt.where(t.c.department == department)
    return pd.DataFrame(session.execute(stmt).all(), columns=PROBLEM_FIELDS)


def change_problem(session: Session, problem_id: int, *, to_state: str, by: str, note: str, now: datetime) -> str:
    """Move a problem to `to_state` with the response `note`; the event is kept. Returns the previous state."""
    row = session.get(ProjectProblem, problem_id)
    if row is None:
        raise KeyError(problem_id)
    before = row.state
    row.state, row.updated_at = to_state, now
    if note:
        row.response = note
    session.add(
        ProjectProblemEvent(problem_id=problem_id, at=now, by=by, from_state=before, to_state=to_state, note=note)
    )
    return before


def problem_events(session: Session, problem_id: int) -> pd.DataFrame:
    t = ProjectProblemEvent.__table__
    columns = ["at", "by", "from_state", "to_state", "note"]
    stmt = select(*(t.c[c] for c in columns)).where(t.c.problem_id == problem_id).order_by(t.c.id)
    return pd.DataFrame(session.execute(stmt).all(), columns=columns)


def newest_week_end(session: Session) -> date | None:
    return session.execute(select(func.max(ProjectProgress.week_end))).scalar_one_or_none()
