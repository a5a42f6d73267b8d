"""Observations: the one write path every load uses (imports and sample data), and frame reads.

`record_observations` compares a batch with the figures currently known, set-wise: unchanged
figures write nothing, a changed figure closes the current row (`known_to`) and opens a new one,
new figures are inserted. Callers own the transaction, so a file lands whole or not at all.

The comparison works on integer keys (no per-row Python), and the rows are written with each
backend's fastest bulk path inside the caller's transaction: sqlite3 `executemany` on SQLite,
`COPY` on PostgreSQL (the two databases the product runs on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import CursorResult, Select, String, Table, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from monitor.errors import DatabaseError
from monitor.storage.meta import bump_data_version
from monitor.storage.models import Import, Observation

OBS = cast(Table, Observation.__table__)

KEY = ["indicator", "region", "period"]
READ_COLUMNS = [
    "id",
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
    "import_id",
    "is_sample",
    "source",
    "channel",
]
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
_CHUNK = 500  # IN-list size; keeps every statement well under both backends' parameter limits
WRITE_CHUNK = 50_000  # rows per bulk write step; progress is reported after each
SQLITE_BULK_CACHE_KIB = 256 * 1024  # page cache while writing a large batch on SQLite (restored after)
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite (naive UTC here)

Progress = Callable[[int, int], None]


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


def _same(a: Any, b: Any) -> np.ndarray:
    """Element-wise equality where two missing values are equal and floats match to 1e-9 relative."""
    a, b = pd.Series(a), pd.Series(b)
    both_missing = (a.isna() & b.isna()).to_numpy()
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            close = np.abs(x - y) <= 1e-9 * np.maximum(1.0, np.abs(y))
        return np.asarray(close | both_missing)
    equal = (a.astype(object).to_numpy() == b.astype(object).to_numpy()).astype(bool)
    return np.asarray(equal | both_missing)


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def current_for_keys(session: Session, frame: pd.DataFrame, *, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Current rows (known_to IS NULL) of the series in `frame` (for its years, or `years`), set-wise."""
    t = OBS
    indicators = sorted(frame["indicator"].unique())
    regions = sorted(frame["region"].unique())
    years = sorted({int(y) for y in (frame["year"].unique() if years is None else years)})
    rows: list[Any] = []
    raw_time = type_coerce(t.c.known_from, String)  # vectorised conversion below, not per row
    for region_chunk in _chunks(regions):
        stmt = select(t.c.id, t.c.indicator, t.c.region, t.c.period, t.c.value, t.c.yoy, t.c.note, raw_time).where(
            t.c.known_to.is_(None),
            t.c.indicator.in_(indicators),
            t.c.region.in_(region_chunk),
            t.c.year.in_(years),
        )
        rows.extend(session.execute(stmt).all())
    cur = pd.DataFrame(rows, columns=["id", *KEY, "value", "yoy", "note", "known_from"])
    cur = cur.astype({"value": float, "yoy": float})
    cur["known_from"] = pd.to_datetime(cur["known_from"], utc=True, format="ISO8601")
    return cur


def _key_codes(*frames: pd.DataFrame) -> list[np.ndarray]:
    """One int64 key per (indicator, region, period), comparable across the frames given."""
    lengths = [len(f) for f in frames]
    parts = []
    for column in KEY:
        values = np.concatenate([f[column].to_numpy(dtype=object) for f in frames])
        codes, uniques = pd.factorize(values, sort=True)
        parts.append((codes.astype(np.int64), max(len(uniques), 1)))
    (i, _), (r, nr), (p, np_) = parts
    keys = (i * nr + r) * np_ + p
    return np.split(keys, np.cumsum(lengths)[:-1])


def _prepare(frame: pd.DataFrame, known_from: datetime | None) -> pd.DataFrame:
    columns = [c for c in (*INSERT_COLUMNS[:8], "known_from") if c in frame]
    df = frame[columns].copy()
    if "note" not in df:
        df["note"] = None
    if "known_from" in frame:
        df["known_from"] = pd.to_datetime(df["known_from"], utc=True)
    else:
        if known_from is None:
            raise ValueError("figures need a known_from: a column or the argument (the time the import started)")
        df["known_from"] = pd.Timestamp(known_from).tz_convert("UTC")
    return df.astype({"value": float, "yoy": float})


def plan_observations(session: Session, frame: pd.DataFrame, *, known_from: datetime | None = None) -> WritePlan:
    """Compare a batch with what is stored and decide what to write, without writing (dry runs use it).

    Semantics as `record_observations`.
    """
    empty = pd.DataFrame(columns=[*INSERT_COLUMNS])
    if frame.empty:
        return WritePlan(pd.DataFrame(columns=["id", "known_to"]), empty, WriteCounts())
    df = _prepare(frame, known_from)
    cur = current_for_keys(session, df)
    keys, cur_keys = _key_codes(df, cur)
    stamp = df["known_from"].to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((stamp, keys))
    df, keys, stamp = df.iloc[order].reset_index(drop=True), keys[order], stamp[order]
    at = pd.Index(cur_keys).get_indexer(keys) if len(cur) else np.full(len(df), -1)
    has_cur = at >= 0
    safe = np.where(has_cur, at, 0)

    def current(column: str) -> np.ndarray:
        numeric = column in ("value", "yoy")
        if not len(cur):
            return np.full(len(df), np.nan if numeric else None, dtype=float if numeric else object)
        out = cur[column].to_numpy(dtype=float if numeric else object)[safe].copy()
        out[~has_cur] = np.nan if numeric else None
        return np.asarray(out)

    stored = {column: current(column) for column in ("value", "yoy", "note")}
    cur_id = np.where(has_cur, cur["id"].to_numpy(dtype=np.int64)[safe] if len(cur) else 0, -1)
    cur_stamp = cur["known_from"].to_numpy(dtype="datetime64[ns]")[safe] if len(cur) else stamp
    # A version known before the stored current one is already superseded by it: not written again.
    superseded = has_cur & (stamp <= cur_stamp)
    live = ~superseded
    df = df[live].reset_index(drop=True)
    keys, stamp, has_cur, cur_id = keys[live], stamp[live], has_cur[live], cur_id[live]
    first = np.ones(len(df), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    prev: dict[str, np.ndarray] = {}
    for column in ("value", "yoy", "note"):
        mine = df[column].to_numpy(dtype=float if column != "note" else object)
        shifted = np.concatenate([mine[:1], mine[:-1]]) if len(mine) else mine
        prev[column] = np.where(first, stored[column][live], shifted)
    had_previous = ~first | has_cur
    same = had_previous & _same(df["value"], prev["value"]) & _same(df["yoy"], prev["yoy"])
    same &= _same(df["note"].astype(object), pd.Series(prev["note"], dtype=object))
    unchanged = int(same.sum()) + int(superseded.sum())
    kept = ~same
    rows = df[kept].reset_index(drop=True)
    k_keys, k_stamp = keys[kept], df["known_from"][kept].reset_index(drop=True)
    k_first = np.ones(len(rows), dtype=bool)
    k_first[1:] = k_keys[1:] != k_keys[:-1]
    next_same = np.zeros(len(rows), dtype=bool)
    next_same[:-1] = ~k_first[1:]
    rows["known_to"] = k_stamp.shift(-1).where(next_same)
    k_has_cur = has_cur[kept]
    closing = k_first & k_has_cur
    closes = pd.DataFrame({"id": cur_id[kept][closing], "known_to": k_stamp[closing].to_numpy()})
    revised = int((~k_first | k_has_cur).sum())
    counts = WriteCounts(inserted=len(rows) - revised, revised=revised, unchanged=unchanged)
    return WritePlan(closes, rows[INSERT_COLUMNS], counts)


def record_observations(
    session: Session,
    frame: pd.DataFrame,
    *,
    known_from: datetime | None = None,
    import_id: int | None = None,
    is_sample: bool = False,
    progress: Progress | None = None,
) -> WriteCounts:
    """Write a batch of figures as revisions of what is currently known; returns what changed.

    `frame` has columns indicator, region, period (canonical text), year, period_end, value, yoy and
    optionally note and known_from (per row, tz-aware; otherwise the `known_from` argument, default
    now). One key may appear several times with different known_from: each becomes a revision.
    A version known no later than the stored current one is already superseded and not written.
    `progress(done, total)` is called after each bulk step of a large write.
    """
    plan = plan_observations(session, frame, known_from=known_from)
    write_plan(session, plan, import_id=import_id, is_sample=is_sample, progress=progress)
    return plan.counts


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
        _sqlite_write(raw, plan, import_id, is_sample, progress)
    elif dialect == "postgresql":
        _postgres_write(raw, plan, import_id, is_sample, progress)
    else:
        raise DatabaseError(f"不支持的数据库类型 {dialect}：请使用 SQLite 或 PostgreSQL")
    bump_data_version(session)


def _by_unique(values: pd.Series, format_one: Callable[[Any], Any]) -> list[Any]:
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


def _columns(plan: WritePlan, times: Callable[[Any], Any], dates: Callable[[Any], Any]) -> list[list[Any]]:
    r = plan.rows
    return [
        r["indicator"].tolist(),
        r["region"].tolist(),
        r["period"].tolist(),
        r["year"].astype(int).tolist(),
        _by_unique(r["period_end"], dates),
        _nullable(r["value"]),
        _nullable(r["yoy"]),
        _nullable(r["note"]),
        _by_unique(r["known_from"], times),
        _by_unique(r["known_to"], times),
    ]


def _steps(total: int, progress: Progress | None) -> Iterable[tuple[int, int]]:
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
    if len(plan.rows) > WRITE_CHUNK:  # a large batch updates five indexes: keep their pages in memory
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        if len(plan.closes):
            cursor.executemany(
                "UPDATE observations SET known_to = ? WHERE id = ?",
                zip(_by_unique(plan.closes["known_to"], times), plan.closes["id"].astype(int).tolist(), strict=True),
            )
        columns = _columns(plan, times, dates)
        names = ", ".join([*INSERT_COLUMNS, "import_id", "is_sample"])
        constants = [None if import_id is None else int(import_id), int(is_sample)]
        stamps = plan.rows["known_from"]
        if len(stamps) and stamps.nunique() == 1 and plan.rows["known_to"].isna().all():
            # one import, one moment: bind 8 values per row, not 12 (a fifth less work for SQLite)
            columns, constants = columns[:8], [columns[8][0], None, *constants]
        literals = ", ".join("NULL" if c is None else repr(c) for c in constants)  # our own ints and timestamp
        sql = f"INSERT INTO observations ({names}) VALUES ({', '.join('?' * len(columns))}, {literals})"
        for start, stop in _steps(len(plan.rows), progress):
            cursor.executemany(sql, zip(*(c[start:stop] for c in columns), strict=True))
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
                    plan.closes["id"].astype(int).tolist(), _by_unique(plan.closes["known_to"], times), strict=True
                ):
                    copy.write_row(row)
            cursor.execute("UPDATE observations o SET known_to = c.known_to FROM monitor_closes c WHERE o.id = c.id")
        statement = f"COPY observations ({', '.join(INSERT_COLUMNS)}, import_id, is_sample) FROM STDIN"
        with cursor.copy(statement) as copy:
            for text in _copy_text(plan, import_id, is_sample, progress):
                copy.write(text)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(plan: WritePlan, import_id: int | None, is_sample: bool, progress: Progress | None) -> Iterable[str]:
    """The rows in COPY text format, one block per write step: cheaper than adapting value by value.

    Codes and canonical periods never contain tabs or backslashes; notes are escaped.
    """
    r = plan.rows
    null = "\\N"

    def stamp(value: Any) -> str:
        return str(pd.Timestamp(value).tz_convert("UTC").isoformat())

    def text(value: Any) -> str:
        return str(value).translate(_COPY_ESCAPES)

    fixed = [
        r["indicator"].tolist(),
        r["region"].tolist(),
        r["period"].tolist(),
        _by_unique(r["year"].astype(int), str),
        _by_unique(r["period_end"], lambda d: pd.Timestamp(d).date().isoformat()),
    ]
    tail = [_by_unique(r["note"], text), _by_unique(r["known_from"], stamp), _by_unique(r["known_to"], stamp)]
    end = f"\t{null if import_id is None else int(import_id)}\t{'t' if is_sample else 'f'}\n"
    for start, stop in _steps(len(r), progress):
        numbers = [
            [null if v != v else repr(v) for v in r[c].to_numpy(dtype=float)[start:stop].tolist()]
            for c in ("value", "yoy")
        ]
        columns = (
            [c[start:stop] for c in fixed] + numbers + [[null if v is None else v for v in c[start:stop]] for c in tail]
        )
        yield "".join(["\t".join(row) + end for row in zip(*columns, strict=True)])


def _read_stmt(
    indicators: Sequence[str] | None,
    regions: Sequence[str] | None,
    years: Sequence[int] | None,
    known_at: datetime | None,
    history: bool,
) -> Select:
    t, i = Observation.__table__, Import.__table__
    stmt = select(
        t.c.id,
        t.c.indicator,
        t.c.region,
        t.c.period,
        t.c.year,
        t.c.period_end,
        t.c.value,
        t.c.yoy,
        t.c.note,
        t.c.known_from,
        t.c.known_to,
        t.c.import_id,
        t.c.is_sample,
        i.c.file_name.label("source"),
        i.c.channel,
    ).select_from(t.outerjoin(i, t.c.import_id == i.c.id))
    if indicators is not None:
        stmt = stmt.where(t.c.indicator.in_(list(indicators)))
    if regions is not None:
        stmt = stmt.where(t.c.region.in_(list(regions)))
    if years is not None:
        stmt = stmt.where(t.c.year.in_(list(years)))
    return _as_known(stmt, known_at, history).order_by(t.c.indicator, t.c.region, t.c.period_end, t.c.known_from)


def _as_known(stmt: Select, known_at: datetime | None, history: bool = False) -> Select:
    """The real-time rule: the versions current at `known_at`, the current ones, or (history) all."""
    t = Observation.__table__
    if known_at is not None:
        return stmt.where(t.c.known_from <= known_at, or_(t.c.known_to.is_(None), t.c.known_to > known_at))
    return stmt if history else stmt.where(t.c.known_to.is_(None))


_FIGURE_COLUMNS = ["indicator", "region", "period", "year", "value", "yoy"]


def read_figures(
    session: Session,
    *,
    indicators: Sequence[str],
    regions: Sequence[str],
    years: Sequence[int],
    known_at: datetime | None = None,
) -> pd.DataFrame:
    """Just the six columns pace and the forecaster use, current or as known at `known_at`.

    `read_observations` with its sources and timestamps costs several times the figures themselves
    at national scale (see bench/pace_bench.py), so the rows are fetched as plain tuples.
    """
    if known_at is not None and known_at.tzinfo is None:
        raise ValueError("known_at must be timezone-aware")
    t = cast(Table, Observation.__table__)
    stmt = select(t.c.indicator, t.c.region, t.c.period, t.c.year, t.c.value, t.c.yoy).where(
        t.c.indicator.in_(list(indicators)), t.c.region.in_(list(regions)), t.c.year.in_(list(years))
    )
    result = cast(CursorResult[Any], session.execute(_as_known(stmt, known_at)))
    rows = result.cursor.fetchall()  # these columns need no result processing: skip building Row objects
    result.close()
    return pd.DataFrame(rows, columns=_FIGURE_COLUMNS).astype({"value": float, "yoy": float})


def read_observations(
    session: Session,
    *,
    indicators: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    known_at: datetime | None = None,
    history: bool = False,
) -> pd.DataFrame:
    """Figures as one frame (one query): current ones, those known at `known_at`, or every version."""
    if known_at is not None and known_at.tzinfo is None:
        raise ValueError("known_at must be timezone-aware")
    rows = session.execute(_read_stmt(indicators, regions, years, known_at, history)).all()
    frame = pd.DataFrame(rows, columns=READ_COLUMNS)
    frame = frame.astype({"value": float, "yoy": float})
    for column in ("known_from", "known_to"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def newest_figure_end(session: Session, until: date) -> date | None:
    """The period end of the newest current monthly, quarterly or annual figure ending by `until`
    (weekly prices arrive every week and say nothing about the month's reports)."""
    t = Observation.__table__
    stmt = select(func.max(t.c.period_end)).where(
        t.c.known_to.is_(None), t.c.period_end <= until, ~t.c.period.contains("W")
    )
    found = session.execute(stmt).scalar()
    if found is None or isinstance(found, date):
        return found
    return date.fromisoformat(str(found)[:10])


def observation_summary(session: Session) -> pd.DataFrame:
    """Per indicator and region: how many current figures, first and last period end."""
    t = Observation.__table__
    stmt = (
        select(t.c.indicator, t.c.region, func.count(), func.min(t.c.period_end), func.max(t.c.period_end))
        .where(t.c.known_to.is_(None))
        .group_by(t.c.indicator, t.c.region)
    )
    rows = session.execute(stmt).all()
    return pd.DataFrame(rows, columns=["indicator", "region", "count", "first_end", "last_end"])
