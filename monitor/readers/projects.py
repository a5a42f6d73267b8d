"""Project registers (项目库) and weekly reports (周报) as a `ProjectTable`: header row, aliases, money units.

The header is the first of the top rows that names a project code column and a plan or progress
column; title rows and a "单位：万元" line above it are skipped (the line gives the money unit of
columns whose header does not, e.g. 总投资 under 单位：万元; 总投资（亿元） carries its own).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from monitor.domain.projects.fields import REGISTER_ALIASES, WEEKLY_ALIASES
from monitor.domain.projects.table import ProjectTable
from monitor.domain.units import normalise_unit
from monitor.domain.validation import label
from monitor.errors import ReadError
from monitor.readers.grid import read_grid
from monitor.readers.layout import HEADER_SCAN
from monitor.readers.limits import ReadLimits

__all__ = ["read_project_table"]

_SUFFIX = re.compile(r"^(.*?)[(\[【](.*)[)\]】]$")
_FILE_UNIT = re.compile(r"^(?:计量)?单位[:：](.+)$")
_MONEY_UNITS = ("元", "万元", "亿元")


def _lookup(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {label(a).lower(): name for name, names in aliases.items() for a in names}


_KINDS = {"register": _lookup(REGISTER_ALIASES), "weekly": _lookup(WEEKLY_ALIASES)}


def _field(cell: str, lookup: Mapping[str, str]) -> tuple[str | None, str | None]:
    clean = label(cell).lower()
    if clean in lookup:
        return lookup[clean], None
    found = _SUFFIX.match(clean)
    if found and found.group(1) in lookup:
        unit = normalise_unit(found.group(2))
        return lookup[found.group(1)], unit if unit in _MONEY_UNITS else None
    return None, None


def _match(cells: Sequence[str], kind: str) -> tuple[dict[str, int], dict[str, str], dict[str, str]] | None:
    fields: dict[str, int] = {}
    headers: dict[str, str] = {}
    units: dict[str, str] = {}
    for position, cell in enumerate(cells):
        name, unit = _field(cell, _KINDS[kind])
        if name is None or name in fields:
            continue
        fields[name], headers[name] = position, cell.strip()
        if unit:
            units[name] = unit
    marker = "annual_plan" if kind == "register" else "cumulative"
    return (fields, headers, units) if "code" in fields and marker in fields else None


def read_project_table(data: bytes, limits: ReadLimits | None = None) -> ProjectTable:
    """The register or weekly table in a file's bytes; ReadError when it is neither or passes the limits."""
    grid = read_grid(data, limits)
    file_unit: str | None = None
    for index, cells in enumerate(grid[:HEADER_SCAN]):
        for kind in ("weekly", "register"):
            found = _match(cells, kind)
            if found is None:
                continue
            fields, headers, units = found
            if file_unit:
                units = {f: units.get(f, file_unit) for f in fields}
            body = grid[index + 1 :]
            frame = pd.DataFrame({f: [r[p].strip() for r in body] for f, p in fields.items()}, dtype=object)
            frame.insert(0, "row", range(index + 2, index + 2 + len(body)))
            return ProjectTable(kind, frame, headers, units)
        for cell in cells:
            unit = _FILE_UNIT.match(label(cell))
            if unit and normalise_unit(unit.group(1)) in _MONEY_UNITS:
                file_unit = normalise_unit(unit.group(1))
    raise ReadError(
        "missing_column",
        f"在前 {HEADER_SCAN} 行中找不到项目表的表头：项目库须含“项目编号”和“年度计划投资”列，"
        "周报须含“项目编号”“周次”“本周完成投资”和“累计完成投资”列（monitor projects template 可生成模板）",
    )
