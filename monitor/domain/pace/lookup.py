"""Where pace finds its numbers: figures looked up by (indicator, region, period) in one frame.

`Figures` encodes each observation's key as one int64 (indicator code, region code, period code),
so that finding the figure of the evaluation period, last year's bases, the seasonal years and a
reference indicator's growth for a hundred thousand series is a hash look-up per column, not a
merge on text keys or a loop over series. Pure: frames in, arrays out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from monitor.domain.periods import Frequency, Period, parse_period

__all__ = [
    "Figures",
    "growth_from",
    "period_text",
    "seasonal_periods",
    "seasonal_share",
    "share_from",
]

LEVEL_GROWTH = ("cumulative", "stock", "price")
"""Measures whose growth can be computed from levels as value / same period last year − 1."""


def period_text(year: int, frequency: Frequency, number: int) -> str:
    """Canonical text of a period (2021-06, 2021-Q2, 2021-W05, 2021) without validating it."""
    return {
        Frequency.MONTHLY: f"{year}-{number:02d}",
        Frequency.QUARTERLY: f"{year}-Q{number}",
        Frequency.WEEKLY: f"{year}-W{number:02d}",
        Frequency.ANNUAL: f"{year}",
    }[frequency]


def seasonal_periods(period: Period, years: int) -> list[tuple[str, str]]:
    """(C(y', k), C(y', K)) period texts of the `years` years before `period`; none for weekly periods."""
    if period.frequency is Frequency.WEEKLY:
        return []
    per_year = period.periods_per_year
    return [
        (period_text(y, period.frequency, period.number), period_text(y, period.frequency, per_year))
        for y in range(period.year - 1, period.year - 1 - years, -1)
    ]


def _codes(categories: pd.Index, values: object) -> np.ndarray:
    """Position of each value among the (unique) categories, −1 for a value that is not one of them."""
    return np.asarray(categories.get_indexer(pd.Index(values, dtype=object)), dtype=np.int64)


class Figures:
    """The observations of some series, found by (indicator, region, period) through one int64 key each.

    Only the given indicators, regions and (when given) periods are kept. Should the frame hold
    several versions of a figure, the last one (frames come in known_from order) is the one used.
    """

    def __init__(
        self,
        obs: pd.DataFrame,
        indicators: Sequence[str],
        regions: Sequence[str],
        periods: Iterable[str] | None = None,
    ) -> None:
        self.indicators = list(dict.fromkeys(indicators))
        self.regions = list(dict.fromkeys(regions))
        self._ind_index, self._reg_index = pd.Index(self.indicators), pd.Index(self.regions)
        ind = _codes(self._ind_index, obs["indicator"])
        reg = _codes(self._reg_index, obs["region"])
        keep = (ind >= 0) & (reg >= 0)
        wanted = None if periods is None else list(dict.fromkeys(periods))
        if wanted is None:
            per, uniques = pd.factorize(obs["period"].to_numpy(dtype=object)[keep])
            self.periods = {str(p): i for i, p in enumerate(uniques)}
        else:
            per = _codes(pd.Index(wanted), obs["period"].to_numpy(dtype=object)[keep])
            self.periods = {p: i for i, p in enumerate(wanted)}
        per = np.asarray(per, dtype=np.int64)
        present = per >= 0
        self._n_regions, self._n_periods = max(len(self.regions), 1), max(len(self.periods), 1)
        keys = self._keys(ind[keep][present], reg[keep][present], per[present])
        value = obs["value"].to_numpy(dtype=float)[keep][present]
        yoy = obs["yoy"].to_numpy(dtype=float)[keep][present]
        index = pd.Index(keys)
        if not index.is_unique:
            last = ~index.duplicated(keep="last")
            index, value, yoy = index[last], value[last], yoy[last]
        self._index, self._value, self._yoy = index, value, yoy

    def _keys(self, ind: np.ndarray, reg: np.ndarray, per: np.ndarray) -> np.ndarray:
        return np.asarray((ind * self._n_regions + reg) * self._n_periods + per)

    def indicator_codes(self, codes: Iterable[str]) -> np.ndarray:
        return _codes(self._ind_index, list(codes))

    def region_codes(self, codes: Iterable[str]) -> np.ndarray:
        return _codes(self._reg_index, list(codes))

    def period_codes(self, texts: Iterable[str | None]) -> np.ndarray:
        return np.array([self.periods.get(t, -1) if t is not None else -1 for t in texts], dtype=np.int64)

    def find(self, ind: np.ndarray, reg: np.ndarray, per: np.ndarray) -> np.ndarray:
        """Positions of the figures with these codes; −1 where there is none."""
        valid = (ind >= 0) & (reg >= 0) & (per >= 0)
        out = np.full(len(ind), -1, dtype=np.int64)
        if valid.any():
            out[valid] = self._index.get_indexer(self._keys(ind[valid], reg[valid], per[valid]))
        return out

    def value(self, pos: np.ndarray) -> np.ndarray:
        return np.where(pos >= 0, self._value[np.maximum(pos, 0)] if len(self._value) else np.nan, np.nan)

    def yoy(self, pos: np.ndarray) -> np.ndarray:
        return np.where(pos >= 0, self._yoy[np.maximum(pos, 0)] if len(self._yoy) else np.nan, np.nan)


def growth_from(
    measure: np.ndarray, value: np.ndarray, yoy: np.ndarray, base: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Growth in percent and where it came from ("reported", "computed" or None).

    Published growth wins (it is on a comparable base); otherwise index figures give index − 100 and
    level figures give value / same period last year − 1 on a positive base; rates cannot be computed.
    """
    value, yoy, base = (np.asarray(a, dtype=float) for a in (value, yoy, base))
    with np.errstate(divide="ignore", invalid="ignore"):
        from_levels = np.where(base > 0, 100.0 * (value / base - 1.0), np.nan)
    computed = np.where(
        measure == "index", value - 100.0, np.where(np.isin(measure, LEVEL_GROWTH), from_levels, np.nan)
    )
    reported = ~np.isnan(yoy)
    growth = np.where(reported, yoy, computed)
    source = np.full(len(growth), None, dtype=object)
    source[~np.isnan(computed)] = "computed"
    source[reported] = "reported"
    return growth, source


def share_from(numerators: np.ndarray, denominators: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seasonal share and how many years it used, from (series × years) arrays of C(y', k) and C(y', K).

    A year counts when both figures are present and C(y', K) is positive.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(denominators > 0, numerators / denominators, np.nan)
    used = (~np.isnan(ratio)).sum(axis=1)
    total = np.nansum(ratio, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(used > 0, total / np.maximum(used, 1), np.nan)
    return share, used.astype(np.int64)


def seasonal_share(obs: pd.DataFrame, points: pd.DataFrame, *, max_years: int = 3) -> pd.DataFrame:
    """Expected share of the year-end figure reached by each point's period, from earlier years.

    s_k = mean of C(y', k) / C(y', K) over the `max_years` years before the point's year that have
    both figures, C(y', K) positive (DOMAIN.md §3); the window is fixed, so the share does not depend
    on how many years a caller happened to read. `points` has indicator, region and period
    (canonical text); returns `seasonal_share` (NaN when no year qualifies, and for weekly periods)
    and `seasonal_years` (how many years were used), aligned with `points`. The backtest uses this
    too, to project a year's total as C / s_k from any month.
    """
    texts = points["period"].astype(object).to_numpy()
    uniques = list(dict.fromkeys(texts))
    windows = {t: seasonal_periods(parse_period(t), max_years) for t in uniques}
    needed = {p for pairs in windows.values() for pair in pairs for p in pair}
    figures = Figures(obs, list(points["indicator"].unique()), list(points["region"].unique()), needed)
    ind = figures.indicator_codes(points["indicator"])
    reg = figures.region_codes(points["region"])
    num = np.full((len(points), max_years), np.nan)
    den = np.full((len(points), max_years), np.nan)
    for text, pairs in windows.items():
        rows = np.flatnonzero(texts == text)
        for j, (k_text, end_text) in enumerate(pairs):
            num[rows, j] = figures.value(figures.find(ind[rows], reg[rows], figures.period_codes([k_text] * len(rows))))
            den[rows, j] = figures.value(
                figures.find(ind[rows], reg[rows], figures.period_codes([end_text] * len(rows)))
            )
    share, used = share_from(num, den)
    return pd.DataFrame({"seasonal_share": share, "seasonal_years": used}, index=points.index)
