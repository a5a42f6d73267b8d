"""Which period a report month shows for each indicator, and the shape of the pace frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor.domain.pace import PACE_COLUMNS, evaluation_points, pace_frame
from monitor.domain.periods import parse_period
from tests.pace.helpers import DISTRICT, STREET, catalogue, check, combine, figures, pace_row


@pytest.mark.parametrize(
    ("indicator", "report_month", "period", "elapsed"),
    [
        pytest.param("flow", "2021-06", "2021-06", 6 / 12, id="monthly-at-its-month-1-6月-is-6-of-12"),
        pytest.param("flow", "2021-05", "2021-05", 5 / 12, id="1-5月-is-5-of-12"),
        pytest.param("invest", "2021-02", "2021-02", 2 / 12, id="1-2月-is-2-of-12"),
        pytest.param("services", "2021-06", "2021-05", 5 / 12, id="错月-indicator-shows-the-month-before"),
        pytest.param("services", "2021-01", "2020-12", 1.0, id="错月-in-january-shows-last-december"),
        pytest.param("gdp", "2021-06", "2021-Q2", 0.5, id="quarterly-at-quarter-end"),
        pytest.param("gdp", "2021-05", "2021-Q1", 0.25, id="quarterly-mid-quarter-shows-the-last-quarter"),
        pytest.param("gdp", "2021-02", "2020-Q4", 1.0, id="quarterly-in-february-shows-last-q4"),
        pytest.param("gdp", "2021-09", "2021-Q3", 0.75, id="前三季度-is-3-of-4"),
        pytest.param("pork", "2021-06", "2021-W25", 25 / 52, id="weekly-shows-the-last-week-ending-in-the-month"),
    ],
)
def test_report_month_picks_each_indicators_evaluation_period(
    indicator: str, report_month: str, period: str, elapsed: float
) -> None:
    row = pace_row(figures("flow", {}), catalogue(), indicator, report_month)
    assert row["period"] == period
    assert row["elapsed"] == pytest.approx(elapsed)


def test_错月_indicator_in_january_is_judged_against_last_years_target() -> None:
    cat = catalogue(
        {"indicator": "services", "kind": "growth_min", "value": 5.0, "year": 2020},
        {"indicator": "services", "kind": "growth_min", "value": 50.0, "year": 2021},
    )
    row = pace_row(figures("services", {"2020-12": (300.0, 6.0)}), cat, "services", "2021-01")
    check(row, {"period": "2020-12", "target_value": 5.0, "gap_pp": 1.0, "status": "green"})


def test_evaluation_points_list_every_series_with_its_period() -> None:
    points = evaluation_points(catalogue(), parse_period("2021-06"), ["gdp", "services", "flow"], [DISTRICT, STREET])
    assert list(points.columns) == ["indicator", "region", "period"]
    assert points.to_dict("split")["data"] == [
        ["gdp", DISTRICT, "2021-Q2"],
        ["gdp", STREET, "2021-Q2"],
        ["services", DISTRICT, "2021-05"],
        ["services", STREET, "2021-05"],
        ["flow", DISTRICT, "2021-06"],
        ["flow", STREET, "2021-06"],
    ]


def test_unknown_indicator_is_named() -> None:
    with pytest.raises(ValueError, match="gpd"):
        evaluation_points(catalogue(), parse_period("2021-06"), ["gpd"], [DISTRICT])


def many_series() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frames = []
    for region in (DISTRICT, STREET):
        for code, periods in (
            ("flow", [f"{y}-{m:02d}" for y in range(2017, 2022) for m in range(1, 13) if (y, m) <= (2021, 6)]),
            ("jobs", [f"{y}-{m:02d}" for y in range(2019, 2022) for m in range(1, 13) if (y, m) <= (2021, 5)]),
            ("gdp", [f"{y}-Q{q}" for y in range(2018, 2022) for q in range(1, 5) if (y, q) <= (2021, 2)]),
            ("va", [f"{y}-{m:02d}" for y in range(2020, 2022) for m in range(2, 13) if (y, m) <= (2021, 6)]),
        ):
            level = np.cumsum(rng.uniform(5, 15, len(periods)))
            yoy = np.where(rng.uniform(size=len(periods)) < 0.3, np.nan, rng.normal(6, 3, len(periods)))
            values = [None if code == "va" else float(v) for v in level]
            frames.append(figures(code, dict(zip(periods, zip(values, yoy, strict=True), strict=True)), region))
    return combine(*frames)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Python objects with None for missing values, so that frames built differently compare by content."""
    return frame.astype(object).where(frame.notna(), None)


def test_many_series_at_once_equal_each_series_alone() -> None:
    cat = catalogue(
        {"indicator": "flow", "kind": "growth_min", "value": 6.0},
        {"indicator": "jobs", "kind": "level_min", "value": 300.0},
        {"indicator": "gdp", "kind": "growth_about", "value": 6.0, "tolerance": 0.5},
        {"indicator": "va", "kind": "growth_above", "reference": "gdp"},
    )
    obs = many_series()
    codes, regions = ["flow", "jobs", "gdp", "va"], [DISTRICT, STREET]
    together = pace_frame(obs, cat, parse_period("2021-06"), indicators=codes, regions=regions)
    assert list(together.columns) == list(PACE_COLUMNS)
    assert list(zip(together["indicator"], together["region"], strict=True)) == [(c, r) for c in codes for r in regions]
    alone = pd.DataFrame([pace_row(obs, cat, c, "2021-06", r) for c in codes for r in regions])
    pd.testing.assert_frame_equal(plain(together), plain(alone[list(PACE_COLUMNS)]))
    assert set(together["status"]) <= {"green", "yellow", "red", "grey"}
    assert together.loc[together["region"] == STREET, "status_reason"].eq("no_target").all()


def test_row_carries_the_catalogue_facts() -> None:
    row = pace_row(figures("services", {"2021-05": (10.0, 3.0)}), catalogue(), "services")
    check(
        row,
        {
            "indicator": "services",
            "name": "services",
            "category": "all_of_them",
            "region": DISTRICT,
            "frequency": "monthly",
            "measure": "cumulative",
            "unit": "亿元",
            "departments": ["stats"],
            "forecast_value": None,
            "prob_meet": None,
            "forecast_method": None,
        },
    )


def test_no_indicators_or_no_regions_give_an_empty_frame_with_the_contract_columns() -> None:
    for indicators, regions in (([], [DISTRICT]), (["flow"], [])):
        frame = pace_frame(
            figures("flow", {}), catalogue(), parse_period("2021-06"), indicators=indicators, regions=regions
        )
        assert frame.empty
        assert list(frame.columns) == list(PACE_COLUMNS)
