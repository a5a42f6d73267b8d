"""Breaches of the 重点项目 and 督办 rules, in the alert rules' shape (one row per fingerprint). Pure.

    慢进项目 project_slow      a project's light is red or yellow (severity follows it)
    开工滞后 project_start_late 计划开工 passed and not started (red)
    问题超期 problem_overdue    a 项目服务清单 problem open past its 办结时限 (red)
    任务滞后 task_behind        a task 滞后 for the report month (yellow)
    任务未报 task_missing       a task without a report for the report month (yellow)

The `indicator` of these alerts names the thing (project:CODE, problem:ID, task:CODE) and the
message starts with its name, so that the board and the digest show them beside the indicators.
"""

from __future__ import annotations

import pandas as pd

from monitor.domain.alerts import BREACH_COLUMNS, Rule, fingerprint
from monitor.domain.periods import Period

__all__ = ["PREFIXES", "combine_breaches", "project_breaches", "subject_category", "subject_name"]

PREFIXES = ("project:", "problem:", "task:")


def _row(
    rule: Rule,
    severity: str,
    key: str,
    region: str,
    period: Period,
    message: str,
    departments: list[str],
    days: float | None = None,
) -> dict[str, object]:
    return {
        "fingerprint": fingerprint(rule.value, key, region, period.year),
        "rule": rule.value,
        "severity": severity,
        "indicator": key,
        "region": region,
        "year": period.year,
        "period": str(period),
        "message": message,
        "departments": departments,
        "days_overdue": days,
    }


def project_breaches(
    pace: pd.DataFrame, problems: pd.DataFrame, tasks: pd.DataFrame, *, period: Period, region: str
) -> pd.DataFrame:
    """Breaches from project pace rows (PACE_COLUMNS), shown problems (with `shown`, `days_overdue`,
    `project_name`) and task statuses (with `status`) of the report month."""
    rows = []
    for r in pace.itertuples():
        if r.status in ("red", "yellow"):
            rows.append(
                _row(
                    Rule.PROJECT_SLOW,
                    r.status,
                    f"project:{r.project}",
                    region,
                    period,
                    f"{r.name}：完成年度计划 {r.completion:.1f}%，序时 {r.elapsed:.1f}%，落后 {-r.gap_pp:.1f} 个百分点",
                    [r.department],
                )
            )
        if r.start_late:
            rows.append(
                _row(
                    Rule.PROJECT_START_LATE,
                    "red",
                    f"project:{r.project}",
                    region,
                    period,
                    f"{r.name}：计划 {r.start_planned} 开工，至今未开工",
                    [r.department],
                )
            )
    for p in problems.itertuples():
        if p.shown == "overdue":
            rows.append(
                _row(
                    Rule.PROBLEM_OVERDUE,
                    "red",
                    f"problem:{int(p.id)}",
                    region,
                    period,
                    f"{p.project_name}：{p.category}问题“{p.description}”超过办结时限 {p.due_on} 仍未解决",
                    [p.department] if p.department else [],
                    float(p.days_overdue),
                )
            )
    for t in tasks.itertuples():
        if t.status in ("behind", "missing"):
            rule = Rule.TASK_BEHIND if t.status == "behind" else Rule.TASK_MISSING
            what = (
                f"进度滞后（完成 {t.share:.1f}%，序时 {t.elapsed:.1f}%）" if t.status == "behind" else "本月未报送进展"
            )
            rows.append(
                _row(rule, "yellow", f"task:{t.code}", region, period, f"{t.title}：{what}", list(t.departments))
            )
    return pd.DataFrame(rows, columns=BREACH_COLUMNS)


def combine_breaches(rules: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """The indicator rules' breaches followed by the project ones (one row per fingerprint)."""
    if projects.empty:
        return rules
    out = pd.concat([rules, projects], ignore_index=True) if len(rules) else projects.copy()
    return out.drop_duplicates("fingerprint", keep="first").reset_index(drop=True)


def subject_name(indicator: str, message: str, names: dict[str, str]) -> str:
    """What an alert is about, as people say it: the indicator's name, or the project's or task's (the
    message's head) for the alerts of this module."""
    if indicator.startswith(PREFIXES):
        return message.split("：", 1)[0]
    return names.get(indicator, indicator)


def subject_category(indicator: str) -> str | None:
    """重点项目 or 重点工作 for the alerts of this module, None for an indicator's."""
    if indicator.startswith(("project:", "problem:")):
        return "重点项目"
    return "重点工作" if indicator.startswith("task:") else None
