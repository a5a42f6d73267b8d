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
    sample_banner,
    select,
    set_options,
)
from dash_app.pages.cockpit import detail_href
from dash_app.region_search import choices
from monitor.domain.catalogue import Catalogue
from monitor.domain.pace import STATUS_ZH
from monitor.domain.periods import Period, parse_period
from monitor.services.bulletin import TABLE_COLUMNS, bulletin_xlsx, cumulative_header, table_cells
from monitor.services.pace import PaceReport

SORTS = [{"label": "按分类", "value": "category"}, {"label": "按差距（落后在前）", "value": "gap"}]
STATUS_RULES = {
    "status-cell-red": "params.data.status_code == 'red'",
    "status-cell-yellow": "params.data.status_code == 'yellow'",
    "status-cell-green": "params.data.status_code == 'green'",
}


COMPACT = {
    "wrapText": True,  # long 通报 phrases wrap inside their cell instead of widening the grid past 1366px
    "autoHeight": True,
    "wrapHeaderText": True,
    "autoHeaderHeight": True,
    "cellStyle": {"lineHeight": "1.4", "padding": "4px 6px"},
    "headerClass": "compact-header",
}
FILTERED = ("name", "departments", "status")
"""Columns with a filter menu (its icon takes room in every header); the selectors above filter too."""


def grid_columns(report_month: Period) -> list[dict[str, Any]]:
    """The grid's columns: the 通报 table's (services.bulletin.TABLE_COLUMNS), 指标 pinned on the left."""
    out: list[dict[str, Any]] = []
    for column in TABLE_COLUMNS:
        header = cumulative_header(report_month) if column.key == "value" else column.header
        spec: dict[str, Any] = {
            "field": column.key,
            "headerName": header,
            "width": column.width,
            **COMPACT,
            "filter": column.key in FILTERED,
        }
        if column.numeric:
            spec["type"] = "rightAligned"
        if column.key == "name":
            spec.update(cellRenderer="markdown", pinned="left", minWidth=column.width)
        if column.key == "status":
            spec["cellClassRules"] = STATUS_RULES
        out.append(spec)
    return out


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
    """The grid's rows: the 通报 table's cells (table_cells), the name linking to the detail page, the gap kept
    numeric for sorting."""
    names = _categories(catalogue, set_code)
    month = parse_period(report_period)
    out = []
    for row in rows.to_dict("records"):
        cells: dict[str, Any] = table_cells(row, catalogue, month)
        cells["name"] = f"[{row['name']}]({detail_href(row['indicator'], row['region'], report_period)})"
        cells.update(
            code=row["indicator"],
            status_code=row["status"],
            category=names.get(row["category"], row["category"] or ""),
        )
        cells["差距(百分点)"] = None if pd.isna(row["gap_pp"]) else round(float(row["gap_pp"]), 1)
        out.append(cells)
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
    """The rows shown as the 通报 report (.xlsx: title and period rows, frozen header, Chinese labels only)."""
    if not clicks:
        return dash.no_update
    snap, month, set_code, place = selection(period, set_code, region)
    rep = report(snap, month, set_code, place)
    rows = sort_rows(filter_rows(rep.rows, category, department, status), order)
    note = "示例数据，模拟生成，非官方统计" if snap.today.is_sample else ""
    data = bulletin_xlsx(replace(rep, rows=rows), board().catalogue, note=note)
    return dcc.send_bytes(data, f"指标一览_{set_code}_{place}_{month}.xlsx")


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
                    select(ids.LIST_REGION, "地区", choices(keep=place), place, clearable=False),
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
                columnDefs=grid_columns(month),
                defaultColDef={"sortable": True, "resizable": True, "filter": True},
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
                "* 增速未报送，由本期与上年同期数值计算。完成全年目标%：增速目标按上年全年数×（1+目标增速）折算；"
                "快/慢于序时：完成全年目标%与序时进度之差，单位为百分点；位次：在对标地区中的增速位次。",
                className="muted",
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
callback(Output(ids.LIST_GRID, "columnDefs"), Input(ids.LIST_PERIOD, "value"), prevent_initial_call=True)(
    lambda period: grid_columns(parse_period(period)) if period else dash.no_update
)
callback(
    Output(ids.LIST_DOWNLOAD, "data"),
    Input(ids.LIST_EXPORT, "n_clicks"),
    *[State(i.component_id, i.component_property) for i in _FILTERS],
    prevent_initial_call=True,
)(export_excel)
dash.register_page(
    __name__, path="/indicators", name="指标一览", title="指标一览 · 经济运行监测", order=1, layout=layout
)
