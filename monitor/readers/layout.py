"""Where the table starts and what its columns mean: header-row search, column aliases, wide layout.

Departments put a title (and often "单位：万元") above the header, write headers in Chinese or
English, full- or half-width, with the unit inside (数值(万元)), and sometimes lay figures out
wide: one row per indicator, one column per period. This module maps all of that onto the
canonical fields of `monitor.domain.validation.table`, leaving the cells' meaning to validation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitor.domain.periods import parse_period
from monitor.domain.units import is_known, normalise_unit
from monitor.domain.validation import FIELD_ZH, RawTable, label
from monitor.errors import PeriodError, ReadError

__all__ = ["HEADER_SCAN", "HeaderMatch", "build_table", "find_header", "header_field"]

HEADER_SCAN = 30
"""The header must be within this many rows from the top (title rows above it are skipped)."""

_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indicator_code", "code", "指标代码", "代码"),
    "indicator_name": ("indicator_name", "name", "指标名称", "指标", "名称", "指标名"),
    "region": ("region", "region_code", "地区代码"),
    "region_name": ("region_name", "地区", "地区名称", "区域"),
    "period": ("period", "期别", "时期", "报告期", "统计期", "时间"),
    "value": ("value", "数值", "累计值", "本期值", "期末余额", "本年累计", "累计"),
    "unit": ("unit", "单位", "计量单位"),
    "yoy": (
        "yoy",
        "同比增长",
        "同比",
        "增速",
        "累计增速",
        "同比增速",
        "同比增长率",
        "同比增减",
        "比上年同期增长",
        "比上年同期增减",
        "比上年同期增长率",
        "增幅",
    ),
    "note": ("note", "备注", "说明"),
}
_LOOKUP = {alias.lower(): name for name, aliases in _ALIASES.items() for alias in aliases}
_SECONDARY = {"indicator": "indicator_name", "region": "region_name"}
_PRIMARY = {v: k for k, v in _SECONDARY.items()}
_SUFFIX = re.compile(r"^(.*?)[(\[【](.*)[)\]】]$")
_FILE_UNIT = re.compile(r"^(?:计量)?单位[:：](.+)$")


def header_field(text: str) -> tuple[str | None, str | None]:
    """(canonical field, unit written inside the header) for a header cell; (None, None) when unknown.

    "同比增长(%)" -> yoy; "数值（万元）" -> value with unit 万元; "Value" -> value.
    """
    clean = label(text).lower()
    if not clean:
        return None, None
    if clean in _LOOKUP:
        return _LOOKUP[clean], None
    bare = clean.rstrip("%")
    if bare != clean and bare in _LOOKUP:
        return _LOOKUP[bare], None
    found = _SUFFIX.match(clean)
    if found and found.group(1) in _LOOKUP:
        name, inside = _LOOKUP[found.group(1)], normalise_unit(found.group(2))
        return name, inside if inside and inside != "%" and is_known(inside) else None
    return None, None


def _is_period_header(text: str) -> bool:
    if not any(ch.isdigit() for ch in text):
        return False
    try:
        parse_period(text)
    except PeriodError:
        return False
    return True


@dataclass
class HeaderMatch:
    """The header row (0-based index in the rows scanned) and what each of its columns holds."""

    index: int
    fields: dict[str, int] = field(default_factory=dict)  # field -> column position
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written
    periods: dict[int, str] = field(default_factory=dict)  # wide layout: column position -> header
    value_unit: str | None = None
    width: int = 0

    @property
    def layout(self) -> str:
        wide = not ({"value", "yoy", "period"} & set(self.fields)) and bool(self.periods)
        return "wide" if wide else "long"

    @property
    def columns(self) -> list[int]:
        """Column positions to read from the data rows, in order."""
        keep = set(self.fields.values()) | (set(self.periods) if self.layout == "wide" else set())
        return sorted(keep)


def _match_row(cells: Sequence[str], index: int) -> HeaderMatch | None:
    match = HeaderMatch(index, width=len(cells))
    for position, cell in enumerate(cells):
        name, unit = header_field(cell)
        if name is None:
            if cell.strip() and _is_period_header(cell):
                match.periods[position] = cell.strip()
            continue
        if name in _PRIMARY and _PRIMARY[name] not in match.fields:
            name = _PRIMARY[name]  # a name column alone serves as the indicator (region) column
        elif name in _SECONDARY and name in match.fields and _SECONDARY[name] not in match.fields:
            match.fields[_SECONDARY[name]] = match.fields.pop(name)  # 指标 then 指标代码: the code leads
            match.headers[_SECONDARY[name]] = match.headers.pop(name)
        if name in match.fields:
            raise ReadError(
                "ambiguous_column",
                f"第 {index + 1} 行表头中“{match.headers[name]}”和“{cell.strip()}”都表示{FIELD_ZH[name]}："
                "请删去或改名其中一列，使每种内容只有一列",
                cell.strip(),
            )
        match.fields[name] = position
        match.headers[name] = cell.strip()
        if name == "value" and unit:
            match.value_unit = unit
    has_indicator = "indicator" in match.fields
    if has_indicator and (len(match.fields) >= 2 or match.periods):
        return match
    return None


def find_header(rows: Sequence[Sequence[str]]) -> HeaderMatch:
    """The first of the top HEADER_SCAN rows that names an indicator column and at least one more.

    A "单位：万元" line above the header gives the unit of the values when the header has none.
    Raises ReadError("missing_column") when no row qualifies.
    """
    file_unit: str | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN]):
        match = _match_row(cells, index)
        if match is not None:
            match.value_unit = match.value_unit or file_unit
            return match
        for cell in cells:
            found = _FILE_UNIT.match(label(cell))
            if found and is_known(found.group(1)):
                file_unit = normalise_unit(found.group(1))
    raise ReadError(
        "missing_column",
        f"在前 {HEADER_SCAN} 行中找不到表头：请在数据上方加一行表头，含“指标代码”或“指标名称”、“期别”和“数值”"
        "（或“同比增长(%)”）；宽表则为“指标”列加每期一列（如 2021年1-5月）",
    )


def build_table(match: HeaderMatch, data: pd.DataFrame, first_row: int) -> RawTable:
    """The RawTable of the data rows below the header; `data` columns are column positions (text cells).

    `first_row` is the spreadsheet row number of data's first row.
    """
    rows = np.arange(first_row, first_row + len(data), dtype=np.int64)
    columns: dict[str, object] = {"row": rows}
    for name, position in match.fields.items():
        columns[name] = data[position] if position in data else pd.Series([""] * len(data), dtype=object)
    frame = pd.DataFrame(columns)
    if match.layout == "long":
        return RawTable(frame.reset_index(drop=True), dict(match.headers), "long", match.value_unit)
    parts = []
    for position, header in match.periods.items():
        part = frame.copy()
        part["column"] = header
        part["period"] = header
        part["value"] = data[position].to_numpy(dtype=object) if position in data else ""
        parts.append(part)
    wide = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
    headers = dict(match.headers) | {"period": "期别（表头）", "value": "数值"}
    return RawTable(wide, headers, "wide", match.value_unit)
