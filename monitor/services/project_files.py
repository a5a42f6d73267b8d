"""Files the project commands write: the weekly template with the register's projects filled in, and the
pace table as CSV (UTF-8 with BOM) or XLSX. Every text cell is formula-safe."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Font

from monitor.domain.periods import Period
from monitor.errors import UsageError
from monitor.exports import append_rows, write_csv

__all__ = ["REGISTER_TEMPLATE_COLUMNS", "WEEKLY_TEMPLATE_COLUMNS", "weekly_template_rows", "write_sheet"]

WEEKLY_TEMPLATE_COLUMNS = [
    "项目编号",
    "项目名称",
    "周次",
    "本周完成投资(万元)",
    "累计完成投资(万元)",
    "形象进度",
    "实际开工日期",
    "实际竣工日期",
    "存在问题",
    "问题类别",
    "问题责任单位",
    "办结时限",
]


REGISTER_TEMPLATE_COLUMNS = [
    "项目编号",
    "项目名称",
    "年度",
    "级别",
    "类别",
    "性质",
    "街道",
    "总投资(万元)",
    "年度计划投资(万元)",
    "计划开工",
    "计划竣工",
    "挂钩区领导",
    "责任单位",
    "代办员",
    *(f"{m}月计划(万元)" for m in range(1, 13)),
]
"""The register's columns; the monthly plan may be left blank (序时 is then linear)."""


def weekly_template_rows(projects: pd.DataFrame, week: Period) -> list[list[Any]]:
    """One row per registered project of the week's year: code, name and week filled in, the rest blank."""
    year = projects[projects["year"] == week.year]
    return [[r.code, r.name, str(week)] + [""] * (len(WEEKLY_TEMPLATE_COLUMNS) - 3) for r in year.itertuples()]


def write_sheet(path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """A title row, the header and the rows, as .xlsx (sheet 数据) or .csv (UTF-8 with BOM), under the
    one export rule of `monitor.exports` (no cell is ever a live formula)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        return write_csv(pd.DataFrame(list(rows), columns=list(headers)), path, title=title)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"文件名须以 .xlsx 或 .csv 结尾（收到 {path.name}）")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    append_rows(sheet, [[title], list(headers)])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    append_rows(sheet, rows)
    book.save(path)
    return path
