"""Pace against each kind of target: completion, gap in 百分点 and the 红黄绿灯 status, by hand-computed cases.

Thresholds are the shipped defaults: level targets yellow down to −5 百分点, growth targets
yellow within a further 1.0 百分点 below the target (growth_about: below −tolerance).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.pace.helpers import DISTRICT, STREET, catalogue, check, combine, figures, pace_row

Case = tuple[str, dict[str, Any], dict[str, tuple[float | None, float | None]], str, dict[str, Any]]


LEVEL_MIN = {"kind": "level_min"}
LEVEL_CASES = [
    pytest.param(
        "jobs",
        {**LEVEL_MIN, "value": 50000},
        {"2021-06": (19000, -23.5)},
        "2021-06",
        {"completion": 0.38, "gap_pp": -12.0, "status": "red", "remaining": 31000.0, "elapsed": 0.5},
        id="19000-of-50000-at-6-of-12-is-12pp-behind-red",
    ),
    pytest.param(
        "flow",
        {**LEVEL_MIN, "value": 110},
        {"2021-06": (50, None)},
        "2021-06",
        {"completion": 50 / 110, "gap_pp": 100 * (50 / 110 - 0.5), "status": "yellow", "remaining": 60.0},
        id="半年度完成工业投资50亿元-全年110亿元-is-45.45pct-minus-4.55pp-yellow",
    ),
    pytest.param(
        "jobs",
        {**LEVEL_MIN, "value": 50000},
        {"2021-06": (30000, None)},
        "2021-06",
        {"completion": 0.6, "gap_pp": 10.0, "status": "green", "remaining": 20000.0},
        id="ahead-of-序时进度-is-green",
    ),
    pytest.param(
        "jobs",
        {**LEVEL_MIN, "value": 50000},
        {"2021-06": (25000, None)},
        "2021-06",
        {"completion": 0.5, "gap_pp": 0.0, "status": "green"},
        id="exactly-on-序时进度-is-green",
    ),
    pytest.param(
        "jobs",
        {**LEVEL_MIN, "value": 50000},
        {"2021-06": (22500, None)},
        "2021-06",
        {"completion": 0.45, "gap_pp": -5.0, "status": "yellow"},
        id="exactly-5pp-behind-is-still-yellow",
    ),
    pytest.param(
        "jobs",
        {**LEVEL_MIN, "value": 50000},
        {"2021-06": (22000, None)},
        "2021-06",
        {"completion": 0.44, "gap_pp": -6.0, "status": "red"},
        id="6pp-behind-is-red",
    ),
    pytest.param(
        "jobs",
        {**LEVEL_MIN, "value": 50000},
        {"2021-12": (48000, None)},
        "2021-12",
        {"elapsed": 1.0, "completion": 0.96, "gap_pp": -4.0, "status": "yellow", "remaining": 2000.0},
        id="last-period-of-the-year-compares-with-the-whole-year",
    ),
    pytest.param(
        "flow",
        {"kind": "level_max", "value": 100},
        {"2021-06": (45, None)},
        "2021-06",
        {"completion": 0.45, "gap_pp": 5.0, "status": "green", "remaining": 55.0},
        id="level-max-below-序时进度-is-green",
    ),
    pytest.param(
        "flow",
        {"kind": "level_max", "value": 100},
        {"2021-06": (53, None)},
        "2021-06",
        {"completion": 0.53, "gap_pp": -3.0, "status": "yellow"},
        id="level-max-3pp-over-序时进度-is-yellow",
    ),
    pytest.param(
        "flow",
        {"kind": "level_max", "value": 100},
        {"2021-06": (58, None)},
        "2021-06",
        {"completion": 0.58, "gap_pp": -8.0, "status": "red"},
        id="level-max-8pp-over-序时进度-is-red",
    ),
]


GROWTH_CASES = [
    pytest.param("growth_min", 6.0, None, 10.7, 4.7, "green", id="growth-min-10.7-against-6-is-green"),
    pytest.param("growth_min", 6.0, None, 6.0, 0.0, "green", id="growth-min-exactly-met-is-green"),
    pytest.param("growth_min", 6.0, None, 5.5, -0.5, "yellow", id="growth-min-0.5-short-is-yellow"),
    pytest.param("growth_min", 6.0, None, 5.0, -1.0, "yellow", id="growth-min-exactly-1-short-is-yellow"),
    pytest.param("growth_min", 6.0, None, 4.9, -1.1, "red", id="growth-min-1.1-short-is-red"),
    pytest.param("growth_about", 6.0, 0.5, 5.6, -0.4, "green", id="growth-about-within-tolerance-is-green"),
    pytest.param("growth_about", 6.0, 0.5, 9.0, 3.0, "green", id="growth-about-above-is-green"),
    pytest.param("growth_about", 6.0, 0.5, 5.0, -1.0, "yellow", id="growth-about-1-short-is-yellow"),
    pytest.param("growth_about", 6.0, 0.5, 4.5, -1.5, "yellow", id="growth-about-tolerance-plus-1-short-is-yellow"),
    pytest.param("growth_about", 6.0, 0.5, 4.4, -1.6, "red", id="growth-about-beyond-that-is-red"),
    pytest.param("growth_max", -10.0, None, -12.0, 2.0, "green", id="growth-max-cut-by-12-against-10-is-green"),
    pytest.param("growth_max", -10.0, None, -9.5, -0.5, "yellow", id="growth-max-cut-by-only-9.5-is-yellow"),
    pytest.param("growth_max", -10.0, None, -8.0, -2.0, "red", id="growth-max-cut-by-only-8-is-red"),
    pytest.param("growth_max", 3.0, None, 2.0, 1.0, "green", id="growth-max-positive-cap-kept-is-green"),
]


@pytest.mark.parametrize(("indicator", "target", "by_period", "report_month", "expected"), LEVEL_CASES)
def test_level_targets_compare_completion_with_elapsed_time(
    indicator: str, target: dict[str, Any], by_period: dict, report_month: str, expected: dict[str, Any]
) -> None:
    cat = catalogue({"indicator": indicator, **target})
    row = pace_row(figures(indicator, by_period), cat, indicator, report_month)
    check(row, {"target_kind": target["kind"], "target_value": float(target["value"]), **expected})
    assert row["status_reason"] is None


@pytest.mark.parametrize(("kind", "value", "tolerance", "growth", "gap", "status"), GROWTH_CASES)
def test_growth_targets_compare_growth_with_the_target(
    kind: str, value: float, tolerance: float | None, growth: float, gap: float, status: str
) -> None:
    target = {"indicator": "flow", "kind": kind, "value": value}
    if tolerance is not None:
        target["tolerance"] = tolerance
    row = pace_row(figures("flow", {"2021-06": (100.0, growth)}), catalogue(target), "flow")
    check(
        row,
        {
            "growth": growth,
            "gap_pp": gap,
            "status": status,
            "status_reason": None,
            "completion": None,
            "remaining": None,
            "target_tolerance": tolerance,
        },
    )


ABOVE = {"indicator": "income", "kind": "growth_above", "reference": "gdp"}
ABOVE_CASES = [
    pytest.param(
        "income",
        "2021-06",
        {"income": {"2021-Q2": (5000, 9.2)}, "gdp": {"2021-Q2": (400, 10.7)}},
        {"gap_pp": -1.5, "status": "red", "target_reference": "gdp"},
        id="income-9.2-below-gdp-10.7-is-red",
    ),
    pytest.param(
        "income",
        "2021-06",
        {"income": {"2021-Q2": (5000, 10.2)}, "gdp": {"2021-Q2": (400, 10.7)}},
        {"gap_pp": -0.5, "status": "yellow"},
        id="income-0.5-below-gdp-is-yellow",
    ),
    pytest.param(
        "income",
        "2021-06",
        {"income": {"2021-Q2": (5000, 11.0)}, "gdp": {"2021-Q2": (400, 10.7)}},
        {"gap_pp": 0.3, "status": "green"},
        id="income-above-gdp-is-green",
    ),
    pytest.param(
        "income",
        "2021-06",
        {"income": {"2021-Q2": (5000, 9.2)}, "gdp": {"2021-Q1": (190, 18.3)}},
        {"gap_pp": 9.2 - 18.3, "status": "red"},
        id="late-reference-falls-back-to-its-latest-period-of-the-year",
    ),
    pytest.param(
        "flow",
        "2021-05",
        {"flow": {"2021-05": (80, 17.0)}, "gdp": {"2021-Q1": (190, 18.0), "2021-Q2": (400, 10.0)}},
        {"gap_pp": -1.0, "status": "yellow"},
        id="monthly-row-takes-the-latest-quarter-ending-by-its-month",
    ),
    pytest.param(
        "income",
        "2021-06",
        {"income": {"2021-Q2": (5000, 9.2)}},
        {"gap_pp": None, "status": "grey", "status_reason": "no_reference", "growth": 9.2},
        id="missing-reference-is-grey-no-reference",
    ),
    pytest.param(
        "flow",
        "2021-02",
        {"flow": {"2021-02": (30, 5.0)}, "gdp": {"2020-Q4": (802, 0.1)}},
        {"status": "grey", "status_reason": "no_reference"},
        id="last-years-reference-is-not-compared-with-this-year",
    ),
]


@pytest.mark.parametrize(("indicator", "report_month", "series", "expected"), ABOVE_CASES)
def test_growth_above_compares_with_the_reference_indicators_growth(
    indicator: str, report_month: str, series: dict[str, dict], expected: dict[str, Any]
) -> None:
    cat = catalogue({**ABOVE, "indicator": indicator})
    obs = combine(*(figures(code, by_period) for code, by_period in series.items()))
    check(pace_row(obs, cat, indicator, report_month), expected)


GROWTH_SOURCE_CASES = [
    pytest.param(
        "flow",
        {"2021-06": (110, 8.0), "2020-06": (100, None)},
        8.0,
        "reported",
        id="published-yoy-wins-over-levels",
    ),
    pytest.param(
        "flow",
        {"2021-06": (110, None), "2020-06": (100, None)},
        10.0,
        "computed",
        id="missing-yoy-is-computed-from-same-period-last-year",
    ),
    pytest.param("flow", {"2021-06": (110, None)}, None, None, id="no-yoy-and-no-base-gives-no-growth"),
    pytest.param("flow", {"2021-06": (110, None), "2020-06": (0, None)}, None, None, id="zero-base-gives-no-growth"),
    pytest.param("cpi", {"2021-06": (102.5, None)}, 2.5, "computed", id="index-without-yoy-is-index-minus-100"),
    pytest.param("va", {"2021-06": (None, 7.5)}, 7.5, "reported", id="rate-carries-its-growth-in-yoy"),
    pytest.param(
        "pork",
        {"2021-W25": (16.0, None), "2020-W25": (20.0, None)},
        -20.0,
        "computed",
        id="weekly-price-against-the-same-week-last-year",
    ),
]


@pytest.mark.parametrize(("indicator", "by_period", "growth", "source"), GROWTH_SOURCE_CASES)
def test_growth_is_the_published_yoy_and_computed_only_when_missing(
    indicator: str, by_period: dict, growth: float | None, source: str | None
) -> None:
    row = pace_row(figures(indicator, by_period), catalogue(), indicator)
    check(row, {"growth": growth, "growth_source": source, "status": "grey", "status_reason": "no_target"})


GREY_CASES = [
    pytest.param(
        "flow",
        {"kind": "growth_min", "value": 6.0},
        figures("flow", {"2021-06": (50.0, 12.0)}, region=STREET),
        STREET,
        "2021-06",
        {"status_reason": "no_target", "value": 50.0, "growth": 12.0, "target_kind": None, "gap_pp": None},
        id="street-without-a-target-still-shows-its-figures",
    ),
    pytest.param(
        "jobs",
        {"kind": "level_min", "value": 50000},
        figures("jobs", {"2021-05": (15000, None)}),
        DISTRICT,
        "2021-06",
        {"status_reason": "no_data", "value": None, "completion": None, "elapsed": 0.5, "target_value": 50000.0},
        id="target-without-a-figure-for-the-period-is-no-data",
    ),
    pytest.param(
        "jobs",
        {"kind": "level_min", "value": 50000},
        figures("jobs", {"2021-06": (None, 5.0)}),
        DISTRICT,
        "2021-06",
        {"status_reason": "no_data", "growth": 5.0},
        id="level-target-with-only-a-growth-is-no-data",
    ),
    pytest.param(
        "flow",
        {"kind": "growth_min", "value": 6.0},
        figures("flow", {"2021-06": (50.0, None)}),
        DISTRICT,
        "2021-06",
        {"status_reason": "no_growth", "value": 50.0, "growth": None, "growth_source": None},
        id="growth-target-with-a-level-but-no-growth-is-no-growth",
    ),
    pytest.param(
        "invest",
        {"kind": "growth_min", "value": 10.0},
        figures("invest", {"2020-12": (200.0, 5.0), "2020-02": (20.0, 1.0)}),
        DISTRICT,
        "2021-01",
        {"status_reason": "before_first_period", "period": "2021-01", "value": None, "gap_pp": None},
        id="first-month-2-indicator-in-january-is-before-its-first-period",
    ),
]


@pytest.mark.parametrize(("indicator", "target", "obs", "region", "report_month", "expected"), GREY_CASES)
def test_grey_says_why(
    indicator: str, target: dict[str, Any], obs: Any, region: str, report_month: str, expected: dict[str, Any]
) -> None:
    row = pace_row(obs, catalogue({"indicator": indicator, **target}), indicator, report_month, region)
    check(row, {"status": "grey", **expected})
