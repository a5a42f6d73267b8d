"""The year-end forecast of each measure, with the numbers worked out by hand.

Series whose flows are constant (or whose share is known exactly) make the right answer
obvious: a model that extrapolates a constant must land on it, and every fallback is a one-line
formula. Noisy series are in test_calibration.py.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from monitor.domain.catalogue import Catalogue
from monitor.domain.forecast import FORECAST_COLUMNS, forecast_fingerprints, forecast_frame
from monitor.services.forecast_pool import pool_map
from tests.forecast.factories import (
    constant_years,
    monthly_cumulative,
    monthly_growth,
    monthly_values,
    one_forecast,
    points,
    quarterly_cumulative,
    weekly_prices,
)

NAN = math.nan
Obs = Callable[[], pd.DataFrame]


def _history_then(first_year_months: dict[int, list[float]], **kw: int) -> Obs:
    return lambda: monthly_cumulative("revenue", first_year_months, **kw)


CASES: list[tuple[str, Obs, str, str, dict[str, object]]] = [
    (
        "year_complete_the_total_is_the_forecast_with_no_error",
        lambda: monthly_cumulative("revenue", {2020: [10.0] * 12, 2021: [11.0] * 12}),
        "revenue",
        "2021-12",
        {"value": 132.0, "low": 132.0, "high": 132.0, "growth": 10.0, "sd": 0.0, "method": "actual"},
    ),
    (
        "constant_monthly_flow_continues_1_6_60_to_120",
        lambda: monthly_cumulative("revenue", {**constant_years(2015, 2020, 10.0), 2021: [10.0] * 6}),
        "revenue",
        "2021-06",
        {"value": 120.0, "growth": 0.0, "sd": 0.0, "method": "combination"},
    ),
    (
        "merged_1_2_figure_counts_as_two_months",
        lambda: monthly_cumulative("fai", {**constant_years(2015, 2020, 10.0), 2021: [10.0] * 6}, first_month=2),
        "fai",
        "2021-06",
        {"value": 120.0, "growth": 0.0, "method": "combination"},
    ),
    (
        "first_month_2_at_january_forecasts_the_whole_year_from_history",
        lambda: monthly_cumulative("fai", constant_years(2015, 2020, 10.0), first_month=2),
        "fai",
        "2021-01",
        {"value": 120.0, "growth": 0.0, "method": "combination"},
    ),
    (
        "one_prior_year_seasonal_share_36_over_0_25_is_144",
        lambda: monthly_cumulative("revenue", {2020: [5.0] * 6 + [15.0] * 6, 2021: [6.0] * 6}),
        "revenue",
        "2021-06",
        {"value": 144.0, "growth": 20.0, "method": "seasonal_fallback"},
    ),
    (
        "no_earlier_year_linear_30_at_month_3_is_120",
        lambda: monthly_cumulative("revenue", {2021: [10.0] * 3}),
        "revenue",
        "2021-03",
        {"value": 120.0, "growth": NAN, "method": "linear_fallback"},
    ),
    (
        "linear_for_a_1_2_indicator_counts_months_20_at_february_is_120",
        lambda: monthly_cumulative("fai", {2021: [10.0, 10.0]}, first_month=2),
        "fai",
        "2021-02",
        {"value": 120.0, "method": "linear_fallback"},
    ),
    (
        "only_last_years_total_before_the_first_figure",
        lambda: monthly_cumulative("fai", {2020: [10.0] * 12}, first_month=2),
        "fai",
        "2021-01",
        {"value": 120.0, "growth": 0.0, "method": "last_year_fallback"},
    ),
    (
        "no_figures_no_forecast",
        lambda: monthly_cumulative("fai", {2021: [10.0] * 3}, first_month=2),
        "revenue",
        "2021-06",
        {"value": NAN, "low": NAN, "high": NAN, "growth": NAN, "sd": NAN, "method": "no_history"},
    ),
    (
        "weekly_price_has_no_year_end",
        lambda: weekly_prices("pork_price", {"2021-W24": 16.0, "2021-W25": 15.8}),
        "pork_price",
        "2021-W25",
        {"value": NAN, "sd": NAN, "method": "not_applicable"},
    ),
    (
        "stock_december_balance_forecast_as_a_balance",
        lambda: monthly_values("deposits", {**constant_years(2015, 2020, 1000.0), 2021: [1000.0] * 6}),
        "deposits",
        "2021-06",
        {"value": 1000.0, "growth": 0.0, "method": "combination"},
    ),
    (
        "stock_with_december_known_is_actual",
        lambda: monthly_values("deposits", {2019: [900.0] * 12, 2020: [990.0] * 12}),
        "deposits",
        "2020-12",
        {"value": 990.0, "sd": 0.0, "growth": 10.0, "method": "actual"},
    ),
    (
        "stock_short_history_keeps_the_last_balance",
        lambda: monthly_values("deposits", {2021: [1000.0, 1010.0, 1020.0, 1030.0]}),
        "deposits",
        "2021-04",
        {"value": 1030.0, "method": "naive_fallback"},
    ),
    (
        "rate_steady_growth_stays",
        lambda: monthly_growth(
            "industrial_va", {**constant_years(2016, 2020, 8.0, months=11), 2021: [8.0] * 5}, first_month=2
        ),
        "industrial_va",
        "2021-06",
        {"value": 8.0, "growth": 8.0, "sd": 0.0, "method": "ses_growth"},
    ),
    (
        "rate_without_history_carries_the_growth_so_far",
        lambda: monthly_growth("industrial_va", {2021: [12.0, 10.0]}, first_month=2),
        "industrial_va",
        "2021-03",
        {"value": 10.0, "growth": 10.0, "method": "linear_fallback"},
    ),
    (
        "index_year_is_the_mean_of_its_months",
        lambda: monthly_values("cpi", {2021: [101.0, 102.0, 103.0, 104.0, 105.0, 106.0]}),
        "cpi",
        "2021-06",
        {"value": 103.5, "growth": 3.5, "method": "linear_fallback"},
    ),
    (
        "quarterly_q4_is_the_year",
        lambda: quarterly_cumulative("gdp", {2019: [100.0] * 4, 2020: [105.0] * 4}),
        "gdp",
        "2020-Q4",
        {"value": 420.0, "growth": 5.0, "sd": 0.0, "method": "actual"},
    ),
    (
        "quarterly_constant_flows_h1_200_to_400",
        lambda: quarterly_cumulative("gdp", {**constant_years(2015, 2020, 100.0, months=4), 2021: [100.0, 100.0]}),
        "gdp",
        "2021-Q2",
        {"value": 400.0, "growth": 0.0, "method": "combination"},
    ),
    (
        "missing_month_inside_the_year_is_bridged",
        lambda: monthly_cumulative("revenue", {**constant_years(2015, 2020, 10.0), 2021: [10.0] * 6}).query(
            "period != '2021-04'"
        ),
        "revenue",
        "2021-06",
        {"value": 120.0, "method": "combination"},
    ),
    (
        "period_that_is_not_one_gives_no_forecast",
        lambda: monthly_cumulative("revenue", {2021: [10.0] * 3}),
        "revenue",
        "2021-13",
        {"value": NAN, "method": "bad_period"},
    ),
]


@pytest.mark.parametrize(("obs", "indicator", "period", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_year_end_forecast(
    catalogue: Catalogue, obs: Obs, indicator: str, period: str, expected: dict[str, object]
) -> None:
    got = one_forecast(obs(), catalogue, indicator, period)
    assert got["forecast_method"] == expected["method"]
    for key in ("value", "low", "high", "growth", "sd"):
        if key in expected:
            assert got[f"forecast_{key}"] == pytest.approx(expected[key], rel=1e-6, abs=1e-6, nan_ok=True), key


def test_result_is_the_points_with_the_forecast_columns_in_order(catalogue: Catalogue) -> None:
    obs = monthly_cumulative("revenue", {2021: [10.0] * 3})
    pts = points(("revenue", "2021-03"), ("pork_price", "2021-W25"), ("revenue", "2021-02")).set_index(
        pd.Index([7, 3, 5])
    )
    out = forecast_frame(obs, catalogue, pts)
    assert list(out.columns) == ["indicator", "region", "period", *FORECAST_COLUMNS]
    assert list(out.index) == [7, 3, 5]
    assert list(out["forecast_value"].round(6)) == [120.0, pytest.approx(NAN, nan_ok=True), 120.0]


def noisy_revenue(seed: int = 1, months_2021: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    season = np.array([0.9, 0.85, 1, 1, 1, 1.05, 1, 1, 1.05, 1.05, 1.05, 1.1])
    flows = {
        year: list(10 * 1.05 ** (year - 2015) * season * np.exp(rng.normal(0, 0.05, 12))) for year in range(2015, 2022)
    }
    flows[2021] = flows[2021][:months_2021]
    return monthly_cumulative("revenue", flows)


def test_figures_after_the_point_are_ignored(catalogue: Catalogue) -> None:
    whole, early = noisy_revenue(months_2021=9), noisy_revenue(months_2021=3)
    at_march = points(("revenue", "2021-03"))
    assert forecast_frame(whole, catalogue, at_march).equals(forecast_frame(early, catalogue, at_march))
    assert forecast_fingerprints(whole, catalogue, at_march).equals(forecast_fingerprints(early, catalogue, at_march))


def test_a_revised_figure_changes_the_fingerprint_and_an_unrelated_one_does_not(catalogue: Catalogue) -> None:
    obs = pd.concat([noisy_revenue(), monthly_cumulative("fai", {2021: [10.0] * 6}, first_month=2)])
    pts = points(("revenue", "2021-06"), ("fai", "2021-06"))
    before = forecast_fingerprints(obs, catalogue, pts)
    revised = obs.copy()
    revised.loc[(revised["indicator"] == "revenue") & (revised["period"] == "2021-05"), "value"] *= 1.01
    after = forecast_fingerprints(revised, catalogue, pts)
    assert before.iloc[0] != after.iloc[0]
    assert before.iloc[1] == after.iloc[1]


def test_history_older_than_the_window_does_not_change_the_forecast(catalogue: Catalogue) -> None:
    obs = noisy_revenue(months_2021=6)
    older = pd.concat([monthly_cumulative("revenue", {2012: [9.0] * 12, 2013: [9.0] * 12, 2014: [9.5] * 12}), obs])
    at_june = points(("revenue", "2021-06"))
    assert forecast_fingerprints(older, catalogue, at_june).equals(forecast_fingerprints(obs, catalogue, at_june))


def test_interval_narrows_as_the_year_fills_and_always_holds_the_forecast(catalogue: Catalogue) -> None:
    obs = noisy_revenue(months_2021=11)
    out = forecast_frame(obs, catalogue, points(*[("revenue", f"2021-{m:02d}") for m in (3, 6, 9, 11)]))
    assert (out["forecast_method"] == "combination").all()
    assert out["forecast_sd"].is_monotonic_decreasing
    assert ((out["forecast_low"] < out["forecast_value"]) & (out["forecast_value"] < out["forecast_high"])).all()
    base = obs.loc[obs["period"] == "2020-12", "value"].iloc[0]
    implied = 100 * (out["forecast_value"] / base - 1)
    assert np.allclose(out["forecast_growth"], implied)


def test_a_process_pool_gives_the_same_forecasts(catalogue: Catalogue) -> None:
    regions = [f"r{i:02d}" for i in range(20)]
    obs = pd.concat([noisy_revenue(seed=i).assign(region=r) for i, r in enumerate(regions)])
    pts = points(*[("revenue", "2021-06", r) for r in regions])
    pd.testing.assert_frame_equal(
        forecast_frame(obs, catalogue, pts, map_tasks=pool_map(2)), forecast_frame(obs, catalogue, pts)
    )


def test_a_pool_started_from_a_threaded_process_gives_the_same_forecasts(catalogue: Catalogue) -> None:
    """The board and the scheduler refresh from worker threads: the pool then comes from a fork server."""
    regions = [f"r{i:02d}" for i in range(20)]
    obs = pd.concat([noisy_revenue(seed=i).assign(region=r) for i, r in enumerate(regions)])
    pts = points(*[("revenue", "2021-06", r) for r in regions])
    got: list[pd.DataFrame] = []
    other = threading.Event()
    sleeper = threading.Thread(target=other.wait)  # a second thread alive, as in the board
    sleeper.start()
    try:
        worker = threading.Thread(target=lambda: got.append(forecast_frame(obs, catalogue, pts, map_tasks=pool_map(2))))
        worker.start()
        worker.join(timeout=120)
    finally:
        other.set()
        sleeper.join()
    assert got, "the threaded refresh did not finish"
    pd.testing.assert_frame_equal(got[0], forecast_frame(obs, catalogue, pts))
