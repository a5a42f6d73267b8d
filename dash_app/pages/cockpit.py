"""总览 (cockpit): the headline indicators and every indicator with a target as cards with their lights."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dash_app import ids
from dash_app.board_state import Snapshot, board, report, report_months, selection
from dash_app.components import (
    guarded,
    legend,
    light,
    month_options,
    period_notice,
    sample_banner,
    select,
    set_options,
)
from dash_app.detail_text import forecast_short
from dash_app.region_search import choices
from monitor.domain.catalogue import Catalogue
from monitor.domain.pace import STATUS_ZH
from monitor.domain.periods import Period, parse_period
from monitor.formatting import (
    display_unit,
    format_amount,
    format_growth,
    format_pp,
    format_probability,
    format_share,
    period_label,
)
from monitor.services.pace import target_text

HEADLINES = ("gdp", "revenue", "fai", "retail_sales")
"""地区生产总值, 一般公共预算收入, 全社会固定资产投资, 社会消费品零售总额: always shown first."""
STATUS_ORDER = {"red": 0, "yellow": 1, "green": 2, "grey": 3}


def detail_href(code: str, region: str, period: str) -> str:
    return f"/indicator/{code}?{urlencode({'region': region, 'period': period})}"


def _fact(label: str, value: str) -> list[Any]:
    return [html.Dt(label), html.Dd(value)]


def card(row: dict[str, Any], catalogue: Catalogue, report_period: str) -> html.A:
    """One indicator: value in its unit, growth, target, gap in 百分点, light, probability of meeting the target."""
    indicator = catalogue.indicators[row["indicator"]]
    unit, factor = display_unit(row["unit"])  # 万元 shown in 亿元, as in the 通报 table
    status = row["status"]
    growth = format_growth(row["growth"]) + ("（按数值推算）" if row["growth_source"] == "computed" else "")
    facts = _fact("增速", growth) + _fact("目标", target_text(row, catalogue) if row["target_kind"] else "未设目标")
    if pd.notna(row["completion"]):
        facts += _fact("完成率", f"{format_share(row['completion'])}（序时 {format_share(row['elapsed'])}）")
    if pd.notna(row["gap_pp"]):
        facts += _fact("差距", f"{format_pp(row['gap_pp'])} 个百分点")
    if pd.notna(row["prob_meet"]):
        facts += _fact("达标概率", format_probability(row["prob_meet"]))
    elif pd.notna(row["forecast_value"]):
        facts += _fact("全年预测", forecast_short(row))
    reason = f"（{row['status_reason_text']}）" if status == "grey" and row.get("status_reason_text") else ""
    value = (
        format_amount(row["value"] * factor, unit)
        if pd.notna(row["value"])
        else growth
        if pd.notna(row["growth"])
        else "未报"
    )
    return html.A(
        [
            html.Div(
                [
                    light(status),
                    html.Span(row["name"], className="card-name"),
                    html.Span("重点", className="headline") if row["indicator"] in HEADLINES else None,
                    html.Span(STATUS_ZH.get(status, status) + reason, className="card-status"),
                ],
                className="card-head",
            ),
            html.Div(value, className="card-value"),
            html.Div(period_label(parse_period(row["period"]), indicator), className="card-period"),
            html.Dl(facts, className="card-facts"),
        ],
        href=detail_href(row["indicator"], row["region"], report_period),
        className=f"card card-{status}",
        id=f"card-{row['indicator']}",
        **{"data-status": status},
    )


def cockpit_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The cards' rows: headline indicators first (in HEADLINES order), then the others with a target, worst first."""
    from monitor.services.pace import REASON_ZH

    rows = rows.assign(status_reason_text=[REASON_ZH.get(r or "", r) for r in rows["status_reason"]])
    headline = rows[rows["indicator"].isin(HEADLINES)].copy()
    headline["order"] = [HEADLINES.index(c) for c in headline["indicator"]]
    targeted = rows[~rows["indicator"].isin(HEADLINES) & rows["target_kind"].notna()].copy()
    targeted["order"] = [10 + STATUS_ORDER.get(s, 9) for s in targeted["status"]]
    return pd.concat([headline, targeted]).sort_values("order", kind="stable")


def counts(rows: pd.DataFrame) -> html.Div:
    tally = rows["status"].value_counts()
    return html.Div(
        [
            html.Span(
                [STATUS_ZH[s], html.B(int(tally.get(s, 0))), " 项"], className=f"count count-{s}", id=f"count-{s}"
            )
            for s in ("red", "yellow", "green", "grey")
        ],
        className="counts",
        id=ids.COCKPIT_COUNTS,
    )


@guarded
def cockpit_content(period: str | None, set_code: str | None, region: str | None, snap: Snapshot | None = None) -> Any:
    """Counts, legend and cards for a report month, indicator set and region (built once per data version)."""
    snap, month, set_code, region = selection(period, set_code, region, snap)
    key = ("cockpit", str(month), set_code, region, snap.key)
    return board().cached(key, lambda: _content(snap, month, set_code, region))


def _content(snap: Snapshot, month: Period, set_code: str, region: str) -> list[Any]:
    cat = board().catalogue
    rep = report(snap, month, set_code, region)
    shown = cockpit_rows(rep.rows)
    heading = f"{cat.regions[region].name} · {cat.sets[set_code].name} · 截至 {month.label_zh()} 报告期"
    return [
        sample_banner(snap),
        html.H1(heading),
        counts(rep.rows),
        legend(),
        html.Div(
            [card(row, cat, str(month)) for row in shown.to_dict("records")]
            or [html.P("本体系在该地区没有设定目标的指标。", className="muted")],
            className="cards",
            id=ids.COCKPIT_CARDS,
        ),
        html.P(
            f"共 {len(rep.rows)} 项指标，其中 {len(shown)} 项显示为卡片（重点指标和设有目标的指标）；点击卡片查看详情。"
            "差距：总量目标为完成率与序时进度之差，增速目标为实际增速与目标增速之差，单位为百分点。",
            className="muted",
        ),
    ]


def download_briefing(clicks: int | None, period: str | None, region: str | None) -> Any:
    """The 经济运行简报 (.docx) of the selected report month and region: the document `monitor briefing` writes."""
    from monitor.services.briefing import make_briefing

    if not clicks:
        return dash.no_update
    b = board()
    snap, month, _, place = selection(period, None, region)
    document = b.cached(
        ("briefing", str(month), place, snap.key),
        lambda: make_briefing(b.engine, b.catalogue, b.settings, month, region=place, fmt="docx", fit_missing=False),
    )
    return dcc.send_bytes(document.content, document.file_name)


@guarded
def layout(period: str | None = None, set: str | None = None, region: str | None = None, **_: Any) -> Any:
    cat = board().catalogue
    snap, month, set_code, place = selection(period, set, region)
    return html.Div(
        [
            period_notice(period),
            html.Div(
                [
                    select(
                        ids.COCKPIT_PERIOD, "报告期", month_options(report_months(snap)), str(month), clearable=False
                    ),
                    select(ids.COCKPIT_SET, "指标体系", set_options(cat), set_code, clearable=False),
                    select(ids.COCKPIT_REGION, "地区", choices(keep=place), place, clearable=False),
                    html.Button("生成简报", id=ids.COCKPIT_BRIEFING, className="button secondary"),
                    dcc.Download(id=ids.COCKPIT_BRIEFING_DOWNLOAD),
                ],
                className="controls",
            ),
            html.Div(cockpit_content(str(month), set_code, place, snap), id=ids.COCKPIT_CONTENT),
        ]
    )


callback(
    Output(ids.COCKPIT_CONTENT, "children"),
    Input(ids.COCKPIT_PERIOD, "value"),
    Input(ids.COCKPIT_SET, "value"),
    Input(ids.COCKPIT_REGION, "value"),
    prevent_initial_call=True,
)(cockpit_content)
callback(
    Output(ids.COCKPIT_BRIEFING_DOWNLOAD, "data"),
    Input(ids.COCKPIT_BRIEFING, "n_clicks"),
    State(ids.COCKPIT_PERIOD, "value"),
    State(ids.COCKPIT_REGION, "value"),
    prevent_initial_call=True,
)(download_briefing)
dash.register_page(__name__, path="/", name="总览", title="总览 · 经济运行监测", order=0, layout=layout)
