"""Writing a plan of observation rows with each backend's fastest bulk path, inside the caller's transaction.

sqlite3 `executemany` on SQLite, `COPY` on PostgreSQL (the two databases the product runs on).
`observations.plan_observations` decides what to write; this module only writes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from monitor.errors import DatabaseError
from monitor.storage.meta import bump_data_version

__all__ = [
    "COPY_ESCAPES",
    "INSERT_COLUMNS",
    "Progress",
    "WriteCounts",
    "WritePlan",
    "by_unique",
    "write_plan",
    "write_steps",
]

Progress = Callable[[int, int], None]

INSERT_COLUMNS = [
    "indicator",
    "region",
    "period",
    "year",
    "period_end",
    "value",
    "yoy",
    "note",
    "known_from",
    "known_to",
]
WRITE_CHUNK = 50_000  # rows per bulk write step; progress is reported after each
SQLITE_BULK_CACHE_KIB = 256 * 1024  # page cache while writing a large batch on SQLite (restored after)
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite (naive UTC here)


@dataclass(frozen=True)
class WriteCounts:
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            self.inserted + other.inserted, self.revised + other.revised, self.unchanged + other.unchanged
        )


@dataclass(frozen=True)
class WritePlan:
    """What a batch would change: rows to close (`id`, `known_to`), rows to insert, and the counts."""

    closes: pd.DataFrame
    rows: pd.DataFrame
    counts: WriteCounts


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
    if dialect == "sqlite":
        try:
            _sqlite_write(raw, plan, import_id, is_sample, progress)
        except sqlite3.Error as exc:  # e.g. a key twice in a one-moment batch: as SQLAlchemy reports it
            raise DBAPIError.instance("INSERT INTO observations", None, exc, sqlite3.Error) from None
    elif dialect == "postgresql":
        _postgres_write(raw, plan, import_id, is_sample, progress)
    else:
        raise DatabaseError(f"不支持的数据库类型 {dialect}：请使用 SQLite 或 PostgreSQL")
    bump_data_version(session)


def by_unique(values: pd.Series, format_one: Callable[[Any], Any]) -> list[Any]:
    """Format each distinct value once (timestamps, dates repeat a lot) and spread back as a list."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    formatted = np.empty(len(uniques) + 1, dtype=object)
    formatted[: len(uniques)] = [format_one(u) for u in uniques]
    formatted[-1] = None
    return cast(list[Any], formatted[codes].tolist())


def _nullable(values: pd.Series) -> list[Any]:
    array = values.to_numpy(dtype=object, copy=True)
    array[pd.isna(values).to_numpy()] = None
    return cast(list[Any], array.tolist())


def _columns(
    r: pd.DataFrame, wanted: list[int], times: Callable[[Any], Any], dates: Callable[[Any], Any]
) -> list[list[Any]]:
    """The INSERT_COLUMNS at positions `wanted` of some rows as Python lists, ready to bind."""
    build: list[Callable[[], list[Any]]] = [
        lambda: r["indicator"].tolist(),
        lambda: r["region"].tolist(),
        lambda: r["period"].tolist(),
        lambda: r["year"].astype(int).tolist(),
        lambda: by_unique(r["period_end"], dates),
        lambda: _nullable(r["value"]),
        lambda: _nullable(r["yoy"]),
        lambda: _nullable(r["note"]),
        lambda: by_unique(r["known_from"], times),
        lambda: by_unique(r["known_to"], times),
    ]
    return [build[i]() for i in wanted]


def write_steps(total: int, progress: Progress | None) -> Iterable[tuple[int, int]]:
    for start in range(0, total, WRITE_CHUNK):
        yield start, min(start + WRITE_CHUNK, total)
        if progress:
            progress(min(start + WRITE_CHUNK, total), total)


def _sqlite_write(raw: Any, plan: WritePlan, import_id: int | None, is_sample: bool, progress: Progress | None) -> None:
    def times(value: Any) -> str:
        return str(pd.Timestamp(value).tz_convert("UTC").strftime(_SQLITE_TIME))

    def dates(value: Any) -> str:
        return str(pd.Timestamp(value).date().isoformat())

    cursor = raw.cursor()
    cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
    if len(plan.rows) > WRITE_CHUNK:  # a large batch: keep the table and index pages in memory
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        if len(plan.closes):
            cursor.executemany(
                "UPDATE observations SET known_to = ? WHERE id = ?",
                zip(by_unique(plan.closes["known_to"], times), plan.closes["id"].astype(int).tolist(), strict=True),
            )
        rows = plan.rows
        names = ", ".join([*INSERT_COLUMNS, "import_id", "is_sample"])
        # Constant columns are written as literals, not bound row by row (our own ints and timestamp):
        # one import is one moment, and most files carry no notes.
        constants: dict[int, Any] = {10: None if import_id is None else int(import_id), 11: int(is_sample)}
        stamps = rows["known_from"]
        if len(stamps) and stamps.nunique() == 1 and rows["known_to"].isna().all():
            constants.update({8: times(stamps.iloc[0]), 9: None})
        if rows["note"].isna().all():
            constants[7] = None
        bound = [i for i in range(10) if i not in constants]
        values = [
            "?" if i not in constants else "NULL" if constants[i] is None else repr(constants[i]) for i in range(12)
        ]
        sql = f"INSERT INTO observations ({names}) VALUES ({', '.join(values)})"
        for start, stop in write_steps(len(rows), progress):  # rows become Python objects one step at a time
            cursor.executemany(sql, zip(*_columns(rows.iloc[start:stop], bound, times, dates), strict=True))
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(cache)}")
        cursor.close()


def _postgres_write(
    raw: Any, plan: WritePlan, import_id: int | None, is_sample: bool, progress: Progress | None
) -> None:
    def times(value: Any) -> datetime:
        return cast(datetime, pd.Timestamp(value).to_pydatetime())

    def dates(value: Any) -> Any:
        return pd.Timestamp(value).date()

    with raw.cursor() as cursor:
        if len(plan.closes):
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS monitor_closes (id bigint, known_to timestamptz) ON COMMIT DELETE ROWS"
            )
            cursor.execute("DELETE FROM monitor_closes")
            with cursor.copy("COPY monitor_closes (id, known_to) FROM STDIN") as copy:
                for row in zip(
                    plan.closes["id"].astype(int).tolist(), by_unique(plan.closes["known_to"], times), strict=True
                ):
                    copy.write_row(row)
            cursor.execute("UPDATE observations o SET known_to = c.known_to FROM monitor_closes c WHERE o.id = c.id")
        statement = f"COPY observations ({', '.join(INSERT_COLUMNS)}, import_id, is_sample) FROM STDIN"
        with cursor.copy(statement) as copy:
            for text in _copy_text(plan, import_id, is_sample, progress):
                copy.write(text)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(plan: WritePlan, import_id: int | None, is_sample: bool, progress: Progress | None) -> Iterable[str]:
    """The rows in COPY text format, one block per write step: cheaper than adapting value by value.

    Codes and canonical periods never contain tabs or backslashes; notes are escaped.
    """
    r = plan.rows
    null = "\\N"

    def stamp(value: Any) -> str:
        return str(pd.Timestamp(value).tz_convert("UTC").isoformat())

    def text(value: Any) -> str:
        return str(value).translate(COPY_ESCAPES)

    fixed = [
        r["indicator"].tolist(),
        r["region"].tolist(),
        r["period"].tolist(),
        by_unique(r["year"].astype(int), str),
        by_unique(r["period_end"], lambda d: pd.Timestamp(d).date().isoformat()),
    ]
    tail = [by_unique(r["note"], text), by_unique(r["known_from"], stamp), by_unique(r["known_to"], stamp)]
    end = f"\t{null if import_id is None else int(import_id)}\t{'t' if is_sample else 'f'}\n"
    for start, stop in write_steps(len(r), progress):
        numbers = [
            [null if v != v else repr(v) for v in r[c].to_numpy(dtype=float)[start:stop].tolist()]
            for c in ("value", "yoy")
        ]
        columns = (
            [c[start:stop] for c in fixed] + numbers + [[null if v is None else v for v in c[start:stop]] for c in tail]
        )
        yield "".join(["\t".join(row) + end for row in zip(*columns, strict=True)])
