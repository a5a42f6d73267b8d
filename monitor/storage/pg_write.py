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
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from monitor.storage.bulk_write import COPY_ESCAPES, Progress, WriteCounts, by_unique, write_steps
from monitor.storage.meta import bump_data_version
from monitor.storage.models import Observation

__all__ = ["STAGING", "record_at_once"]

STAGING = "monitor_staging"
_STAGED = ["indicator", "region", "period", "year", "period_end", "value", "yoy", "note"]
_WRITTEN = [*_STAGED, "known_from", "known_to", "import_id", "is_sample"]
_REGION_CHUNK = 500  # IN-list size of the existence probe
_CREATE = (
    f'CREATE TEMP TABLE IF NOT EXISTS {STAGING} (indicator text COLLATE "C", region text COLLATE "C", '
    'period text COLLATE "C", year integer, period_end date, value float8, yoy float8, note text) '
    "ON COMMIT DELETE ROWS"
)
_KEY_MATCH = (
    "o.known_to IS NULL AND o.indicator = s.indicator AND o.region = s.region "
    "AND o.year = s.year AND o.period = s.period"
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
    "INSERT INTO observations (indicator, region, period, year, period_end, value, yoy, note, "
    "known_from, known_to, import_id, is_sample) "
    "SELECT s.indicator, s.region, s.period, s.year, s.period_end, s.value, s.yoy, s.note, "
    "%(at)s::timestamptz, NULL, %(import_id)s::bigint, %(is_sample)s::boolean "
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
    """Write `frame` (indicator, region, period, year, period_end, value, yoy[, note]) as known from `known_from`."""
    if known_from.tzinfo is None:
        raise ValueError("known_from must be timezone-aware")
    if frame.empty:
        return WriteCounts()
    connection = session.connection()
    raw: Any = connection.connection.driver_connection
    if not _any_current(connection, frame):  # series never seen (a first load): every figure is new
        suffix = (
            f"\t{known_from.astimezone(UTC).isoformat()}\t\\N\t{_copy_int(import_id)}\t{'t' if is_sample else 'f'}\n"
        )
        _copy(raw, f"COPY observations ({', '.join(_WRITTEN)}) FROM STDIN", _staging_text(frame, progress, suffix))
        return _done(session, WriteCounts(inserted=len(frame)))
    connection.exec_driver_sql(_CREATE)
    connection.exec_driver_sql(f"TRUNCATE {STAGING}")
    _copy(raw, f"COPY {STAGING} ({', '.join(_STAGED)}) FROM STDIN", _staging_text(frame, progress))
    # through SQLAlchemy, so a refusal arrives as its IntegrityError / OperationalError like any other
    params = {"at": known_from, "import_id": import_id, "is_sample": is_sample}
    revised = max(connection.exec_driver_sql(_CLOSE, params).rowcount, 0)
    written = max(connection.exec_driver_sql(_INSERT, params).rowcount, 0)
    connection.exec_driver_sql(f"TRUNCATE {STAGING}")  # free its pages now, not at commit
    counts = WriteCounts(inserted=written - revised, revised=revised, unchanged=len(frame) - written)
    return _done(session, counts)


def _copy(raw: Any, statement: str, blocks: Iterable[str]) -> None:
    """COPY the blocks; the driver's refusal (a repeated key, a full disk) as SQLAlchemy's exception."""
    import psycopg  # only PostgreSQL writes come here
    from psycopg.copy import QueuedLibpqWriter

    try:
        # queued: the server ingests one block while the next is built here (two processes, two cores)
        with raw.cursor() as cursor, cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            for block in blocks:
                copy.write(block)
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from None


def _done(session: Session, counts: WriteCounts) -> WriteCounts:
    if counts.inserted or counts.revised:
        bump_data_version(session)
    return counts


def _copy_int(value: int | None) -> str:
    return "\\N" if value is None else str(int(value))


def _any_current(connection: Connection, frame: pd.DataFrame) -> bool:
    """Whether any current version exists in the batch's indicators × regions × years (index probes)."""
    t = Observation.__table__
    indicators = sorted(frame["indicator"].unique())
    regions = sorted(frame["region"].unique())
    years = sorted({int(y) for y in frame["year"].unique()})
    for start in range(0, len(regions), _REGION_CHUNK):
        stmt = select(t.c.id).where(
            t.c.known_to.is_(None),
            t.c.indicator.in_(indicators),
            t.c.region.in_(regions[start : start + _REGION_CHUNK]),
            t.c.year.in_(years),
        )
        if connection.execute(stmt.limit(1)).first() is not None:
            return True
    return False


def _staging_text(frame: pd.DataFrame, progress: Progress | None, suffix: str = "\n") -> Iterable[str]:
    """The batch in COPY text format, one block per write step (codes and periods hold no tabs).

    `suffix` ends each line: the constant columns, when the rows go straight to observations.
    `progress` hears of each block once COPY has taken it.
    """
    null = "\\N"
    notes = frame["note"] if "note" in frame else pd.Series([None] * len(frame), index=frame.index)
    fixed = [
        frame["indicator"].tolist(),
        frame["region"].tolist(),
        frame["period"].tolist(),
        by_unique(frame["year"].astype(int), str),
        by_unique(frame["period_end"], lambda d: pd.Timestamp(d).date().isoformat()),
    ]
    note = [null if v is None else v for v in by_unique(notes, lambda v: str(v).translate(COPY_ESCAPES))]
    numbers = {c: frame[c].to_numpy(dtype=float) for c in ("value", "yoy")}
    for start, stop in write_steps(len(frame), progress):
        columns: list[list[Any]] = [c[start:stop] for c in fixed]
        columns += [[null if v != v else repr(v) for v in numbers[c][start:stop].tolist()] for c in ("value", "yoy")]
        columns.append(note[start:stop])
        yield "".join(["\t".join(row) + suffix for row in zip(*columns, strict=True)])
