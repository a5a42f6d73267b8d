"""PURE: frames -> plotly figures for the board (no database, no clock, no Dash).

Every figure has Chinese titles and axis labels, uses the status colours of the board and
works at phone width (legend under the plot, small margins).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dash_app.series import YearSeries, number_label, seasonal_path, target_growth, target_level
from monitor.domain.catalogue import Indicator, Measure
from monitor.domain.pace.basis import forecast_growth_range, goal_level, is_comparable, year_end_goal
from monitor.formatting import format_growth, format_pp, format_value

__all__ = [
    "COLOURS",
    "completion_figure",
    "flows_figure",
    "forecast_figure",
    "growth_figure",
    "message_figure",
    "ranking_figure",
]

COLOURS = {"red": "#d93025", "yellow": "#f2a600", "green": "#188038", "grey": "#9aa0a6"}
THIS_YEAR, LAST_YEAR, TARGET, PATH = "#1a73e8", "#9aa0a6", "#d93025", "#f29900"
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def _layout(fig: go.Figure, title: str, y_title: str, height: int = 320) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 56, "r": 16, "t": 44, "b": 40},
        legend={"orientation": "h", "y": -0.18, "x": 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hovermode="x unified",
        separators=".,",
    )
    fig.update_yaxes(title_text=y_title, gridcolor="#eceff1", zerolinecolor="#cfd8dc", tickformat=",~f")
    fig.update_xaxes(gridcolor="#f5f5f5")
    return fig


def message_figure(title: str, message: str) -> go.Figure:
    """An empty chart that says why there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 14})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, "", height=260)


def _labels(numbers: Any, indicator: Indicator) -> list[str]:
    cumulative = indicator.measure in (Measure.CUMULATIVE, Measure.RATE, Measure.INDEX)
    return [number_label(int(n), indicator.frequency, cumulative) for n in numbers]


def _axis(fig: go.Figure, indicator: Indicator, per_year: int) -> None:
    numbers = list(range(1, per_year + 1))
    step = 1 if per_year <= 12 else 4
    fig.update_xaxes(tickmode="array", tickvals=numbers[::step], ticktext=_labels(numbers[::step], indicator))


def growth_figure(
    this: YearSeries, last: YearSeries, indicator: Indicator, row: dict[str, Any], per_year: int
) -> go.Figure:
    """Cumulative growth this year and last year against the target growth."""
    title = "累计增速：今年与上年对比"
    if this.frame["growth"].notna().sum() == 0 and last.frame["growth"].notna().sum() == 0:
        return message_figure(title, "暂无增速数据")
    fig = go.Figure()
    for series, colour, dash in ((last, LAST_YEAR, "dot"), (this, THIS_YEAR, "solid")):
        g = series.frame["growth"].dropna()
        fig.add_scatter(
            x=g.index,
            y=g.round(2),
            name=f"{series.year}年",
            mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 2.5 if series is this else 1.8},
            hovertemplate="%{y:.1f}%",
        )
    goal = target_growth(row)
    if goal is not None:
        fig.add_hline(y=goal, line={"color": TARGET, "dash": "dash"}, annotation_text=f"目标 {goal:g}%")
        fig.add_scatter(x=[None], y=[None], name="目标增速", mode="lines", line={"color": TARGET, "dash": "dash"})
    _axis(fig, indicator, per_year)
    return _layout(fig, title, "同比增长(%)")


def completion_figure(
    this: YearSeries, last: YearSeries, figures: pd.DataFrame, indicator: Indicator, row: dict[str, Any], per_year: int
) -> go.Figure:
    """Completion of the year's target against the linear 序时 line and the seasonal expected path."""
    title = "完成进度：对照序时进度和季节性进度"
    if indicator.measure is not Measure.CUMULATIVE or not this.has_levels:
        return message_figure(title, "该指标不是累计值（余额、价格、指数或只报增速），不适用完成进度")
    level, label = target_level(row, last, per_year)
    if level is None or level == 0:
        return message_figure(title, "没有全年目标，也没有上年全年数，无法计算完成进度")
    numbers = np.arange(1, per_year + 1)
    value, prices = this.frame["value"], ""
    if is_comparable(row) and target_growth(row) is not None:  # a real target: C in last year's prices, B_k·(1 + g)
        value = last.frame["value"].reindex(value.index) * (1 + this.frame["growth"] / 100)
        prices = "，按上年价格"
    done = (value.dropna() / level * 100).round(2)
    fig = go.Figure()
    fig.add_scatter(
        x=numbers,
        y=(numbers / per_year * 100).round(2),
        name="序时进度（线性）",
        mode="lines",
        line={"color": LAST_YEAR, "dash": "dash"},
        hovertemplate="%{y:.1f}%",
    )
    path = seasonal_path(figures, indicator, this.year)
    if len(path):
        fig.add_scatter(
            x=path.index,
            y=(path * 100).round(2),
            name="季节性进度（近三年平均）",
            mode="lines",
            line={"color": PATH, "dash": "dot"},
            hovertemplate="%{y:.1f}%",
        )
    fig.add_scatter(
        x=done.index,
        y=done,
        name=f"{this.year}年完成（占{label}{prices}）",
        mode="lines+markers",
        line={"color": THIS_YEAR, "width": 2.5},
        hovertemplate="%{y:.1f}%",
    )
    _axis(fig, indicator, per_year)
    return _layout(fig, title, f"占{label}(%)")


def _fan(fig: go.Figure, k: int, value: float, ends: tuple[float, float, float], per_year: int) -> None:
    """The dashed forecast from the last figure to year end inside its shaded 80% interval."""
    centre, low, high = ends
    if k >= per_year:
        fig.add_scatter(x=[per_year], y=[centre], name="预测", mode="markers", marker={"color": THIS_YEAR, "size": 9})
        return
    fig.add_scatter(
        x=[k, per_year], y=[value, low], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
    )
    fig.add_scatter(
        x=[k, per_year],
        y=[value, high],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor="rgba(26,115,232,0.18)",
        name="80%区间",
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[k, per_year], y=[value, centre], name="预测", mode="lines+markers", line={"color": THIS_YEAR, "dash": "dash"}
    )


def _goal_text(goal: float, row: dict[str, Any], levels: bool) -> str:
    if levels:
        return f"目标 {format_value(goal, str(row.get('unit', '')))}"
    if row.get("target_kind") == "growth_above":
        return f"参照增速 {goal:.1f}%"
    return f"目标{'下限' if row.get('target_kind') == 'growth_about' else ''} {goal:.1f}%"


def forecast_figure(
    this: YearSeries,
    last: YearSeries,
    indicator: Indicator,
    row: dict[str, Any],
    per_year: int,
    reference: dict[str, Any] | None = None,
) -> go.Figure:
    """The year so far, the forecast fan (80% interval) to year end and the goal prob_meet is judged by.

    Cumulative figures are drawn in levels, except at comparable prices (GDP): there the target is
    real growth, so the fan is drawn as growth (按可比价) like rates and indices. The goal line is
    `basis.goal_level` / `year_end_goal`, the very threshold of 达标概率 (`reference` is the pace
    row of a 高于X增速 target's reference).
    """
    comparable = is_comparable(row)
    levels = indicator.measure is Measure.CUMULATIVE and this.has_levels and not comparable
    title = "全年预测（80%区间，按可比价增速）" if comparable else "全年预测（80%区间）"
    column = "value" if levels else "growth"
    actual = this.frame[column].dropna()
    if actual.empty:
        return message_figure(title, "今年尚无数据")
    fig = go.Figure()
    prior = last.frame[column].dropna()
    if len(prior):
        fig.add_scatter(
            x=prior.index,
            y=prior.round(4),
            name=f"{last.year}年",
            mode="lines",
            line={"color": LAST_YEAR, "dash": "dot"},
        )
    fig.add_scatter(
        x=actual.index,
        y=actual.round(4),
        name=f"{this.year}年实际",
        mode="lines+markers",
        line={"color": THIS_YEAR, "width": 2.5},
    )
    if levels:
        ends: Any = tuple(row.get(k) for k in ("forecast_value", "forecast_low", "forecast_high"))
    else:
        span = forecast_growth_range(row)
        ends = (row.get("forecast_growth"), *span) if span else (None,)
    if all(v is not None and np.isfinite(v) for v in ends):
        _fan(fig, int(actual.index[-1]), float(actual.iloc[-1]), ends, per_year)
    if row.get("target_kind"):
        goal = goal_level(row, reference) if levels else year_end_goal(row, reference)
        if goal is None and levels:  # no forecast: last year's total grown by the target, as before
            goal = target_level(row, last, per_year)[0]
        if goal is not None:
            fig.add_hline(y=goal, line={"color": TARGET, "dash": "dash"}, annotation_text=_goal_text(goal, row, levels))
    _axis(fig, indicator, per_year)
    y_title = f"累计值({indicator.unit})" if levels else ("同比增长(%，可比价)" if comparable else "同比增长(%)")
    return _layout(fig, title, y_title)


def flows_figure(this: YearSeries, last: YearSeries, indicator: Indicator, per_year: int) -> go.Figure:
    """Single-period flows (当月值): this year against last year."""
    title = "当月值：今年与上年对比" if indicator.frequency.value == "monthly" else "当期值：今年与上年对比"
    if indicator.measure is not Measure.CUMULATIVE or not this.has_levels:
        return message_figure(title, "该指标不是累计值，没有当月值")
    fig = go.Figure()
    for series, colour in ((last, LAST_YEAR), (this, THIS_YEAR)):
        flow = series.frame["flow"].dropna()
        fig.add_bar(x=flow.index, y=flow.round(4), name=f"{series.year}年", marker_color=colour)
    fig.update_layout(barmode="group")
    numbers = list(range(1, per_year + 1))
    fig.update_xaxes(tickmode="array", tickvals=numbers, ticktext=[f"{n}月" for n in numbers])
    if indicator.frequency.value != "monthly":
        _axis(fig, indicator, per_year)
    return _layout(fig, title, f"当期值({indicator.unit})")


def ranking_figure(
    table: pd.DataFrame, title: str, highlight: str, reference: tuple[str, float] | None = None
) -> go.Figure:
    """Horizontal bars of growth by region (best on top), `highlight` in blue, and a dashed line at the
    reference (name, growth): the district's own growth behind its streets; without one, the average."""
    data = table.dropna(subset=["growth"])
    if data.empty:
        return message_figure(title, "所选期别没有可比较的增速")
    data = data.sort_values("growth")
    colours = [THIS_YEAR if code == highlight else "#90a4ae" for code in data["region"]]
    fig = go.Figure(
        go.Bar(
            x=data["growth"].round(2),
            y=data["region_name"],
            orientation="h",
            marker_color=colours,
            text=[format_growth(g) for g in data["growth"]],
            textposition="outside",
            hovertemplate="%{y}：%{x:.1f}%<extra></extra>",
        )
    )
    name, at = reference if reference is not None else ("平均", float(data["growth"].mean()))
    fig.add_vline(x=at, line={"color": TARGET, "dash": "dash"}, annotation_text=f"{name} {format_growth(at)}")
    fig = _layout(fig, title, "", height=max(260, 34 * len(data) + 90))
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_xaxes(title_text="同比增长(%)")
    return fig


def gap_text(value: float | None) -> str:
    """差距 in 百分点 with its sign, for hover texts and tables."""
    return "—" if value is None or not np.isfinite(value) else f"{format_pp(value)} 个百分点"
