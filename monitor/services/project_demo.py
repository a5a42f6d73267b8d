"""Write the 重点项目 示例数据 (monitor.sample_data.projects) through the project repositories, labelled as sample."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from monitor.domain.catalogue import Catalogue
from monitor.sample_data.projects import generate_projects
from monitor.sample_data.tasks import sample_task_reports
from monitor.services.tasks import load_task_file
from monitor.storage.projects import add_problems, change_problem, load_problems, record_progress, upsert_projects
from monitor.storage.tasks import load_tasks, record_task_report

__all__ = ["load_project_demo"]

_STEPS = {"submitted": (), "coordinated": ("coordinated",), "solved": ("coordinated", "solved")}
_NOTES = {"coordinated": "已召开会办会，明确责任单位和办理时限（示例数据）", "solved": "问题已解决（示例数据）"}


def load_project_demo(
    session: Session, catalogue: Catalogue, *, import_id: int, now: datetime, tasks_file: Path
) -> int:
    """The 41 sample projects, their weekly reports and the sample service list; returns the project count."""
    sample = generate_projects()
    upsert_projects(session, sample.projects, import_id=import_id, now=now, is_sample=True)
    record_progress(session, sample.progress, known_from=now, import_id=import_id, is_sample=True)
    year_of = dict.fromkeys(sample.projects["code"], 2021)
    add_problems(session, sample.problems, year_of=year_of, import_id=import_id, now=now, by="示例数据", is_sample=True)
    stored = load_problems(session, 2021).set_index("description")
    for problem in sample.problems.itertuples():
        for state in _STEPS[problem.state]:
            change_problem(
                session,
                int(stored.loc[problem.description, "id"]),
                to_state=state,
                by="示例数据",
                note=_NOTES[state],
                now=now,
            )
    _load_task_demo(session, catalogue, tasks_file, now)
    return len(sample.projects)


def _load_task_demo(session: Session, catalogue: Catalogue, tasks_file: Path, now: datetime) -> None:
    """The seeded tasks and their sample monthly reports (January to June 2021)."""
    if not tasks_file.exists():
        return
    load_task_file(session, catalogue, tasks_file)
    for r in sample_task_reports(load_tasks(session)).itertuples():
        record_task_report(
            session,
            task=r.task,
            period=r.period,
            value=r.value,
            text=r.text,
            completed=r.completed,
            by="示例数据",
            now=now,
            is_sample=True,
        )
