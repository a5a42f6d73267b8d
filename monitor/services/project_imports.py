"""Import a project register or weekly report (周报): all or nothing, row-by-row Chinese errors, duplicates
recognised by sha256, weekly figures revised (never overwritten). The same ImportRequest as department files.

The kind of file is decided by its header: a register has 年度计划投资, a weekly report 累计完成投资.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor.domain.catalogue import Catalogue
from monitor.domain.projects import ProjectTable, check_register, check_weekly
from monitor.domain.validation import Code, file_issue
from monitor.errors import ReadError, UsageError
from monitor.readers.projects import read_project_table
from monitor.services.clock import utc_now
from monitor.services.imports import ImportRequest, ImportResult, ImportStatus, _Job
from monitor.storage.bulk_write import WriteCounts
from monitor.storage.db import transaction
from monitor.storage.imports import add_import, find_accepted, finish, lock_imports
from monitor.storage.models import Import
from monitor.storage.projects import (
    add_problems,
    current_progress,
    project_departments,
    record_progress,
    upsert_projects,
)

__all__ = ["import_project_bytes", "import_project_file", "street_names"]

CHANNEL_SUFFIX = "-projects"


def street_names(catalogue: Catalogue) -> dict[str, str]:
    """The streets (街道) of the default region: code -> name."""
    home = catalogue.meta.default_region
    return {c: r.name for c, r in catalogue.regions.items() if r.parent == home}


def _departments(catalogue: Catalogue) -> dict[str, str]:
    return {c: d.name for c, d in catalogue.departments.items()}


def import_project_file(
    engine: Engine, catalogue: Catalogue, path: Path, request: ImportRequest, *, display_name: str | None = None
) -> ImportResult:
    """Import a register or weekly file from disk (see import_project_bytes)."""
    try:
        size = path.stat().st_size
        if size > request.limits.max_file_bytes:
            return _too_large(engine, catalogue, display_name or path.name, request, size)
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    return import_project_bytes(engine, catalogue, data, display_name or path.name, request)


def _too_large(engine: Engine, catalogue: Catalogue, name: str, request: ImportRequest, size: int) -> ImportResult:
    limit = request.limits.max_file_bytes
    return request.job(engine, catalogue, name).reject(
        file_issue(Code.TOO_LARGE, f"文件有 {size / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限")
    )


def import_project_bytes(
    engine: Engine, catalogue: Catalogue, data: bytes, file_name: str, request: ImportRequest
) -> ImportResult:
    """size -> duplicate -> read -> check against the register and stored weeks -> one write transaction."""
    request = replace(request, channel=request.channel + CHANNEL_SUFFIX)
    job = request.job(engine, catalogue, file_name)
    if len(data) > request.limits.max_file_bytes:
        return _too_large(engine, catalogue, file_name, request, len(data))
    sha = hashlib.sha256(data).hexdigest()
    job = replace(job, sha256=sha)
    with transaction(engine) as session:
        earlier = find_accepted(session, sha)
        before = (earlier.id, earlier.file_name, earlier.started_at) if earlier else None
    if before:
        return job.duplicate(before)
    try:
        table = read_project_table(data, request.limits)
    except ReadError as exc:
        return job.reject(file_issue(exc.code, str(exc), exc.column))
    if table.kind == "register":
        return _register(engine, catalogue, table, job, request)
    return _weekly(engine, catalogue, table, job, request)


def _register(
    engine: Engine, catalogue: Catalogue, table: ProjectTable, job: _Job, request: ImportRequest
) -> ImportResult:
    projects, issues = check_register(table, _departments(catalogue), street_names(catalogue))
    if len(issues):
        return job.reject(issues)
    if request.dry_run:
        return job.result(ImportStatus.ACCEPTED, f"试运行（未写入）：项目库 {len(projects)} 个项目", issues)
    now = request.now or utc_now()
    with transaction(engine) as session:
        row = _begin(session, job, now)
        counts = upsert_projects(session, projects, import_id=row.id, now=now)
        message = f"项目库：新增 {counts.inserted}、更新 {counts.revised}、未变 {counts.unchanged} 个项目"
        _finish(row, counts, message)
        import_id = row.id
    return job.result(ImportStatus.ACCEPTED, message, issues, counts=counts, import_id=import_id, figures=len(projects))


def _weekly(
    engine: Engine, catalogue: Catalogue, table: ProjectTable, job: _Job, request: ImportRequest
) -> ImportResult:
    with transaction(engine) as session:
        keys = project_departments(session, range(2000, 2101))
        previous = current_progress(session)
    checked = check_weekly(table, keys, previous, today=request.today, departments=_departments(catalogue))
    if checked.has_errors:
        return job.reject(checked.issues)
    problems = _with_due(checked.problems, catalogue.projects.problem_days)
    if request.dry_run:
        message = f"试运行（未写入）：周报 {len(checked.progress)} 行，新问题 {len(problems)} 个"
        return job.result(ImportStatus.ACCEPTED, message, checked.issues)
    now = request.now or utc_now()
    year_of = {r.code: int(r.year) for r in checked.progress.itertuples()}
    with transaction(engine) as session:
        row = _begin(session, job, now)
        counts = record_progress(session, checked.progress, known_from=now, import_id=row.id)
        added = add_problems(session, problems, year_of=year_of, import_id=row.id, now=now, by="周报导入")
        message = f"周报：新增 {counts.inserted}、修订 {counts.revised}、未变 {counts.unchanged}；新问题 {added} 个"
        _finish(row, counts, message)
        import_id = row.id
    return job.result(
        ImportStatus.ACCEPTED,
        message,
        checked.issues,
        counts=counts,
        import_id=import_id,
        figures=len(checked.progress),
    )


def _with_due(problems: pd.DataFrame, days: int) -> pd.DataFrame:
    """A problem without its own 办结时限 is due `days` after it was raised."""
    out = problems.copy()
    out["due_on"] = [
        d if d is not None and not pd.isna(d) else r + timedelta(days=days)
        for d, r in zip(out["due_on"], out["raised_on"], strict=True)
    ]
    return out


def _begin(session: Session, job: _Job, now: datetime) -> Import:
    """The accepted imports row, once the import lock is held; IntegrityError when the same bytes won a race."""
    lock_imports(session)
    return add_import(
        session,
        file_name=job.file_name[-500:],
        sha256=job.sha256,
        department=None,
        channel=job.channel,
        status=ImportStatus.ACCEPTED.value,
        started_at=now,
        is_sample=False,
        warnings=[],
        errors=[],
        message="",
    )


def _finish(row: Import, counts: WriteCounts, message: str) -> None:
    finish(
        row, utc_now(), inserted=counts.inserted, revised=counts.revised, unchanged=counts.unchanged, message=message
    )
