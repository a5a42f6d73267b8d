"""重点工作: the numbered measures by 责任单位 with their goals as the documents state them, and each one's status."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, callback, html

from dash_app import ids
from dash_app.board_state import board, parse_month, report_months, snapshot
from dash_app.components import guarded, month_options, period_notice, sample_banner, select, simple_table
from dash_app.project_views import task_table
from monitor.domain.tasks import STATUS_ZH
from monitor.services.project_board import board_tasks


def update_tasks(period: str | None, department: str | None, status: str | None) -> tuple[Any, Any]:
    snap = snapshot()
    month = parse_month(period, snap)
    tasks = board_tasks(board().engine, month, department or None)
    counts = tasks["status"].value_counts()
    if status:
        tasks = tasks[tasks["status"] == status]
    summary = (
        f"{month.year}年{month.number}月（序时 {100 * month.number / 12:.1f}%）：共 {int(counts.sum())} 项，"
        + "，".join(f"{STATUS_ZH[s]} {int(counts.get(s, 0))} 项" for s in STATUS_ZH)
    )
    table = simple_table(task_table(tasks), ("本月报送", "完成"), table_id="tasks-grid")
    return summary, html.Div(table, className="table-wrap")


@guarded
def layout(period: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    month = parse_month(period, snap)
    departments = [{"label": d.name, "value": d.code} for d in b.catalogue.departments.values()]
    statuses = [{"label": label, "value": code} for code, label in STATUS_ZH.items()]
    summary, table = update_tasks(str(month), None, None)
    return html.Div(
        [
            sample_banner(snap),
            period_notice(period),
            html.H1("重点工作"),
            html.Div(
                [
                    select(ids.TASKS_PERIOD, "报告期", month_options(report_months(snap)), str(month), clearable=False),
                    select(ids.TASKS_DEPARTMENT, "责任单位", departments, None, placeholder="全部单位"),
                    select(ids.TASKS_STATUS, "状态", statuses, None, placeholder="全部状态"),
                ],
                className="controls",
            ),
            html.P(summary, id=ids.TASKS_SUMMARY),
            html.P(
                "状态：累计类目标对照序时（月份/12）判断，落后超过 5 个百分点为滞后；当月未报送进展为未报。"
                "目标一栏为文件原文，来源文件见鼠标悬停。",
                className="muted",
            ),
            html.Div(table, id=ids.TASKS_TABLE),
        ]
    )


callback(
    Output(ids.TASKS_SUMMARY, "children"),
    Output(ids.TASKS_TABLE, "children"),
    Input(ids.TASKS_PERIOD, "value"),
    Input(ids.TASKS_DEPARTMENT, "value"),
    Input(ids.TASKS_STATUS, "value"),
    prevent_initial_call=True,
)(update_tasks)
dash.register_page(__name__, path="/tasks", name="重点工作", title="重点工作 · 经济运行监测", order=7, layout=layout)
