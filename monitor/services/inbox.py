"""The inbox: departments drop files into `inbox/<department>/`; a scan imports each exactly once.

    var/inbox/<department>/file.xlsx     waiting (files still being written are left alone)
    var/inbox/projects/周报.xlsx          a 重点项目 register or weekly report
    var/archive/<yyyy-mm-dd>/file.xlsx   accepted or duplicate
    var/rejected/<yyyy-mm-dd>/file.xlsx  rejected, with file.xlsx.errors.csv beside it (opens in Excel)

A file counts as finished when its size and modification time do not change between two looks
and it is not a temporary or lock file. Before importing, a scan claims the file by renaming it
(atomic on one file system): when two scans run at once, only one rename succeeds, and the
accepted-sha256 unique index catches anything that slips past.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.domain.validation import IssueSeverity
from monitor.services.clock import utc_now
from monitor.services.imports import MAX_FILE_BYTES, ImportRequest, ImportResult, ImportStatus, import_file
from monitor.services.project_imports import import_project_file

__all__ = ["ERROR_REPORT_HEADERS", "PROJECTS_FOLDER", "InboxReport", "scan_inbox", "write_error_report"]

PROJECTS_FOLDER = "projects"
"""inbox/projects/ takes 重点项目 registers and weekly reports (周报), imported by services.project_imports."""

ERROR_REPORT_HEADERS = ["行号", "列", "值", "错误代码", "说明", "级别"]
SETTLE_SECONDS = 2.0
"""Time between the two looks at a file's size; a file still growing is left for the next scan."""
STALE_CLAIM_SECONDS = 3600
"""A claimed file whose scan died is put back after this long (the sha256 check prevents a double import)."""
YOUNG_EMPTY_SECONDS = 60
"""A 0-byte file younger than this is probably being created."""

_TEMP_PREFIXES = ("~$", ".~lock", ".~", "~")
_TEMP_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", ".lock", "~", "#")
_CLAIM = ".importing"


@dataclass(frozen=True)
class InboxItem:
    """One file a scan imported: where it came from, what became of it, where it went."""

    source: Path
    department: str
    result: ImportResult
    moved_to: Path
    report: Path | None = None


@dataclass
class InboxReport:
    """What a scan did: files imported, files left for later (with why), folders it did not know."""

    items: list[InboxItem] = field(default_factory=list)
    left: list[tuple[Path, str]] = field(default_factory=list)
    unknown_folders: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(i.result.status is not ImportStatus.REJECTED for i in self.items)


def is_temporary(name: str) -> bool:
    """Office lock files (~$x.xlsx, .~lock.x#), partial downloads and editor backups."""
    lowered = name.lower()
    return lowered.startswith(_TEMP_PREFIXES) or lowered.endswith(_TEMP_SUFFIXES) or name.startswith(".")


def _look(root: Path, departments: set[str], report: InboxReport | None) -> dict[Path, tuple[int, int]]:
    """Size and mtime of every candidate file under root/<department>/ (top level of each folder)."""
    seen: dict[Path, tuple[int, int]] = {}
    if not root.is_dir():
        return seen
    if report is not None:
        for stray in sorted(p for p in root.iterdir() if p.is_file() and not is_temporary(p.name)):
            report.left.append((stray, "不在责任单位文件夹中：请放入 inbox/<责任单位代码>/（如 inbox/finance/）"))
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name not in departments:
            if report is not None:
                report.unknown_folders.append(folder)
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            if is_temporary(path.name):
                if report is not None and not path.name.endswith(_CLAIM):
                    report.left.append((path, "临时文件或锁文件，等待写完"))
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            seen[path] = (stat.st_size, stat.st_mtime_ns)
    return seen


def _recover_stale_claims(root: Path, now: float) -> None:
    for claim in root.glob(f"*/.*{_CLAIM}"):
        try:
            if now - claim.stat().st_mtime < STALE_CLAIM_SECONDS:
                continue
            original = claim.with_name(claim.name[1:].rsplit(".", 2)[0])
            if not original.exists():
                os.rename(claim, original)
        except (FileNotFoundError, IndexError):
            continue


def _claim(path: Path) -> Path | None:
    """Rename the file out of the way; None when another scan got there first."""
    claimed = path.with_name(f".{path.name}.{os.getpid()}{_CLAIM}")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    os.utime(claimed)  # the claim's age, for stale-claim recovery
    return claimed


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix, n = target.stem, target.suffix, 2
    while target.exists() or target.with_name(target.name + ".errors.csv").exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target


def _move(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, name)
    try:
        os.replace(source, target)
    except OSError:  # another file system
        shutil.move(str(source), str(target))
    return target


def _excel_safe(text: object) -> str:
    """Cell text that Excel shows as text: a leading =, +, - or @ would be run as a formula."""
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_error_report(issues: pd.DataFrame, path: Path) -> Path:
    """Every error and warning of a file as a CSV Excel opens correctly (UTF-8 with BOM, Chinese headers)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ERROR_REPORT_HEADERS)
        for r in issues.itertuples(index=False):
            level = "错误" if r.severity == IssueSeverity.ERROR.value else "警告"
            row_number = "" if pd.isna(r.row) else int(r.row)
            writer.writerow(
                [row_number, _excel_safe(r.column), _excel_safe(r.value), r.code, _excel_safe(r.message), level]
            )
    return path


def scan_inbox(
    engine: Engine,
    catalogue: Catalogue,
    root: Path,
    *,
    today: date,
    now: datetime | None = None,
    settle_seconds: float = SETTLE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    max_bytes: int = MAX_FILE_BYTES,
    progress: Callable[[str], None] | None = None,
) -> InboxReport:
    """Import every finished file under root/<department>/ and move it to archive/ or rejected/.

    `today` is the import's today (future_period); the dated folders use the real date in the
    catalogue's time zone. Archive and rejected folders are siblings of `root`.
    """
    report = InboxReport()
    departments = set(catalogue.departments) | {PROJECTS_FOLDER}
    _recover_stale_claims(root, time.time())
    first = _look(root, departments, report)
    if first and settle_seconds > 0:
        sleep(settle_seconds)
    second = _look(root, departments, None)
    moment = (now or utc_now()).astimezone(ZoneInfo(catalogue.meta.timezone))
    day = moment.date().isoformat()
    for path, look in first.items():
        if second.get(path) != look:
            report.left.append((path, "文件仍在写入（大小或修改时间在变化），下次再导入"))
            continue
        if look[0] == 0 and time.time() - look[1] / 1e9 < YOUNG_EMPTY_SECONDS:
            report.left.append((path, "0 字节的新文件，可能仍在写入，下次再导入"))
            continue
        claimed = _claim(path)
        if claimed is None:
            continue  # another scan took it
        department = path.parent.name
        if progress:
            progress(f"导入 {department}/{path.name} …")
        try:
            request = ImportRequest(
                today=today,
                department=None if department == PROJECTS_FOLDER else department,
                channel="inbox",
                max_bytes=max_bytes,
                progress=progress,
            )
            load = import_project_file if department == PROJECTS_FOLDER else import_file
            result = load(engine, catalogue, claimed, request, display_name=path.name)
        except BaseException:
            os.rename(claimed, path)  # leave it where it was for the next scan
            raise
        if result.status is ImportStatus.REJECTED:
            moved = _move(claimed, root.parent / "rejected" / day, path.name)
            errors = write_error_report(result.issues, moved.with_name(moved.name + ".errors.csv"))
            report.items.append(InboxItem(path, department, result, moved, errors))
        else:
            moved = _move(claimed, root.parent / "archive" / day, path.name)
            report.items.append(InboxItem(path, department, result, moved))
    return report
