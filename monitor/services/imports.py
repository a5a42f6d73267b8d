"""Import a department's file: read -> validate -> one transaction, or a rejection that changes nothing.

One file is one transaction. Any hard error rejects the whole file: only an imports row with
status `rejected` and the list of errors is written (in its own transaction), no figure changes.
Bytes that were accepted before are recorded as `duplicate` and change nothing. Accepted files
write their imports row and every figure in one transaction, so a crash part-way leaves nothing.
Importing transactions are serialised (storage.imports.lock_imports), and the unique index on
accepted sha256 settles two processes importing the same bytes at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from monitor.domain.catalogue import Catalogue
from monitor.domain.validation import (
    Code,
    IssueSeverity,
    RawTable,
    check_table,
    empty_figures,
    figure_warnings,
    file_issue,
    issue_list,
    sort_issues,
)
from monitor.errors import DatabaseError, ReadError, UsageError
from monitor.readers import Deadline, ReadLimits, read_table
from monitor.services.clock import utc_now
from monitor.services.import_result import LISTED_ISSUES, STATUS_ZH, ImportResult, ImportStatus
from monitor.storage.db import transaction
from monitor.storage.imports import add_import, find_accepted, finish, is_duplicate_violation, lock_imports
from monitor.storage.observations import WriteCounts, current_for_keys, plan_observations, record_observations

__all__ = [
    "LISTED_ISSUES",
    "MAX_FILE_BYTES",
    "PROGRESS_ROWS",
    "STATUS_ZH",
    "ImportRequest",
    "ImportResult",
    "ImportStatus",
    "import_bytes",
    "import_file",
]

MAX_FILE_BYTES = ReadLimits().max_file_bytes
"""Files above this are rejected as too_large before they are read (the setting MONITOR_IMPORT_MAX_FILE_MB)."""

PROGRESS_ROWS = 50_000
"""Files with more rows than this report progress (读取…, 校验…, 写入…)."""

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class _Job:
    """One file being imported: who sent it, how, and where outcomes are recorded."""

    engine: Engine
    file_name: str
    department: str | None
    channel: str
    now: datetime | None
    dry_run: bool
    timezone: str
    sha256: str | None = None

    def record(self, status: ImportStatus, message: str, issues: pd.DataFrame) -> int | None:
        """An imports row for a rejection or duplicate, in its own transaction (none in a dry run)."""
        if self.dry_run:
            return None
        with transaction(self.engine) as session:
            row = add_import(
                session,
                file_name=self.file_name[-500:],  # the column holds 500 characters: keep the name's end
                sha256=self.sha256,
                department=self.department,
                channel=self.channel,
                status=status.value,
                started_at=self.now or utc_now(),
                finished_at=utc_now(),
                is_sample=False,
                warnings=_stored(issues, IssueSeverity.WARNING),
                errors=_stored(issues, IssueSeverity.ERROR),
                message=message,
            )
            return row.id

    def reject(self, issues: pd.DataFrame) -> ImportResult:
        """Record a rejection: no figure is touched."""
        errors = int((issues["severity"] == IssueSeverity.ERROR.value).sum())
        listed = f"（列出前 {LISTED_ISSUES} 处）" if errors > LISTED_ISSUES else ""
        message = f"共 {errors} 处错误{listed}，整个文件未导入，数据库未做任何更改：请改正后重新发送"
        import_id = self.record(ImportStatus.REJECTED, message, issues)
        return self.result(ImportStatus.REJECTED, message, issues, import_id=import_id)

    def duplicate(self, earlier: tuple[int, str, datetime] | None) -> ImportResult:
        """Record that these bytes were accepted before; nothing else changes."""
        message = "与此前已接收的文件内容完全相同，未做任何更改"
        if earlier:
            when = earlier[2].astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m-%d %H:%M")
            message = f"与第 {earlier[0]} 批导入（{earlier[1]}，{when}）的文件内容完全相同，未做任何更改"
        none = file_issue("", "").iloc[:0]
        import_id = self.record(ImportStatus.DUPLICATE, message, none)
        return self.result(ImportStatus.DUPLICATE, message, none, import_id=import_id)

    def result(self, status: ImportStatus, message: str, issues: pd.DataFrame, **kw: Any) -> ImportResult:
        return ImportResult(
            self.file_name,
            status,
            issues=issues,
            sha256=self.sha256,
            department=self.department,
            message=message,
            dry_run=self.dry_run,
            **kw,
        )


def _too_large(size: int, limit: int) -> pd.DataFrame:
    return file_issue(
        Code.TOO_LARGE,
        f"文件有 {size / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限：请按月份或指标拆分成几个文件后分别发送",
    )


@dataclass(frozen=True)
class ImportRequest:
    """How one file is to be imported: the same for the CLI, the inbox and the board's upload.

    `today` decides future_period; `now` (default the clock) is when the figures become known.
    `department` checks 报送责任 (None skips that check); `limits` bound size, rows, columns and time
    (settings MONITOR_IMPORT_*).
    """

    today: date
    department: str | None = None
    channel: str = "cli"
    dry_run: bool = False
    now: datetime | None = None
    limits: ReadLimits = field(default_factory=ReadLimits)
    progress: Say | None = None

    def job(self, engine: Engine, catalogue: Catalogue, file_name: str) -> _Job:
        return _Job(engine, file_name, self.department, self.channel, self.now, self.dry_run, catalogue.meta.timezone)


def import_file(
    engine: Engine, catalogue: Catalogue, path: Path, request: ImportRequest, *, display_name: str | None = None
) -> ImportResult:
    """Import one file from disk; a file over `max_bytes` is rejected as too_large without being read."""
    name = display_name or path.name
    try:
        size = path.stat().st_size
        if size > request.limits.max_file_bytes:
            return request.job(engine, catalogue, name).reject(_too_large(size, request.limits.max_file_bytes))
        if size > 2 * 1048576 and request.progress:
            request.progress(f"读取 {name}（{size / 1048576:.1f} MB）…")
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    return import_bytes(engine, catalogue, data, name, request)


def import_bytes(
    engine: Engine, catalogue: Catalogue, data: bytes, file_name: str, request: ImportRequest
) -> ImportResult:
    """Import a file's bytes: size -> duplicate -> read -> check -> (dry-run plan | one write transaction)."""
    if request.department is not None and request.department not in catalogue.departments:
        raise UsageError(f"未知的责任单位代码“{request.department}”：应为 {'、'.join(catalogue.departments)} 之一")
    job = request.job(engine, catalogue, file_name)
    if len(data) > request.limits.max_file_bytes:
        return job.reject(_too_large(len(data), request.limits.max_file_bytes))
    deadline = Deadline(request.limits.max_seconds)
    job = replace(job, sha256=hashlib.sha256(data).hexdigest())
    earlier = _accepted_before(engine, job.sha256)
    if earlier:
        return job.duplicate(earlier)
    try:
        raw = read_table(data, request.limits, deadline)
        say = _progress(request, len(raw.frame))
        say(f"校验 {len(raw.frame):,} 行…")
        checked = check_table(raw, catalogue, today=request.today, department=request.department)
        deadline.check()
        warnings = _warnings(engine, catalogue, raw, checked.figures)
        deadline.check()
    except ReadError as exc:
        return job.reject(file_issue(exc.code, str(exc), exc.column))
    issues = sort_issues(pd.concat([checked.issues, warnings], ignore_index=True)) if len(warnings) else checked.issues
    if checked.has_errors:
        return job.reject(issues)
    figures = checked.figures[FIGURE_FIELDS]
    notes = _notes(request.department, checked.skipped)
    started = request.now or utc_now()
    if request.dry_run:
        with transaction(engine) as session:
            counts = plan_observations(session, figures, known_from=started).counts
        message = _accepted_message(counts, issues, notes, dry_run=True)
        return job.result(ImportStatus.ACCEPTED, message, issues, counts=counts, figures=len(figures))
    say(f"写入 {len(figures):,} 个数…")
    try:
        counts, import_id, message = _write(job, figures, issues, notes, started, say)
    except _AlreadyAccepted as exc:
        return job.duplicate(exc.earlier)
    except IntegrityError as exc:
        if not is_duplicate_violation(exc):
            raise DatabaseError(f"写入 {file_name} 时数据库拒绝了数据（{exc.orig}）：未做任何更改，请重试") from None
        return job.duplicate(_accepted_before(engine, job.sha256))
    except OperationalError as exc:  # e.g. SQLite still locked by another import after its busy timeout
        raise DatabaseError(_operational_message(file_name, exc)) from None
    return job.result(ImportStatus.ACCEPTED, message, issues, counts=counts, import_id=import_id, figures=len(figures))


def _operational_message(file_name: str, exc: OperationalError) -> str:
    text = str(exc.orig)
    if "disk is full" in text or "No space left" in text or "could not extend file" in text:
        return f"写入 {file_name} 时磁盘已满（{text}）：未做任何更改，请清理数据库所在磁盘后重试"
    return f"写入 {file_name} 时数据库正忙或不可用（{text}）：未做任何更改，请稍后重试"


def _progress(request: ImportRequest, rows: int) -> Say:
    """Progress lines only for files with more than PROGRESS_ROWS rows."""
    return request.progress if request.progress and rows > PROGRESS_ROWS else _quiet


def _write(
    job: _Job, figures: pd.DataFrame, issues: pd.DataFrame, notes: list[str], started: datetime, say: Say
) -> tuple[WriteCounts, int, str]:
    """The imports row and every figure in one transaction, serialised against other imports."""
    with transaction(job.engine) as session:
        lock_imports(session)
        again = find_accepted(session, job.sha256 or "")
        if again is not None:
            raise _AlreadyAccepted((again.id, again.file_name, again.started_at))
        row = add_import(
            session,
            file_name=job.file_name[-500:],
            sha256=job.sha256,
            department=job.department,
            channel=job.channel,
            status=ImportStatus.ACCEPTED.value,
            started_at=started,
            is_sample=False,
            warnings=[],
            errors=[],
            message="",
        )
        counts = record_observations(
            session,
            figures,
            known_from=started,
            import_id=row.id,
            progress=None if say is _quiet else (lambda done, total: say(f"已写入 {done:,}/{total:,}")),
        )
        message = _accepted_message(counts, issues, notes)
        finish(
            row,
            utc_now(),
            inserted=counts.inserted,
            revised=counts.revised,
            unchanged=counts.unchanged,
            warnings=_stored(issues, IssueSeverity.WARNING),
            message=message,
        )
        return counts, row.id, message


FIGURE_FIELDS = ["indicator", "region", "period", "year", "period_end", "value", "yoy", "note"]


class _AlreadyAccepted(Exception):
    def __init__(self, earlier: tuple[int, str, datetime]):
        super().__init__("already accepted")
        self.earlier = earlier


def _accepted_before(engine: Engine, sha256: str | None) -> tuple[int, str, datetime] | None:
    with transaction(engine) as session:
        earlier = find_accepted(session, sha256 or "")
        return (earlier.id, earlier.file_name, earlier.started_at) if earlier else None


def _warnings(engine: Engine, catalogue: Catalogue, raw: RawTable, figures: pd.DataFrame) -> pd.DataFrame:
    """Warnings need the stored figures of the same series for this year, last year and the previous period."""
    if figures.empty:
        found = figure_warnings(empty_figures(), pd.DataFrame(), catalogue)
    else:
        years = sorted({int(y) for y in figures["year"].unique()} | {int(y) - 1 for y in figures["year"].unique()})
        with transaction(engine) as session:
            known = current_for_keys(session, figures, years=years, versions=False)
        found = figure_warnings(figures, known, catalogue, raw.headers)
    return pd.concat([_notices(raw), found], ignore_index=True) if raw.notices else found


def _notices(raw: RawTable) -> pd.DataFrame:
    """The reader's warnings about the file itself (external links, macros) as file-level warnings."""
    return pd.concat(
        [file_issue(code, message, severity=IssueSeverity.WARNING) for code, message in raw.notices],
        ignore_index=True,
    )


def _notes(department: str | None, skipped: int) -> list[str]:
    notes = []
    if department is None:
        notes.append("未指定责任单位，未检查报送责任")
    if skipped:
        notes.append(f"跳过 {skipped} 个没有数值的行（标题、分类或空行）")
    return notes


def _accepted_message(counts: WriteCounts, issues: pd.DataFrame, notes: list[str], dry_run: bool = False) -> str:
    head = "试运行（未写入）：将" if dry_run else ""
    text = f"{head}新增 {counts.inserted}、修订 {counts.revised}、未变 {counts.unchanged}"
    warnings = int((issues["severity"] == IssueSeverity.WARNING.value).sum())
    return "；".join([text] + ([f"{warnings} 条警告"] if warnings else []) + notes)


def _stored(issues: pd.DataFrame, severity: IssueSeverity) -> list[dict[str, Any]]:
    return [i.as_dict() for i in issue_list(issues[issues["severity"] == severity.value], LISTED_ISSUES)]
