"""Plain factories for the forecast specifications: figures as departments report them, and points."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue
from monitor.domain.forecast import forecast_frame

DISTRICT = "gusu"
COLUMNS = ["indicator", "region", "period", "year", "value", "yoy"]


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS).astype({"value": float, "yoy": float})


def monthly_cumulative(
    indicator: str, flows: Mapping[int, Sequence[float]], *, first_month: int = 1, region: str = DISTRICT
) -> pd.DataFrame:
    """1-N月 figures from single-month flows per year; months before `first_month` are merged, not reported."""
    rows = []
    for year, months in flows.items():
        total = 0.0
        for month, flow in enumerate(months, start=1):
            total += flow
            if month >= first_month:
                rows.append((indicator, region, f"{year}-{month:02d}", year, total, np.nan))
    return _frame(rows)


def quarterly_cumulative(indicator: str, flows: Mapping[int, Sequence[float]], region: str = DISTRICT) -> pd.DataFrame:
    rows = []
    for year, quarters in flows.items():
        for q, total in enumerate(np.cumsum(quarters), start=1):
            rows.append((indicator, region, f"{year}-Q{q}", year, float(total), np.nan))
    return _frame(rows)


def monthly_values(
    indicator: str, values: Mapping[int, Sequence[float]], *, first_month: int = 1, region: str = DISTRICT
) -> pd.DataFrame:
    """Balances or index figures as reported each month (value column)."""
    rows = [
        (indicator, region, f"{year}-{month:02d}", year, v, np.nan)
        for year, months in values.items()
        for month, v in enumerate(months, start=first_month)
    ]
    return _frame(rows)


def monthly_growth(
    indicator: str, growth: Mapping[int, Sequence[float]], *, first_month: int = 1, region: str = DISTRICT
) -> pd.DataFrame:
    """A rate indicator: cumulative growth only (yoy), no level."""
    rows = [
        (indicator, region, f"{year}-{month:02d}", year, np.nan, g)
        for year, months in growth.items()
        for month, g in enumerate(months, start=first_month)
    ]
    return _frame(rows)


def weekly_prices(indicator: str, weeks: Mapping[str, float], region: str = DISTRICT) -> pd.DataFrame:
    return _frame([(indicator, region, w, int(w[:4]), p, np.nan) for w, p in weeks.items()])


def points(*rows: tuple[str, str] | tuple[str, str, str]) -> pd.DataFrame:
    """(indicator, period[, region]) -> the evaluation points frame."""
    return pd.DataFrame(
        [(r[0], r[2] if len(r) > 2 else DISTRICT, r[1]) for r in rows], columns=["indicator", "region", "period"]
    )


def one_forecast(obs: pd.DataFrame, catalogue: Catalogue, indicator: str, period: str) -> dict:
    """The forecast row of a single point, as a dict."""
    return forecast_frame(obs, catalogue, points((indicator, period))).iloc[0].to_dict()


def constant_years(first: int, last: int, flow: float, months: int = 12) -> dict[int, list[float]]:
    return {year: [flow] * months for year in range(first, last + 1)}
