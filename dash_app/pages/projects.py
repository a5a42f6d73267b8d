"""重点项目: every project against its own 序时 with filters and subtotals, and the 项目服务清单 (超期 shown)."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dash_app import ids
from dash_app.auth import actor, signed_in
from dash_app.board_state import board, pick, snapshot
from dash_app.components import error_box, guarded, month_options, period_notice, sample_banner, select, simple_table
from dash_app.pages.imports import decode_upload, result_view
from dash_app.project_views import GROUP_ZH, LIGHT_ZH, problem_table, project_table, subtotal_table
from monitor.domain.access import ROLE_ZH
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period
from monitor.domain.projects import CATEGORIES, LEVELS
from monitor.errors import MonitorError, PermissionDenied
from monitor.services.audit import record
from monitor.services.clock import utc_now
from monitor.services.imports import ImportRequest
from monitor.services.project_board import (
    board_change_problem,
    board_problems,
    board_project_pace,
    project_months,
    project_weeks,
)
from monitor.services.project_imports import import_project_bytes

NUMERIC = ("年度计划(亿元)", "累计完成(亿元)", "完成%", "序时%", "快慢(百分点)", "未办结问题")


def _options(values: Any) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in values]


def _filters(catalogue: Catalogue) -> list[Any]:
    departments = [(c, d.name) for c, d in catalogue.departments.items()]
    streets = [(c, r.name) for c, r in catalogue.regions.items() if r.parent == catalogue.meta.default_region]
    return [
        select(ids.PROJECTS_LEVEL, "级别", _options((v, v + "级") for v in LEVELS), None, placeholder="全部级别"),
        select(ids.PROJECTS_CATEGORY, "类别", _options((v, v) for v in CATEGORIES), None, placeholder="全部类别"),
        select(ids.PROJECTS_DEPARTMENT, "责任单位", _options(departments), None, placeholder="全部单位"),
        select(ids.PROJECTS_STREET, "街道", _options(streets), None, placeholder="全部街道"),
        select(ids.PROJECTS_STATUS, "状态", _options(LIGHT_ZH.items()), None, placeholder="全部状态"),
        select(ids.PROJECTS_GROUP, "小计", _options(GROUP_ZH.items()), "level", clearable=False),
    ]


def _periods() -> list[dict[str, str]]:
    """Months with weekly reports, newest first, then the weeks themselves (2021年第26周)."""
    b, today = board(), snapshot().today.date
    weeks = [{"label": w.label_zh(), "value": str(w)} for w in project_weeks(b.engine, today)]
    return month_options(project_months(b.engine, today)) + weeks


def update_projects(
    period: str | None,
    level: str | None,
    category: str | None,
    department: str | None,
    street: str | None,
    status: str | None,
    group: str | None,
) -> tuple[Any, Any, Any]:
    """Summary line, project table and subtotals for the report month and filters."""
    b = board()
    choices = _periods()
    month = parse_period(pick(period, [o["value"] for o in choices], choices[0]["value"]))
    report = board_project_pace(b.engine, b.catalogue, month)
    rows = report.rows
    for column, value in (
        ("level", level),
        ("category", category),
        ("department", department),
        ("street", street),
        ("status", status),
    ):
        if value:
            rows = rows[rows[column] == value]
    t = report.totals.iloc[0]
    started, planned, rate = report.started
    summary = [
        html.Strong(f"{month.label_zh()}："),
        f"{int(t.projects)} 个项目累计完成投资 {t.cumulative:.2f} 亿元，占年度计划 {t.annual_plan:.2f} 亿元的 "
        f"{t.completion:.1f}%，序时 {t.elapsed:.1f}%（{t.gap_pp:+.1f} 个百分点）；",
        f"新开工项目开工率 {rate:.1f}%（{started}/{planned}）；" if planned else "",
        report.reconciliation,
    ]
    table = simple_table(project_table(rows, b.catalogue, month.year), NUMERIC, table_id="projects-grid")
    chosen = pick(group, GROUP_ZH, "level")
    subtotals = simple_table(subtotal_table(report.groups[chosen], b.catalogue, chosen), NUMERIC)
    shown = html.P(f"显示 {len(rows)} / {len(report.rows)} 个项目", className="muted")
    return (
        summary,
        html.Div([shown, html.Div(table, className="table-wrap")]),
        html.Div(subtotals, className="table-wrap"),
    )


def _problems() -> Any:
    b = board()
    problems = board_problems(b.engine, snapshot().today.date)
    if problems.empty:
        return html.P("项目服务清单中还没有问题。", className="muted")
    return html.Div(
        simple_table(problem_table(problems, b.catalogue), table_id="problems-grid"), className="table-wrap"
    )


def upload_project_file(contents: str | None, file_name: str | None) -> Any:
    """Import an uploaded register or weekly report (周报): accepted, or rejected whole with every error."""
    if not contents:
        return dash.no_update
    principal = signed_in()
    b, snap = board(), snapshot()
    name = file_name or "上传文件"
    if not principal.acts_for_all:  # the register and 周报 are the coordination group's (its office compiles them)
        record(b.engine, actor(), "upload", name, "denied", {"kind": "projects"})
        raise PermissionDenied(
            f"没有权限：{ROLE_ZH[principal.role]}不能上传重点项目登记表或周报（由领导小组办公室或管理员上传）"
        )
    try:
        data = decode_upload(contents)
        request = ImportRequest(today=snap.today.date, channel="upload", limits=b.settings.import_limits)
        result = import_project_bytes(b.engine, b.catalogue, data, name, request)
    except MonitorError as exc:
        return error_box(f"出错：{exc}")
    record(b.engine, actor(), "upload", name, result.status.value, {"kind": "projects", "sha256": result.sha256})
    return result_view(result)


def save_problem(clicks: int | None, problem: Any, state: str | None, note: str | None) -> tuple[Any, Any]:
    """Change a problem's state with the response, as the signed-in person (checked on the server: the
    group and admins any problem, a reporter those assigned to its department); the list is read again."""
    if not clicks:
        return dash.no_update, dash.no_update
    principal = signed_in()
    if not problem or not state:
        return error_box("请填写问题编号和新状态"), dash.no_update
    b = board()
    try:
        board_change_problem(b.engine, int(problem), state, principal, (note or "").strip(), utc_now())
    except PermissionDenied:
        record(b.engine, actor(), "problem_change", f"问题 {int(problem)}", "denied", {"state": state})
        raise
    except (MonitorError, ValueError) as exc:
        return error_box(f"出错：{exc}"), dash.no_update
    record(b.engine, actor(), "problem_change", f"问题 {int(problem)}", "success", {"state": state})
    return html.Div(f"已更新第 {int(problem)} 号问题", className="ok-box", id="problem-saved"), _problems()


@guarded
def layout(period: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    choices = _periods()
    values = [o["value"] for o in choices]
    default = str(snap.report_month) if str(snap.report_month) in values else values[0]  # the last full month
    chosen = pick(period, values, default)
    summary, table, subtotals = update_projects(chosen, None, None, None, None, None, "level")
    states = [
        {"label": "已会办", "value": "coordinated"},
        {"label": "已解决", "value": "solved"},
        {"label": "重新提交", "value": "submitted"},
    ]
    return html.Div(
        [
            sample_banner(snap),
            period_notice(period, values),
            html.H1("重点项目"),
            html.Div(
                [
                    select(ids.PROJECTS_PERIOD, "报告期", choices, chosen, clearable=False),
                    *_filters(b.catalogue),
                ],
                className="controls",
            ),
            html.P(summary, id=ids.PROJECTS_SUMMARY),
            html.P(
                "序时：有月度计划的项目按月度计划累计占年度计划的比例，其余按时间均匀；快慢为完成年度计划%与序时之差"
                f"（百分点），落后不超过 {b.catalogue.projects.yellow_pp:g} 个百分点为黄灯，超过为红灯。",
                className="muted",
            ),
            html.Div(table, id=ids.PROJECTS_TABLE),
            html.H2("小计"),
            html.Div(subtotals, id=ids.PROJECTS_SUBTOTALS),
            html.H2("导入项目库或周报"),
            dcc.Upload(
                html.Div(["拖放项目库或周报文件到此处，或 ", html.A("点击选择文件")]),
                id=ids.PROJECTS_UPLOAD,
                accept=".csv,.xlsx",
                className="upload",
            ),
            html.Div(id=ids.PROJECTS_UPLOAD_RESULT),
            html.H2("项目服务清单"),
            html.Div(_problems(), id=ids.PROJECTS_PROBLEMS),
            html.Div(
                [
                    html.Label(
                        [
                            html.Span("问题编号", className="control-label"),
                            dcc.Input(id=ids.PROBLEM_ID, type="number", min=1),
                        ],
                        className="control",
                    ),
                    select(ids.PROBLEM_STATE, "新状态", states, None, placeholder="选择状态"),
                    html.Label(
                        [
                            html.Span("答复或办理结果", className="control-label"),
                            dcc.Textarea(id=ids.PROBLEM_NOTE, rows=2),
                        ],
                        className="control",
                        style={"flex": "1 1 320px"},
                    ),
                    html.Button("保存办理情况", id=ids.PROBLEM_SAVE, className="button"),
                ],
                className="controls",
            ),
            html.Div(id=ids.PROBLEM_MESSAGE),
        ]
    )


callback(
    Output(ids.PROJECTS_SUMMARY, "children"),
    Output(ids.PROJECTS_TABLE, "children"),
    Output(ids.PROJECTS_SUBTOTALS, "children"),
    Input(ids.PROJECTS_PERIOD, "value"),
    Input(ids.PROJECTS_LEVEL, "value"),
    Input(ids.PROJECTS_CATEGORY, "value"),
    Input(ids.PROJECTS_DEPARTMENT, "value"),
    Input(ids.PROJECTS_STREET, "value"),
    Input(ids.PROJECTS_STATUS, "value"),
    Input(ids.PROJECTS_GROUP, "value"),
    prevent_initial_call=True,
)(update_projects)
callback(
    Output(ids.PROJECTS_UPLOAD_RESULT, "children"),
    Input(ids.PROJECTS_UPLOAD, "contents"),
    State(ids.PROJECTS_UPLOAD, "filename"),
    prevent_initial_call=True,
)(upload_project_file)
callback(
    Output(ids.PROBLEM_MESSAGE, "children"),
    Output(ids.PROJECTS_PROBLEMS, "children"),
    Input(ids.PROBLEM_SAVE, "n_clicks"),
    State(ids.PROBLEM_ID, "value"),
    State(ids.PROBLEM_STATE, "value"),
    State(ids.PROBLEM_NOTE, "value"),
    prevent_initial_call=True,
)(save_problem)
dash.register_page(__name__, path="/projects", name="重点项目", title="重点项目 · 经济运行监测", order=5, layout=layout)
