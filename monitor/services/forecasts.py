"""Stored year-end forecasts: fit models when data change, not when a page loads.

`forecasts_for` is what pace (and later the board and the email) call: it hashes the figures
each point's forecast would use (`forecast_fingerprints`), reads the stored forecasts of those
fingerprints in one query, fits only the missing ones and, unless `store=False`, stores them.
Forecasts are keyed by (indicator, region, period, fingerprint), so a revised figure means a new
fit while the rows for earlier data stay: a `--known-at` report finds the fits made when those
figures were current. `refresh_forecasts` fits a whole district (all indicators, district and
streets) for a report month, reading and writing in short transactions around the fitting; the
scheduler and `monitor forecast refresh` call it after data land.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Insert, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.domain.catalogue import Catalogue, RegionKind
from monitor.domain.forecast import (
    FORECAST_COLUMNS,
    FORECAST_HISTORY_YEARS,
    TaskMap,
    forecast_fingerprints,
    forecast_frame,
)
from monitor.domain.pace import evaluation_points
from monitor.domain.periods import Period
from monitor.errors import UsageError
from monitor.services.clock import utc_now
from monitor.services.forecast_cluster import fit_map
from monitor.services.forecast_pool import Progress, pool_map
from monitor.settings import ClusterSettings
from monitor.storage.db import transaction
from monitor.storage.meta import bump_data_version
from monitor.storage.models import Forecast
from monitor.storage.observations import read_figures

__all__ = ["NOT_FITTED", "RefreshResult", "default_workers", "district_regions", "forecasts_for", "refresh_forecasts"]

FORECASTS = cast(Table, Forecast.__table__)
KEY = ["indicator", "region", "period"]
_NUMBERS = list(FORECAST_COLUMNS[:-1])
NOT_FITTED = "not_fitted"  # no stored forecast for these figures yet: the next refresh fits it
_CHUNK = 1000  # fingerprints per IN list: far below both backends' parameter limits


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did: how many series, how many fitted anew, how long, which methods."""

    report_month: Period
    regions: tuple[str, ...]
    series: int
    fitted: int
    reused: int
    seconds: float
    methods: dict[str, int] = field(default_factory=dict)


def default_workers() -> int:
    """Processes for a refresh: the machine's cores, at most 4 (fits are short; more only add start-up)."""
    return max(1, min(os.cpu_count() or 1, 4))


def district_regions(catalogue: Catalogue, district: str | None = None) -> list[str]:
    """The district and its streets, in catalogue order: the regions a refresh covers."""
    code = district or catalogue.meta.default_region
    if code not in catalogue.regions:
        raise UsageError(f"未知的地区代码“{code}”（monitor catalog show 可列出全部地区）")
    streets = [r.code for r in catalogue.regions.values() if r.kind is RegionKind.STREET and r.parent == code]
    return [code, *streets]


def _stored(session: Session, keys: pd.DataFrame) -> pd.DataFrame:
    """Stored forecasts for (indicator, region, period, fingerprint) rows, read set-wise."""
    t = FORECASTS
    fingerprints = sorted(set(keys["fingerprint"]))
    rows: list[Any] = []
    for start in range(0, len(fingerprints), _CHUNK):
        stmt = select(t.c.indicator, t.c.region, t.c.period, t.c.fingerprint, *(t.c[c] for c in FORECAST_COLUMNS))
        rows.extend(session.execute(stmt.where(t.c.fingerprint.in_(fingerprints[start : start + _CHUNK]))))
    found = pd.DataFrame(rows, columns=[*KEY, "fingerprint", *FORECAST_COLUMNS])
    found = found.astype({c: float for c in _NUMBERS}).astype({c: object for c in [*KEY, "fingerprint"]})
    merged = keys.astype({c: object for c in [*KEY, "fingerprint"]}).merge(
        found, on=[*KEY, "fingerprint"], how="left", sort=False
    )
    merged.index = keys.index
    return merged


def _store(session: Session, catalogue: Catalogue, fitted: pd.DataFrame) -> None:
    """Insert fitted forecasts; a row another process stored meanwhile is left as it is.

    Only series of the catalogue are stored (the table's keys refer to its indicators and regions).
    New forecasts bump the data version, so that views cached per version (the board) show them.
    """
    fitted = fitted[
        fitted["indicator"].isin(list(catalogue.indicators)) & fitted["region"].isin(list(catalogue.regions))
    ]
    if fitted.empty:
        return
    now = utc_now()
    payload = []
    for row in fitted.to_dict("records"):
        item = {c: row[c] for c in [*KEY, "fingerprint", "forecast_method"]}
        item.update({c: (float(row[c]) if np.isfinite(row[c]) else None) for c in _NUMBERS})
        item["fitted_at"] = now
        payload.append(item)
    dialect = session.get_bind().dialect.name
    stmt: Insert = FORECASTS.insert()  # the product runs on SQLite and PostgreSQL; both skip duplicates
    if dialect == "postgresql":
        stmt = postgresql.insert(FORECASTS).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(FORECASTS).on_conflict_do_nothing()
    session.execute(stmt, payload)
    bump_data_version(session)


def _lookup(
    session: Session, catalogue: Catalogue, obs: pd.DataFrame, points: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    """Points with their fingerprint and stored forecast columns (NaN method where none is stored)."""
    keys = points[KEY].copy()
    keys["fingerprint"] = forecast_fingerprints(obs, catalogue, points)
    merged = _stored(session, keys)
    return merged, merged["forecast_method"].isna()


def _fit(
    catalogue: Catalogue, obs: pd.DataFrame, merged: pd.DataFrame, missing: pd.Series, map_tasks: TaskMap
) -> pd.DataFrame:
    """Fit the missing points and put their forecasts into `merged`; returns the fitted rows."""
    todo = merged.loc[missing, [*KEY, "fingerprint"]]
    if todo.empty:
        return todo
    fitted = forecast_frame(obs, catalogue, todo, map_tasks=map_tasks)
    for column in FORECAST_COLUMNS:
        merged.loc[missing, column] = fitted[column].to_numpy()
    return fitted


def _result(points: pd.DataFrame, merged: pd.DataFrame) -> pd.DataFrame:
    out = points.copy()
    for column in _NUMBERS:
        out[column] = merged[column].to_numpy(dtype=float)
    out["forecast_method"] = pd.Series(merged["forecast_method"].to_numpy(), index=out.index, dtype=str)
    return out


def forecasts_for(
    session: Session,
    catalogue: Catalogue,
    obs: pd.DataFrame,
    points: pd.DataFrame,
    *,
    store: bool = True,
    workers: int = 1,
    fit_missing: bool = True,
) -> pd.DataFrame:
    """What `forecast_frame` returns for `points`, from storage where the same figures were fitted before.

    `obs` must hold the figures of each point's year and the FORECAST_HISTORY_YEARS before it
    (as current, or as known at some time). Missing forecasts are fitted; they are stored unless
    `store` is False (reports that must not write, such as `--known-at`). With `fit_missing`
    False (the board: a page load never fits a model) they stay empty, method `not_fitted`.
    """
    if points.empty:
        out = points.copy()
        for column in FORECAST_COLUMNS:
            out[column] = pd.Series(dtype=str if column == "forecast_method" else float)
        return out
    merged, missing = _lookup(session, catalogue, obs, points)
    if not fit_missing:
        merged.loc[missing, "forecast_method"] = NOT_FITTED
        return _result(points, merged)
    fitted = _fit(catalogue, obs, merged, missing, pool_map(workers))
    if store:
        _store(session, catalogue, fitted)
    return _result(points, merged)


def refresh_forecasts(
    engine: Engine,
    catalogue: Catalogue,
    report_month: Period,
    *,
    regions: Sequence[str] | None = None,
    workers: int | None = None,
    cluster: ClusterSettings | None = None,
    progress: Progress | None = None,
) -> RefreshResult:
    """Fit and store the forecasts of every indicator for the district and its streets for a report month.

    Only series whose figures changed since their last fit are fitted again. Reading and writing
    are separate short transactions, so a refresh never holds the database while models fit.
    The fits run on the Dask cluster of `cluster.scheduler` when one is set, else on a local pool
    of `workers` processes; `progress` hears (fitted so far, to fit) as batches finish.
    """
    started = time.perf_counter()
    places = list(regions) if regions is not None else district_regions(catalogue)
    codes = list(catalogue.indicators)
    points = evaluation_points(catalogue, report_month, codes, places)
    first_year = int(points["period"].str.slice(0, 4).astype(int).min()) if len(points) else report_month.year
    years = list(range(first_year - FORECAST_HISTORY_YEARS, report_month.year + 1))
    with transaction(engine) as session:
        obs = read_figures(session, indicators=codes, regions=places, years=years)  # the columns fits use
        merged, missing = _lookup(session, catalogue, obs, points)
    map_tasks = fit_map(workers or default_workers(), cluster, progress=progress)
    fitted = _fit(catalogue, obs, merged, missing, map_tasks)
    with transaction(engine) as session:
        _store(session, catalogue, fitted)
    methods = {str(k): int(v) for k, v in merged["forecast_method"].value_counts().items()}
    return RefreshResult(
        report_month=report_month,
        regions=tuple(places),
        series=len(points),
        fitted=len(fitted),
        reused=len(points) - len(fitted),
        seconds=time.perf_counter() - started,
        methods=methods,
    )
