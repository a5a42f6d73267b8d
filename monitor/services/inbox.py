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

import contextlib
import csv
import os
import re
import shutil
import stat
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
from monitor.errors import MonitorError
from monitor.exports import safe_csv_cell
from monitor.readers import ReadLimits
from monitor.services.clock import utc_now
from monitor.services.imports import ImportRequest, ImportResult, ImportStatus, import_file
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
_CLAIMS = ".importing"
"""Claimed files wait in inbox/<department>/.importing/<pid>/ while they are imported."""
NAME_MAX = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


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


def shown_name(name: str) -> str:
    """A file name as it can be shown and stored: control characters (a newline, a tab) escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def _kind(entry: os.DirEntry[str]) -> str | None:
    """Why an entry cannot be imported (None for a regular file); never follows a link."""
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return f"无法读取（{exc.strerror or exc}）"
    if stat.S_ISLNK(mode):
        return "这是符号链接（快捷方式）：出于安全考虑只导入普通文件，请把文件本身放入文件夹"
    if stat.S_ISDIR(mode):
        return "子文件夹中的文件不会导入：请把文件直接放在 inbox/<责任单位代码>/ 下"
    if not stat.S_ISREG(mode):
        return "不是普通文件（设备、管道或套接字），未导入"
    return None


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def _look(root: Path, departments: set[str], report: InboxReport | None) -> dict[Path, tuple[int, int]]:
    """Size and mtime of every regular file under root/<department>/ (top level of each folder, links not followed)."""
    seen: dict[Path, tuple[int, int]] = {}
    if not root.is_dir():
        return seen
    for top in _entries(root):
        path = Path(top.path)
        if top.name.startswith(".") or (top.name in departments and top.is_dir(follow_symlinks=False)):
            continue
        if report is None:
            continue
        if top.is_dir(follow_symlinks=False):
            report.unknown_folders.append(path)
        elif not is_temporary(top.name):
            report.left.append((path, "不在责任单位文件夹中：请放入 inbox/<责任单位代码>/（如 inbox/finance/）"))
    for department in sorted(departments):
        for entry in _entries(root / department):
            path = Path(entry.path)
            if is_temporary(entry.name):
                if report is not None and not entry.name.startswith("."):
                    report.left.append((path, "临时文件或锁文件，等待写完"))
                continue
            why = _kind(entry)
            if why is not None:
                if report is not None:
                    report.left.append((path, why))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            seen[path] = (info.st_size, info.st_mtime_ns)
    return seen


def _recover_stale_claims(root: Path, now: float) -> None:
    """Put back files whose scan died while it held them (after STALE_CLAIM_SECONDS)."""
    for claim in root.glob(f"*/{_CLAIMS}/*/*"):
        try:
            if now - claim.lstat().st_mtime < STALE_CLAIM_SECONDS:
                continue
            original = claim.parent.parent.parent / claim.name
            if not original.exists():
                os.rename(claim, original)
            _drop_claim_folder(claim.parent)
        except OSError:
            continue


def _claim(path: Path) -> Path | None:
    """Move the file into this process's claim folder (same name, so no name grows); None when another scan got it."""
    folder = path.parent / _CLAIMS / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    claimed = folder / path.name
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    os.utime(claimed, follow_symlinks=False)  # the claim's age, for stale-claim recovery
    return claimed


def _unclaim(claimed: Path, path: Path) -> None:
    os.rename(claimed, path)
    _drop_claim_folder(claimed.parent)


def _fit(name: str, reserve: int) -> str:
    """The name shortened (its stem, at a character boundary) so that name + `reserve` bytes fit NAME_MAX."""
    room = NAME_MAX - reserve
    if len(name.encode()) <= room:
        return name
    stem, suffix = os.path.splitext(name)
    suffix = suffix if len(suffix.encode()) < 16 else ""
    budget = room - len(suffix.encode())
    return stem.encode()[:budget].decode("utf-8", errors="ignore") + suffix


def _free_name(folder: Path, name: str) -> Path:
    name = _fit(name, len(".errors.csv") + len(" (999)"))
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
    _drop_claim_folder(source.parent)
    return target


def _drop_claim_folder(folder: Path) -> None:
    """Remove inbox/<department>/.importing/<pid>/ and .importing/ once they are empty."""
    with contextlib.suppress(OSError):
        folder.rmdir()
        folder.parent.rmdir()


def write_error_report(issues: pd.DataFrame, path: Path) -> Path:
    """Every error and warning of a file as a CSV Excel opens correctly (UTF-8 with BOM, Chinese headers)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ERROR_REPORT_HEADERS)
        for r in issues.itertuples(index=False):
            level = "错误" if r.severity == IssueSeverity.ERROR.value else "警告"
            row_number = "" if pd.isna(r.row) else int(r.row)
            writer.writerow(
                [row_number, safe_csv_cell(r.column), safe_csv_cell(r.value), r.code, safe_csv_cell(r.message), level]
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
    limits: ReadLimits | None = None,
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
        folder = path.parent.name
        request = ImportRequest(
            today=today,
            department=None if folder == PROJECTS_FOLDER else folder,
            channel="inbox",
            limits=limits or ReadLimits(),
            progress=progress,
        )
        try:
            item = _import_one(engine, catalogue, root, path, request, day)
        except (OSError, MonitorError) as exc:  # one bad entry never stops the scan of the others
            report.left.append((path, f"导入失败：{exc}"))
            continue
        if item is not None:
            report.items.append(item)
    return report


def _import_one(
    engine: Engine, catalogue: Catalogue, root: Path, path: Path, request: ImportRequest, day: str
) -> InboxItem | None:
    """Claim, import and move one file; None when another scan claimed it first."""
    claimed = _claim(path)
    if claimed is None:
        return None
    name, folder = shown_name(path.name), path.parent.name
    if request.progress:
        request.progress(f"导入 {folder}/{name} …")
    load = import_project_file if folder == PROJECTS_FOLDER else import_file
    try:
        result = load(engine, catalogue, claimed, request, display_name=name)
    except BaseException:
        _unclaim(claimed, path)  # leave it where it was for the next scan
        raise
    department = folder
    if result.status is ImportStatus.REJECTED:
        moved = _move(claimed, root.parent / "rejected" / day, path.name)
        errors = write_error_report(result.issues, moved.with_name(moved.name + ".errors.csv"))
        return InboxItem(path, department, result, moved, errors)
    return InboxItem(path, department, result, _move(claimed, root.parent / "archive" / day, path.name))
