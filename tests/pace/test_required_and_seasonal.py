"""倒排 (the growth the rest of the year needs) and the seasonal expected path, by hand-computed cases.

Notation of DOMAIN.md §3: C this year's cumulative figure, B_k last year's same period, B last
year's full year, k of K periods elapsed, T = B·(1 + g/100) (or X for level targets).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from monitor.domain.pace import seasonal_share
from tests.pace.helpers import catalogue, check, combine, figures, pace_row

GROWTH_10 = {"indicator": "flow", "kind": "growth_min", "value": 10.0}

REQUIRED_CASES = [
    pytest.param(
        "gdp_real",
        {"indicator": "gdp_real", "kind": "growth_min", "value": 6.0},
        {"2021-Q2": (408.5, 10.7), "2020-Q2": (362.47, None), "2020-Q4": (802.0, None)},
        "2021-06",
        {
            # 可比价: C in 2020 prices is 362.47 × 1.107 = 401.25, not the current-price 408.5
            "required_growth_rest": 100 * ((802.0 * 1.06 - 362.47 * 1.107) / (802.0 - 362.47) - 1),
            "basis": "comparable",
        },
        id="comparable-price-gdp-needs-2.1-real-not-0.5",
    ),
    pytest.param(
        "gdp",
        {"indicator": "gdp", "kind": "growth_min", "value": 6.0},
        {"2021-Q2": (408.5, 10.7), "2020-Q2": (362.47, None), "2020-Q4": (802.0, None)},
        "2021-06",
        {"required_growth_rest": 100 * ((802.0 * 1.06 - 408.5) / (802.0 - 362.47) - 1), "basis": "current"},
        id="current-price-the-same-figures-divide-C-itself",
    ),
    pytest.param(
        "flow",
        GROWTH_10,
        {"2021-06": (112, 12.0), "2020-06": (100, None), "2020-12": (240, None)},
        "2021-06",
        {"required_growth_rest": 100 * ((264 - 112) / (240 - 100) - 1), "required_growth_estimated": False},
        id="growth-target-T-264-C-112-over-last-years-140-needs-8.57",
    ),
    pytest.param(
        "jobs",
        {"indicator": "jobs", "kind": "level_min", "value": 50000},
        {"2021-06": (19000, None), "2020-06": (20000, None), "2020-12": (52000, None)},
        "2021-06",
        {"required_growth_rest": 100 * (31000 / 32000 - 1), "remaining": 31000.0, "required_growth_estimated": False},
        id="level-target-31000-left-against-last-years-32000-needs-minus-3.1",
    ),
    pytest.param(
        "flow",
        {"indicator": "flow", "kind": "growth_about", "value": 6.0, "tolerance": 0.5},
        {"2021-06": (106, 6.0), "2020-06": (100, None), "2020-12": (200, None)},
        "2021-06",
        {"required_growth_rest": 6.0, "required_growth_estimated": False},
        id="growth-about-aims-at-its-centre",
    ),
    pytest.param(
        "flow",
        {"indicator": "flow", "kind": "growth_max", "value": -10.0},
        {"2021-06": (45, -10.0), "2020-06": (50, None), "2020-12": (100, None)},
        "2021-06",
        {"required_growth_rest": -10.0},
        id="growth-max-cut-on-track-needs-the-same-cut",
    ),
    pytest.param(
        "income",
        {"indicator": "income", "kind": "growth_above", "reference": "gdp"},
        {"2021-Q2": (5000, 9.2), "2020-Q2": (4580, None), "2020-Q4": (10000, None)},
        "2021-06",
        {"required_growth_rest": 100 * ((10000 * 1.107 - 5000) / (10000 - 4580) - 1)},
        id="growth-above-needs-the-references-growth-10.7",
    ),
    pytest.param(
        "deposits",
        {"indicator": "deposits", "kind": "growth_min", "value": 8.0},
        {"2021-06": (1050, 5.0), "2020-06": (1000, None), "2020-12": (1100, None)},
        "2021-06",
        {"required_growth_rest": 100 * ((1188 - 1050) / (1100 - 1000) - 1)},
        id="stock-balance-increase-against-last-years-increase",
    ),
    pytest.param(
        "flow",
        GROWTH_10,
        {"2021-06": (112, 12.0), "2020-06": (100, None), "2020-12": (100, None)},
        "2021-06",
        {"required_growth_rest": None, "required_growth_estimated": False},
        id="prior-year-with-no-remaining-share-has-no-required-growth",
    ),
    pytest.param(
        "flow",
        GROWTH_10,
        {"2021-12": (250, 4.2), "2020-12": (240, None)},
        "2021-12",
        {"required_growth_rest": None, "required_growth_estimated": False},
        id="last-period-of-the-year-has-nothing-left",
    ),
    pytest.param(
        "va",
        {"indicator": "va", "kind": "growth_min", "value": 8.0},
        {"2021-06": (None, 7.0)},
        "2021-06",
        {"required_growth_rest": (8.0 - 0.5 * 7.0) / 0.5, "required_growth_estimated": True},
        id="growth-only-indicator-estimate-at-half-year-is-9",
    ),
    pytest.param(
        "va",
        {"indicator": "va", "kind": "growth_min", "value": 8.0},
        {"2021-09": (None, 7.0)},
        "2021-09",
        {"required_growth_rest": (8.0 - 0.75 * 7.0) / 0.25, "required_growth_estimated": True},
        id="growth-only-indicator-estimate-at-september-is-11",
    ),
    pytest.param(
        "flow",
        GROWTH_10,
        {"2021-06": (112, 12.0)},
        "2021-06",
        {"required_growth_rest": (10.0 - 0.5 * 12.0) / 0.5, "required_growth_estimated": True},
        id="no-history-falls-back-to-the-flagged-estimate",
    ),
    pytest.param(
        "jobs",
        {"indicator": "jobs", "kind": "level_min", "value": 50000},
        {"2021-06": (19000, None)},
        "2021-06",
        {"required_growth_rest": None, "required_growth_estimated": False, "remaining": 31000.0},
        id="level-target-without-last-years-levels-has-only-the-remaining-amount",
    ),
    pytest.param(
        "flow",
        None,
        {"2021-06": (112, 12.0), "2020-06": (100, None), "2020-12": (240, None)},
        "2021-06",
        {"required_growth_rest": None, "required_growth_estimated": False, "remaining": None},
        id="no-target-nothing-required",
    ),
]


@pytest.mark.parametrize(("indicator", "target", "by_period", "report_month", "expected"), REQUIRED_CASES)
def test_required_growth_for_the_rest_of_the_year(
    indicator: str, target: dict[str, Any] | None, by_period: dict, report_month: str, expected: dict[str, Any]
) -> None:
    cat = catalogue(target) if target else catalogue()
    obs = figures(indicator, by_period)
    if indicator == "income":
        obs = combine(obs, figures("gdp", {"2021-Q2": (400, 10.7)}))
    check(pace_row(obs, cat, indicator, report_month), expected)


def year_pairs(k: str, shares: dict[int, float | None], total: float = 100.0) -> dict[str, tuple[float, None]]:
    """C(y', k) = share × total and C(y', K) = total for each year; a None share leaves out the year-end."""
    out: dict[str, tuple[float, None]] = {}
    for year, share in shares.items():
        if share is None:
            out[f"{year}-{k}"] = (50.0, None)
        else:
            out[f"{year}-{k}"] = (share * total, None)
            out[f"{year}-12"] = (total, None)
    return out


X110 = {"indicator": "flow", "kind": "level_min", "value": 110}

SEASONAL_CASES = [
    pytest.param(
        {**year_pairs("06", {2018: 0.40, 2019: 0.50, 2020: 0.45}), "2021-06": (50, None)},
        X110,
        "2021-06",
        {
            "seasonal_share": 0.45,
            "seasonal_years": 3,
            "seasonal_projection": 50 / 0.45,
            "seasonal_gap_pp": 100 * (50 / 110 - 0.45),
        },
        id="mean-of-three-prior-years",
    ),
    pytest.param(
        {**year_pairs("06", {2017: 0.90, 2018: 0.40, 2019: 0.50, 2020: 0.45}), "2021-06": (50, None)},
        X110,
        "2021-06",
        {"seasonal_share": 0.45, "seasonal_years": 3},
        id="only-the-three-prior-years",
    ),
    pytest.param(
        {**year_pairs("06", {2017: 0.35, 2018: 0.40, 2019: None, 2020: 0.45}), "2021-06": (50, None)},
        X110,
        "2021-06",
        {"seasonal_share": 0.425, "seasonal_years": 2, "seasonal_projection": 50 / 0.425},
        id="a-year-without-its-year-end-is-skipped-and-not-replaced-by-an-older-one",
    ),
    pytest.param(
        {**year_pairs("06", {2020: 0.45}), "2021-06": (50, None)},
        X110,
        "2021-06",
        {"seasonal_share": 0.45, "seasonal_years": 1},
        id="one-prior-year-is-enough",
    ),
    pytest.param(
        {"2021-06": (50, None)},
        X110,
        "2021-06",
        {"seasonal_share": None, "seasonal_years": 0, "seasonal_projection": None, "seasonal_gap_pp": None},
        id="no-history-no-seasonal-figures",
    ),
    pytest.param(
        {"2021-12": (105, None), "2020-12": (100, None)},
        X110,
        "2021-12",
        {"seasonal_share": 1.0, "seasonal_years": 1, "seasonal_projection": 105.0},
        id="last-period-of-the-year-has-share-one",
    ),
    pytest.param(
        {**year_pairs("06", {2020: 0.40}), "2021-06": (45, None)},
        {"indicator": "flow", "kind": "level_max", "value": 100},
        "2021-06",
        {"seasonal_share": 0.40, "seasonal_gap_pp": 100 * (0.40 - 0.45)},
        id="level-max-seasonal-gap-is-positive-when-below-the-path",
    ),
    pytest.param(
        {**year_pairs("06", {2020: 0.40}), "2021-06": (45, 12.0)},
        {"indicator": "flow", "kind": "growth_min", "value": 6.0},
        "2021-06",
        {"seasonal_share": 0.40, "seasonal_projection": 112.5, "seasonal_gap_pp": None},
        id="growth-target-has-projection-but-no-seasonal-gap",
    ),
]


@pytest.mark.parametrize(("by_period", "target", "report_month", "expected"), SEASONAL_CASES)
def test_seasonal_share_and_projection(
    by_period: dict, target: dict[str, Any], report_month: str, expected: dict[str, Any]
) -> None:
    check(pace_row(figures("flow", by_period), catalogue(target), "flow", report_month), expected)


@pytest.mark.parametrize(
    ("indicator", "by_period", "expected"),
    [
        pytest.param(
            "deposits",
            {"2020-06": (1000, None), "2020-12": (1100, None), "2021-06": (1050, 5.0)},
            {"seasonal_share": 1000 / 1100, "seasonal_projection": 1050 * 1.1},
            id="stock-balance-share-of-the-december-balance",
        ),
        pytest.param(
            "gdp",
            {"2020-Q2": (380, None), "2020-Q4": (800, None), "2021-Q2": (408.5, 10.7)},
            {"seasonal_share": 380 / 800, "seasonal_years": 1},
            id="quarterly-half-year-against-q4",
        ),
        pytest.param(
            "va",
            {"2020-06": (None, 6.0), "2020-12": (None, 7.0), "2021-06": (None, 7.0)},
            {"seasonal_share": None, "seasonal_years": 0, "seasonal_projection": None},
            id="rates-have-no-seasonal-share",
        ),
        pytest.param(
            "pork",
            {"2020-W25": (20.0, None), "2020-W53": (25.0, None), "2021-W25": (16.0, None)},
            {"seasonal_share": None, "seasonal_years": 0},
            id="weekly-prices-have-no-seasonal-share",
        ),
    ],
)
def test_seasonal_figures_by_measure(indicator: str, by_period: dict, expected: dict[str, Any]) -> None:
    check(pace_row(figures(indicator, by_period), catalogue(), indicator), expected)


def test_seasonal_share_helper_serves_several_points_of_one_series_for_the_backtest() -> None:
    obs = combine(
        figures("flow", year_pairs("03", {2019: 0.2, 2020: 0.3})),
        figures("flow", year_pairs("06", {2019: 0.5, 2020: 0.4})),
        figures("flow", {"2021-03": (30, None), "2021-06": (60, None), "2021-12": (130, None)}),
    )
    points = pd.DataFrame(
        {"indicator": "flow", "region": "gusu", "period": ["2021-03", "2021-06", "2022-03"]}, index=[10, 11, 12]
    )
    got = seasonal_share(obs, points)
    assert list(got.index) == [10, 11, 12]
    assert got.loc[10, "seasonal_share"] == pytest.approx(0.25)
    assert got.loc[10, "seasonal_years"] == 2
    assert got.loc[11, "seasonal_share"] == pytest.approx(0.45)
    assert got.loc[12, "seasonal_share"] == pytest.approx((30 / 130 + 0.3 + 0.2) / 3)  # 2021 is a prior year of 2022
    assert got.loc[12, "seasonal_years"] == 3
