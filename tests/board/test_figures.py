"""Pure parts of the board: series shaping and figures, on small hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dash_app import figures
from dash_app.series import number_label, seasonal_path, target_growth, target_level, year_series
from monitor.domain.catalogue import Catalogue


def monthly(code: str, years: dict[int, list[float]], yoy: dict[int, list[float]] | None = None) -> pd.DataFrame:
    """Cumulative figures 1-N月 from January for each year."""
    rows = []
    for year, values in years.items():
        for n, value in enumerate(values, start=1):
            growth = (yoy or {}).get(year, [math.nan] * len(values))[n - 1]
            rows.append([code, "gusu", f"{year}-{n:02d}", year, value, growth])
    return pd.DataFrame(rows, columns=["indicator", "region", "period", "year", "value", "yoy"])


@pytest.mark.parametrize(
    ("number", "frequency", "cumulative", "label"),
    [
        (1, "monthly", True, "1月"),
        (5, "monthly", True, "1-5月"),
        (6, "monthly", False, "6月"),
        (2, "quarterly", True, "二季度"),
        (25, "weekly", True, "第25周"),
    ],
    ids=["january", "year-to-date", "balance", "quarter", "week"],
)
def test_number_label(number: int, frequency: str, cumulative: bool, label: str) -> None:
    assert number_label(number, frequency, cumulative) == label


def test_year_series_uses_published_growth_and_computes_the_missing(catalogue: Catalogue) -> None:
    figs = monthly("new_jobs", {2020: [10, 20, 30], 2021: [12, 25, 33]}, {2021: [20.0, math.nan, 10.0]})
    this = year_series(figs, catalogue.indicators["new_jobs"], 2021).frame
    assert this["growth"].tolist() == pytest.approx([20.0, 25.0, 10.0])  # 25 = 25/20 - 1, computed
    assert this["flow"].tolist() == pytest.approx([12, 13, 8])


def test_flows_skip_a_missing_month(catalogue: Catalogue) -> None:
    figs = monthly("new_jobs", {2021: [12, 25, 33]})
    figs = figs[figs["period"] != "2021-02"]
    flow = year_series(figs, catalogue.indicators["new_jobs"], 2021).frame["flow"]
    assert flow[1] == 12
    assert math.isnan(flow[3])


def test_seasonal_path_is_the_mean_share_of_prior_full_years(catalogue: Catalogue) -> None:
    full = [float(n) for n in range(1, 13)]
    figs = monthly("new_jobs", {2019: full, 2020: [2 * v for v in full], 2021: [1.0, 2.0]})
    path = seasonal_path(figs, catalogue.indicators["new_jobs"], 2021)
    assert path[6] == pytest.approx(0.5)
    assert path[12] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"target_kind": "growth_min", "target_value": 6.0}, 6.0),
        ({"target_kind": "growth_above", "target_value": math.nan, "growth": 9.2, "gap_pp": -1.5}, 10.7),
        ({"target_kind": "level_min", "target_value": 50000.0}, None),
        ({"target_kind": None, "target_value": None}, None),
    ],
    ids=["growth-min", "growth-above-reference", "level", "none"],
)
def test_target_growth(row: dict[str, object], expected: float | None) -> None:
    assert target_growth(row) == (pytest.approx(expected) if expected is not None else None)


def test_target_level_grows_last_year_by_the_target_growth(catalogue: Catalogue) -> None:
    figs = monthly("fai", {2020: [float(n) for n in range(1, 13)]})
    last = year_series(figs, catalogue.indicators["fai"], 2020)
    assert target_level({"target_kind": "growth_min", "target_value": 10.0}, last, 12)[0] == pytest.approx(13.2)
    assert target_level({"target_kind": "level_min", "target_value": 500.0}, last, 12) == (500.0, "全年目标")
    assert target_level({"target_kind": None, "target_value": None}, last, 12) == (12.0, "上年全年")


def test_figures_draw_this_year_last_year_target_and_fan(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["new_jobs"]
    figs = monthly("new_jobs", {2020: [float(4000 * n) for n in range(1, 13)], 2021: [3000.0 * n for n in range(1, 7)]})
    this, last = year_series(figs, indicator, 2021), year_series(figs, indicator, 2020)
    row = {
        "target_kind": "level_min",
        "target_value": 50000.0,
        "forecast_value": 40000.0,
        "forecast_low": 36000.0,
        "forecast_high": 44000.0,
    }
    growth = figures.growth_figure(this, last, indicator, row, 12)
    assert [t.name for t in growth.data] == ["2020年", "2021年"]
    completion = figures.completion_figure(this, last, figs, indicator, row, 12)
    assert completion.data[0].name == "序时进度（线性）"
    assert completion.data[-1].y[-1] == pytest.approx(36.0)
    fan = figures.forecast_figure(this, last, indicator, row, 12)
    assert any(t.fill == "tonexty" for t in fan.data)
    assert fan.layout.shapes[0].y0 == 50000.0
    flows = figures.flows_figure(this, last, indicator, 12)
    assert [len(t.x) for t in flows.data] == [12, 6]


def test_figures_explain_what_they_cannot_draw(catalogue: Catalogue) -> None:
    indicator = catalogue.indicators["deposits"]  # a balance: no completion, no single-month flow
    figs = monthly("deposits", {2021: [3000.0, 3050.0]})
    this, last = year_series(figs, indicator, 2021), year_series(figs, indicator, 2020)
    completion = figures.completion_figure(this, last, figs, indicator, {"target_kind": None}, 12)
    assert "不适用" in completion.layout.annotations[0].text
    assert "没有当月值" in figures.flows_figure(this, last, indicator, 12).layout.annotations[0].text


def test_ranking_figure_puts_the_fastest_on_top_and_marks_the_average() -> None:
    table = pd.DataFrame({"region": ["a", "b", "c"], "region_name": ["甲", "乙", "丙"], "growth": [5.0, 9.0, 1.0]})
    fig = figures.ranking_figure(table, "增长", "a")
    assert list(fig.data[0].y) == ["丙", "甲", "乙"]  # plotly draws the last bar on top
    assert "平均 5.0%" in fig.layout.annotations[0].text
    assert "没有可比较" in figures.ranking_figure(table.iloc[:0], "增长", "a").layout.annotations[0].text
