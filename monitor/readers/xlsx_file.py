"""Excel workbooks (.xlsx): the sheet named 数据, or the first sheet, as text cells.

Cells are read as Excel shows them (cached formula results). A formula Excel never calculated
(a generated workbook nobody opened) has no result: it is passed on as its formula text, so
validation reports it instead of the figure silently disappearing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import openpyxl
import pandas as pd

from monitor.domain.validation import RawTable
from monitor.errors import ReadError
from monitor.readers.layout import HEADER_SCAN, build_table, find_header

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


def sheet_grid(data: bytes, text: Callable[[Any], str] = cell_text) -> list[list[str]]:
    """The data sheet as rows of text cells (`text` turns a cell value into text)."""
    workbook = _open(data, data_only=True)
    try:
        values = [list(row) for row in _sheet(workbook).iter_rows(min_row=1, values_only=True)]
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


def read_xlsx_table(data: bytes) -> RawTable:
    """The RawTable of a workbook's data sheet; ReadError when it is damaged, empty or has no header."""
    grid = sheet_grid(data)
    while grid and not any(c.strip() for c in grid[-1]):
        grid.pop()
    if not grid:
        raise ReadError("empty_file", "工作表是空的：请把数据放在第一个工作表或名为“数据”的工作表中")
    match = find_header(grid[:HEADER_SCAN])
    body = grid[match.index + 1 :]
    frame = pd.DataFrame({c: [r[c] for r in body] for c in match.columns}, columns=match.columns, dtype=object)
    return build_table(match, frame, first_row=match.index + 2)
