"""排名: growth of one indicator by street of the district, or among the peer districts, as a chart and a table."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dash_app import figures, ids
from dash_app.board_state import board, parse_month, pick, ranking_report, report_months, snapshot
from dash_app.components import guarded, month_options, sample_banner, select, simple_table
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period
from monitor.formatting import format_amount, format_growth, period_label

GROUPS = [{"label": "姑苏区各街道", "value": "streets"}, {"label": "对标地区（苏州各区市）", "value": "peers"}]
DEFAULT_INDICATOR = "retail_sales"


def ranking_table(rows: pd.DataFrame, catalogue: Catalogue, code: str) -> pd.DataFrame:
    """One row per region with a growth: 位次 (1 = fastest growth), growth, and the distance from the average."""
    part = rows[rows["indicator"] == code][["region", "value", "growth", "period", "unit"]].copy()
    part["region_name"] = [catalogue.regions[r].name for r in part["region"]]
    part = part.dropna(subset=["growth"]).sort_values("growth", ascending=False, kind="stable")
    mean = part["growth"].mean()
    part["rank"] = part["growth"].rank(ascending=False, method="min").astype(int)
    part["vs_mean"] = part["growth"] - mean
    return part.reset_index(drop=True)


def _versus(delta: float) -> str:
    if abs(delta) < 0.05:
        return "与平均持平"
    return f"{'高于' if delta > 0 else '低于'}平均 {abs(delta):.1f} 个百分点"


def update_ranking(code: str | None, period: str | None, group: str | None) -> tuple[Any, Any, Any]:
    """Chart, table and a one-line summary for an indicator, report month and group of regions."""
    b, snap = board(), snapshot()
    cat = b.catalogue
    code = pick(code, cat.indicators, DEFAULT_INDICATOR)
    group = pick(group, ("streets", "peers"), "streets")
    month = parse_month(period, snap)
    rows = ranking_report(snap, month, group).rows
    table = ranking_table(rows, cat, code)
    indicator = cat.indicators[code]
    district = cat.meta.default_region
    label = period_label(parse_period(rows.loc[rows["indicator"] == code, "period"].iloc[0]), indicator)
    title = f"{indicator.name} {label} 同比增长：{'各街道' if group == 'streets' else '对标地区'}"
    chart = figures.ranking_figure(table, title, district)
    if table.empty:
        return chart, html.P("所选期别没有可比较的增速。", className="muted"), ""
    frame = pd.DataFrame(
        {
            "位次": table["rank"],
            "地区": table["region_name"],
            "累计值": [format_amount(v, u) for v, u in zip(table["value"], table["unit"], strict=True)],
            "同比增长": [format_growth(g) for g in table["growth"]],
            "与平均比较": [_versus(d) for d in table["vs_mean"]],
        }
    )
    summary = f"共 {len(table)} 个地区，平均增长 {format_growth(table['growth'].mean())}。"
    if district in set(table["region"]):
        mine = table[table["region"] == district].iloc[0]
        summary += f"{cat.regions[district].name}位列第 {int(mine['rank'])} 位，{_versus(float(mine['vs_mean']))}。"
    return chart, html.Div(simple_table(frame, ("位次", "累计值", "同比增长")), className="table-wrap"), summary


@guarded
def layout(indicator: str | None = None, period: str | None = None, group: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    cat = b.catalogue
    code = indicator if indicator in cat.indicators else DEFAULT_INDICATOR
    options = [{"label": f"{i.name}（{i.code}）", "value": i.code} for i in cat.indicators.values()]
    month = parse_month(period, snap)
    chosen = group if group in ("streets", "peers") else "streets"
    chart, table, summary = update_ranking(code, str(month), chosen)
    return html.Div(
        [
            sample_banner(snap),
            html.H1("排名"),
            html.Div(
                [
                    select(ids.RANK_INDICATOR, "指标", options, code, clearable=False),
                    select(ids.RANK_PERIOD, "报告期", month_options(report_months(snap)), str(month), clearable=False),
                    select(ids.RANK_GROUP, "比较范围", GROUPS, chosen, clearable=False),
                ],
                className="controls",
            ),
            html.P(summary, id=ids.RANK_SUMMARY),
            html.Div(dcc.Graph(id=ids.RANK_CHART, figure=chart, config={"displaylogo": False}), className="chart"),
            html.H2("排名表"),
            html.Div(table, id=ids.RANK_TABLE),
        ]
    )


callback(
    Output(ids.RANK_CHART, "figure"),
    Output(ids.RANK_TABLE, "children"),
    Output(ids.RANK_SUMMARY, "children"),
    Input(ids.RANK_INDICATOR, "value"),
    Input(ids.RANK_PERIOD, "value"),
    Input(ids.RANK_GROUP, "value"),
    prevent_initial_call=True,
)(update_ranking)
dash.register_page(__name__, path="/ranking", name="排名", title="排名 · 经济运行监测", order=4, layout=layout)
