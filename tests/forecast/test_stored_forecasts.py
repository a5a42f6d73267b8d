"""Forecasts are fitted when data change and read from storage otherwise (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

import monitor.services.forecasts as stored
from monitor.domain.catalogue import Catalogue, RegionKind
from monitor.domain.periods import month
from monitor.services.demo import with_period_columns
from monitor.services.forecasts import forecasts_for, refresh_forecasts
from monitor.storage.db import transaction
from monitor.storage.models import Forecast
from monitor.storage.observations import read_observations, record_observations
from tests.forecast.factories import monthly_cumulative, points

T0 = datetime(2021, 7, 10, 2, 0, tzinfo=UTC)


def revenue(seed: int = 1, region: str = "gusu") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    season = np.array([0.9, 0.85, 1, 1, 1, 1.05, 1, 1, 1.05, 1.05, 1.05, 1.1])
    flows = {y: list(5 * 1.06 ** (y - 2015) * season * np.exp(rng.normal(0, 0.04, 12))) for y in range(2015, 2022)}
    flows[2021] = flows[2021][:6]
    return monthly_cumulative("revenue", flows, region=region)


def write(engine: Engine, frame: pd.DataFrame, at: datetime = T0) -> None:
    with transaction(engine) as session:
        record_observations(session, with_period_columns(frame.drop(columns="year")), known_from=at)


def report_forecasts(
    engine: Engine,
    catalogue: Catalogue,
    pts: pd.DataFrame,
    *,
    store: bool = True,
    known_at: datetime | None = None,
    fit_missing: bool = True,
) -> pd.DataFrame:
    """What a report does: read the figures (as known at `known_at`), then the forecasts for its points."""
    with transaction(engine) as session:
        obs = read_observations(session, years=list(range(2015, 2022)), known_at=known_at)
        return forecasts_for(session, catalogue, obs, pts, store=store, fit_missing=fit_missing)


def stored_rows(engine: Engine) -> int:
    with transaction(engine) as session:
        return int(session.execute(select(func.count()).select_from(Forecast)).scalar_one())


def refuse_to_fit(*args: object, **kwargs: object) -> pd.DataFrame:
    raise AssertionError("a model was fitted although the figures had not changed")


POINTS = points(("revenue", "2021-06"), ("revenue", "2021-06", "gusu.pingjiang"), ("pork_price", "2021-W25"))


def test_forecasts_are_fitted_once_then_read_from_storage(
    synced_engine: Engine, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(synced_engine, pd.concat([revenue(), revenue(seed=2, region="gusu.pingjiang")]))
    first = report_forecasts(synced_engine, catalogue, POINTS)
    assert list(first["forecast_method"]) == ["combination", "combination", "not_applicable"]
    assert stored_rows(synced_engine) == 3
    monkeypatch.setattr(stored, "forecast_frame", refuse_to_fit)
    again = report_forecasts(synced_engine, catalogue, POINTS)
    pd.testing.assert_frame_equal(again, first)


def test_a_revised_figure_is_fitted_anew_and_the_earlier_fit_kept(synced_engine: Engine, catalogue: Catalogue) -> None:
    figures = revenue()
    write(synced_engine, figures)
    one = points(("revenue", "2021-06"))
    before = report_forecasts(synced_engine, catalogue, one)
    revised = figures[figures["period"] == "2021-06"].assign(value=lambda f: f["value"] * 1.05)
    write(synced_engine, revised, T0 + timedelta(days=5))
    after = report_forecasts(synced_engine, catalogue, one)
    assert after["forecast_value"].iloc[0] > before["forecast_value"].iloc[0]
    assert stored_rows(synced_engine) == 2
    as_known_before = report_forecasts(synced_engine, catalogue, one, known_at=T0 + timedelta(days=1), store=False)
    pd.testing.assert_frame_equal(as_known_before, before)


def test_a_report_that_must_not_write_stores_nothing(synced_engine: Engine, catalogue: Catalogue) -> None:
    write(synced_engine, revenue())
    got = report_forecasts(synced_engine, catalogue, points(("revenue", "2021-06")), store=False)
    assert got["forecast_method"].iloc[0] == "combination"
    assert stored_rows(synced_engine) == 0


def test_a_page_load_reads_stored_forecasts_and_never_fits(
    synced_engine: Engine, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(synced_engine, pd.concat([revenue(), revenue(seed=2, region="gusu.pingjiang")]))
    fitted = report_forecasts(synced_engine, catalogue, points(("revenue", "2021-06")))
    monkeypatch.setattr(stored, "forecast_frame", refuse_to_fit)
    got = report_forecasts(synced_engine, catalogue, POINTS[:2], fit_missing=False)
    assert list(got["forecast_method"]) == ["combination", stored.NOT_FITTED]
    assert got["forecast_value"].iloc[0] == fitted["forecast_value"].iloc[0]
    assert np.isnan(got["forecast_value"].iloc[1])
    assert stored_rows(synced_engine) == 1


def test_no_points_no_query_no_rows(synced_engine: Engine, catalogue: Catalogue) -> None:
    got = report_forecasts(synced_engine, catalogue, points())
    assert got.empty
    assert "forecast_value" in got.columns


def test_refresh_fits_every_indicator_of_the_district_and_its_streets_then_only_what_changed(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    figures = revenue()
    write(synced_engine, figures)
    first = refresh_forecasts(synced_engine, catalogue, month(2021, 6), workers=1)
    assert first.regions[0] == "gusu"
    assert len(first.regions) == 9
    streets = sum(1 for i in catalogue.indicators.values() if i.reported_by(RegionKind.STREET))
    assert first.series == len(catalogue.indicators) + 8 * streets  # no street GDP, 土地出让, CPI... to fit
    assert (first.fitted, first.reused) == (first.series, 0)
    assert first.methods["combination"] == 1
    assert stored_rows(synced_engine) == first.series

    second = refresh_forecasts(synced_engine, catalogue, month(2021, 6), workers=1)
    assert (second.fitted, second.reused) == (0, first.series)

    write(
        synced_engine,
        figures[figures["period"] == "2021-05"].assign(value=lambda f: f["value"] * 1.01),
        T0 + timedelta(days=3),
    )
    third = refresh_forecasts(synced_engine, catalogue, month(2021, 6), workers=1)
    assert third.fitted == 1
    assert stored_rows(synced_engine) == first.series + 1
