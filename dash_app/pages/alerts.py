"""预警: open and acknowledged alerts with filters; acknowledge one with who and why (说明原因)."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, dcc, html
from werkzeug.exceptions import BadRequest

from dash_app import ids
from dash_app.alert_views import alert_rows
from dash_app.auth import actor, signed_in
from dash_app.board_state import board, snapshot
from dash_app.components import GRID_LOCALE, error_box, guarded, sample_banner, select
from monitor.domain.access import ROLE_ZH, may_acknowledge
from monitor.domain.alerts import SEVERITY_ZH, STATE_ZH
from monitor.errors import MonitorError, PermissionDenied
from monitor.services import alerts as service
from monitor.services.audit import record
from monitor.services.board_reads import alert_subject
from monitor.services.clock import utc_now

STATUSES = [
    {"label": "未解除（未处理和已确认）", "value": "active"},
    {"label": "未处理", "value": "open"},
    {"label": "已确认", "value": "acknowledged"},
    {"label": "已解除", "value": "resolved"},
    {"label": "全部", "value": "all"},
]
COLUMNS = [
    {"field": "id", "headerName": "编号", "width": 80},
    {
        "field": "级别",
        "width": 90,
        "cellClassRules": {
            "status-cell-red": "params.data.severity == 'red'",
            "status-cell-yellow": "params.data.severity == 'yellow'",
        },
    },
    {"field": "状态", "width": 90},
    {"field": "规则", "width": 140},
    {"field": "指标", "minWidth": 170},
    {"field": "地区", "width": 110},
    {"field": "期别", "width": 120},
    {"field": "说明", "minWidth": 280, "wrapText": True, "autoHeight": True},
    {"field": "责任单位", "minWidth": 150},
    {"field": "发生时间", "width": 140},
    {"field": "确认人", "width": 100},
    {"field": "确认说明", "minWidth": 200, "wrapText": True, "autoHeight": True},
    {"field": "确认时间", "width": 140},
    {"field": "解除时间", "width": 140},
]


def alert_grid_rows(status: str | None, severity: str | None, department: str | None) -> list[dict[str, Any]]:
    """Alerts of a status (default: not resolved) and department, filtered by severity."""
    frame = service.alerts_of(
        board().engine, board().catalogue, status=status or "active", department=department or None
    )
    if severity:
        frame = frame[frame["severity"] == severity]
    return alert_rows(frame)


def refresh(status: str | None, severity: str | None, department: str | None) -> list[dict[str, Any]]:
    return alert_grid_rows(status, severity, department)


def selected_alert_id(selected: list[dict[str, Any]] | None) -> int | None:
    """The id of the first selected row, None when nothing is selected; BadRequest (400) for an id not a number."""
    if not selected:
        return None
    value = selected[0].get("id") if isinstance(selected[0], dict) else None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise BadRequest("预警编号不是数字")
    return int(value)


def check_may_acknowledge(alert_id: int) -> None:
    """The server's check: the alert and the departments that answer for it, as stored (an indicator's lead
    and co-leads, a project's 责任单位, a task's 责任单位), never what the browser sends."""
    principal, b = signed_in(), board()
    subject = alert_subject(b.engine, alert_id)
    if subject is None:
        return  # no such alert: the acknowledgement itself says so
    code, departments = subject
    if may_acknowledge(principal, departments):
        return
    record(b.engine, actor(), "acknowledge", f"预警 {alert_id}", "denied", {"indicator": code})
    own = principal.department or ""
    own_name = b.catalogue.departments[own].name if own in b.catalogue.departments else own
    where = f"（{own_name}）" if own_name else ""
    raise PermissionDenied(f"没有权限：{ROLE_ZH[principal.role]}{where}只能确认本单位牵头或配合指标的预警")


def acknowledge(
    clicks: int | None,
    selected: list[dict[str, Any]] | None,
    note: str | None,
    status: str | None,
    severity: str | None,
    department: str | None,
) -> tuple[Any, Any]:
    """Acknowledge the selected alert as the signed-in person (确认人) with why; the grid is read again."""
    principal = signed_in()
    if not clicks:
        return dash.no_update, dash.no_update
    alert_id = selected_alert_id(selected)
    if alert_id is None:
        return error_box("请先在表格中勾选一条预警"), dash.no_update
    if not (note or "").strip():
        return error_box("请填写说明原因"), dash.no_update
    check_may_acknowledge(alert_id)
    who, why = principal.display_name, (note or "").strip()
    try:
        service.acknowledge_alert(board().engine, alert_id, who, why, utc_now())
    except MonitorError as exc:
        record(board().engine, actor(), "acknowledge", f"预警 {alert_id}", "failure", {"error": str(exc)})
        return error_box(f"出错：{exc}"), dash.no_update
    record(board().engine, actor(), "acknowledge", f"预警 {alert_id}", "success", {"note": why[:500]})
    done = html.Div(f"已确认第 {alert_id} 号预警（{who}）：{why}", className="ok-box", id="alerts-ack-done")
    return done, alert_grid_rows(status, severity, department)


@guarded
def layout(status: str | None = None, department: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    cat = b.catalogue
    chosen = status if status in {s["value"] for s in STATUSES} else "active"
    unit = department if department in cat.departments else None
    departments = [{"label": d.name, "value": d.code} for d in cat.departments.values()]
    severities = [{"label": label, "value": code} for code, label in SEVERITY_ZH.items()]
    rows = alert_grid_rows(chosen, None, unit)
    return html.Div(
        [
            sample_banner(snap),
            html.H1("预警"),
            html.Div(
                [
                    select(ids.ALERTS_STATUS, "状态", STATUSES, chosen, clearable=False),
                    select(ids.ALERTS_SEVERITY, "级别", severities, None, placeholder="全部级别"),
                    select(ids.ALERTS_DEPARTMENT, "责任单位", departments, unit, placeholder="全部单位"),
                ],
                className="controls",
            ),
            html.P(
                f"状态：{'、'.join(STATE_ZH.values())}。勾选一条预警，填写说明原因后点击“确认所选预警”"
                f"（确认人即当前登录的 {signed_in().display_name}）。",
                className="muted",
            ),
            html.H2("确认预警"),
            html.Div(
                [
                    html.Div(
                        [html.Span("确认人", className="control-label"), html.Span(signed_in().display_name)],
                        id=ids.ALERTS_BY,
                        className="control",
                    ),
                    html.Label(
                        [
                            html.Span("说明原因", className="control-label"),
                            dcc.Textarea(
                                id=ids.ALERTS_NOTE, placeholder="例如：6月份重大项目集中开工，7月份将补齐", rows=2
                            ),
                        ],
                        className="control",
                        style={"flex": "1 1 320px"},
                    ),
                    html.Button("确认所选预警", id=ids.ALERTS_ACK, className="button"),
                ],
                className="controls",
            ),
            html.Div(id=ids.ALERTS_MESSAGE),
            html.H2("预警列表"),
            dag.AgGrid(
                id=ids.ALERTS_GRID,
                rowData=rows,
                columnDefs=COLUMNS,
                defaultColDef={"sortable": True, "resizable": True, "filter": True},
                dashGridOptions={
                    "rowSelection": {"mode": "singleRow", "checkboxes": True, "enableClickSelection": True},
                    "domLayout": "autoHeight",
                    "pagination": True,
                    "paginationPageSize": 20,
                    "enableCellTextSelection": True,
                    "localeText": GRID_LOCALE,
                },
                getRowId="params.data.id",
                className="grid ag-theme-quartz",
                style={"width": "100%"},
            ),
        ]
    )


_FILTERS = [
    Input(ids.ALERTS_STATUS, "value"),
    Input(ids.ALERTS_SEVERITY, "value"),
    Input(ids.ALERTS_DEPARTMENT, "value"),
]
callback(Output(ids.ALERTS_GRID, "rowData"), *_FILTERS, prevent_initial_call=True)(refresh)
callback(
    Output(ids.ALERTS_MESSAGE, "children"),
    Output(ids.ALERTS_GRID, "rowData", allow_duplicate=True),
    Input(ids.ALERTS_ACK, "n_clicks"),
    State(ids.ALERTS_GRID, "selectedRows"),
    State(ids.ALERTS_NOTE, "value"),
    *[State(i.component_id, i.component_property) for i in _FILTERS],
    prevent_initial_call=True,
)(acknowledge)
dash.register_page(__name__, path="/alerts", name="预警", title="预警 · 经济运行监测", order=2, layout=layout)
