"""Observations: the one write path every load uses (imports and sample data), and frame reads.

`record_observations` compares a batch with the figures currently known, set-wise: unchanged
figures write nothing, a changed figure closes the current row (`known_to`) and opens a new one,
new figures are inserted. Callers own the transaction, so a file lands whole or not at all.

The comparison works on integer keys (no per-row Python); `bulk_write` writes the rows with each
backend's fastest bulk path inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import CompoundSelect, Select, String, Table, func, select, type_coerce, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.domain.period_keys import KIND_OF
from monitor.domain.periods import Frequency
from monitor.storage.bulk_write import INSERT_COLUMNS, Progress, WriteCounts, WritePlan, write_plan
from monitor.storage.fetch import fetch_frame, frame_of, parse_times
from monitor.storage.models import Import, Observation
from monitor.storage.pg_write import record_at_once
from monitor.storage.series_keys import SeriesKeys, decode_periods, load_keys, period_ends, year_filter

OBS = cast(Table, Observation.__table__)

KEY = ["indicator", "region", "period"]
READ_COLUMNS = [*INSERT_COLUMNS, "import_id", "is_sample", "source", "channel"]
CLOSE_COLUMNS = [*KEY, "known_to"]
_CHUNK = 500  # IN-list size; keeps every statement well under both backends' parameter limits


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


def current_for_keys(
    session: Session, frame: pd.DataFrame, *, years: Sequence[int] | None = None, versions: bool = True
) -> pd.DataFrame:
    """Current rows (known_to IS NULL) of the series in `frame` (for its years, or `years`), set-wise:
    indicator, region, period, value, yoy and, with `versions`, note and known_from."""
    t = OBS
    keys = load_keys(session)
    indicators = keys.indicator_nums(frame["indicator"].unique())
    regions = keys.region_nums(frame["region"].unique())
    years = sorted({int(y) for y in (frame["year"].unique() if years is None else years)})
    kinds = {"indicator_id": "int", "region_id": "int", "period_key": "int", "value": "float", "yoy": "float"}
    selected: list[Any] = [t.c.indicator_id, t.c.region_id, t.c.period_key, t.c.value, t.c.yoy]
    if versions:
        kinds |= {"note": "object", "known_from": "object"}
        selected += [t.c.note, type_coerce(t.c.known_from, String)]  # parsed per distinct value below
    parts = []
    for region_chunk in _chunks(regions):
        stmt = select(*selected).where(
            t.c.known_to.is_(None),
            t.c.indicator_id.in_(indicators),
            t.c.region_id.in_(region_chunk),
            year_filter(t.c.period_key, years),
        )
        parts.append(fetch_frame(session, stmt, kinds))
    stored = pd.concat(parts, ignore_index=True) if parts else frame_of([], kinds)
    cur = _with_codes(stored, keys)[[*KEY, *list(kinds)[3:]]]
    if versions:
        cur["known_from"] = parse_times(cur["known_from"])
    return cur


def _with_codes(stored: pd.DataFrame, keys: SeriesKeys) -> pd.DataFrame:
    """Stored integer keys as codes, canonical period, year and period end (the columns callers know)."""
    indicator, region = keys.decode_codes(stored["indicator_id"], stored["region_id"])
    period, year, end = decode_periods(stored["period_key"])
    out = stored.drop(columns=["indicator_id", "region_id", "period_key"])
    out.insert(0, "period_end", end)
    out.insert(0, "year", year)
    out.insert(0, "period", period)
    out.insert(0, "region", region)
    out.insert(0, "indicator", indicator)
    return out


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


def _plan_at_once(df: pd.DataFrame, cur: pd.DataFrame) -> WritePlan:
    """A batch known at one moment with unique keys: each figure against its current version, in place.

    The pandas twin of storage.pg_write (same rule, no sorting): a new figure is inserted, a changed
    one closes its current version, an equal or already superseded one writes nothing.
    """
    df["known_to"] = pd.Series(pd.NaT, index=df.index, dtype=df["known_from"].dtype)
    closes = df[KEY].iloc[:0].assign(known_to=df["known_from"].iloc[:0])
    if cur.empty:
        return WritePlan(closes, df[INSERT_COLUMNS], WriteCounts(inserted=len(df)))
    keys, cur_keys = _key_codes(df, cur)
    if len(pd.unique(keys)) < len(keys):  # as the current-version index refuses it on a first load
        repeat = ValueError("uq_observations_current: a key appears twice in a batch known at one moment")
        raise IntegrityError("record_observations", None, repeat)
    at = pd.Index(cur_keys).get_indexer(keys)
    has = at >= 0
    safe = np.where(has, at, 0)
    same = has.copy()
    for column in ("value", "yoy", "note"):
        kind = object if column == "note" else float
        same &= _same(df[column].to_numpy(dtype=kind), cur[column].to_numpy(dtype=kind)[safe])
    stamp = df["known_from"].to_numpy(dtype="datetime64[ns]")
    superseded = has & (cur["known_from"].to_numpy(dtype="datetime64[ns]")[safe] >= stamp)
    keep = ~(same | superseded)
    close = keep & has
    closes = df.loc[close, KEY].assign(known_to=df["known_from"][close])
    rows = df if keep.all() else df[keep]
    counts = WriteCounts(inserted=int((keep & ~has).sum()), revised=int(close.sum()), unchanged=int((~keep).sum()))
    return WritePlan(closes.reset_index(drop=True), rows[INSERT_COLUMNS], counts)


def plan_observations(session: Session, frame: pd.DataFrame, *, known_from: datetime | None = None) -> WritePlan:
    """Compare a batch with what is stored and decide what to write, without writing (dry runs use it).

    Semantics as `record_observations`.
    """
    empty = pd.DataFrame(columns=[*INSERT_COLUMNS])
    if frame.empty:
        return WritePlan(pd.DataFrame(columns=CLOSE_COLUMNS), empty, WriteCounts())
    df = _prepare(frame, known_from)
    cur = current_for_keys(session, df)
    if "known_from" not in frame:
        return _plan_at_once(df, cur)
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
    cur_stamp = cur["known_from"].to_numpy(dtype="datetime64[ns]")[safe] if len(cur) else stamp
    # A version known before the stored current one is already superseded by it: not written again.
    superseded = has_cur & (stamp <= cur_stamp)
    live = ~superseded
    df = df[live].reset_index(drop=True)
    keys, stamp, has_cur = keys[live], stamp[live], has_cur[live]
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
    closes = rows.loc[closing, KEY].reset_index(drop=True).assign(known_to=k_stamp[closing].to_numpy())
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

    A batch known at one moment (no known_from column) must hold each key once (validated files
    do; a repeat fails on the current-version index). On PostgreSQL it is compared and written in
    SQL (storage.pg_write); anything else is planned here in pandas, then written.
    """
    if "known_from" not in frame and session.get_bind().dialect.name == "postgresql":
        if known_from is None:
            raise ValueError("figures need a known_from: a column or the argument (the time the import started)")
        return record_at_once(session, frame, known_from, import_id=import_id, is_sample=is_sample, progress=progress)
    plan = plan_observations(session, frame, known_from=known_from)
    write_plan(session, plan, import_id=import_id, is_sample=is_sample, progress=progress)
    return plan.counts


def _read_stmt(
    keys: SeriesKeys,
    indicators: Sequence[str] | None,
    regions: Sequence[str] | None,
    years: Sequence[int] | None,
    known_at: datetime | None,
    history: bool,
) -> Select | CompoundSelect:
    t, i = Observation.__table__, Import.__table__
    stmt = select(
        t.c.indicator_id,
        t.c.region_id,
        t.c.period_key,
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
        stmt = stmt.where(t.c.indicator_id.in_(keys.indicator_nums(indicators)))
    if regions is not None:
        stmt = stmt.where(t.c.region_id.in_(keys.region_nums(regions)))
    if years is not None:
        stmt = stmt.where(year_filter(t.c.period_key, years))
    return _as_known(stmt, known_at, history)


def _as_known(stmt: Select, known_at: datetime | None, history: bool = False) -> Select | CompoundSelect:
    """The real-time rule: the versions current at `known_at`, the current ones, or (history) all.

    Current and closed versions live in two partial indexes, so a past state is read as the union
    of the current versions known by then and the closed versions still valid then: each arm
    states its index's condition, which both planners need to use a partial index.
    """
    t = Observation.__table__
    if known_at is None and not history:
        return stmt.where(t.c.known_to.is_(None))
    current = stmt.where(t.c.known_to.is_(None))
    closed = stmt.where(t.c.known_to.is_not(None))
    if known_at is not None:
        current = current.where(t.c.known_from <= known_at)
        closed = closed.where(t.c.known_from <= known_at, t.c.known_to > known_at)
    return union_all(current, closed)


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
    keys = load_keys(session)
    stmt = select(t.c.indicator_id, t.c.region_id, t.c.period_key, t.c.value, t.c.yoy).where(
        t.c.indicator_id.in_(keys.indicator_nums(indicators)),
        t.c.region_id.in_(keys.region_nums(regions)),
        year_filter(t.c.period_key, years),
    )
    kinds = {"indicator_id": "int", "region_id": "int", "period_key": "int", "value": "float", "yoy": "float"}
    return _with_codes(fetch_frame(session, _as_known(stmt, known_at), kinds), keys)[_FIGURE_COLUMNS]


def read_observations(
    session: Session,
    *,
    indicators: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    known_at: datetime | None = None,
    history: bool = False,
) -> pd.DataFrame:
    """Figures as one frame (one query), ordered by series, period end and version: current ones,
    those known at `known_at`, or every version."""
    if known_at is not None and known_at.tzinfo is None:
        raise ValueError("known_at must be timezone-aware")
    keys = load_keys(session)
    rows = session.execute(_read_stmt(keys, indicators, regions, years, known_at, history)).all()
    stored = pd.DataFrame(rows, columns=["indicator_id", "region_id", "period_key", *READ_COLUMNS[5:]])
    frame = _with_codes(stored, keys)[READ_COLUMNS]
    frame = frame.astype({"value": float, "yoy": float})
    for column in ("known_from", "known_to"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    order = ["indicator", "region", "period_end", "known_from"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def stored_period_ends(session: Session, *, current_only: bool = False, weekly: bool = True) -> list[date]:
    """The period ends of the periods stored (of current versions only; without weekly periods)."""
    t = Observation.__table__
    stmt = select(t.c.period_key).distinct()
    if current_only:
        stmt = stmt.where(t.c.known_to.is_(None))
    if not weekly:
        stmt = stmt.where(t.c.period_key % 1000 // 100 != KIND_OF[Frequency.WEEKLY])
    return period_ends(session.execute(stmt).scalars().all())


def newest_figure_end(session: Session, until: date) -> date | None:
    """The period end of the newest current monthly, quarterly or annual figure ending by `until`
    (weekly prices arrive every week and say nothing about the month's reports)."""
    ends = stored_period_ends(session, current_only=True, weekly=False)
    return max((end for end in ends if end <= until), default=None)


def observation_summary(session: Session) -> pd.DataFrame:
    """Per indicator and region: how many current figures, first and last period end."""
    t = Observation.__table__
    stmt = (
        select(t.c.indicator_id, t.c.region_id, func.count(), func.min(t.c.period_key), func.max(t.c.period_key))
        .where(t.c.known_to.is_(None))
        .group_by(t.c.indicator_id, t.c.region_id)
    )
    rows = pd.DataFrame(session.execute(stmt).all(), columns=["indicator_id", "region_id", "count", "first", "last"])
    indicator, region = load_keys(session).decode_codes(rows["indicator_id"], rows["region_id"])
    return pd.DataFrame(
        {
            "indicator": indicator,
            "region": region,
            "count": rows["count"].astype(int),
            "first_end": period_ends(rows["first"].tolist()),
            "last_end": period_ends(rows["last"].tolist()),
        }
    )
