"""排名: growth of one indicator by street of the district, or among the peer districts, as a chart and a table."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dash_app import figures, ids
from dash_app.board_state import board, parse_month, pick, ranking_report, report_months, snapshot
from dash_app.components import guarded, month_options, period_notice, sample_banner, select, simple_table
from monitor.domain.periods import parse_period
from monitor.domain.ranking import RankingScope, rank_regions, ranking_regions
from monitor.formatting import format_amount, format_growth, period_label

GROUPS = [{"label": "姑苏区各街道", "value": "streets"}, {"label": "对标地区（苏州各区市）", "value": "peers"}]
DEFAULT_INDICATOR = "retail_sales"


def _versus(delta: float, scope: RankingScope) -> str:
    if scope is RankingScope.PEERS or delta != delta:  # NaN: no reference
        return ""
    if abs(delta) < 0.05:
        return "与全区持平"
    return f"{'快于' if delta > 0 else '慢于'}全区 {abs(delta):.1f} 个百分点"


def update_ranking(code: str | None, period: str | None, group: str | None) -> tuple[Any, Any, Any]:
    """Chart, table and a one-line summary: streets against the district, or the district among its peers."""
    b, snap = board(), snapshot()
    cat = b.catalogue
    code = pick(code, cat.indicators, DEFAULT_INDICATOR)
    scope = RankingScope(pick(group, ("streets", "peers"), "streets"))
    month = parse_month(period, snap)
    rows = ranking_report(snap, month, scope.value).rows
    ranked, reference = ranking_regions(cat, scope)
    ranking = rank_regions(rows, cat, code, scope, ranked, reference)
    table = ranking.table
    indicator = cat.indicators[code]
    district = cat.regions[cat.meta.default_region].name
    label = period_label(parse_period(rows.loc[rows["indicator"] == code, "period"].iloc[0]), indicator)
    title = f"{indicator.name} {label} 同比增长：{'各街道' if scope is RankingScope.STREETS else '对标地区'}"
    line = (district, ranking.reference_growth) if ranking.reference_growth is not None else None
    chart = figures.ranking_figure(table, title, cat.meta.default_region, reference=line)
    if ranking.unranked:
        return chart, html.P(ranking.unranked + "。", className="muted"), ranking.unranked
    if table.empty:
        return chart, html.P("所选期别没有可比较的增速。", className="muted"), ""
    frame = pd.DataFrame(
        {
            "位次": table["rank"],
            "地区": table["region_name"],
            "累计值": [format_amount(v, u) for v, u in zip(table["value"], table["unit"], strict=True)],
            "同比增长": [format_growth(g) for g in table["growth"]],
            "与全区比较": [_versus(d, scope) for d in table["vs_reference"]],
        }
    )
    if scope is RankingScope.STREETS:
        summary = f"共 {len(table)} 个街道"
        if ranking.reference_growth is not None:
            summary += f"，全区增长 {format_growth(ranking.reference_growth)}"
            summary += f"，{int((table['vs_reference'] >= 0.05).sum())} 个街道快于全区"
        summary += "。"
    else:
        frame = frame.drop(columns=["与全区比较"])
        summary = f"共 {len(table)} 个地区。"
        if ranking.district_rank is not None:
            summary += f"{district}位列第 {ranking.district_rank} 位。"
    return chart, html.Div(simple_table(frame, ("位次", "累计值", "同比增长")), className="table-wrap"), summary


@guarded
def layout(indicator: str | None = None, period: str | None = None, group: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    cat = b.catalogue
    code = indicator if indicator in cat.indicators else DEFAULT_INDICATOR
    options = [{"label": i.name, "value": i.code} for i in cat.indicators.values()]
    month = parse_month(period, snap)
    chosen = group if group in ("streets", "peers") else "streets"
    chart, table, summary = update_ranking(code, str(month), chosen)
    return html.Div(
        [
            sample_banner(snap),
            period_notice(period),
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
