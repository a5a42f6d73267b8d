"""A project register (项目库) → the projects of a year, with every problem as a row-by-row Issue. Pure.

One row per project: 项目编号, 项目名称, 年度, 级别 (省/市/区), 类别 (产业/基础设施/民生/城市更新), 性质
(新开工/续建/竣工/前期), 街道, 总投资, 年度计划投资 with an optional monthly plan (1月计划 … 12月计划,
which must add up to the annual plan), 计划开工/竣工, 挂钩区领导, 责任单位, 代办员.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitor.domain.projects.cells import Cells
from monitor.domain.projects.fields import CATEGORIES, FIELD_ZH, LEVELS, NATURES, REGISTER_REQUIRED
from monitor.domain.projects.table import ProjectTable
from monitor.domain.validation import label

__all__ = ["PROJECT_COLUMNS", "check_register", "resolve"]

PROJECT_COLUMNS = [
    "code",
    "year",
    "name",
    "level",
    "category",
    "nature",
    "street",
    "total_investment",
    "annual_plan",
    "monthly_plan",
    "start_planned",
    "finish_planned",
    "leader",
    "department",
    "agent",
]
PLAN_TOLERANCE = 0.01
"""The monthly plan must add up to the annual plan within this share."""


def resolve(text: str, names: Mapping[str, str]) -> str | None:
    """A code from a cell holding the code or the name (`names`: code -> name); None when unknown."""
    clean = label(text)
    if clean in names:
        return clean
    return next((code for code, name in names.items() if label(name) == clean), None)


def _missing(cells: Cells) -> bool:
    absent = [n for n in (*REGISTER_REQUIRED, "year") if n not in cells.table.frame]
    for name in absent:
        cells.add(
            None, "", "", "missing_column", f"缺少“{FIELD_ZH[name]}”列：请按 monitor projects template 的模板填写"
        )
    return bool(absent)


def _lookup_column(cells: Cells, name: str, names: Mapping[str, str], what: str, required: bool) -> list[str | None]:
    out: list[str | None] = []
    for row, text in zip(cells.rows, cells.text(name), strict=True):
        code = resolve(text, names) if text else None
        if text and code is None:
            cells.add(
                int(row),
                name,
                text,
                "unknown_" + what,
                f"未知的{cells.header(name)}“{text}”：应为 {'、'.join(names.values())} 之一",
            )
        elif not text and required:
            cells.add(int(row), name, "", "missing_value", f"{cells.header(name)}未填写")
        out.append(code)
    return out


def _monthly(cells: Cells, annual: np.ndarray) -> list[list[float] | None]:
    months = [cells.money(f"plan_{m:02d}", required=False) for m in range(1, 13)]
    if not any(f"plan_{m:02d}" in cells.table.frame for m in range(1, 13)):
        return [None] * len(annual)
    out: list[list[float] | None] = []
    for i, row in enumerate(cells.rows):
        plan = [0.0 if math.isnan(m[i]) else float(m[i]) for m in months]
        if all(math.isnan(m[i]) for m in months):
            out.append(None)
            continue
        total = sum(plan)
        if not math.isnan(annual[i]) and abs(total - annual[i]) > PLAN_TOLERANCE * max(annual[i], 1e-9):
            cells.add(
                int(row),
                "plan_01",
                f"{total:.4f}",
                "plan_mismatch",
                f"各月计划合计 {total:.2f} 亿元，与年度计划投资 {annual[i]:.2f} 亿元不符：请核对月度计划",
            )
        out.append(plan)
    return out


def _codes(cells: Cells) -> tuple[list[str], list[int | None]]:
    codes = cells.text("code")
    seen: dict[str, int] = {}
    for row, code in zip(cells.rows, codes, strict=True):
        if not code:
            cells.add(int(row), "code", "", "missing_value", "项目编号未填写")
        elif code in seen:
            cells.add(int(row), "code", code, "conflicting_duplicate", f"项目编号“{code}”与第 {seen[code]} 行重复")
        else:
            seen[code] = int(row)
    years: list[int | None] = []
    for row, text in zip(cells.rows, cells.text("year"), strict=True):
        digits = text.removesuffix("年")
        if not (digits.isdigit() and 2000 <= int(digits) <= 2100):
            cells.add(int(row), "year", text, "bad_period", f"年度“{text}”无效：请写作 2021")
            years.append(None)
        else:
            years.append(int(digits))
    return codes, years


def check_register(
    table: ProjectTable, departments: Mapping[str, str], streets: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(projects, issues): the register's projects (money in 亿元) and every problem, row by row."""
    blank = table.frame.drop(columns="row").apply(lambda c: c.map(label) == "").all(axis=1)
    table = ProjectTable(table.kind, table.frame[~blank].reset_index(drop=True), table.headers, table.units)
    cells = Cells(table)
    if _missing(cells):
        return pd.DataFrame(columns=PROJECT_COLUMNS), cells.frame()
    codes, years = _codes(cells)
    annual = cells.money("annual_plan", required=True)
    projects = pd.DataFrame(
        {
            "code": codes,
            "year": years,
            "name": cells.text("name"),
            "level": cells.choice("level", LEVELS, "级"),
            "category": cells.choice("category", CATEGORIES, "类"),
            "nature": cells.choice("nature", NATURES) if "nature" in table.frame else [""] * len(codes),
            "street": _lookup_column(cells, "street", streets, "region", False),
            "total_investment": cells.money("total_investment", required=False),
            "annual_plan": annual,
            "monthly_plan": _monthly(cells, annual),
            "start_planned": cells.days("start_planned"),
            "finish_planned": cells.days("finish_planned"),
            "leader": cells.text("leader"),
            "department": _lookup_column(cells, "department", departments, "department", True),
            "agent": cells.text("agent"),
        },
        columns=PROJECT_COLUMNS,
    )
    for row, name in zip(cells.rows, projects["name"], strict=True):
        if not name:
            cells.add(int(row), "name", "", "missing_value", "项目名称未填写")
    if projects.empty:
        cells.add(None, "", "", "empty_file", "文件中没有任何项目：请填写后再发送")
    return projects, cells.frame()
