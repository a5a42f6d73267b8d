"""A department's reporting template: one prefilled row per indicator it leads, for one report month.

The template looks like the files departments already send (a title row above Chinese headers)
and `monitor import` reads it back unchanged once the figures are filled in. 错月 indicators
(lag_months = 1) ask for the period one month earlier; quarterly ones for the last quarter that
ends by the report month; weekly ones for the last full week of the month.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font

from monitor.domain.catalogue import Catalogue, Indicator, Measure
from monitor.domain.periods import Frequency, Period, evaluation_period
from monitor.errors import UsageError
from monitor.exports import append_rows, write_csv

__all__ = ["TEMPLATE_COLUMNS", "template_frame", "template_title", "write_template"]

TEMPLATE_COLUMNS = ["指标代码", "指标名称", "地区", "期别", "数值", "单位", "同比增长(%)", "备注"]
_WIDTHS = (24, 36, 12, 16, 14, 14, 14, 30)


def _period_text(period: Period, indicator: Indicator) -> str:
    """The 期别 as departments write it and the reader parses it back to the same period."""
    if period.frequency is Frequency.MONTHLY and indicator.measure not in (Measure.CUMULATIVE, Measure.RATE):
        return f"{period.year}年{period.number}月"  # balances, indices and prices are not year-to-date
    return period.label_zh(indicator.first_month)


def template_frame(catalogue: Catalogue, department: str, report_month: Period) -> pd.DataFrame:
    """The template's rows (TEMPLATE_COLUMNS), values left blank for the department to fill in."""
    if department not in catalogue.departments:
        raise UsageError(f"未知的责任单位代码“{department}”：应为 {'、'.join(catalogue.departments)} 之一")
    if report_month.frequency is not Frequency.MONTHLY:
        raise UsageError(f"--period “{report_month}” 须为月份，如 2021-05")
    led = catalogue.indicators_supplied_by(department)
    if not led:
        name = catalogue.departments[department].name
        raise UsageError(
            f"{name}不是任何指标的数据来源单位，没有需要报送的模板（monitor catalog show 可查看各指标的数据来源）"
        )
    region = catalogue.regions[catalogue.meta.default_region].name
    rows = []
    for indicator in led:
        period = evaluation_period(report_month, indicator.frequency, indicator.lag_months)
        rows.append(
            [indicator.code, indicator.name, region, _period_text(period, indicator), None, indicator.unit, None, None]
        )
    return pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)


def template_title(catalogue: Catalogue, department: str, report_month: Period) -> str:
    name = catalogue.departments[department].name
    return f"{catalogue.meta.title} · {name} {report_month.year}年{report_month.number}月报送表（错月指标填上月数据）"


def write_template(frame: pd.DataFrame, title: str, path: Path) -> Path:
    """Write the template as .xlsx (sheet 数据) or, for a .csv name, CSV UTF-8 with BOM; a title row on top."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        return write_csv(frame, path, title=title)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"模板文件名须以 .xlsx 或 .csv 结尾（收到 {path.name}）")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    append_rows(sheet, [[title]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_COLUMNS))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_rows(sheet, [TEMPLATE_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    append_rows(sheet, frame.itertuples(index=False))
    for column, width in zip("ABCDEFGH", _WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=3, min_col=4, max_col=4):
        for cell in cells:
            cell.number_format = "@"  # 期别 stays text: Excel must not turn 2021-05 into a date
    sheet.freeze_panes = "A3"
    book.save(path)
    return path
