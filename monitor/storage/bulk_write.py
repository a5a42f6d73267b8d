"""Writing a plan of observation rows with each backend's fastest bulk path, inside the caller's transaction.

sqlite3 `executemany` on SQLite, binary `COPY` on PostgreSQL (the two databases the product runs
on). `observations.plan_observations` decides what to write, in codes; this module turns the plan
into the stored integer keys (`storage.series_keys`) and writes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from monitor.errors import DatabaseError
from monitor.storage.meta import bump_data_version
from monitor.storage.pg_copy import copy_observations
from monitor.storage.series_keys import SeriesKeys, load_keys
from monitor.storage.write_types import INSERT_COLUMNS, WRITE_CHUNK, Progress, WriteCounts, WritePlan, write_steps

__all__ = ["INSERT_COLUMNS", "Progress", "WriteCounts", "WritePlan", "by_unique", "write_plan"]

SQLITE_BULK_CACHE_KIB = 256 * 1024  # page cache while writing a large batch on SQLite (restored after)
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite (naive UTC here)
_CLOSE_SQLITE = (
    "UPDATE observations SET known_to = ? "
    "WHERE indicator_id = ? AND region_id = ? AND period_key = ? AND known_to IS NULL"
)
_CLOSE_POSTGRES = (
    "UPDATE observations o SET known_to = c.known_to FROM monitor_closes c WHERE o.known_to IS NULL "
    "AND o.indicator_id = c.indicator_id AND o.region_id = c.region_id AND o.period_key = c.period_key"
)


@dataclass(frozen=True)
class _Batch:
    """A plan in stored form: rows and closes as arrays of integer keys, and what is constant."""

    rows: dict[str, Any]
    closes: dict[str, np.ndarray]
    import_id: int | None
    is_sample: bool
    progress: Progress | None


def write_plan(
    session: Session,
    plan: WritePlan,
    *,
    import_id: int | None = None,
    is_sample: bool = False,
    progress: Progress | None = None,
) -> None:
    """Apply a plan in the session's transaction: close the old rows first (one current row per key)."""
    if plan.rows.empty:
        return
    dialect = session.get_bind().dialect.name
    raw = session.connection().connection.driver_connection
    keys = load_keys(session)
    batch = _Batch(_row_columns(keys, plan.rows), _close_columns(keys, plan.closes), import_id, is_sample, progress)
    if dialect == "sqlite":
        try:
            _sqlite_write(raw, batch)
        except sqlite3.Error as exc:  # e.g. a key twice in a one-moment batch: as SQLAlchemy reports it
            raise DBAPIError.instance("INSERT INTO observations", None, exc, sqlite3.Error) from None
    elif dialect == "postgresql":
        _postgres_write(raw, batch)
    else:
        raise DatabaseError(f"不支持的数据库类型 {dialect}：请使用 SQLite 或 PostgreSQL")
    bump_data_version(session)


def by_unique(values: pd.Series, format_one: Callable[[Any], Any]) -> list[Any]:
    """Format each distinct value once (timestamps repeat a lot) and spread back as a list."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    formatted = np.empty(len(uniques) + 1, dtype=object)
    formatted[: len(uniques)] = [format_one(u) for u in uniques]
    formatted[-1] = None
    return cast(list[Any], formatted[codes].tolist())


def _utc_naive(values: pd.Series) -> np.ndarray:
    """Timestamps as naive UTC datetime64[us] (NaT where missing)."""
    stamps = pd.to_datetime(values, utc=True)
    return cast(np.ndarray, stamps.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]"))


def _row_columns(keys: SeriesKeys, rows: pd.DataFrame) -> dict[str, Any]:
    """The rows to insert as arrays in index order (keys first, then numbers, note and validity)."""
    indicator, region, period = keys.encode(rows)
    order = np.lexsort((period, region, indicator))
    notes = rows["note"].to_numpy(dtype=object)
    return {
        "indicator_id": indicator[order],
        "region_id": region[order],
        "period_key": period[order],
        "value": rows["value"].to_numpy(dtype=float)[order],
        "yoy": rows["yoy"].to_numpy(dtype=float)[order],
        "note": np.where(pd.isna(notes), None, notes)[order],
        "known_from": _utc_naive(rows["known_from"])[order],
        "known_to": _utc_naive(rows["known_to"])[order],
    }


def _close_columns(keys: SeriesKeys, closes: pd.DataFrame) -> dict[str, np.ndarray]:
    indicator, region, period = keys.encode(closes) if len(closes) else (np.zeros(0, dtype=np.int64),) * 3
    stamps = _utc_naive(closes["known_to"]) if len(closes) else np.zeros(0, dtype="datetime64[us]")
    return {"indicator_id": indicator, "region_id": region, "period_key": period, "known_to": stamps}


def _sqlite_times(values: np.ndarray) -> list[Any]:
    return by_unique(pd.Series(values), lambda v: pd.Timestamp(v).strftime(_SQLITE_TIME))


def _sqlite_write(raw: Any, batch: _Batch) -> None:
    rows, closes = batch.rows, batch.closes
    cursor = raw.cursor()
    cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
    total = len(rows["indicator_id"])
    if total > WRITE_CHUNK:  # a large batch: keep the table and index pages in memory
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        if len(closes["indicator_id"]):
            close_rows = [_sqlite_times(closes["known_to"])] + [closes[c].tolist() for c in list(closes)[:3]]
            cursor.executemany(_CLOSE_SQLITE, zip(*close_rows, strict=True))
        names = ["indicator_id", "region_id", "period_key", "value", "yoy", "note", "known_from", "known_to"]
        # Constant columns are written as literals, not bound row by row (our own ints and timestamp):
        # one import is one moment, and most files carry no notes.
        constants: dict[str, Any] = {"import_id": None if batch.import_id is None else int(batch.import_id)}
        constants["is_sample"] = int(batch.is_sample)
        stamps = rows["known_from"]
        if (stamps == stamps[0]).all() and np.isnat(rows["known_to"]).all():
            constants |= {"known_from": pd.Timestamp(stamps[0]).strftime(_SQLITE_TIME), "known_to": None}
        if pd.isna(rows["note"]).all():
            constants["note"] = None
        bound = [n for n in names if n not in constants]
        values = ["?" if n in bound else "NULL" if constants[n] is None else repr(constants[n]) for n in names]
        values += [
            "NULL" if constants["import_id"] is None else str(constants["import_id"]),
            str(constants["is_sample"]),
        ]
        columns = ", ".join([*names, "import_id", "is_sample"])
        sql = f"INSERT INTO observations ({columns}) VALUES ({', '.join(values)})"
        for start, stop in write_steps(total, batch.progress):  # rows become Python objects one step at a time
            cursor.executemany(sql, zip(*(_sqlite_values(n, rows[n][start:stop]) for n in bound), strict=True))
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(cache)}")
        cursor.close()


def _sqlite_values(name: str, values: np.ndarray) -> list[Any]:
    if name in ("known_from", "known_to"):
        return _sqlite_times(values)
    if name in ("value", "yoy"):
        out = values.astype(object)
        out[np.isnan(values)] = None
        return cast(list[Any], out.tolist())
    return cast(list[Any], values.tolist())


def _postgres_write(raw: Any, batch: _Batch) -> None:
    rows, closes = batch.rows, batch.closes
    if len(closes["indicator_id"]):
        with raw.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS monitor_closes (indicator_id smallint, region_id integer, "
                "period_key integer, known_to timestamptz) ON COMMIT DELETE ROWS"
            )
            cursor.execute("DELETE FROM monitor_closes")
        copy_observations(raw, "monitor_closes", dict(closes), None)
        with raw.cursor() as cursor:
            cursor.execute(_CLOSE_POSTGRES)
    total = len(rows["indicator_id"])
    columns = rows | {
        "import_id": None if batch.import_id is None else np.full(total, int(batch.import_id)),
        "is_sample": np.full(total, batch.is_sample),
    }
    copy_observations(raw, "observations", columns, batch.progress)
