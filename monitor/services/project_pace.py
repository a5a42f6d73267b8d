"""重点项目 pace reports: read the register, weekly progress and open problems, run the pure pace, and
shape it for the CLI, the board and the digest (rows, subtotals, 开工率, the indicator reconciliation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Frequency, Period, parse_period
from monitor.domain.projects import project_pace, start_rate, subtotals
from monitor.errors import PeriodError, UsageError
from monitor.formatting import text_table
from monitor.storage.observations import read_figures
from monitor.storage.projects import current_progress, load_problems, load_projects

__all__ = [
    "GROUPINGS",
    "INDICATOR",
    "ProjectPace",
    "pace_json_rows",
    "pace_table",
    "parse_project_period",
    "project_pace_report",
]

INDICATOR = "key_project_investment"
"""The aggregate indicator 区级重点项目完成投资 the district's 区级 total reconciles with."""

GROUPINGS = {"level": "级别", "category": "类别", "department": "责任单位", "street": "街道"}
STATUS_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "灰"}
OPEN_STATES = ("submitted", "coordinated")


def parse_project_period(text: str) -> Period:
    """`--period` of the project commands: a month (2021-06) or an ISO week (2021-W26)."""
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise UsageError(f"--period “{text}” 无效：{exc}") from None
    if period.frequency not in (Frequency.MONTHLY, Frequency.WEEKLY):
        raise UsageError(f"--period “{text}” 须为月份（2021-06）或周（2021-W26）")
    return period


@dataclass(frozen=True)
class ProjectPace:
    """A pace report of one period: the rows, subtotals per grouping, 开工率 and the reconciliation note."""

    period: Period
    rows: pd.DataFrame
    totals: pd.DataFrame
    groups: dict[str, pd.DataFrame]
    started: tuple[int, int, float | None]
    reconciliation: str
    is_sample: bool


def _open_counts(session: Session, year: int, as_of: date) -> pd.Series:
    problems = load_problems(session, year=year)
    live = problems[problems["state"].isin(OPEN_STATES) & (problems["raised_on"] <= as_of)]
    return live.groupby("code").size()


def _reconcile(session: Session, catalogue: Catalogue, period: Period, rows: pd.DataFrame) -> str:
    """How the register's total compares with the indicator 区级重点项目完成投资 for the same month.

    The register is the district's list of 区级重点项目 (its 级别 marks those also on the province's or
    the city's list), so its total is what the indicator reports.
    """
    total = float(rows["cumulative"].sum())
    if INDICATOR not in catalogue.indicators or period.frequency is not Frequency.MONTHLY:
        return f"项目库 {len(rows)} 个项目累计完成 {total:.2f} 亿元"
    figures = read_figures(
        session, indicators=[INDICATOR], regions=[catalogue.meta.default_region], years=[period.year]
    )
    match = figures[figures["period"] == str(period)]
    if match.empty or pd.isna(match["value"].iloc[0]):
        return f"项目库累计 {total:.2f} 亿元；指标“区级重点项目完成投资”{period.year}年1-{period.number}月尚无数据"
    value = float(match["value"].iloc[0])
    diff = total - value
    if abs(diff) <= 0.005 * max(abs(value), 1e-9):
        return f"项目库 {len(rows)} 个项目累计 {total:.2f} 亿元，与指标“区级重点项目完成投资” {value:.2f} 亿元一致"
    return (
        f"项目库 {len(rows)} 个项目累计 {total:.2f} 亿元，指标“区级重点项目完成投资”为 {value:.2f} 亿元，"
        f"相差 {diff:+.2f} 亿元："
        "指标按统计口径报送，项目周报按项目单位填报，且月度取该月最后一个完整周的累计数"
    )


def project_pace_report(session: Session, catalogue: Catalogue, period: Period) -> ProjectPace:
    """The pace of every project of the period's year, its subtotals, 开工率 and the reconciliation."""
    projects = load_projects(session, year=period.year)
    if projects.empty:
        raise UsageError(f"{period.year} 年没有项目库：请先用 monitor projects import 导入项目库")
    progress = current_progress(session, years=[period.year])
    rows = project_pace(
        projects, progress, period, catalogue.projects, _open_counts(session, period.year, period.end_date())
    )
    groups = {g: subtotals(rows, g) for g in GROUPINGS}
    return ProjectPace(
        period,
        rows,
        subtotals(rows, None),
        groups,
        start_rate(rows, period),
        _reconcile(session, catalogue, period, rows),
        bool(projects["is_sample"].any()),
    )


def _num(value: Any, digits: int = 2) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def _day(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def pace_json_rows(report: ProjectPace) -> list[dict[str, Any]]:
    """The JSON rows of `monitor projects pace --format json` (money in 亿元, completion and elapsed in %)."""
    return [
        {
            "project": r.project,
            "name": r.name,
            "level": r.level,
            "category": r.category,
            "department": r.department,
            "street": r.street,
            "annual_plan": _num(r.annual_plan, 4),
            "cumulative": _num(r.cumulative, 4),
            "completion": _num(r.completion),
            "elapsed": _num(r.elapsed),
            "gap_pp": _num(r.gap_pp),
            "speed": r.speed,
            "status": r.status,
            "start_planned": _day(r.start_planned),
            "start_actual": _day(r.start_actual),
            "start_late": bool(r.start_late),
            "finish_late": bool(r.finish_late),
            "open_problems": int(r.open_problems),
            "week": None if pd.isna(r.week) else int(r.week),
        }
        for r in report.rows.itertuples()
    ]


def pace_document(report: ProjectPace, generated: datetime | None = None) -> dict[str, Any]:
    t = report.totals.iloc[0]
    started, planned, rate = report.started
    return {
        "period": str(report.period),
        "is_sample": report.is_sample,
        "rows": pace_json_rows(report),
        "total": {
            "projects": int(t.projects),
            "annual_plan": _num(t.annual_plan, 4),
            "cumulative": _num(t.cumulative, 4),
            "completion": _num(t.completion),
            "elapsed": _num(t.elapsed),
            "gap_pp": _num(t.gap_pp),
            "start_rate": _num(rate, 1),
            "started": started,
            "new_projects": planned,
        },
        "subtotals": {
            g: [
                {k: (_num(v) if isinstance(v, float) else (int(v) if k != "group" else v)) for k, v in row.items()}
                for row in frame.to_dict("records")
            ]
            for g, frame in report.groups.items()
        },
        "reconciliation": report.reconciliation,
    }


def _fmt(value: Any, spec: str) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, spec)


def pace_table(report: ProjectPace, catalogue: Catalogue, group: str | None = None) -> str:
    """The text report: one line per project (or per group), then the district total and 开工率."""
    names = {c: d.name for c, d in catalogue.departments.items()}
    streets = {c: r.name for c, r in catalogue.regions.items()}
    if group:
        frame = report.groups[group]
        body = [
            [
                streets.get(r.group, names.get(r.group, r.group)),
                r.projects,
                _fmt(r.annual_plan, ".2f"),
                _fmt(r.cumulative, ".2f"),
                _fmt(r.completion, ".1f"),
                _fmt(r.elapsed, ".1f"),
                _fmt(r.gap_pp, "+.1f"),
                f"{int(r.red)}/{int(r.yellow)}/{int(r.green)}",
                int(r.start_late),
            ]
            for r in frame.itertuples()
        ]
        head = [
            GROUPINGS[group],
            "项目数",
            "年度计划(亿元)",
            "累计完成(亿元)",
            "完成%",
            "序时%",
            "快慢(百分点)",
            "红/黄/绿",
            "开工滞后",
        ]
        table = text_table(head, body, [False] + [True] * 8)
    else:
        body = [
            [
                r.project,
                r.name,
                r.level,
                names.get(r.department, r.department),
                _fmt(r.annual_plan, ".2f"),
                _fmt(r.cumulative, ".2f"),
                _fmt(r.completion, ".1f"),
                _fmt(r.elapsed, ".1f"),
                _fmt(r.gap_pp, "+.1f"),
                STATUS_ZH[r.status],
                "开工滞后" if r.start_late else "",
                int(r.open_problems),
            ]
            for r in report.rows.itertuples()
        ]
        head = [
            "编号",
            "项目名称",
            "级别",
            "责任单位",
            "年度计划(亿元)",
            "累计完成(亿元)",
            "完成%",
            "序时%",
            "快慢(百分点)",
            "状态",
            "节点",
            "未办结问题",
        ]
        table = text_table(head, body, [False] * 4 + [True] * 5 + [False, False, True])
    t = report.totals.iloc[0]
    started, planned, rate = report.started
    lines = [
        table,
        f"合计 {int(t.projects)} 个项目：年度计划 {t.annual_plan:.2f} 亿元，累计完成 {t.cumulative:.2f} 亿元，"
        f"完成年度计划 {_fmt(t.completion, '.1f')}%，序时 {_fmt(t.elapsed, '.1f')}%，{_fmt(t.gap_pp, '+.1f')} 个百分点",
        f"新开工项目开工率 {_fmt(rate, '.1f')}%（{started}/{planned}）" if planned else "没有新开工项目",
        report.reconciliation,
    ]
    return "\n".join(lines)
