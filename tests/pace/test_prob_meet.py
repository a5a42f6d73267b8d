"""The probability of meeting the target, from the year-end forecast's normal approximation.

Expected values are written as Φ(z) with z worked out by hand from the forecast and the target.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import pandas as pd
import pytest

from monitor.domain import forecast
from monitor.domain.pace import FORECAST_FIELDS
from tests.pace.helpers import DISTRICT, catalogue, check, combine, figures, pace_row

PHI = NormalDist().cdf
NAN = math.nan


def forecasts(*rows: tuple[str, str, float, float, float]) -> pd.DataFrame:
    """(indicator, period, forecast_value, forecast_sd, forecast_growth) for the district."""
    return pd.DataFrame(
        [
            {
                "indicator": indicator,
                "region": DISTRICT,
                "period": period,
                "forecast_value": value,
                "forecast_low": value - 1.2816 * sd,
                "forecast_high": value + 1.2816 * sd,
                "forecast_growth": growth,
                "forecast_sd": sd,
                "forecast_method": "test_model",
            }
            for indicator, period, value, sd, growth in rows
        ]
    )


JOBS = {"2021-06": (19000.0, None)}
FLOW_B240 = {"2021-06": (112.0, 12.0), "2020-06": (100.0, None), "2020-12": (240.0, None)}

CASES = [
    pytest.param(
        "jobs",
        {"kind": "level_min", "value": 50000},
        JOBS,
        [("jobs", "2021-06", 50000, 1000, NAN)],
        0.5,
        id="level-min-forecast-on-the-target-is-even",
    ),
    pytest.param(
        "jobs",
        {"kind": "level_min", "value": 50000},
        JOBS,
        [("jobs", "2021-06", 51500, 1000, NAN)],
        PHI(1.5),
        id="level-min-forecast-1.5-sd-above",
    ),
    pytest.param(
        "jobs",
        {"kind": "level_min", "value": 50000},
        JOBS,
        [("jobs", "2021-06", 50000, 0, NAN)],
        1.0,
        id="level-min-certain-forecast-on-the-target-meets-it",
    ),
    pytest.param(
        "flow",
        {"kind": "level_max", "value": 100},
        {"2021-06": (45.0, None)},
        [("flow", "2021-06", 90, 10, NAN)],
        PHI(1.0),
        id="level-max-forecast-1-sd-below-the-cap",
    ),
    pytest.param(
        "flow",
        {"kind": "growth_min", "value": 10},
        FLOW_B240,
        [("flow", "2021-06", 276, 12, 15.0)],
        PHI(1.0),
        id="growth-min-against-last-years-total-T-264",
    ),
    pytest.param(
        "flow",
        {"kind": "growth_min", "value": 10},
        {"2021-06": (112.0, 12.0)},
        [("flow", "2021-06", 264, 12, 15.0)],
        PHI(5 / (100 * 12 / (264 / 1.15))),
        id="growth-min-without-last-years-total-uses-the-base-the-forecast-implies",
    ),
    pytest.param(
        "va",
        {"kind": "growth_about", "value": 6.0, "tolerance": 0.5},
        {"2021-06": (None, 6.5)},
        [("va", "2021-06", 6.0, 1.0, 6.0)],
        PHI(0.5),
        id="growth-about-rate-is-met-down-to-the-tolerance",
    ),
    pytest.param(
        "flow",
        {"kind": "growth_max", "value": -10.0},
        {"2021-06": (45.0, -10.0), "2020-12": (100.0, None)},
        [("flow", "2021-06", 88, 2, -12.0)],
        PHI(1.0),
        id="growth-max-cut-forecast-1-sd-deeper-than-the-target",
    ),
    pytest.param(
        "cpi",
        {"kind": "growth_max", "value": 3.0},
        {"2021-06": (101.5, 1.5)},
        [("cpi", "2021-06", 102.0, 0.5, 2.0)],
        PHI(2.0),
        id="index-growth-is-the-index-minus-100",
    ),
    pytest.param(
        "flow",
        None,
        FLOW_B240,
        [("flow", "2021-06", 276, 12, 15.0)],
        None,
        id="no-target-no-probability",
    ),
    pytest.param(
        "flow",
        {"kind": "growth_min", "value": 10},
        FLOW_B240,
        [("flow", "2021-06", NAN, NAN, NAN)],
        None,
        id="no-forecast-no-probability",
    ),
]


@pytest.mark.parametrize(("indicator", "target", "by_period", "fc", "prob"), CASES)
def test_probability_of_meeting_the_target(
    indicator: str, target: dict[str, Any] | None, by_period: dict, fc: list, prob: float | None
) -> None:
    cat = catalogue({"indicator": indicator, **target}) if target else catalogue()
    row = pace_row(figures(indicator, by_period), cat, indicator, forecasts=forecasts(*fc))
    check(row, {"prob_meet": prob, "forecast_method": "test_model"})
    if prob is not None:
        assert 0.0 <= row["prob_meet"] <= 1.0


@pytest.mark.parametrize(
    ("reference_forecast", "prob"),
    [
        pytest.param([("gdp", "2021-Q2", 880, 8, 8.0)], PHI(1.0), id="against-the-references-forecast-growth"),
        pytest.param([], PHI(-1.7), id="against-the-references-current-growth-without-its-forecast"),
    ],
)
def test_growth_above_compares_with_the_references_year_end_growth(reference_forecast: list, prob: float) -> None:
    cat = catalogue({"indicator": "income", "kind": "growth_above", "reference": "gdp"})
    obs = combine(
        figures("income", {"2021-Q2": (5000.0, 9.2), "2020-Q4": (10000.0, None)}),
        figures("gdp", {"2021-Q2": (408.5, 10.7)}),
    )
    fc = forecasts(("income", "2021-Q2", 10900, 100, 9.0), *reference_forecast)
    check(pace_row(obs, cat, "income", forecasts=fc), {"prob_meet": prob, "forecast_value": 10900.0})


def test_forecast_fields_pass_through_and_follow_the_forecasters_columns() -> None:
    assert FORECAST_FIELDS == forecast.FORECAST_COLUMNS
    row = pace_row(
        figures("flow", FLOW_B240), catalogue(), "flow", forecasts=forecasts(("flow", "2021-06", 260, 10, 8.3))
    )
    check(
        row,
        {
            "forecast_value": 260.0,
            "forecast_low": 260 - 12.816,
            "forecast_high": 260 + 12.816,
            "forecast_growth": 8.3,
            "forecast_method": "test_model",
        },
    )


def test_a_real_growth_target_is_judged_by_the_forecast_growth_on_the_published_basis() -> None:
    """GDP's published growth is real (1-6月 +10%) while its levels are nominal (+12%): the forecast's
    level-implied growth is restated by the factor 1.10 / 1.12 before it meets the real target."""
    cat = catalogue({"indicator": "flow", "kind": "growth_min", "value": 6.0})
    by_period = {"2021-06": (112.0, 10.0), "2020-06": (100.0, None), "2020-12": (240.0, None)}
    row = pace_row(figures("flow", by_period), cat, "flow", forecasts=forecasts(("flow", "2021-06", 276, 12, 15.0)))
    factor = 1.10 / 1.12
    mean_growth = 100 * (276 / 240 * factor - 1)  # 12.95 %, not the nominal 15 %
    sd_growth = 100 * 12 / 240 * factor
    check(
        row,
        {
            "forecast_growth": 100 * (1.15 * factor - 1),
            "prob_meet": PHI((mean_growth - 6.0) / sd_growth),
            "forecast_value": 276.0,
        },
    )


def test_growth_above_restates_the_references_forecast_growth_on_its_published_basis() -> None:
    cat = catalogue({"indicator": "income", "kind": "growth_above", "reference": "gdp"})
    obs = combine(
        figures("income", {"2021-Q2": (5000.0, 9.2), "2020-Q2": (4579.0, None), "2020-Q4": (10000.0, None)}),
        figures("gdp", {"2021-Q2": (408.5, 10.7), "2020-Q2": (360.0, None)}),
    )
    fc = forecasts(("income", "2021-Q2", 10900, 100, 9.0), ("gdp", "2021-Q2", 880, 8, 8.0))
    gdp_factor = 1.107 / (408.5 / 360.0)
    income_factor = 1.092 / (5000.0 / 4579.0)
    gdp_growth = 100 * (1.08 * gdp_factor - 1)
    income_mean = 100 * (10900 / 10000 * income_factor - 1)
    income_sd = 100 * 100 / 10000 * income_factor
    check(pace_row(obs, cat, "income", forecasts=fc), {"prob_meet": PHI((income_mean - gdp_growth) / income_sd)})
