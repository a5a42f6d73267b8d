"""数据导入: a department uploads CSV/XLSX, sees accepted or rejected with every error, downloads its template."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dash_app import ids
from dash_app.auth import actor, signed_in
from dash_app.board_state import board, import_log, parse_month, report_months, snapshot
from dash_app.components import error_box, guarded, month_options, sample_banner, select, simple_table
from monitor.domain.access import ROLE_ZH, Principal, may_upload_for
from monitor.domain.catalogue import Catalogue
from monitor.errors import MonitorError, PermissionDenied, UsageError
from monitor.services.audit import record
from monitor.services.forecasts import refresh_forecasts
from monitor.services.imports import STATUS_ZH, ImportRequest, ImportResult, ImportStatus, import_bytes
from monitor.services.templates import template_frame, template_title, write_template

CHANNEL_ZH = {"cli": "命令行", "inbox": "收件目录", "upload": "看板上传", "demo": "示例数据"}
ISSUE_HEADERS = {"row": "行", "column": "列", "value": "值", "code": "错误代码", "message": "说明"}


def issues_table(issues: pd.DataFrame, severity: str, table_id: str | None = None) -> Any:
    """Errors or warnings as the spreadsheet shows them: row, column, value, code and what to fix."""
    part = issues[issues["severity"] == severity]
    if part.empty:
        return None
    frame = part[list(ISSUE_HEADERS)].rename(columns=ISSUE_HEADERS).copy()
    frame["行"] = ["—" if pd.isna(r) else str(int(r)) for r in frame["行"]]
    frame = frame.fillna("")
    return html.Div(simple_table(frame, (), table_id=table_id), className="table-wrap")


def result_view(result: ImportResult) -> list[Any]:
    """The outcome of one file: status and message, then the full error table and the warnings."""
    box = "ok-box" if result.status is ImportStatus.ACCEPTED else "error-box"
    if result.status is ImportStatus.DUPLICATE:
        box = "sample-banner"
    out: list[Any] = [
        html.Div(
            [
                html.Span(f"{STATUS_ZH[result.status]}：", className=f"status-{result.status.value}"),
                f"{result.file}：{result.message}",
            ],
            className=box,
            id="import-status",
            title=result.status.value,
        )
    ]
    if result.error_count:
        out += [
            html.H2(f"错误（{result.error_count} 处）"),
            issues_table(result.issues, "error", table_id=ids.IMPORT_ERRORS),
        ]
    if result.warning_count:
        out += [html.H2(f"警告（{result.warning_count} 条，不影响导入）"), issues_table(result.issues, "warning")]
    return out


def log_view(log: pd.DataFrame, catalogue: Catalogue) -> Any:
    if log.empty:
        return html.P("尚无导入记录。", className="muted")
    tz = catalogue.meta.timezone
    frame = pd.DataFrame(
        {
            "批次": log["id"].astype(str),
            "文件": log["file_name"],
            "单位": [catalogue.departments[d].name if d in catalogue.departments else "—" for d in log["department"]],
            "渠道": [CHANNEL_ZH.get(c, c) for c in log["channel"]],
            "结果": [
                STATUS_ZH.get(ImportStatus(s), s) if s in ImportStatus._value2member_map_ else s for s in log["status"]
            ],
            "时间": pd.to_datetime(log["started_at"], utc=True).dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M"),
            "新增/修订/未变": [
                "—" if pd.isna(i) else f"{int(i)}/{int(r or 0)}/{int(u or 0)}"
                for i, r, u in zip(log["inserted"], log["revised"], log["unchanged"], strict=True)
            ],
            "错误": [len(e or []) for e in log["errors"]],
            "说明": log["message"].fillna(""),
        }
    )
    return html.Div(simple_table(frame, ("错误",)), className="table-wrap")


def decode_upload(contents: str) -> bytes:
    """The bytes of a dcc.Upload data URL; UsageError when they cannot be read."""
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, ValueError, binascii.Error):
        raise UsageError("上传的文件无法读取：请重新选择文件上传") from None


def upload(contents: str | None, file_name: str | None, department: str | None) -> tuple[Any, Any]:
    """Import the uploaded file for the chosen department, if the signed-in person may upload for it.

    PermissionDenied (answered 403, recorded) when not; the year-end forecasts are refreshed when it landed.
    """
    principal = signed_in()
    if not contents:
        return dash.no_update, dash.no_update
    name = (file_name or "上传文件")[:200]
    if not department:
        return error_box(f"请先选择报送单位：选好后即导入已选择的文件“{name}”"), dash.no_update
    if department not in board().catalogue.departments or not may_upload_for(principal, department):
        record(board().engine, actor(), "upload", name, "denied", {"department": department})
        raise PermissionDenied(_refusal(principal, department))
    try:
        return _upload(decode_upload(contents), name, department)
    except MonitorError as exc:
        record(board().engine, actor(), "upload", name, "failure", {"department": department, "error": str(exc)})
        return error_box(f"出错：{exc}"), dash.no_update


def upload_or_choose(
    contents: str | None, department: str | None, file_name: str | None, pending: bool | None
) -> tuple[Any, Any, Any]:
    """A picked file is imported when it arrives, or, picked before 报送单位, as soon as the unit is chosen.

    `pending` (a store on the page) says a file is waiting for its unit; changing the unit after a
    file was imported imports nothing again.
    """
    if dash.ctx.triggered_id == ids.IMPORT_DEPARTMENT and not (pending and contents and department):
        return dash.no_update, dash.no_update, dash.no_update
    result, log = upload(contents, file_name, department)
    return result, log, bool(contents) and not department


def _refusal(principal: Principal, department: str) -> str:
    departments = board().catalogue.departments
    wanted = departments[department].name if department in departments else department
    if principal.department:
        own = departments[principal.department].name if principal.department in departments else principal.department
        return f"没有权限：{ROLE_ZH[principal.role]}只能为本单位（{own}）报送数据，不能为{wanted}上传"
    return f"没有权限：{ROLE_ZH[principal.role]}账户不能上传数据"


def _upload(data: bytes, file_name: str, department: str) -> tuple[Any, Any]:
    b, snap = board(), snapshot()
    request = ImportRequest(
        today=snap.today.date, department=department, channel="upload", limits=b.settings.import_limits
    )
    result = import_bytes(b.engine, b.catalogue, data, file_name, request)
    outcome = "success" if result.status is not ImportStatus.REJECTED else "failure"
    detail = {
        "department": department,
        "sha256": result.sha256,
        "status": result.status.value,
        "import_id": result.import_id,
        "errors": result.error_count,
    }
    record(b.engine, actor(), "upload", file_name, outcome, detail)
    if result.status is ImportStatus.ACCEPTED and (result.counts.inserted or result.counts.revised):
        refresh_forecasts(b.engine, b.catalogue, snap.report_month)  # fit where data changed, not on page loads
    return result_view(result), log_view(import_log(snapshot()), b.catalogue)


def template(clicks: int | None, department: str | None, period: str | None) -> Any:
    """The department's template for a report month as .xlsx."""
    signed_in()
    if not clicks:
        return dash.no_update
    if not department:
        raise UsageError("请先选择报送单位，再下载模板")
    b, snap = board(), snapshot()
    month = parse_month(period, snap)
    frame = template_frame(b.catalogue, department, month)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template(frame, template_title(b.catalogue, department, month), Path(tmp) / "template.xlsx")
        data = path.read_bytes()
    return dcc.send_bytes(data, f"报送模板_{department}_{month}.xlsx")


@guarded
def layout(department: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    cat = b.catalogue
    principal = signed_in()
    allowed = [d for d in cat.departments.values() if may_upload_for(principal, d.code)]
    departments = [{"label": d.name, "value": d.code} for d in (allowed or cat.departments.values())]
    chosen = department if department in {d["value"] for d in departments} else None
    if principal.department:
        chosen = principal.department
    return html.Div(
        [
            sample_banner(snap),
            html.H1("数据导入"),
            html.P(
                "选择报送单位后上传 CSV 或 Excel 文件（.csv/.xlsx）。文件要么整体导入，要么整体拒绝："
                "有任何错误时数据库不做任何更改，并列出全部错误（行号与表格中显示的一致）。",
                className="muted",
            ),
            None
            if allowed
            else html.P("当前账户为只读，不能上传数据（可下载报送模板、查看导入记录）。", className="sample-banner"),
            html.Div(
                [
                    select(ids.IMPORT_DEPARTMENT, "报送单位", departments, chosen, placeholder="请选择单位"),
                    dcc.Upload(
                        html.Div(["拖放文件到此处，或 ", html.A("点击选择文件")]),
                        id=ids.IMPORT_UPLOAD,
                        accept=".csv,.xlsx,.xls",
                        multiple=False,
                        className="upload",
                    ),
                ],
                className="controls",
            ),
            dcc.Store(id=ids.IMPORT_PENDING, data=False),
            dcc.Loading(html.Div(id=ids.IMPORT_RESULT), type="dot"),
            html.H2("下载报送模板"),
            html.Div(
                [
                    select(
                        ids.IMPORT_TEMPLATE_PERIOD,
                        "报告期",
                        month_options(report_months(snap)),
                        str(snap.report_month),
                        clearable=False,
                    ),
                    html.Button("下载模板（Excel）", id=ids.IMPORT_TEMPLATE, className="button secondary"),
                    dcc.Download(id=ids.IMPORT_TEMPLATE_DOWNLOAD),
                ],
                className="controls",
            ),
            html.H2("导入记录（最近 50 批）"),
            html.Div(log_view(import_log(snap), cat), id=ids.IMPORT_LOG),
        ]
    )


callback(
    Output(ids.IMPORT_RESULT, "children"),
    Output(ids.IMPORT_LOG, "children"),
    Output(ids.IMPORT_PENDING, "data"),
    Input(ids.IMPORT_UPLOAD, "contents"),
    Input(ids.IMPORT_DEPARTMENT, "value"),
    State(ids.IMPORT_UPLOAD, "filename"),
    State(ids.IMPORT_PENDING, "data"),
    prevent_initial_call=True,
)(upload_or_choose)
callback(
    Output(ids.IMPORT_TEMPLATE_DOWNLOAD, "data"),
    Input(ids.IMPORT_TEMPLATE, "n_clicks"),
    State(ids.IMPORT_DEPARTMENT, "value"),
    State(ids.IMPORT_TEMPLATE_PERIOD, "value"),
    prevent_initial_call=True,
)(template)
dash.register_page(__name__, path="/imports", name="数据导入", title="数据导入 · 经济运行监测", order=3, layout=layout)
