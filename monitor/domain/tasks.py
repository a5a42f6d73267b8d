"""重点工作任务督办: the numbered measures with their 责任单位 and goals, and each month's status. Pure.

Status of a task for a report month (已完成 / 序时推进 / 滞后 / 未报):
- 未报 when there is no report for that month (whatever the goal);
- "≥" X (an amount for the year): 已完成 when value ≥ X; 序时推进 when value/X reaches the month's
  序时 (month/12) less `slack_pp` 百分点; else 滞后;
- "达到" X (a level by the year end): 已完成 when value ≥ X; else 序时推进, or 滞后 in December;
- "≤" X (a ceiling): 滞后 when value > X; 已完成 in December, else 序时推进;
- "节点" (milestones): value = milestones reached; 已完成 when all; 滞后 when fewer than those due by
  the month's end; else 序时推进;
- no goal: 已完成 when the report says so, else 序时推进.
A report marked completed is 已完成 whatever its value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from monitor.domain.periods import Period

__all__ = ["GOAL_KINDS", "STATUS_ZH", "TASK_COLUMNS", "department_codes", "parse_tasks", "task_status"]

GOAL_KINDS = ("≥", "≤", "达到", "节点", "")
STATUS_ZH = {"done": "已完成", "on_pace": "序时推进", "behind": "滞后", "missing": "未报"}
TASK_COLUMNS = [
    "code",
    "year",
    "number",
    "title",
    "lead",
    "co",
    "departments",
    "goal_kind",
    "goal_value",
    "goal_unit",
    "goal_text",
    "milestones",
    "source",
    "source_doc",
    "lead_note",
]
_REQUIRED = ("code", "year", "number", "title", "lead", "source", "source_doc")


def department_codes(names: Sequence[str], departments: Mapping[str, str]) -> list[str]:
    """Catalogue codes of the departments named (区发改局 or 发改局 alike); names it does not hold are skipped."""
    by_name = {n: c for c, n in departments.items()} | {n.removeprefix("区"): c for c, n in departments.items()}
    found = [by_name.get(n, by_name.get(n.removeprefix("区"))) for n in names]
    return list(dict.fromkeys(c for c in found if c))


def _milestones(raw: Any, key: str, problems: list[str]) -> list[dict[str, str]]:
    out = []
    for j, m in enumerate(raw or []):
        try:
            day = date.fromisoformat(str(m["date"]))
            out.append({"date": day.isoformat(), "text": str(m["text"])})
        except (KeyError, TypeError, ValueError):
            problems.append(f"{key}.milestones[{j}]：须有 date（如 2021-06-30）和 text")
    return out


def parse_tasks(data: Mapping[str, Any], departments: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """The tasks of a decoded tasks file (TASK_COLUMNS) and every problem found, in Chinese."""
    problems: list[str] = []
    rows = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("tasks", [])):
        key = f"tasks[{i}] {raw.get('code', '')}".strip()
        missing = [f for f in _REQUIRED if not str(raw.get(f, "")).strip()]
        if missing:
            problems.append(f"{key}：缺少 {'、'.join(missing)}")
            continue
        if raw["code"] in seen:
            problems.append(f"{key}：任务编号重复")
        seen.add(raw["code"])
        kind = str(raw.get("goal_kind", ""))
        value = raw.get("goal_value")
        if kind not in GOAL_KINDS:
            problems.append(f"{key}.goal_kind：“{kind}”无效，应为 ≥、≤、达到、节点 或留空")
        if kind in ("≥", "≤", "达到") and not isinstance(value, int | float):
            problems.append(f"{key}.goal_value：目标为“{kind}”时须填写数值")
        milestones = _milestones(raw.get("milestones"), key, problems)
        if kind == "节点" and not milestones:
            problems.append(f"{key}.milestones：节点目标须列出节点计划")
        co = [str(c) for c in raw.get("co", [])]
        rows.append(
            [
                str(raw["code"]),
                int(raw["year"]),
                str(raw["number"]),
                str(raw["title"]),
                str(raw["lead"]),
                co,
                department_codes([str(raw["lead"]), *co], departments),
                kind,
                float(value) if isinstance(value, int | float) else None,
                str(raw.get("goal_unit", "")),
                str(raw.get("goal_text", "")),
                milestones,
                str(raw["source"]),
                str(raw["source_doc"]),
                str(raw.get("lead_note", "")),
            ]
        )
    if not rows and not problems:
        problems.append("任务文件中没有任何任务（[[tasks]]）")
    return pd.DataFrame(rows, columns=TASK_COLUMNS), problems


def _one(
    task: Mapping[str, Any], report: Mapping[str, Any] | None, month: Period, slack_pp: float
) -> tuple[str, float | None]:
    """(status, progress share in percent or None) of one task for one report month."""
    if report is None:
        return "missing", None
    value = report.get("value")
    value = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    kind, goal = task["goal_kind"], task["goal_value"]
    if report.get("completed"):
        return "done", 100.0 if goal else None
    december = month.number == 12
    if kind == "节点":
        stones = task["milestones"]
        due = sum(1 for m in stones if date.fromisoformat(m["date"]) <= month.end_date())
        reached = int(value or 0)
        reached_share = 100.0 * reached / len(stones)
        return ("done" if reached >= len(stones) else "behind" if reached < due else "on_pace"), reached_share
    if kind not in ("≥", "≤", "达到") or goal is None or value is None:
        return "on_pace", None
    share = 100.0 * value / goal if goal else None
    if kind == "≤":
        return ("behind" if value > goal else "done" if december else "on_pace"), share
    if value >= goal:
        return "done", share
    if kind == "达到":
        return ("behind" if december else "on_pace"), share
    elapsed = 100.0 * month.number / 12
    return ("on_pace" if (share or 0.0) >= elapsed - slack_pp else "behind"), share


def task_status(tasks: pd.DataFrame, reports: pd.DataFrame, month: Period, slack_pp: float = 5.0) -> pd.DataFrame:
    """Each task of the month's year with its report for the month, `status`, `share` (%) and `elapsed` (%)."""
    year = tasks[tasks["year"] == month.year].reset_index(drop=True)
    this = reports[reports["period"] == str(month)].set_index("task") if len(reports) else pd.DataFrame()
    statuses, shares, values, texts = [], [], [], []
    for task in year.to_dict("records"):
        report = this.loc[task["code"]].to_dict() if task["code"] in this.index else None
        status, share = _one(task, report, month, slack_pp)
        statuses.append(status)
        shares.append(share)
        values.append(None if report is None else report.get("value"))
        texts.append("" if report is None else report.get("text", ""))
    out = year.assign(status=statuses, share=shares, value=values, report_text=texts)
    out["elapsed"] = 100.0 * month.number / 12
    return out
