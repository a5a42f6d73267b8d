"""The one rule for every CSV and XLSX the product writes: no cell is ever a live formula.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run by Excel,
WPS or LibreOffice as a formula (CSV injection: `=HYPERLINK(...)` in a file name or a note).
In CSV such text gets the usual leading apostrophe; in XLSX it is written as a string cell, which
no spreadsheet evaluates, and keeps its text unchanged. Numbers stay numbers in both.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

__all__ = [
    "FORMULA_STARTS",
    "append_rows",
    "csv_text",
    "is_formula_like",
    "report_xlsx_bytes",
    "safe_csv_cell",
    "write_csv",
    "write_xlsx",
    "xlsx_bytes",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def safe_csv_cell(value: object) -> object:
    """A CSV cell: text that a spreadsheet would run gets a leading apostrophe; numbers pass unchanged."""
    if _blank(value):
        return ""
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return value


def csv_text(frame: pd.DataFrame, *, title: str | None = None) -> str:
    """The frame as CSV text (headers included) under the export rule; an optional title row on top."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # CRLF as Excel writes it; a CR inside a cell is quoted
    if title is not None:
        writer.writerow([safe_csv_cell(title)])
    writer.writerow([safe_csv_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([safe_csv_cell(v) for v in row])
    return out.getvalue()


def write_csv(frame: pd.DataFrame, path: Path, *, title: str | None = None) -> Path:
    """CSV UTF-8 with a BOM (Excel on a Chinese Windows then opens it correctly)."""
    path.write_text(csv_text(frame, title=title), encoding="utf-8-sig", newline="")
    return path


def _cell_value(value: object) -> object:
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def append_rows(sheet: Any, rows: Iterable[Sequence[object]]) -> None:
    """Append rows to an openpyxl sheet; text that looks like a formula is kept as a string cell."""
    for row in rows:
        sheet.append([_cell_value(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl makes every "=..." text a formula
                cell.data_type = "s"


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame], *, widths: Mapping[str, Sequence[float]] | None = None) -> bytes:
    """A workbook with one sheet per frame (header row first), under the export rule."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name)
        append_rows(sheet, [[str(c) for c in frame.columns]])
        append_rows(sheet, frame.itertuples(index=False))
        for j, width in enumerate((widths or {}).get(name, ()), start=1):
            sheet.column_dimensions[get_column_letter(j)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_xlsx_bytes(
    sheet_name: str,
    frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    formats: Mapping[str, str | Sequence[str]] | None = None,
    widths: Sequence[float] = (),
) -> bytes:
    """A formatted one-sheet report under the export rule: a title row, a period row, the header frozen.

    `formats` gives a column's number format, one for the whole column or one per row (a column of
    figures in different units); numbers stay numbers, text that looks like a formula stays text.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    append_rows(sheet, [[title], [subtitle], [str(c) for c in frame.columns]])
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    append_rows(sheet, frame.itertuples(index=False))
    for j, column in enumerate(frame.columns, start=1):
        spec = (formats or {}).get(str(column))
        if spec is None:
            continue
        per_row = [spec] * len(frame) if isinstance(spec, str) else list(spec)
        for i, number_format in enumerate(per_row, start=4):
            sheet.cell(row=i, column=j).number_format = number_format
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = width
    sheet.freeze_panes = "B4"  # header rows and the 指标 column stay in view
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame], path: Path, *, widths: Mapping[str, Sequence[float]] | None = None
) -> Path:
    path.write_bytes(xlsx_bytes(sheets, widths=widths))
    return path
