"""Warnings about plausible-looking figures: compared with the previous and next period and last year. Pure.

Warnings never reject a file; they are stored with the import and become data-quality alerts.
The figures of the file itself take precedence over the stored ones (a file carrying 1-4月 and
1-5月 is compared within itself). Lookups are integer-keyed hash joins, not row loops.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, Measure
from monitor.domain.numbers import amount
from monitor.domain.periods import parse_period
from monitor.domain.validation.checks import take
from monitor.domain.validation.issues import Code, IssueSeverity, empty_issues, sort_issues

__all__ = ["GROWTH_JUMP_PP", "MISMATCH_PP", "figure_warnings"]

GROWTH_JUMP_PP = 20.0
"""A growth rate moving more than this many 百分点 from the previous period is worth a second look."""

MISMATCH_PP = 15.0
"""Published growth is on a comparable base, so it may differ from value / last year's value, but not by this much."""

_LEVELS = frozenset({Measure.CUMULATIVE.value, Measure.STOCK.value, Measure.PRICE.value})


def _fmt(x: Any, unit: str) -> str:
    """A converted figure in the indicator's unit, rounded as a 通报 writes it: 16.95亿元, 19000个."""
    return amount(float(x), unit) if np.isfinite(x) else "—"


@lru_cache(maxsize=4096)
def _previous(period: str) -> str:
    return str(parse_period(period).shift(-1))


@lru_cache(maxsize=4096)
def _next(period: str) -> str:
    return str(parse_period(period).shift(1))


@lru_cache(maxsize=4096)
def _last_year(period: str) -> str:
    return str(parse_period(period).same_period_last_year())


class _Vocabulary:
    """Integer codes for text values: the file's values first, then any new ones (few) from elsewhere."""

    def __init__(self, values: np.ndarray):
        self.codes, uniques = pd.factorize(values)
        self.index = pd.Index(uniques)

    def extend(self, values: np.ndarray) -> np.ndarray:
        at = self.index.get_indexer(values)
        new = at < 0
        if new.any():
            codes, uniques = pd.factorize(values[new])
            at[new] = codes + len(self.index)
            self.index = self.index.append(pd.Index(uniques))
        return np.asarray(at.astype(np.int64))

    @property
    def size(self) -> int:
        return max(len(self.index), 1)


def _keys(figures: pd.DataFrame, known: pd.DataFrame, indicators: _Vocabulary) -> tuple[np.ndarray, ...]:
    """Integer (indicator, region, period) keys: the file's figures, its previous and next periods and last
    year's, and the stored figures; plus whether the previous and the next period lie in the same year, and
    the size of the key space. `indicators` holds the figures' indicators."""
    regions = _Vocabulary(figures["region"].to_numpy(dtype=object))
    periods = _Vocabulary(figures["period"].to_numpy(dtype=object))
    parsed = [parse_period(p) for p in periods.index]
    previous = [p.shift(-1) for p in parsed]
    prev_codes = periods.extend(np.array([str(p) for p in previous], dtype=object))[periods.codes]
    ly_codes = periods.extend(np.array([str(p.same_period_last_year()) for p in parsed], dtype=object))[periods.codes]
    same_year = np.array([a.year == b.year for a, b in zip(parsed, previous, strict=True)], dtype=bool)[periods.codes]
    following = [p.shift(1) for p in parsed]
    next_codes = periods.extend(np.array([str(p) for p in following], dtype=object))[periods.codes]
    next_same_year = np.array([a.year == b.year for a, b in zip(parsed, following, strict=True)], dtype=bool)
    k_ind = indicators.extend(known["indicator"].to_numpy(dtype=object))
    k_reg = regions.extend(known["region"].to_numpy(dtype=object))
    k_per = periods.extend(known["period"].to_numpy(dtype=object))

    def key(i: np.ndarray, r: np.ndarray, p: np.ndarray) -> np.ndarray:
        return np.asarray((i.astype(np.int64) * regions.size + r) * (len(periods.index) + 1) + p)

    space = indicators.size * regions.size * (len(periods.index) + 1)
    fig_i, fig_r = indicators.codes.astype(np.int64), regions.codes.astype(np.int64)
    return (
        key(fig_i, fig_r, periods.codes.astype(np.int64)),
        key(fig_i, fig_r, prev_codes),
        key(fig_i, fig_r, ly_codes),
        key(k_ind, k_reg, k_per),
        same_year,
        key(fig_i, fig_r, next_codes),
        next_same_year[periods.codes],
        np.asarray(space),
    )


def figure_warnings(
    figures: pd.DataFrame,
    known: pd.DataFrame,
    catalogue: Catalogue,
    headers: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """cumulative_decrease, growth_jump and value_growth_mismatch for each figure, as issue rows.

    `figures` are checked figures (catalogue units, canonical periods, with `row`); `known` holds
    the stored current figures (indicator, region, period, value, yoy) of the same series,
    including the previous period and last year.
    """
    if figures.empty:
        return empty_issues()
    headers = headers or {}
    indicators = _Vocabulary(figures["indicator"].to_numpy(dtype=object))
    i_codes, i_uniques = indicators.codes, list(indicators.index)
    if (i_codes < 0).any():
        i_codes, i_uniques = pd.factorize(figures["indicator"], use_na_sentinel=False)
    prev_value, prev_yoy, ly_value, same_year, next_value, next_same_year = _around(figures, known, indicators)
    value = figures["value"].to_numpy(dtype=float)
    yoy = figures["yoy"].to_numpy(dtype=float)
    measures = [catalogue.indicators[c].measure.value for c in i_uniques]
    unit = take([catalogue.indicators[c].unit for c in i_uniques], i_codes)
    cumulative = take([m == Measure.CUMULATIVE.value for m in measures], i_codes, bool)
    levels = take([m in _LEVELS for m in measures], i_codes, bool)

    with np.errstate(invalid="ignore", divide="ignore"):
        jump = np.abs(yoy - prev_yoy) > GROWTH_JUMP_PP
        jump &= ~cumulative | same_year  # a cumulative rate restarts each January
        implied = 100.0 * (value / ly_value - 1.0)
        mismatch = levels & (ly_value > 0) & (np.abs(implied - yoy) > MISMATCH_PP)
    periods = figures["period"].to_numpy(dtype=object)
    value_col = _columns(figures, headers, "value", "数值")
    yoy_col = _columns(figures, headers, "yoy", "同比增长(%)")
    parts = [
        *_cumulative_rows(figures, cumulative, prev_value, same_year, next_value, next_same_year, value_col, unit),
        _warning_rows(
            figures,
            Code.GROWTH_JUMP,
            jump,
            yoy_col,
            lambda i: _fmt(yoy[i], "%"),
            lambda i: (
                f"同比增长 {yoy[i]:.1f}% 与上期（{_previous(periods[i])}）的 {prev_yoy[i]:.1f}% "
                f"相差 {abs(yoy[i] - prev_yoy[i]):.1f} 个百分点，超过 {GROWTH_JUMP_PP:g} 个百分点：请核对"
            ),
        ),
        _warning_rows(
            figures,
            Code.VALUE_GROWTH_MISMATCH,
            mismatch,
            yoy_col,
            lambda i: _fmt(yoy[i], "%"),
            lambda i: (
                f"按上年同期（{_last_year(periods[i])}）的 {_fmt(ly_value[i], unit[i])} 算，"
                f"{periods[i]} 的 {_fmt(value[i], unit[i])} 是增长"
                f" {implied[i]:.1f}%，与填报的同比增长 {yoy[i]:.1f}% 相差 {abs(implied[i] - yoy[i]):.1f} 个百分点："
                "请核对数值、单位或增速（口径调整请在备注中说明）"
            ),
        ),
    ]
    found = [p for p in parts if p is not None]
    if not found:
        return empty_issues()
    out = pd.concat(found, ignore_index=True)
    out["row"] = out["row"].astype("Int64")
    return sort_issues(out)


def _cumulative_rows(
    figures: pd.DataFrame,
    cumulative: np.ndarray,
    prev_value: np.ndarray,
    same_year: np.ndarray,
    next_value: np.ndarray,
    next_same_year: np.ndarray,
    value_col: Any,
    unit: np.ndarray,
) -> list[pd.DataFrame | None]:
    """A cumulative figure must not fall below the previous period's nor rise above the next one's."""
    value = figures["value"].to_numpy(dtype=float)

    def shown(i: int) -> str:
        return _fmt(value[i], unit[i])

    periods = figures["period"].to_numpy(dtype=object)
    with np.errstate(invalid="ignore"):
        decrease = cumulative & same_year & (value < prev_value - 1e-9 * np.maximum(1.0, np.abs(prev_value)))
        above_next = cumulative & next_same_year & (value > next_value + 1e-9 * np.maximum(1.0, np.abs(next_value)))
    return [
        _warning_rows(
            figures,
            Code.CUMULATIVE_DECREASE,
            decrease,
            value_col,
            shown,
            lambda i: (
                f"累计值 {shown(i)} 低于上期（{_previous(periods[i])}）的 {_fmt(prev_value[i], unit[i])}："
                "累计值应逐期增加，请核对数值、单位和期别"
            ),
        ),
        _warning_rows(
            figures,
            Code.CUMULATIVE_ABOVE_NEXT,
            above_next,
            value_col,
            shown,
            lambda i: (
                f"累计值 {shown(i)} 高于下一期（{_next(periods[i])}）已有的 {_fmt(next_value[i], unit[i])}："
                "累计值应逐期增加，请核对数值、单位和期别"
            ),
        ),
    ]


DENSE_KEYS = 1 << 22
"""Key spaces up to this size (or four times the keys) are looked up in a plain array, larger ones by hashing."""


def last_positions(pool: np.ndarray, space: int, dense: int = DENSE_KEYS) -> Callable[[np.ndarray], np.ndarray]:
    """A lookup of keys (0 <= key < space) to the position of their last occurrence in `pool` (-1: absent)."""
    if space <= max(dense, 4 * len(pool)) and pool.min(initial=0) >= 0:
        last = np.full(max(space, 1), -1, dtype=np.int64)
        np.maximum.at(last, pool, np.arange(len(pool), dtype=np.int64))
        return lambda keys: np.where(keys >= 0, last[np.maximum(keys, 0)], -1)
    keep = ~pd.Index(pool).duplicated(keep="last")
    positions, index = np.flatnonzero(keep), pd.Index(pool[keep])

    def look(keys: np.ndarray) -> np.ndarray:
        at = index.get_indexer(keys)
        return np.where(at >= 0, positions[np.maximum(at, 0)], -1)

    return look


def _around(figures: pd.DataFrame, known: pd.DataFrame, indicators: _Vocabulary) -> tuple[np.ndarray, ...]:
    """Each figure's previous-period value and growth, last year's value, whether the previous period is this
    year, the next period's value and whether the next period is this year.

    The file's own figures count as known: a file holding January to May is checked month against month.
    """
    known = known if len(known) else pd.DataFrame(columns=["indicator", "region", "period", "value", "yoy"])
    own, prev_keys, ly_keys, known_keys, same_year, next_keys, next_same_year, space = _keys(figures, known, indicators)
    look = last_positions(np.concatenate([known_keys, own]), int(space))  # the file's own figure wins
    pool_value = np.concatenate([known["value"].to_numpy(dtype=float), figures["value"].to_numpy(dtype=float)])
    pool_yoy = np.concatenate([known["yoy"].to_numpy(dtype=float), figures["yoy"].to_numpy(dtype=float)])

    def values(at: np.ndarray, pool: np.ndarray) -> np.ndarray:
        return np.where(at >= 0, pool[np.maximum(at, 0)], np.nan)

    prev_at = look(prev_keys)
    return (
        values(prev_at, pool_value),
        values(prev_at, pool_yoy),
        values(look(ly_keys), pool_value),
        same_year,
        values(look(next_keys), pool_value),
        next_same_year,
    )


def _warning_rows(
    figures: pd.DataFrame,
    code: Code,
    where: np.ndarray,
    column: Any,
    shown: Callable[[int], str],
    message: Callable[[int], str],
) -> pd.DataFrame | None:
    """Issue rows of one warning code for the figures where `where` holds (None when there is none)."""
    pick = np.flatnonzero(where)
    if not len(pick):
        return None
    return pd.DataFrame(
        {
            "row": figures["row"].to_numpy()[pick],
            "column": column[pick] if isinstance(column, np.ndarray) else column,
            "value": [shown(int(i)) for i in pick],
            "code": code.value,
            "message": [message(int(i)) for i in pick],
            "severity": IssueSeverity.WARNING.value,
        }
    )


def _columns(figures: pd.DataFrame, headers: Mapping[str, str], name: str, default: str) -> Any:
    if name == "value" and "source_column" in figures:
        return figures["source_column"].to_numpy(dtype=object)
    return headers.get(name) or default
