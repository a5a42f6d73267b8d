"""Plain factories for the pace specifications: a small catalogue, figures and one pace row."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from monitor.domain.catalogue import Catalogue, parse_catalogue
from monitor.domain.pace import pace_frame
from monitor.domain.periods import parse_period

DISTRICT, STREET = "gusu", "gusu.pingjiang"


def _indicator(code: str, frequency: str, measure: str, unit: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": code,
        "unit": unit,
        "frequency": frequency,
        "measure": measure,
        "direction": "up",
        "departments": ["stats"],
        **extra,
    }


INDICATORS = [
    _indicator("flow", "monthly", "cumulative", "亿元"),
    _indicator("jobs", "monthly", "cumulative", "个"),
    _indicator("invest", "monthly", "cumulative", "亿元", first_month=2),
    _indicator("services", "monthly", "cumulative", "亿元", first_month=2, lag_months=1),
    _indicator("gdp", "quarterly", "cumulative", "亿元", first_month=3),
    _indicator("gdp_real", "quarterly", "cumulative", "亿元", first_month=3, growth_basis="constant"),
    _indicator("income", "quarterly", "cumulative", "元", first_month=3),
    _indicator("va", "monthly", "rate", "%", first_month=2),
    _indicator("cpi", "monthly", "index", "上年同期=100"),
    _indicator("deposits", "monthly", "stock", "亿元"),
    _indicator("pork", "weekly", "price", "元/500克"),
]


def catalogue(*targets: dict[str, Any]) -> Catalogue:
    """A catalogue of one indicator per frequency and measure, with the given 2021 targets for the district.

    Each target is a dict like {"indicator": "jobs", "kind": "level_min", "value": 50000}; year
    (2021) and region (the district) may be overridden.
    """
    return parse_catalogue(
        {
            "meta": {"default_region": DISTRICT},
            "status": {"level_yellow_pp": 5.0, "growth_yellow_pp": 1.0},
            "indicator_defaults": {"growth_basis": "current", "lag_months": 0, "first_month": 1, "due_day": 18},
            "departments": [{"code": "stats", "name": "区统计局"}],
            "regions": [
                {"code": DISTRICT, "name": "姑苏区", "kind": "district"},
                {"code": STREET, "name": "平江街道", "kind": "street", "parent": DISTRICT},
            ],
            "indicators": INDICATORS,
            "sets": [
                {
                    "code": "test",
                    "name": "测试",
                    "categories": [
                        {"code": "all_of_them", "name": "全部", "indicators": [i["code"] for i in INDICATORS]}
                    ],
                }
            ],
            "targets": [{"year": 2021, "region": DISTRICT, **t} for t in targets],
        }
    )


def figures(
    indicator: str, by_period: dict[str, tuple[float | None, float | None]], region: str = DISTRICT
) -> pd.DataFrame:
    """Observations of one series: {period: (value, yoy)}."""
    return pd.DataFrame(
        [
            {
                "indicator": indicator,
                "region": region,
                "period": period,
                "year": parse_period(period).year,
                "value": value,
                "yoy": yoy,
            }
            for period, (value, yoy) in by_period.items()
        ],
        columns=["indicator", "region", "period", "year", "value", "yoy"],
    ).astype({"value": float, "yoy": float})


def combine(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def pace_row(
    obs: pd.DataFrame,
    cat: Catalogue,
    indicator: str,
    report_month: str = "2021-06",
    region: str = DISTRICT,
    forecasts: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The pace row of one series, as a dict."""
    frame = pace_frame(
        obs, cat, parse_period(report_month), indicators=[indicator], regions=[region], forecasts=forecasts
    )
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def is_null(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def check(row: dict[str, Any], expected: dict[str, Any]) -> None:
    for key, want in expected.items():
        got = row[key]
        if want is None:
            assert is_null(got), f"{key}: {got!r} should be null"
        elif isinstance(want, float):
            assert got == pytest.approx(want, abs=1e-9), key
        else:
            assert got == want, key
