"""Excel workbooks (.xlsx): the sheet named 数据, or the first sheet, as text cells.

Cells are read as Excel shows them (cached formula results). A formula Excel never calculated
(a generated workbook nobody opened) has no result: it is passed on as its formula text, so
validation reports it instead of the figure silently disappearing.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any
from zlib import error as zlib_error

import openpyxl
import pandas as pd

from monitor.domain.validation import RawTable
from monitor.errors import ReadError
from monitor.readers.layout import HEADER_SCAN, build_table, find_header
from monitor.readers.limits import MIB, Deadline, ReadLimits

__all__ = ["DATA_SHEET", "cell_text", "read_xlsx_table", "sheet_grid"]

DATA_SHEET = "数据"


def cell_text(value: Any) -> str:
    """A cell as text: numbers exactly (repr), dates as the month they fall in (a period), blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return f"{value.year}-{value.month:02d}"
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _open(data: bytes, data_only: bool) -> Any:
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged or foreign zip
        raise ReadError(
            "unreadable_file",
            f"无法打开 Excel 文件（{type(exc).__name__}）：文件可能已损坏或不是 .xlsx 工作簿；"
            "请用 Excel 打开后另存为 .xlsx 或 CSV UTF-8 再发送",
        ) from None


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:([A-Z]+)(\d+)"')
_CHUNK = 4 * MIB


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + (c - 64)
    return n


def _inspect_zip(data: bytes, limits: ReadLimits, deadline: Deadline) -> tuple[tuple[str, str], ...]:
    """Refuse, before any XML is parsed, a workbook that inflates or counts past the limits.

    The zip directory gives each part's inflated size; each sheet is then streamed once to count
    its rows (stopping as soon as there are too many). Returns the file-level notices (links, macros).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return ()  # not a readable zip: openpyxl reports it as unreadable
    with archive:
        infos = archive.infolist()
        parts = [i for i in infos if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml"]
        inflated = sum(i.file_size for i in parts)
        if inflated > limits.max_uncompressed_bytes:
            raise ReadError(
                "too_large",
                f"工作簿解压后有 {inflated / MIB:,.0f} MB，超过 {limits.max_uncompressed_bytes / MIB:,.0f} MB 的上限"
                "（可能是异常的压缩文件）：请另存为 CSV UTF-8，或拆分成几个文件后分别发送",
            )
        for info in parts:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _count_rows(archive, info, limits, deadline)
        return _notices({i.filename for i in infos}, archive)


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ReadLimits, deadline: Deadline) -> None:
    rows, tail = 0, b""
    try:
        with archive.open(info) as stream:
            first = True
            while chunk := stream.read(_CHUNK):
                block = tail + chunk
                if first:
                    _check_dimension(block[:4096], limits)
                    first = False
                rows += len(_ROW.findall(block, 0, len(block) - 16 if len(chunk) == _CHUNK else len(block)))
                tail = block[-16:] if len(chunk) == _CHUNK else b""
                if rows > limits.max_rows + HEADER_SCAN:
                    raise limits.too_many_rows(limits.max_rows)
                deadline.check()
    except (zipfile.BadZipFile, OSError, EOFError, zlib_error):
        return  # damaged: openpyxl reports it as unreadable


def _check_dimension(head: bytes, limits: ReadLimits) -> None:
    """The sheet's own <dimension ref="A1:H1000001"/>, when present, refuses a huge sheet at once."""
    found = _DIMENSION.search(head)
    if found is None:
        return
    columns, rows = _column_number(found.group(1)), int(found.group(2))
    if rows > limits.max_rows + HEADER_SCAN:
        raise limits.too_many_rows(limits.max_rows)
    if columns > limits.max_columns:
        raise limits.too_many_columns(columns)


def _notices(names: set[str], archive: zipfile.ZipFile) -> tuple[tuple[str, str], ...]:
    notices = []
    if any(n.startswith("xl/externalLinks/") for n in names):
        notices.append(
            (
                "external_links",
                "工作簿含有指向其他文件的外部链接：导入的是 Excel 最后一次保存时显示的数值，可能已过期；"
                "请在 Excel 中“断开链接”（数据 → 编辑链接）后重新保存",
            )
        )
    content_types = b""
    if "[Content_Types].xml" in names:
        with contextlib.suppress(KeyError, OSError, zipfile.BadZipFile):
            content_types = archive.read("[Content_Types].xml")[: 1 * MIB]
    if any(n.endswith("vbaProject.bin") for n in names) or b"macroEnabled" in content_types:
        notices.append(
            (
                "macros",
                "工作簿含有宏（可能是改名为 .xlsx 的 .xlsm 文件）：宏不会被运行，只导入单元格数值；"
                "请另存为不含宏的 Excel 工作簿（.xlsx）",
            )
        )
    return tuple(notices)


def _has_formulas(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            return any(re.search(rb"<(?:\w+:)?f[ >]", archive.read(n)) for n in sheets)
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _sheet(workbook: Any) -> Any:
    if DATA_SHEET in workbook.sheetnames:
        return workbook[DATA_SHEET]
    if not workbook.worksheets:
        raise ReadError("empty_file", "工作簿中没有工作表：请把数据放在第一个工作表或名为“数据”的工作表中")
    return workbook.worksheets[0]


def _rows(sheet: Any, limits: ReadLimits, deadline: Deadline) -> list[list[Any]]:
    """The sheet's rows, refused as soon as they pass the row or column limit."""
    values: list[list[Any]] = []
    for row in sheet.iter_rows(min_row=1, values_only=True):
        if len(row) > limits.max_columns:
            raise limits.too_many_columns(len(row))
        values.append(list(row))
        if len(values) % 5000 == 0:
            if len(values) > limits.max_rows + HEADER_SCAN:
                raise limits.too_many_rows(limits.max_rows)
            deadline.check()
    if len(values) > limits.max_rows + HEADER_SCAN:
        raise limits.too_many_rows(limits.max_rows)
    return values


def sheet_grid(
    data: bytes, text: Callable[[Any], str] = cell_text, limits: ReadLimits | None = None
) -> list[list[str]]:
    """The data sheet as rows of text cells (`text` turns a cell value into text), within `limits`."""
    limits = limits or ReadLimits()
    deadline = Deadline(limits.max_seconds)
    _inspect_zip(data, limits, deadline)
    return _grid(data, limits, deadline, text)


def _grid(data: bytes, limits: ReadLimits, deadline: Deadline, text: Callable[[Any], str]) -> list[list[str]]:
    workbook = _open(data, data_only=True)
    try:
        values = _rows(_sheet(workbook), limits, deadline)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a damaged sheet is the file's, not ours
        raise ReadError(
            "unreadable_file", f"读取 Excel 工作表出错（{type(exc).__name__}）：请用 Excel 打开后重新保存"
        ) from None
    finally:
        workbook.close()
    if _has_formulas(data):
        formulas = _open(data, data_only=False)
        try:
            for row, source in zip(values, _sheet(formulas).iter_rows(min_row=1, values_only=True), strict=False):
                for j, (cached, written) in enumerate(zip(row, source, strict=False)):
                    if cached is None and isinstance(written, str) and written.startswith("="):
                        row[j] = written
        finally:
            formulas.close()
    width = max((len(r) for r in values), default=0)
    return [[text(v) for v in row] + [""] * (width - len(row)) for row in values]


def read_xlsx_table(data: bytes, limits: ReadLimits | None = None, deadline: Deadline | None = None) -> RawTable:
    """The RawTable of a workbook's data sheet; ReadError when it is damaged, empty, too large or has no header."""
    limits = limits or ReadLimits()
    deadline = deadline or Deadline(limits.max_seconds)
    notices = _inspect_zip(data, limits, deadline)
    grid = _grid(data, limits, deadline, cell_text)
    while grid and not any(c.strip() for c in grid[-1]):
        grid.pop()
    if not grid:
        raise ReadError("empty_file", "工作表是空的：请把数据放在第一个工作表或名为“数据”的工作表中")
    match = find_header(grid[:HEADER_SCAN])
    body = grid[match.index + 1 :]
    if len(body) > limits.max_rows:
        raise limits.too_many_rows(limits.max_rows)
    frame = pd.DataFrame({c: [r[c] for r in body] for c in match.columns}, columns=match.columns, dtype=object)
    return replace(build_table(match, frame, first_row=match.index + 2), notices=notices)
