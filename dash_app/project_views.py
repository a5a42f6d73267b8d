"""Pure builders for the 重点项目 and 重点工作 pages: pace, problems and tasks frames -> display frames."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from dash import dcc, html

from monitor.domain.catalogue import Catalogue
from monitor.domain.projects import STATE_ZH, ProblemState
from monitor.domain.tasks import STATUS_ZH as TASK_STATUS_ZH

__all__ = ["problem_table", "project_table", "subtotal_table", "task_table"]

LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "灰"}
GROUP_ZH = {"level": "级别", "category": "类别", "department": "责任单位", "street": "街道"}


def _f(value: Any, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format(value, spec)


def _names(catalogue: Catalogue) -> dict[str, str]:
    return {c: d.name for c, d in catalogue.departments.items()} | {c: r.name for c, r in catalogue.regions.items()}


def project_table(rows: pd.DataFrame, catalogue: Catalogue, year: int) -> pd.DataFrame:
    """One line per project, the name linking to the project's page."""
    names = _names(catalogue)
    return pd.DataFrame(
        {
            "编号": rows["project"],
            "项目名称": [
                dcc.Link(n, href=f"/project/{c}?year={year}")
                for c, n in zip(rows["project"], rows["name"], strict=True)
            ],
            "级别": rows["level"] + "级",
            "类别": rows["category"],
            "责任单位": [names.get(d, d) for d in rows["department"]],
            "街道": [names.get(s, s or "") for s in rows["street"]],
            "年度计划(亿元)": [_f(v, ".2f") for v in rows["annual_plan"]],
            "累计完成(亿元)": [_f(v, ".2f") for v in rows["cumulative"]],
            "完成%": [_f(v, ".1f") for v in rows["completion"]],
            "序时%": [_f(v, ".1f") for v in rows["elapsed"]],
            "快慢(百分点)": [_f(v, "+.1f") for v in rows["gap_pp"]],
            "状态": [html.Span(LIGHT_ZH[s], className=f"status-cell-{s}") for s in rows["status"]],
            "节点": [
                "开工滞后" if s else ("竣工滞后" if f else "")
                for s, f in zip(rows["start_late"], rows["finish_late"], strict=True)
            ],
            "未办结问题": rows["open_problems"],
        }
    )


def subtotal_table(frame: pd.DataFrame, catalogue: Catalogue, group: str) -> pd.DataFrame:
    names = _names(catalogue)
    return pd.DataFrame(
        {
            GROUP_ZH[group]: [names.get(g, g) + ("级" if group == "level" else "") for g in frame["group"]],
            "项目数": frame["projects"],
            "年度计划(亿元)": [_f(v, ".2f") for v in frame["annual_plan"]],
            "累计完成(亿元)": [_f(v, ".2f") for v in frame["cumulative"]],
            "完成%": [_f(v, ".1f") for v in frame["completion"]],
            "序时%": [_f(v, ".1f") for v in frame["elapsed"]],
            "快慢(百分点)": [_f(v, "+.1f") for v in frame["gap_pp"]],
            "红灯": frame["red"],
            "黄灯": frame["yellow"],
            "开工滞后": frame["start_late"],
        }
    )


def problem_table(problems: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    names = _names(catalogue)
    shown = [
        html.Span(
            STATE_ZH[ProblemState(s)] + (f" {d}天" if d else ""),
            className="status-cell-red" if s == "overdue" else None,
        )
        for s, d in zip(problems["shown"], problems["days_overdue"], strict=True)
    ]
    return pd.DataFrame(
        {
            "编号": problems["id"],
            "项目": problems["project_name"] if "project_name" in problems else problems["code"],
            "类别": problems["category"],
            "需求和问题": problems["description"],
            "责任单位": [names.get(d, d or "") for d in problems["department"]],
            "提出日期": [str(d) for d in problems["raised_on"]],
            "办结时限": [str(d) for d in problems["due_on"]],
            "状态": shown,
            "答复": problems["response"],
        }
    )


def task_table(tasks: pd.DataFrame) -> pd.DataFrame:
    def goal(r: Any) -> str:
        if r.goal_kind == "节点":
            return "；".join(f"{m['date']} {m['text']}" for m in r.milestones)
        return str(r.goal_text)

    ordered = tasks.sort_values(["lead", "code"], kind="stable")
    return pd.DataFrame(
        {
            "牵头单位": ordered["lead"],
            "编号": ordered["code"],
            "任务": ordered["title"],
            "目标（原文）": [goal(r) for r in ordered.itertuples()],
            "配合单位": ["、".join(c) for c in ordered["co"]],
            "本月报送": [_f(v, "g") if v is not None else "—" for v in ordered["value"]],
            "完成": [_f(v, ".1f") + ("%" if v is not None and not math.isnan(v) else "") for v in ordered["share"]],
            "状态": [html.Span(TASK_STATUS_ZH[s], className=f"task-{s}") for s in ordered["status"]],
            "来源": [
                html.Span(s, title=d, className="muted")
                for s, d in zip(ordered["source"], ordered["source_doc"], strict=True)
            ],
        }
    )
