"""Codes ⇄ the integers observations are stored under, vectorised (one look-up per distinct value).

Indicators and regions carry a `num` given by the catalogue sync and never reused; periods are
keyed by `domain.period_keys`. Everything above storage keeps speaking codes and canonical periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from monitor.domain.period_keys import key_of, period_of_key, year_ranges
from monitor.domain.periods import parse_period
from monitor.errors import DatabaseError
from monitor.storage.models import Indicator, Region

__all__ = ["SeriesKeys", "load_keys", "year_filter"]


@dataclass(frozen=True)
class SeriesKeys:
    """The indicator and region numbers of one database, both ways."""

    indicator_num: dict[str, int]
    region_num: dict[str, int]

    def indicator_nums(self, codes: Sequence[str]) -> list[int]:
        """Numbers of the known codes among `codes` (an unknown code has no figures)."""
        return sorted({self.indicator_num[c] for c in codes if c in self.indicator_num})

    def region_nums(self, codes: Sequence[str]) -> list[int]:
        return sorted({self.region_num[c] for c in codes if c in self.region_num})

    def encode(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """indicator_id, region_id and period_key of each row of a frame of codes and canonical periods."""
        return (
            _lookup(frame["indicator"], self.indicator_num, "指标"),
            _lookup(frame["region"], self.region_num, "地区"),
            encode_periods(frame["period"]),
        )

    def decode_codes(self, indicator_ids: Any, region_ids: Any) -> tuple[np.ndarray, np.ndarray]:
        return _reverse(indicator_ids, self.indicator_num), _reverse(region_ids, self.region_num)


def load_keys(session: Session) -> SeriesKeys:
    indicators = session.execute(select(Indicator.code, Indicator.num)).all()
    regions = session.execute(select(Region.code, Region.num)).all()
    return SeriesKeys({c: int(n) for c, n in indicators}, {c: int(n) for c, n in regions})


def encode_periods(periods: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(periods, sort=False)
    keys = np.array([key_of(parse_period(p)) for p in uniques], dtype=np.int64)
    return cast(np.ndarray, keys[codes])


def decode_periods(keys: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Canonical period text, year and period end (datetime64[D]) of each stored key."""
    inverse, uniques = pd.factorize(np.asarray(keys, dtype=np.int64))
    periods = [period_of_key(int(k)) for k in uniques]
    text = np.array([str(p) for p in periods], dtype=object)
    years = np.array([p.year for p in periods], dtype=np.int64)
    ends = np.array([p.end_date() for p in periods], dtype="datetime64[D]")
    return text[inverse], years[inverse], ends[inverse]


def period_ends(keys: Sequence[int]) -> list[date]:
    return [period_of_key(int(k)).end_date() for k in keys]


def year_filter(column: Any, years: Sequence[int]) -> ColumnElement[bool]:
    """`column` (a period key) within the given years: one index range per run of consecutive years."""
    ranges = [and_(column >= low, column < high) for low, high in year_ranges(years)]
    if not ranges:
        return cast(ColumnElement[bool], false())  # no years: nothing
    return cast(ColumnElement[bool], ranges[0] if len(ranges) == 1 else or_(*ranges))


def _lookup(values: pd.Series, numbers: dict[str, int], label: str) -> np.ndarray:
    codes, uniques = pd.factorize(values, sort=False)
    missing = [u for u in uniques if u not in numbers]
    if missing:  # validated batches never get here; a bug or a catalogue not yet synced does
        shown = "、".join(str(m) for m in missing[:5])
        raise DatabaseError(f"数据库中没有{label}“{shown}”：请先运行 monitor init 同步指标目录")
    return cast(np.ndarray, np.array([numbers[u] for u in uniques], dtype=np.int64)[codes])


def _reverse(values: Any, numbers: dict[str, int]) -> np.ndarray:
    ids = np.asarray(values, dtype=np.int64)
    if not len(numbers):
        return np.full(len(ids), None, dtype=object)
    table = np.full(max(numbers.values()) + 1, None, dtype=object)
    for code, n in numbers.items():
        table[n] = code
    return table[ids] if len(ids) else np.empty(0, dtype=object)
