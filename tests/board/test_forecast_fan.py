"""The detail page's forecast fan: drawn on the target's basis, its goal line the threshold of 达标概率.

GDP at 2021-06 on the sample data: 1-6月 408.50亿元 (+10.7% at comparable prices), target 增长6%以上
on 2020's 802亿元, forecast 849.00亿元 in 2020 prices (+5.86%), 80% interval 820.41～877.60, prob 48%.
A fan of nominal levels under a line at 850.12 would put the forecast above the target beside a
probability below one half; drawn as growth at comparable prices, fan, line and probability agree.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dash_app import figures
from dash_app.detail_text import forecast_short, forecast_texts
from dash_app.series import year_series
from monitor.domain.catalogue import Catalogue

GDP_ROW: dict[str, Any] = {
    "indicator": "gdp",
    "measure": "cumulative",
    "unit": "亿元",
    "basis": "comparable",
    "growth": 10.7,
    "target_kind": "growth_min",
    "target_value": 6.0,
    "target_tolerance": float("nan"),
    "target_reference": None,
    "forecast_value": 849.0015,
    "forecast_low": 820.4076,
    "forecast_high": 877.5953,
    "forecast_growth": 5.8605,
    "prob_meet": 0.48,
}


def quarters(code: str) -> pd.DataFrame:
    rows = [
        [code, "gusu", "2020-Q1", 2020, 170.0, -5.0],
        [code, "gusu", "2020-Q2", 2020, 362.47, 1.0],
        [code, "gusu", "2020-Q3", 2020, 580.0, 2.5],
        [code, "gusu", "2020-Q4", 2020, 802.0, 3.5],
        [code, "gusu", "2021-Q1", 2021, 195.0, 19.0],
        [code, "gusu", "2021-Q2", 2021, 408.5, 10.7],
    ]
    return pd.DataFrame(rows, columns=["indicator", "region", "period", "year", "value", "yoy"])


def _hlines(fig: Any) -> list[float]:
    return [shape.y0 for shape in fig.layout.shapes]


def test_gdp_fan_is_growth_at_comparable_prices_with_the_target_growth_line(catalogue: Catalogue) -> None:
    gdp = catalogue.indicators["gdp"]
    figs = quarters("gdp")
    fig = figures.forecast_figure(year_series(figs, gdp, 2021), year_series(figs, gdp, 2020), gdp, GDP_ROW, 4)
    assert "可比价" in fig.layout.title.text
    assert _hlines(fig) == [pytest.approx(6.0)]
    forecast = next(t for t in fig.data if t.name == "预测")
    assert list(forecast.x) == [2, 4]
    assert forecast.y[0] == pytest.approx(10.7)
    assert forecast.y[-1] == pytest.approx(5.8605)  # below the line, as 达标概率 48% says
    low, high = (t.y[-1] for t in fig.data if list(t.x) == [2, 4] and t.name != "预测")
    assert low < 6.0 < high


def test_a_current_price_fan_in_levels_puts_the_line_where_prob_meet_turns(catalogue: Catalogue) -> None:
    """Revenue-like row: line at the forecast's own base × (1 + 5%), so 70.0 > line ⇔ growth 7.2% > 5%."""
    revenue = catalogue.indicators["gdp"]
    row = {**GDP_ROW, "basis": "current", "forecast_value": 70.0, "forecast_low": 66.0, "forecast_high": 74.0}
    row |= {"forecast_growth": 7.2, "target_value": 5.0, "prob_meet": 0.75}
    figs = quarters("gdp")
    fig = figures.forecast_figure(year_series(figs, revenue, 2021), year_series(figs, revenue, 2020), revenue, row, 4)
    assert _hlines(fig) == [pytest.approx(70.0 / 1.072 * 1.05)]


def test_gdp_facts_give_the_growth_and_the_level_in_last_years_prices() -> None:
    texts = [label + text for label, text in forecast_texts(GDP_ROW)]
    assert texts[0].startswith("全年预测增速（按可比价，80%区间）")
    assert texts[0].endswith("5.9%（2.3%～9.4%）")
    assert texts[1] == "全年预测（按上年价格）849.00亿元（820.41～877.60）"


def test_cards_show_a_comparable_price_forecast_as_its_growth() -> None:
    assert forecast_short(GDP_ROW) == "5.9%（可比价增速）"
    assert forecast_short({**GDP_ROW, "basis": "current"}) == "849.00亿元"


def test_gdp_completion_is_measured_in_last_years_prices(catalogue: Catalogue) -> None:
    """1-6月 408.50亿元 at current prices is 362.47 × 1.107 = 401.25亿元 in 2020 prices: 47.2% of 850.12."""
    gdp = catalogue.indicators["gdp"]
    figs = quarters("gdp")
    this, last = year_series(figs, gdp, 2021), year_series(figs, gdp, 2020)
    fig = figures.completion_figure(this, last, figs, gdp, GDP_ROW, 4)
    done = next(t for t in fig.data if t.name.startswith("2021年完成"))
    assert "按上年价格" in done.name
    assert done.y[-1] == pytest.approx(362.47 * 1.107 / 850.12 * 100, abs=0.01)
