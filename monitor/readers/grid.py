"""Any CSV or XLSX file as a grid of text cells (every row, every column), for readers with their own headers.

The department reader (`layout.py`) reads its own canonical table; project registers and weekly
reports have other columns, so they start from the grid and map headers in `readers/projects.py`.
Encodings, delimiters and workbook handling are those of the department files.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from monitor.errors import ReadError
from monitor.readers.csv_file import check_size
from monitor.readers.encoding import check_text
from monitor.readers.layout import HEADER_SCAN
from monitor.readers.limits import ReadLimits
from monitor.readers.xlsx_file import cell_text, sheet_grid

__all__ = ["read_grid"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _day_text(value: Any) -> str:
    """Cells as text, dates to the day (2021-03-15): registers carry 计划开工 dates."""
    if isinstance(value, datetime | date):
        return f"{value.year}-{value.month:02d}-{value.day:02d}"
    return cell_text(value)


def _csv_grid(data: bytes) -> list[list[str]]:
    text = data.decode(check_text(data))
    best: list[list[str]] = []
    for delimiter in (",", "\t", ";"):
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:
            raise ReadError("unreadable_file", f"CSV 格式有误（{exc}）：请用 Excel 打开并重新保存为 CSV") from None
        if max((len(r) for r in rows), default=0) > max((len(r) for r in best), default=0):
            best = rows
    return best


def read_grid(data: bytes, limits: ReadLimits | None = None) -> list[list[str]]:
    """Every row of the file as text cells, trailing blank rows dropped; ReadError when it is no table
    or passes the limits (the same as for department files)."""
    limits = limits or ReadLimits()
    if not data:
        raise ReadError("empty_file", "文件是空的（0 字节）：请填写数据后再发送")
    if data.startswith(_OLE):
        raise ReadError(
            "unreadable_file", "这是旧版 Excel（.xls）文件：请另存为 Excel 工作簿（.xlsx）或 CSV UTF-8 后重新发送"
        )
    if data.startswith(_ZIP):
        grid = sheet_grid(data, _day_text, limits)
    else:
        check_size(data, limits)
        grid = _csv_grid(data)
        if len(grid) > limits.max_rows + HEADER_SCAN:
            raise limits.too_many_rows(limits.max_rows)
    while grid and not any(c.strip() for c in grid[-1]):
        grid.pop()
    if not grid:
        raise ReadError("empty_file", "文件中没有任何内容：请填写数据后再发送")
    width = max(len(r) for r in grid)
    return [list(r) + [""] * (width - len(r)) for r in grid]
