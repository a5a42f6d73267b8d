"""指标一览: every indicator of a set in an AG Grid, by category, with filters, sorting by gap and Excel export."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dash_app import ids
from dash_app.board_state import board, report, report_months, selection
from dash_app.components import (
    GRID_LOCALE,
    guarded,
    legend,
    month_options,
    period_notice,
    region_options,
    sample_banner,
    select,
    set_options,
)
from dash_app.detail_text import forecast_short
from dash_app.pages.cockpit import detail_href
from monitor.domain.catalogue import Catalogue
from monitor.domain.pace import STATUS_ZH
from monitor.domain.periods import parse_period
from monitor.exports import xlsx_bytes
from monitor.formatting import format_amount, format_growth, format_probability, format_share, period_label
from monitor.services.pace import PaceReport, pace_csv_frame, status_text, target_text

SORTS = [{"label": "按分类", "value": "category"}, {"label": "按差距（落后在前）", "value": "gap"}]
GAP_FORMAT = {"function": "params.value == null ? '—' : (params.value > 0 ? '+' : '') + params.value.toFixed(1)"}
COLUMNS = [  # widths that fit a 1366 px screen (1280 px of columns): 目标 and 责任单位 wrap, headers too
    {"field": "分类", "width": 96, "pinned": "left"},
    {"field": "指标", "cellRenderer": "markdown", "width": 160, "pinned": "left", "wrapText": True, "autoHeight": True},
    {"field": "期别", "width": 100},
    {"field": "累计值", "type": "rightAligned", "width": 104},
    {"field": "增速", "type": "rightAligned", "width": 70},
    {"field": "目标", "minWidth": 130, "flex": 1, "wrapText": True, "autoHeight": True},
    {"field": "完成率/序时", "width": 112},
    {
        "field": "差距(百分点)",
        "type": "rightAligned",
        "width": 82,
        "valueFormatter": GAP_FORMAT,
        "filter": "agNumberColumnFilter",
    },
    {
        "field": "状态",
        "width": 100,
        "wrapText": True,
        "autoHeight": True,
        "cellClassRules": {
            "status-cell-red": "params.data.status == 'red'",
            "status-cell-yellow": "params.data.status == 'yellow'",
            "status-cell-green": "params.data.status == 'green'",
        },
    },
    {"field": "年末预测", "type": "rightAligned", "width": 110, "wrapText": True, "autoHeight": True},
    {"field": "达标概率", "type": "rightAligned", "width": 76},
    {"field": "责任单位", "minWidth": 140, "flex": 1, "wrapText": True, "autoHeight": True},
]


def _categories(catalogue: Catalogue, set_code: str) -> dict[str, str]:
    return {c.code: c.name for c in catalogue.sets[set_code].categories}


def filter_rows(rows: pd.DataFrame, category: str | None, department: str | None, status: str | None) -> pd.DataFrame:
    """Rows of one category, department (lead or co-department) and status; None means all."""
    keep = pd.Series(True, index=rows.index)
    if category:
        keep &= rows["category"] == category
    if department:
        keep &= rows["departments"].map(lambda codes: department in codes)
    if status:
        keep &= rows["status"] == status
    return rows[keep]


def sort_rows(rows: pd.DataFrame, order: str | None) -> pd.DataFrame:
    """Catalogue order (by category), or by gap with the furthest behind first (no gap last)."""
    if order == "gap":
        return rows.sort_values("gap_pp", na_position="last", kind="stable")
    return rows


def grid_rows(rows: pd.DataFrame, catalogue: Catalogue, set_code: str, report_period: str) -> list[dict[str, Any]]:
    """The grid's rows, every number formatted as the 通报 prints it (gap kept numeric for sorting)."""
    names = _categories(catalogue, set_code)
    out = []
    for row in rows.to_dict("records"):
        indicator = catalogue.indicators[row["indicator"]]
        progress = "—"
        if pd.notna(row["completion"]):
            progress = f"{format_share(row['completion'])} / {format_share(row['elapsed'])}"
        growth = format_growth(row["growth"]) + ("*" if row["growth_source"] == "computed" else "")
        out.append(
            {
                "code": row["indicator"],
                "status": row["status"],
                "分类": names.get(row["category"], row["category"] or ""),
                "指标": f"[{row['name']}]({detail_href(row['indicator'], row['region'], report_period)})",
                "期别": period_label(parse_period(row["period"]), indicator),
                "累计值": format_amount(row["value"], row["unit"])
                if pd.notna(row["value"])
                else "未报"
                if pd.isna(row["growth"])
                else "—",
                "增速": growth,
                "目标": target_text(row, catalogue) if row["target_kind"] else "—",
                "完成率/序时": progress,
                "差距(百分点)": None if pd.isna(row["gap_pp"]) else round(float(row["gap_pp"]), 1),
                "状态": status_text(row["status"], row["status_reason"]),
                "年末预测": forecast_short(row),
                "达标概率": format_probability(row["prob_meet"]),
                "责任单位": "、".join(
                    catalogue.departments[d].name for d in row["departments"] if d in catalogue.departments
                ),
            }
        )
    return out


def _selection(period: str | None, set_code: str | None, region: str | None) -> tuple[PaceReport, str, str]:
    snap, month, set_code, region = selection(period, set_code, region)
    return report(snap, month, set_code, region), set_code, str(month)


def update_grid(
    period: str | None,
    set_code: str | None,
    region: str | None,
    category: str | None,
    department: str | None,
    status: str | None,
    order: str | None,
) -> tuple[list[dict[str, Any]], str, list[dict[str, str]]]:
    """Grid rows, a one-line summary and the category options of the chosen set."""
    rep, set_code, month = _selection(period, set_code, region)
    cat = board().catalogue
    rows = sort_rows(filter_rows(rep.rows, category, department, status), order)
    tally = rows["status"].value_counts()
    summary = f"显示 {len(rows)} / {len(rep.rows)} 项：" + "，".join(
        f"{STATUS_ZH[s]} {int(tally.get(s, 0))}" for s in STATUS_ZH
    )
    options = [{"label": name, "value": code} for code, name in _categories(cat, set_code).items()]
    return grid_rows(rows, cat, set_code, month), summary, options


def export_excel(
    clicks: int | None,
    period: str | None,
    set_code: str | None,
    region: str | None,
    category: str | None,
    department: str | None,
    status: str | None,
    order: str | None,
) -> Any:
    """The rows shown, with every pace column and Chinese headers, as an .xlsx download."""
    if not clicks:
        return dash.no_update
    rep, set_code, month = _selection(period, set_code, region)
    rows = sort_rows(filter_rows(rep.rows, category, department, status), order)
    frame = pace_csv_frame(replace(rep, rows=rows), board().catalogue)
    return dcc.send_bytes(xlsx_bytes({"指标一览": frame}), f"指标一览_{set_code}_{region}_{month}.xlsx")


@guarded
def layout(period: str | None = None, set: str | None = None, region: str | None = None, **_: Any) -> Any:
    cat = board().catalogue
    snap, month, set_code, place = selection(period, set, region)
    rows, summary, categories = update_grid(str(month), set_code, place, None, None, None, "category")
    departments = [{"label": d.name, "value": d.code} for d in cat.departments.values()]
    statuses = [{"label": label, "value": code} for code, label in STATUS_ZH.items()]
    return html.Div(
        [
            sample_banner(snap),
            period_notice(period),
            html.H1("指标一览"),
            html.Div(
                [
                    select(ids.LIST_PERIOD, "报告期", month_options(report_months(snap)), str(month), clearable=False),
                    select(ids.LIST_SET, "指标体系", set_options(cat), set_code, clearable=False),
                    select(ids.LIST_REGION, "地区", region_options(cat), place, clearable=False),
                    select(ids.LIST_CATEGORY, "分类", categories, None, placeholder="全部分类"),
                    select(ids.LIST_DEPARTMENT, "责任单位", departments, None, placeholder="全部单位"),
                    select(ids.LIST_STATUS, "状态", statuses, None, placeholder="全部状态"),
                    select(ids.LIST_SORT, "排序", SORTS, "category", clearable=False),
                    html.Button("导出 Excel", id=ids.LIST_EXPORT, className="button secondary"),
                    dcc.Download(id=ids.LIST_DOWNLOAD),
                ],
                className="controls",
            ),
            legend(),
            html.Div(summary, id=ids.LIST_SUMMARY, className="muted"),
            dag.AgGrid(
                id=ids.LIST_GRID,
                rowData=rows,
                columnDefs=COLUMNS,
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "filter": True,
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                },
                dashGridOptions={
                    "domLayout": "autoHeight",
                    "animateRows": False,
                    "enableCellTextSelection": True,
                    "localeText": GRID_LOCALE,
                },
                getRowId="params.data.code",
                className="grid ag-theme-quartz",
                style={"width": "100%"},
            ),
            html.P(
                "* 增速未报送，由本期与上年同期数值计算。完成率/序时：总量目标的完成率与序时进度。", className="muted"
            ),
        ]
    )


_FILTERS = [
    Input(ids.LIST_PERIOD, "value"),
    Input(ids.LIST_SET, "value"),
    Input(ids.LIST_REGION, "value"),
    Input(ids.LIST_CATEGORY, "value"),
    Input(ids.LIST_DEPARTMENT, "value"),
    Input(ids.LIST_STATUS, "value"),
    Input(ids.LIST_SORT, "value"),
]
callback(
    Output(ids.LIST_GRID, "rowData"),
    Output(ids.LIST_SUMMARY, "children"),
    Output(ids.LIST_CATEGORY, "options"),
    *_FILTERS,
    prevent_initial_call=True,
)(update_grid)
callback(
    Output(ids.LIST_DOWNLOAD, "data"),
    Input(ids.LIST_EXPORT, "n_clicks"),
    *[State(i.component_id, i.component_property) for i in _FILTERS],
    prevent_initial_call=True,
)(export_excel)
dash.register_page(
    __name__, path="/indicators", name="指标一览", title="指标一览 · 经济运行监测", order=1, layout=layout
)
