"""Models of 重点项目 and 重点工作任务督办: the register, weekly progress with revisions, the 项目服务清单
(problems and every change of them), the numbered tasks and their monthly reports.

Weekly progress keeps real-time periods like observations: a changed figure closes the current row
(`known_to`) and opens a new one, so earlier figures stay as revisions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from monitor.storage.base import Base, Id, UtcDateTime

__all__ = ["Project", "ProjectProblem", "ProjectProblemEvent", "ProjectProgress", "Task", "TaskReport"]


class Project(Base):
    """One project of a year's register (money in 亿元)."""

    __tablename__ = "projects"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(16))
    nature: Mapped[str] = mapped_column(String(16), default="")
    street: Mapped[str | None] = mapped_column(String(64))
    total_investment: Mapped[float | None] = mapped_column(Float)
    annual_plan: Mapped[float] = mapped_column(Float)
    monthly_plan: Mapped[list[float] | None] = mapped_column(JSON)
    start_planned: Mapped[date | None] = mapped_column(Date)
    finish_planned: Mapped[date | None] = mapped_column(Date)
    leader: Mapped[str] = mapped_column(String(100), default="")
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    agent: Mapped[str] = mapped_column(String(100), default="")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class ProjectProgress(Base):
    """A project's report for one ISO week, current from `known_from` until `known_to` (NULL: current)."""

    __tablename__ = "project_progress"
    __table_args__ = (Index("ix_project_progress_key", "year", "code", "week"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    week: Mapped[int] = mapped_column(Integer)
    week_end: Mapped[date] = mapped_column(Date)
    weekly: Mapped[float | None] = mapped_column(Float)
    cumulative: Mapped[float | None] = mapped_column(Float)
    image: Mapped[str] = mapped_column(Text, default="")
    start_actual: Mapped[date | None] = mapped_column(Date)
    finish_actual: Mapped[date | None] = mapped_column(Date)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    known_from: Mapped[datetime] = mapped_column(UtcDateTime)
    known_to: Mapped[datetime | None] = mapped_column(UtcDateTime)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class ProjectProblem(Base):
    """One entry of the 项目服务清单: a project's need or problem, assigned to a department."""

    __tablename__ = "project_problems"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(64))
    raised_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))  # submitted | coordinated | solved
    response: Mapped[str] = mapped_column(Text, default="")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class ProjectProblemEvent(Base):
    """Every change of a problem: who, when, from which state to which, and the response given."""

    __tablename__ = "project_problem_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("project_problems.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    by: Mapped[str] = mapped_column(String(100))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class Task(Base):
    """A numbered measure of a work document (重点工作任务督办) with its 责任单位 and goal."""

    __tablename__ = "tasks"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    lead: Mapped[str] = mapped_column(String(100))
    co: Mapped[list[Any]] = mapped_column(JSON, default=list)
    departments: Mapped[list[Any]] = mapped_column(JSON, default=list)  # catalogue codes among lead and co
    goal_kind: Mapped[str] = mapped_column(String(8), default="")  # ≥ | ≤ | 达到 | 节点
    goal_value: Mapped[float | None] = mapped_column(Float)
    goal_unit: Mapped[str] = mapped_column(String(16), default="")
    goal_text: Mapped[str] = mapped_column(Text, default="")
    milestones: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text, default="")
    source_doc: Mapped[str] = mapped_column(String(64), default="")
    lead_note: Mapped[str] = mapped_column(Text, default="")


class TaskReport(Base):
    """A task's monthly progress report (value and text); a resent month keeps the earlier one as a revision."""

    __tablename__ = "task_reports"
    __table_args__ = (Index("ix_task_reports_key", "task", "period"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    task: Mapped[str] = mapped_column(ForeignKey("tasks.code"))
    period: Mapped[str] = mapped_column(String(8))
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by: Mapped[str] = mapped_column(String(100), default="")
    known_from: Mapped[datetime] = mapped_column(UtcDateTime)
    known_to: Mapped[datetime | None] = mapped_column(UtcDateTime)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
