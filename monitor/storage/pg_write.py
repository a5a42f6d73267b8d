"""A batch of figures known at one moment, written on PostgreSQL set-wise: COPY, then two statements.

When no current version exists anywhere in the batch's indicators × regions × years (a first
load of those series), every figure is new and the batch is copied straight into observations.
Otherwise it is copied into a temporary staging table; one UPDATE closes the current versions it
changes and one INSERT ... SELECT adds every figure that then has no current version (the new
and the changed ones). Nothing crosses to Python row by row, and both statements run in the
caller's transaction, so a batch lands whole or not at all. The comparison is the one
`observations.plan_observations` makes in pandas (dry runs use that one): values and growth
equal to 1e-9 relative, missing equal to missing, the same note; a stored version known at or
after the batch's moment already supersedes it. Keys must be unique in the batch (validated
files are); a repeated key fails on `uq_observations_current` and rolls everything back.

Rows go in COPY's binary format (`storage.copy_binary`), sorted in the current-version index's
order, so the server neither parses text nor jumps about the index.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from monitor.storage.meta import bump_data_version
from monitor.storage.models import Observation
from monitor.storage.pg_copy import COLUMNS, copy_observations
from monitor.storage.series_keys import load_keys, year_filter
from monitor.storage.write_types import Progress, WriteCounts

__all__ = ["STAGING", "record_at_once"]

STAGING = "monitor_staging"
_STAGED = ["indicator_id", "region_id", "period_key", "value", "yoy", "note"]
_WRITTEN = COLUMNS
_ANALYZE_ROWS = 10_000  # staged rows beyond which statistics pay for themselves
_REGION_CHUNK = 500  # IN-list size of the existence probe
_CREATE = (
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (indicator_id smallint, region_id integer, period_key integer, "
    "value float8, yoy float8, note text) ON COMMIT DELETE ROWS"
)
_KEY_MATCH = (
    "o.known_to IS NULL AND o.indicator_id = s.indicator_id AND o.region_id = s.region_id "
    "AND o.period_key = s.period_key"
)


def _same(new: str, stored: str) -> str:
    """SQL for 'equal to 1e-9 relative, or both missing' (never NULL)."""
    return (
        f"COALESCE(({new} IS NULL AND {stored} IS NULL) "
        f"OR abs({new} - {stored}) <= 1e-9 * greatest(1.0, abs({stored})), false)"
    )


_CLOSE = (
    f"UPDATE observations AS o SET known_to = %(at)s FROM {STAGING} AS s WHERE {_KEY_MATCH} "
    f"AND o.known_from < %(at)s AND NOT ({_same('s.value', 'o.value')} AND {_same('s.yoy', 'o.yoy')} "
    "AND s.note IS NOT DISTINCT FROM o.note)"
)
_INSERT = (
    f"INSERT INTO observations ({', '.join(_WRITTEN)}) "
    "SELECT s.indicator_id, s.region_id, s.period_key, s.value, s.yoy, s.note, "
    "%(at)s::timestamptz, NULL, %(import_id)s::integer, %(is_sample)s::boolean "
    f"FROM {STAGING} AS s WHERE NOT EXISTS (SELECT 1 FROM observations AS o WHERE {_KEY_MATCH})"
)


def record_at_once(
    session: Session,
    frame: pd.DataFrame,
    known_from: datetime,
    *,
    import_id: int | None = None,
    is_sample: bool = False,
    progress: Progress | None = None,
) -> WriteCounts:
    """Write `frame` (indicator, region, period, value, yoy[, note]) as known from `known_from`."""
    if known_from.tzinfo is None:
        raise ValueError("known_from must be timezone-aware")
    if frame.empty:
        return WriteCounts()
    connection = session.connection()
    raw: Any = connection.connection.driver_connection
    columns = _key_columns(session, frame)
    if not _any_current(connection, columns):  # series never seen (a first load): all new
        stamp = np.full(len(frame), np.datetime64(known_from.astimezone(UTC).replace(tzinfo=None), "us"))
        columns |= {
            "known_from": stamp,
            "known_to": None,
            "import_id": None if import_id is None else np.full(len(frame), int(import_id)),
            "is_sample": np.full(len(frame), is_sample),
        }
        copy_observations(raw, "observations", columns, progress)
        return _done(session, WriteCounts(inserted=len(frame)))
    connection.exec_driver_sql(_CREATE)
    connection.exec_driver_sql(f"TRUNCATE {STAGING}")
    copy_observations(raw, STAGING, columns, progress)
    if len(frame) > _ANALYZE_ROWS:  # the planner then hashes the staged rows instead of sorting both sides
        connection.exec_driver_sql(f"ANALYZE {STAGING}")
    # through SQLAlchemy, so a refusal arrives as its IntegrityError / OperationalError like any other
    params = {"at": known_from, "import_id": import_id, "is_sample": is_sample}
    revised = max(connection.exec_driver_sql(_CLOSE, params).rowcount, 0)
    written = max(connection.exec_driver_sql(_INSERT, params).rowcount, 0)
    connection.exec_driver_sql(f"TRUNCATE {STAGING}")  # free its pages now, not at commit
    counts = WriteCounts(inserted=written - revised, revised=revised, unchanged=len(frame) - written)
    return _done(session, counts)


def _key_columns(session: Session, frame: pd.DataFrame) -> dict[str, Any]:
    """The staged columns of a batch: integer keys, numbers, notes (object array, None when absent)."""
    indicator, region, period = load_keys(session).encode(frame)
    notes = frame["note"].to_numpy(dtype=object) if "note" in frame else np.full(len(frame), None, dtype=object)
    return {
        "indicator_id": indicator,
        "region_id": region,
        "period_key": period,
        "value": frame["value"].to_numpy(dtype=float),
        "yoy": frame["yoy"].to_numpy(dtype=float),
        "note": notes,
    }


def _done(session: Session, counts: WriteCounts) -> WriteCounts:
    if counts.inserted or counts.revised:
        bump_data_version(session)
    return counts


def _any_current(connection: Connection, columns: dict[str, Any]) -> bool:
    """Whether any current version exists in the batch's indicators × regions × years (index probes)."""
    t = Observation.__table__
    indicators = sorted({int(i) for i in pd.unique(columns["indicator_id"])})
    regions = sorted({int(r) for r in pd.unique(columns["region_id"])})
    span = sorted({int(y) for y in pd.unique(columns["period_key"] // 1000)})
    for start in range(0, len(regions), _REGION_CHUNK):
        stmt = select(t.c.period_key).where(
            t.c.known_to.is_(None),
            t.c.indicator_id.in_(indicators),
            t.c.region_id.in_(regions[start : start + _REGION_CHUNK]),
            year_filter(t.c.period_key, span),
        )
        if connection.execute(stmt.limit(1)).first() is not None:
            return True
    return False
