"""Observations: the one write path every load uses (imports and sample data), and frame reads.

`record_observations` compares a batch with the figures currently known, set-wise in pandas:
unchanged figures write nothing, a changed figure closes the current row (`known_to`) and opens a
new one, new figures are inserted. Callers own the transaction, so a file lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

import numpy as np
import pandas as pd
from sqlalchemy import Select, Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

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
_CHUNK = 500  # IN-list size; keeps every statement well under both backends' parameter limits


@dataclass(frozen=True)
class WriteCounts:
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            self.inserted + other.inserted, self.revised + other.revised, self.unchanged + other.unchanged
        )


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    """Element-wise equality where two missing values are equal and floats match to 1e-9 relative."""
    both_missing = a.isna() & b.isna()
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            close = np.abs(x - y) <= 1e-9 * np.maximum(1.0, np.abs(y))
        return pd.Series(close, index=a.index) | both_missing
    return (a.astype(object) == b.astype(object)).fillna(False).astype(bool) | both_missing


def _chunks(values: Sequence[str], size: int = _CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def current_for_keys(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    """Current rows (known_to IS NULL) for the series in `frame`, read in a few set-wise queries."""
    t = Observation.__table__
    indicators = sorted(frame["indicator"].unique())
    regions = sorted(frame["region"].unique())
    years = sorted(int(y) for y in frame["year"].unique())
    rows: list[tuple] = []
    for region_chunk in _chunks(regions):
        stmt = select(
            t.c.id, t.c.indicator, t.c.region, t.c.period, t.c.value, t.c.yoy, t.c.note, t.c.known_from
        ).where(
            t.c.known_to.is_(None),
            t.c.indicator.in_(indicators),
            t.c.region.in_(region_chunk),
            t.c.year.in_(years),
        )
        rows.extend(session.execute(stmt))
    cur = pd.DataFrame(rows, columns=["id", *KEY, "value", "yoy", "note", "known_from"])
    return cur.astype({"value": float, "yoy": float})


def record_observations(
    session: Session,
    frame: pd.DataFrame,
    *,
    known_from: datetime | None = None,
    import_id: int | None = None,
    is_sample: bool = False,
) -> WriteCounts:
    """Write a batch of figures as revisions of what is currently known; returns what changed.

    `frame` has columns indicator, region, period (canonical text), year, period_end, value, yoy and
    optionally note and known_from (per row, tz-aware; otherwise the `known_from` argument, default
    now). One key may appear several times with different known_from: each becomes a revision.
    A version known no later than the stored current one is already superseded and not written.
    """
    if frame.empty:
        return WriteCounts()
    df = frame.copy()
    if "note" not in df:
        df["note"] = None
    if "known_from" not in df:
        df["known_from"] = pd.Timestamp(known_from or datetime.now(UTC))
    df["known_from"] = pd.to_datetime(df["known_from"], utc=True)
    df = df.astype({"value": float, "yoy": float}).sort_values([*KEY, "known_from"], kind="stable")
    df = df.reset_index(drop=True)

    cur = current_for_keys(session, df)
    merged = df.merge(cur.rename(columns=lambda c: c if c in KEY else f"cur_{c}"), on=KEY, how="left")
    # A version known before the stored current one is already superseded by it: not written again.
    superseded = merged["known_from"] <= pd.to_datetime(merged["cur_known_from"], utc=True)
    merged = merged[~superseded].reset_index(drop=True)
    first = ~merged.duplicated(KEY, keep="first")
    grouped = merged.groupby(KEY, sort=False)
    prev = {c: grouped[c].shift(1) for c in ("value", "yoy", "note")}
    for c in ("value", "yoy", "note"):
        prev[c] = prev[c].where(~first, merged[f"cur_{c}"])
    had_previous = ~first | merged["cur_id"].notna()
    same = had_previous & _same(merged["value"], prev["value"]) & _same(merged["yoy"], prev["yoy"])
    same &= _same(merged["note"], prev["note"])

    kept = merged[~same].copy()
    unchanged = int(same.sum()) + int(superseded.sum())
    if kept.empty:
        return WriteCounts(unchanged=unchanged)
    kept_first = ~kept.duplicated(KEY, keep="first")
    kept["known_to"] = kept.groupby(KEY, sort=False)["known_from"].shift(-1)
    closes = kept[kept_first & kept["cur_id"].notna()]

    t = OBS
    if not closes.empty:
        session.execute(
            update(t).where(t.c.id == bindparam("b_id")).values(known_to=bindparam("b_known_to")),
            [
                {"b_id": int(i), "b_known_to": k.to_pydatetime()}
                for i, k in zip(closes["cur_id"], closes["known_from"], strict=True)
            ],
        )
    records = pd.DataFrame(
        {
            "indicator": kept["indicator"],
            "region": kept["region"],
            "period": kept["period"],
            "year": kept["year"].astype(int),
            "period_end": kept["period_end"],
            "value": kept["value"],
            "yoy": kept["yoy"],
            "note": kept["note"],
            "known_from": kept["known_from"],
            "known_to": kept["known_to"],
        }
    )
    payload = records.astype(object).where(records.notna(), None).to_dict("records")
    for row in payload:
        row["known_from"] = row["known_from"].to_pydatetime()
        if row["known_to"] is not None:
            row["known_to"] = row["known_to"].to_pydatetime()
        row["import_id"] = import_id
        row["is_sample"] = is_sample
    session.execute(insert(t), payload)
    bump_data_version(session)
    revised = int((~kept_first | kept["cur_id"].notna()).sum())
    return WriteCounts(inserted=len(kept) - revised, revised=revised, unchanged=unchanged)


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
    if known_at is not None:
        stmt = stmt.where(t.c.known_from <= known_at, or_(t.c.known_to.is_(None), t.c.known_to > known_at))
    elif not history:
        stmt = stmt.where(t.c.known_to.is_(None))
    return stmt.order_by(t.c.indicator, t.c.region, t.c.period_end, t.c.known_from)


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
