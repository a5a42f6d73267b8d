"""审计日志 (administrators only): the security audit trail, newest first, filterable by user (?user=)."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import html

from dash_app.auth import record_page_refusal, signed_in
from dash_app.board_state import board
from dash_app.components import GRID_LOCALE, error_box, guarded
from monitor.domain.access import ROLE_ZH, Role, may_read_audit
from monitor.services.audit import ACTION_ZH, OUTCOME_ZH, read_audit

AUDIT_GRID = "audit-grid"
LIMIT = 1000
COLUMNS = [
    {"field": "编号", "width": 90},
    {"field": "时间", "width": 160},
    {"field": "用户", "width": 130},
    {"field": "角色", "width": 110},
    {"field": "单位", "width": 120},
    {"field": "来源地址", "width": 130},
    {"field": "操作", "width": 120},
    {"field": "对象", "minWidth": 220, "flex": 1},
    {"field": "结果", "width": 80},
]


def _role(code: Any) -> str:
    if isinstance(code, str) and code in Role._value2member_map_:
        return ROLE_ZH[Role(code)]
    return "命令行" if code == "operator" else (code or "")


def audit_rows(user: str | None = None) -> list[dict[str, Any]]:
    b = board()
    frame = read_audit(b.engine, username=user or None, limit=LIMIT)
    tz = b.catalogue.meta.timezone
    departments = b.catalogue.departments
    return [
        {
            "编号": int(r["id"]),
            "时间": pd.Timestamp(r["at"]).tz_convert(tz).strftime("%Y-%m-%d %H:%M:%S"),
            "用户": r["username"] or "（未登录）",
            "角色": _role(r["role"]),
            "单位": departments[r["department"]].name if r["department"] in departments else "",
            "来源地址": r["remote_addr"] or "",
            "操作": ACTION_ZH.get(r["action"], r["action"]),
            "对象": r["object"],
            "结果": OUTCOME_ZH.get(r["outcome"], r["outcome"]),
        }
        for r in frame.to_dict("records")
    ]


@guarded
def layout(user: str | None = None, **_: Any) -> Any:
    principal = signed_in()
    if not may_read_audit(principal):
        record_page_refusal("/audit")
        return error_box("没有权限：审计日志只对管理员开放")
    rows = audit_rows(user)
    scope = f"用户 {user} 的" if user else ""
    return html.Div(
        [
            html.H1("审计日志"),
            html.P(
                f"{scope}最近 {len(rows)} 条记录（最多 {LIMIT} 条，最新在前）：登录、登录失败、锁定、退出、上传、"
                "确认预警、用户变更、目录同步、周报发送。只增不改；导出用 monitor audit --format csv。",
                className="muted",
            ),
            dag.AgGrid(
                id=AUDIT_GRID,
                rowData=rows,
                columnDefs=COLUMNS,
                defaultColDef={"sortable": True, "resizable": True, "filter": True},
                dashGridOptions={
                    "domLayout": "autoHeight",
                    "pagination": True,
                    "paginationPageSize": 50,
                    "enableCellTextSelection": True,
                    "localeText": GRID_LOCALE,
                },
                className="grid ag-theme-quartz",
                style={"width": "100%"},
            ),
        ]
    )


dash.register_page(__name__, path="/audit", name="审计日志", title="审计日志 · 经济运行监测", order=9, layout=layout)
