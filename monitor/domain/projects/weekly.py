"""A weekly report (周报) → each project's progress for an ISO week and the new problems it raises. Pure.

Hard errors reject the whole file (the service writes nothing): an unknown 项目编号, a negative
本周完成投资, a 累计完成投资 below the same project's previous week (stored or earlier in the file),
a week in the future, a project twice for one week, a problem without one of the six categories.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

import pandas as pd

from monitor.domain.periods import Frequency, Period, parse_period
from monitor.domain.projects.cells import Cells
from monitor.domain.projects.fields import FIELD_ZH, PROBLEM_CATEGORIES, WEEKLY_REQUIRED
from monitor.domain.projects.register import resolve
from monitor.domain.projects.table import ProjectTable
from monitor.domain.validation import label
from monitor.errors import PeriodError

__all__ = ["PROBLEM_COLUMNS", "PROGRESS_COLUMNS", "WeeklyChecked", "check_weekly"]

PROGRESS_COLUMNS = [
    "code",
    "year",
    "week",
    "week_end",
    "weekly",
    "cumulative",
    "image",
    "start_actual",
    "finish_actual",
]
PROBLEM_COLUMNS = ["code", "category", "description", "department", "raised_on", "due_on", "row"]


class WeeklyChecked:
    """What a weekly file holds once checked: progress rows, new problems, and every issue."""

    def __init__(self, progress: pd.DataFrame, problems: pd.DataFrame, issues: pd.DataFrame):
        self.progress, self.problems, self.issues = progress, problems, issues

    @property
    def has_errors(self) -> bool:
        return bool(len(self.issues))


def _weeks(cells: Cells, today: date) -> list[Period | None]:
    out: list[Period | None] = []
    for row, text in zip(cells.rows, cells.text("week"), strict=True):
        try:
            period = parse_period(text)
            if period.frequency is not Frequency.WEEKLY:
                raise PeriodError("不是周")
        except PeriodError:
            cells.add(int(row), "week", text, "bad_period", f"周次“{text}”无效：请写作 2021-W26 或 2021年第26周")
            out.append(None)
            continue
        if period.start_date() > today:
            cells.add(int(row), "week", text, "future_period", f"{period.label_zh()}尚未开始：不能报送未来的周报")
        out.append(period)
    return out


def _check_cumulative(cells: Cells, frame: pd.DataFrame, previous: pd.DataFrame) -> None:
    """累计 may not fall below the project's latest earlier week (stored, or earlier in this file)."""
    stored: dict[tuple[str, int], list[tuple[int, float]]] = {(r.code, int(r.year)): [] for r in previous.itertuples()}
    for r in previous.itertuples():
        stored[(r.code, int(r.year))].append((int(r.week), float(r.cumulative)))
    order = frame.dropna(subset=["week"]).sort_values(["code", "year", "week"], kind="stable")
    for r in order.itertuples():
        if math.isnan(r.cumulative):
            continue
        earlier = [(w, c) for w, c in stored.get((r.code, int(r.year)), []) if w < r.week]
        if earlier:
            week, value = max(earlier)
            if r.cumulative < value - 1e-9:
                cells.add(
                    int(r.row),
                    "cumulative",
                    cells.text("cumulative")[r.Index],
                    "cumulative_below_previous",
                    f"累计完成投资 {r.cumulative:.4f} 亿元低于第 {week} 周的 {value:.4f} 亿元：累计数不能减少，请核对",
                )
        stored.setdefault((r.code, int(r.year)), []).append((int(r.week), float(r.cumulative)))


def _problems(
    cells: Cells, frame: pd.DataFrame, departments: Mapping[str, str], project_departments: Mapping[str, str]
) -> pd.DataFrame:
    texts, kinds = cells.text("problem"), cells.text("problem_category")
    owners, dues = cells.text("problem_department"), cells.days("problem_due")
    rows = []
    for i, row in enumerate(cells.rows):
        if not texts[i]:
            continue
        if kinds[i] not in PROBLEM_CATEGORIES:
            cells.add(
                int(row),
                "problem_category",
                kinds[i],
                "bad_choice",
                f"问题类别“{kinds[i]}”无效：应为 {'、'.join(PROBLEM_CATEGORIES)} 之一",
            )
        owner = resolve(owners[i], departments) if owners[i] else project_departments.get(frame["code"][i])
        if owners[i] and owner is None:
            cells.add(
                int(row),
                "problem_department",
                owners[i],
                "unknown_department",
                f"未知的责任单位“{owners[i]}”：应为 {'、'.join(departments.values())} 之一",
            )
        week = frame["week_end"][i]
        rows.append([frame["code"][i], kinds[i], texts[i], owner, week, dues[i], int(row)])
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def check_weekly(
    table: ProjectTable,
    projects: Mapping[tuple[str, int], str],
    previous: pd.DataFrame,
    *,
    today: date,
    departments: Mapping[str, str],
) -> WeeklyChecked:
    """Check a weekly file against the register (`projects`: (code, year) -> lead department) and the
    stored progress (`previous`: code, year, week, cumulative); money in 亿元."""
    blank = table.frame.drop(columns="row").apply(lambda c: c.map(label) == "").all(axis=1)
    table = ProjectTable(table.kind, table.frame[~blank].reset_index(drop=True), table.headers, table.units)
    cells = Cells(table)
    absent = [n for n in WEEKLY_REQUIRED if n not in table.frame]
    for name in absent:
        cells.add(
            None, "", "", "missing_column", f"缺少“{FIELD_ZH[name]}”列：请按 monitor projects template 的模板填写"
        )
    if absent:
        return WeeklyChecked(
            pd.DataFrame(columns=PROGRESS_COLUMNS), pd.DataFrame(columns=PROBLEM_COLUMNS), cells.frame()
        )
    weeks = _weeks(cells, today)
    codes = cells.text("code")
    frame = pd.DataFrame(
        {
            "row": cells.rows,
            "code": codes,
            "year": [w.year if w else None for w in weeks],
            "week": [w.number if w else None for w in weeks],
            "week_end": [w.end_date() if w else None for w in weeks],
            "weekly": cells.money("weekly", required=True),
            "cumulative": cells.money("cumulative", required=True),
            "image": cells.text("image"),
            "start_actual": cells.days("start_actual"),
            "finish_actual": cells.days("finish_actual"),
        }
    )
    seen: dict[tuple[str, int | None, int | None], int] = {}
    for r in frame.itertuples():
        if r.year is not None and (r.code, int(r.year)) not in projects:
            cells.add(
                int(r.row),
                "code",
                r.code,
                "unknown_project",
                f"项目编号“{r.code}”不在 {int(r.year)} 年的项目库中：请核对编号，或先导入项目库",
            )
        key = (r.code, r.year, r.week)
        if r.week is not None and key in seen:
            cells.add(
                int(r.row),
                "code",
                r.code,
                "conflicting_duplicate",
                f"项目“{r.code}”第 {int(r.week)} 周已在第 {seen[key]} 行报送",
            )
        seen.setdefault(key, int(r.row))
        for day_field in ("start_actual", "finish_actual"):
            day = getattr(r, day_field)
            if day is not None and day > today:
                cells.add(int(r.row), day_field, str(day), "future_period", f"{cells.header(day_field)} {day} 晚于今天")
    _check_cumulative(cells, frame, previous)
    lead = {code: dept for (code, _year), dept in projects.items()}
    problems = _problems(cells, frame, departments, lead)
    return WeeklyChecked(frame[PROGRESS_COLUMNS], problems, cells.frame())
