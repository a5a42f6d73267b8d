"""指标详情 (/indicator/<code>): why an indicator stands where it does, in four charts and its figures."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dash_app import figures, ids
from dash_app.alert_views import alert_history
from dash_app.board_state import (
    Snapshot,
    board,
    figure_history,
    indicator_figures,
    parse_month,
    pick,
    report,
    report_months,
    snapshot,
)
from dash_app.components import (
    guarded,
    light,
    month_options,
    period_notice,
    sample_banner,
    select,
    simple_table,
)
from dash_app.detail_text import forecast_texts
from dash_app.region_search import choices
from dash_app.series import year_series
from monitor.domain.catalogue import Catalogue, Indicator
from monitor.domain.pace import REASON_ZH, STATUS_ZH
from monitor.domain.pace.basis import is_comparable
from monitor.domain.pace.target_words import target_words
from monitor.domain.periods import parse_period
from monitor.errors import UsageError
from monitor.formatting import (
    format_amount,
    format_growth,
    format_pp,
    format_probability,
    format_share,
    period_label,
)

GRAPH_CONFIG: Any = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
MEASURE_ZH = {
    "cumulative": "累计值",
    "stock": "期末余额",
    "rate": "只报增速",
    "index": "指数（上年同期=100）",
    "price": "价格",
}
FREQUENCY_ZH = {"monthly": "月度", "quarterly": "季度", "weekly": "周度", "annual": "年度"}


def _fact(label: str, value: str) -> html.Div:
    return html.Div([html.Div(label, className="fact-label"), html.Div(value, className="fact-value")])


def facts(row: dict[str, Any], catalogue: Catalogue, indicator: Indicator) -> html.Div:
    """The pace row in words: figure, growth, target, completion against 序时, gap, what the rest of the year needs."""
    items = [
        _fact("期别", period_label(parse_period(row["period"]), indicator)),
        _fact(MEASURE_ZH.get(row["measure"], "数值"), format_amount(row["value"], row["unit"])),
        _fact(
            "同比增长" + ("（按可比价）" if is_comparable(row) else ""),
            format_growth(row["growth"]) + ("（按数值推算）" if row["growth_source"] == "computed" else ""),
        ),
        _fact("目标", target_words(row, catalogue, basis=True) or "未设目标"),
    ]
    if pd.notna(row["completion"]):
        items.append(_fact("完成率 / 序时进度", f"{format_share(row['completion'])} / {format_share(row['elapsed'])}"))
    if pd.notna(row["gap_pp"]):
        items.append(_fact("差距", f"{format_pp(row['gap_pp'])} 个百分点"))
    if pd.notna(row["required_growth_rest"]):
        note = "（估算）" if row["required_growth_estimated"] else ""
        rest = row.get("rest_of_year") or "其余月份"  # 下半年, 四季度, 其余季度: the 通报 words
        basis = "（按可比价）" if is_comparable(row) else ""
        items.append(_fact(f"{rest}所需增速{basis}", format_growth(row["required_growth_rest"]) + note))
    if pd.notna(row["remaining"]):
        items.append(_fact("尚需完成", format_amount(row["remaining"], row["unit"])))
    if pd.notna(row["seasonal_share"]):
        gap = f"，差距 {format_pp(row['seasonal_gap_pp'])} 个百分点" if pd.notna(row["seasonal_gap_pp"]) else ""
        items.append(_fact("季节性进度", f"{format_share(row['seasonal_share'])}{gap}"))
    items += [_fact(label, text) for label, text in forecast_texts(row)]
    if pd.notna(row["prob_meet"]):
        items.append(_fact("达标概率", format_probability(row["prob_meet"])))
    return html.Div(items, className="facts")


def figures_table(history: pd.DataFrame, indicator: Indicator, tz: str) -> Any:
    """Every version of the figures with the time each was known from and until, and the import it came from."""
    if history.empty:
        return html.P("没有数据。", className="muted")
    frame = pd.DataFrame(
        {
            "期别": [period_label(parse_period(p), indicator) for p in history["period"]],
            "数值": [format_amount(v, indicator.unit) for v in history["value"]],
            "同比(%)": [format_growth(v) for v in history["yoy"]],
            "已知自": history["known_from"].dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M"),
            "有效至": [
                "当前" if pd.isna(t) else t.tz_convert(tz).strftime("%Y-%m-%d %H:%M") for t in history["known_to"]
            ],
            "来源": [
                "示例数据" if s else (f"#{int(i)} {f}" if pd.notna(i) else (src or "—"))
                for s, i, f, src in zip(
                    history["is_sample"], history["import_id"], history["import_file"], history["source"], strict=True
                )
            ],
            "备注": history["note"].fillna(""),
        }
    )
    revised = int(history["known_to"].notna().sum())
    note = (
        f"共 {len(history)} 个版本，其中 {revised} 个已被修订替代。"
        if revised
        else f"共 {len(history)} 个数，均未修订。"
    )
    return [html.P(note, className="muted"), html.Div(simple_table(frame, ("数值", "同比(%)")), className="table-wrap")]


def departments(indicator: Indicator, catalogue: Catalogue) -> html.Ul:
    """责任单位 (who answers for the result, lead first) and 数据来源 (who supplies the figure)."""
    items = []
    for n, code in enumerate(indicator.departments):
        d = catalogue.departments.get(code)
        if d is None:
            continue
        role = "牵头单位" if n == 0 else "配合单位"
        items.append(
            html.Li([f"{role}：{d.name}", html.Span(f"（{d.email}）", className="muted") if d.email else None])
        )
    source = catalogue.departments.get(indicator.supplier)
    if source is not None:
        items.append(html.Li(f"数据来源：{source.name}" + ("（区外单位，不作责任单位）" if source.external else "")))
    return html.Ul(items)


_LEVEL_ZH = {"district": "本区", "street": "街道", "peer": "对标地区"}


def _levels(indicator: Indicator) -> str:
    return "、".join(_LEVEL_ZH[k.value] for k in indicator.regions)


def detail_content(snap: Snapshot, code: str, region: str, period: str | None) -> list[Any]:
    """Everything below the selectors: facts, the four charts, the figures with revisions, alerts, departments."""
    b = board()
    cat = b.catalogue
    if code not in cat.indicators:
        raise UsageError(f"没有代码为“{code}”的指标：请从总览或指标一览进入")
    indicator = cat.indicators[code]
    if not cat.reports(code, region):
        raise UsageError(f"{cat.regions[region].name}不报送{indicator.name}（该指标只由{_levels(indicator)}报送）")
    month = parse_month(period, snap)
    rows = report(snap, month, "all", region).rows
    row = rows[rows["indicator"] == code].iloc[0].to_dict()
    found = rows[rows["indicator"] == row["target_reference"]]
    reference = found.iloc[0].to_dict() if len(found) else None
    evaluated = parse_period(row["period"])
    year, per_year = evaluated.year, evaluated.periods_per_year
    figs = indicator_figures(snap, code, region, year)
    this, last = year_series(figs, indicator, year), year_series(figs, indicator, year - 1)
    status = row["status"]
    reason = f"（{REASON_ZH.get(row['status_reason'] or '', row['status_reason'])}）" if status == "grey" else ""
    graphs = [
        (ids.DETAIL_GROWTH, figures.growth_figure(this, last, indicator, row, per_year)),
        (ids.DETAIL_COMPLETION, figures.completion_figure(this, last, figs, indicator, row, per_year)),
        (ids.DETAIL_FORECAST, figures.forecast_figure(this, last, indicator, row, per_year, reference)),
        (ids.DETAIL_FLOWS, figures.flows_figure(this, last, indicator, per_year)),
    ]
    return [
        html.Div(
            [
                html.Div([light(status), html.Strong(f" {STATUS_ZH.get(status, status)}{reason}")]),
                facts(row, cat, indicator),
            ],
            className="panel",
        ),
        html.Div(
            [  # plain dicts: a cached page is read back without plotly validating every figure again
                html.Div(dcc.Graph(id=gid, figure=fig.to_dict(), config=GRAPH_CONFIG), className="chart")
                for gid, fig in graphs
            ],
            className="charts",
        ),
        html.H2("数据及修订记录"),
        html.Div(
            figures_table(figure_history(snap, code, region, year), indicator, cat.meta.timezone), id=ids.DETAIL_FIGURES
        ),
        html.H2("预警记录"),
        html.Div(alert_history(code, region), id=ids.DETAIL_ALERTS),
        html.H2("责任单位与数据来源"),
        departments(indicator, cat),
    ]


@guarded
def update_detail(period: str | None, region: str | None, code: str) -> Any:
    b, snap = board(), snapshot()
    place = pick(region, b.catalogue.regions, b.catalogue.meta.default_region)
    return b.cached(("detail", code, place, period, snap.key), lambda: detail_content(snap, code, place, period))


@guarded
def layout(code: str | None = None, region: str | None = None, period: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    cat = b.catalogue
    if not code or code not in cat.indicators:
        return html.Div(
            [
                html.H1("指标详情"),
                html.P(f"没有代码为“{code}”的指标。", className="error-box"),
                dcc.Link("返回总览", href="/"),
            ]
        )
    indicator = cat.indicators[code]
    month = parse_month(period, snap)
    place = pick(region, cat.regions, cat.meta.default_region)
    place = place if cat.reports(code, place) else cat.meta.default_region
    unit = f"单位：{indicator.unit}"
    kind = f"{FREQUENCY_ZH.get(indicator.frequency.value, '')}{MEASURE_ZH.get(indicator.measure.value, '')}"
    basis = "，增速为可比价" if indicator.growth_basis.value == "constant" else ""
    return html.Div(
        [
            sample_banner(snap),
            period_notice(period),
            html.H1(indicator.name),
            html.P(f"{unit}；{kind}{basis}", className="muted"),
            dcc.Store(id=ids.DETAIL_CODE, data=code),
            html.Div(
                [
                    select(
                        ids.DETAIL_PERIOD, "报告期", month_options(report_months(snap)), str(month), clearable=False
                    ),
                    select(ids.DETAIL_REGION, "地区", choices(indicator=code, keep=place), place, clearable=False),
                ],
                className="controls",
            ),
            html.Div(detail_content(snap, code, place, str(month)), id=ids.DETAIL_CONTENT),
        ]
    )


callback(
    Output(ids.DETAIL_CONTENT, "children"),
    Input(ids.DETAIL_PERIOD, "value"),
    Input(ids.DETAIL_REGION, "value"),
    State(ids.DETAIL_CODE, "data"),
    prevent_initial_call=True,
)(update_detail)
dash.register_page(
    __name__,
    path_template="/indicator/<code>",
    name="指标详情",
    title="指标详情 · 经济运行监测",
    order=9,
    layout=layout,
)
