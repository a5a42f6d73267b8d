"""One series' year-end forecast: from its figures (as a compact task) to value, interval and method.

A `SeriesTask` holds what the model sees for one (indicator, region, evaluation period): the
figures of the point's year and the history before it, as slot times (year·M + slot, M slots a
year) and one number per slot. `run_task` turns it into the FORECAST_COLUMNS values. Tasks are
small and picklable, so `forecast_frame` can spread them over a process pool.

How each measure is modelled (the year-end figure in brackets):
- cumulative (the 1-12月 / Q4 total): de-cumulated into single-period flows C(k) − C(k−1) per
  year. With first_month = 2 the first figure of a year is the merged 1-2月 flow; it is kept as
  one period, so a year has 11 slots and the model's season has length 11 (slot 0 = Jan+Feb).
  A missing month inside a year shares the next figure's increment equally with it. Year-end =
  the known C plus the forecast sum of the remaining flows; the known C carries no error.
- stock (the December balance): the balances as a level series, forecast to December.
- rate (the full-year cumulative growth): the published cumulative growth g_k is turned into
  single-period growth (W_k·g_k − W_j·g_j)/(W_k − W_j), W = months covered, forecast with simple
  exponential smoothing (no trend: growth rates have a level, not a drift) and re-cumulated.
- index (上年同期=100; the year's cumulative index): each figure is read as that period's own
  index, as the sample and city releases publish it, and the year's index as their month-weighted
  mean; forecast like a rate on index − 100.
Short histories (fewer than two full years of slots, or a failed fit) fall back, and say so in
the method: `seasonal_fallback` (C / s_k, s_k the mean share of the up to 3 latest full years),
`linear_fallback` (C·K/k, or the growth so far), `last_year_fallback`, `naive_fallback` (last
balance), each with a deliberately wide interval; `no_history` when nothing can be said.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np

from monitor.domain.forecast.models import forecast_path
from monitor.errors import ForecastFailed

__all__ = ["MODEL_VERSION", "Z80", "SeriesTask", "run_task"]

MODEL_VERSION = "combination.1"
"""Part of every fingerprint: changing the model invalidates stored forecasts."""
Z80 = 1.2815515655446004  # the 90% normal quantile: mean ± Z80·sd is the central 80% interval
SHARE_YEARS = 3  # prior full years averaged for the seasonal share (DOMAIN.md §3)
SEASONAL_FALLBACK_REL_SD = 0.15  # of the projected remainder, added to the spread across years
LINEAR_FALLBACK_REL_SD = 0.30  # of the projected remainder
LAST_YEAR_FALLBACK_REL_SD = 0.25  # of last year's total
GROWTH_FALLBACK_SD_PP = 3.0  # pp, scaled by the share of the year still to come
_NONE = (math.nan,) * 5  # value, low, high, growth, sd when there is no forecast

Result = tuple[float, float, float, float, float, str]


@dataclass(frozen=True)
class SeriesTask:
    """What one forecast needs: kind, year layout and the figures up to the point (see module docstring).

    `times` are slot times year·M + slot of the figures from FORECAST_HISTORY_YEARS before `year`
    up to the point's period; nothing later is in the task, so the point itself needs no field.
    """

    kind: str  # flow | level | rate | index | none
    slots: int  # M, slots a year
    months: tuple[int, ...]  # periods each slot covers (2 for a merged 1-2月 slot), length M
    year: int
    times: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    reason: str = ""  # the method to report for kind "none"

    def fingerprint(self) -> str:
        """Hash of the model version, layout and every figure the forecast uses: new figures, new fit."""
        head = f"{MODEL_VERSION}|{self.kind}|{self.slots}|{self.months}|{self.year}|{self.reason}"
        digest = hashlib.blake2b(head.encode(), digest_size=16)
        digest.update(np.ascontiguousarray(self.times, dtype=np.int64).tobytes())
        digest.update(np.ascontiguousarray(self.values, dtype=np.float64).tobytes())
        return digest.hexdigest()


def _interval(value: float, sd: float, growth: float, method: str) -> Result:
    return value, value - Z80 * sd, value + Z80 * sd, growth, sd, method


def _growth(value: float, base: float) -> float:
    """Implied year-on-year growth in percent against last year's figure, NaN without a positive base."""
    return 100.0 * (value / base - 1.0) if math.isfinite(base) and base > 0 else math.nan


def _tail(x: np.ndarray) -> np.ndarray:
    """The contiguous run of finite values at the end of x (history before a gap is not used)."""
    bad = np.flatnonzero(~np.isfinite(x))
    return x[bad[-1] + 1 :] if len(bad) else x


class _Layout:
    """Dense slot grid of a task: first slot of its first year up to the last figure."""

    def __init__(self, task: SeriesTask):
        self.task = task
        m = task.slots
        self.start = int(task.times[0]) // m * m
        self.origin = int(task.times[-1])
        self.dense = np.arange(self.start, self.origin + 1)
        self.year_end = task.year * m + m - 1
        self.horizon = self.year_end - self.origin
        steps = np.arange(self.origin + 1, self.year_end + 1)
        self.in_year = (steps // m == task.year).astype(float)  # weight of each step in the year's total
        self.step_months = np.asarray(task.months, dtype=float)[steps % m]

    def at(self, t: int) -> float:
        hit = np.flatnonzero(self.task.times == t)
        return float(self.task.values[hit[0]]) if len(hit) else math.nan

    def known_in_year(self) -> tuple[np.ndarray, np.ndarray]:
        mask = self.task.times // self.task.slots == self.task.year
        return self.task.times[mask], self.task.values[mask]


def _decumulate(layout: _Layout, weights: np.ndarray | None) -> np.ndarray:
    """Per-slot flows from cumulative figures (NaN where a year's later slots are missing).

    With `weights` (months per slot) the figures are cumulative growth rates: the increments of
    W·g are spread as a rate per month, so each slot gets the same single-period growth.
    """
    task, m = layout.task, layout.task.slots
    out = np.full(len(layout.dense), np.nan)
    for year in np.unique(task.times // m):
        mask = task.times // m == year
        prev_slot, prev_total, prev_w = -1, 0.0, 0.0
        for t, v in zip(task.times[mask], task.values[mask], strict=True):
            slot = int(t) - int(year) * m
            span = np.arange(prev_slot + 1, slot + 1) + int(year) * m - layout.start
            if weights is None:
                out[span] = (v - prev_total) / (slot - prev_slot)
                prev_total = v
            else:
                w = float(weights[: slot + 1].sum())
                out[span] = (w * v - prev_w * prev_total) / (w - prev_w)
                prev_total, prev_w = v, w
            prev_slot = slot
    return out


def _flow(task: SeriesTask) -> Result:
    lay, m = _Layout(task), task.slots
    base = lay.at((task.year - 1) * m + m - 1)
    times, values = lay.known_in_year()
    known = float(values[-1]) if len(values) else 0.0
    k = int(times[-1]) - task.year * m if len(times) else -1
    if k == m - 1:
        return _interval(known, 0.0, _growth(known, base), "actual")
    flows = _tail(_decumulate(lay, None))
    if len(flows) >= 2 * m:
        try:
            path = forecast_path(flows, m, lay.horizon, seasonal=True)
        except ForecastFailed:
            pass
        else:
            rest, sd = path.sum_moments(lay.in_year)
            return _interval(known + rest, sd, _growth(known + rest, base), "combination")
    return _flow_fallback(task, lay, known, k, base)


def _flow_fallback(task: SeriesTask, lay: _Layout, known: float, k: int, base: float) -> Result:
    m = task.slots
    if k < 0:
        if math.isfinite(base) and base > 0:
            return _interval(base, LAST_YEAR_FALLBACK_REL_SD * base, 0.0, "last_year_fallback")
        return (*_NONE, "no_history")
    shares = []
    for year in range(task.year - 1, task.year - 1 - 2 * SHARE_YEARS, -1):
        total, part = lay.at(year * m + m - 1), lay.at(year * m + k)
        if math.isfinite(total) and total > 0 and math.isfinite(part) and part > 0:
            shares.append(part / total)
        if len(shares) == SHARE_YEARS:
            break
    if shares and known > 0:
        projections = known / np.asarray(shares)
        value = known / float(np.mean(shares))
        spread = float(np.std(projections, ddof=1)) * math.sqrt(1 + 1 / len(shares)) if len(shares) > 1 else 0.0
        sd = math.hypot(spread, SEASONAL_FALLBACK_REL_SD * (value - known))
        return _interval(value, sd, _growth(value, base), "seasonal_fallback")
    months = np.asarray(task.months, dtype=float)
    value = known * months.sum() / months[: k + 1].sum()
    return _interval(value, LINEAR_FALLBACK_REL_SD * abs(value - known), _growth(value, base), "linear_fallback")


def _level(task: SeriesTask) -> Result:
    lay, m = _Layout(task), task.slots
    base = lay.at((task.year - 1) * m + m - 1)
    levels = np.interp(lay.dense, task.times, task.values)  # a missing month between two balances: linear
    last = float(levels[-1])
    if lay.horizon == 0:
        return _interval(last, 0.0, _growth(last, base), "actual")
    if len(levels) >= 2 * m:
        try:
            path = forecast_path(levels, m, lay.horizon)
        except ForecastFailed:
            pass
        else:
            value, sd = float(path.mean[-1]), math.sqrt(max(float(path.cov[-1, -1]), 0.0))
            return _interval(value, sd, _growth(value, base), "combination")
    steps = np.diff(levels)
    sd = float(np.std(steps, ddof=1)) * math.sqrt(lay.horizon) if len(steps) >= 2 else 0.1 * abs(last)
    return _interval(last, sd, _growth(last, base), "naive_fallback")


def _growth_path(task: SeriesTask) -> Result:
    lay, m = _Layout(task), task.slots
    weights = np.asarray(task.months, dtype=float)
    # rate: de-cumulate the growth; index: each figure is its own period's growth, a gap bridged linearly
    marginal = _decumulate(lay, weights) if task.kind == "rate" else np.interp(lay.dense, task.times, task.values)
    offset = 100.0 if task.kind == "index" else 0.0
    times, _ = lay.known_in_year()
    k = int(times[-1]) - task.year * m if len(times) else -1
    year_start = task.year * m - lay.start
    known = float(weights[: k + 1] @ marginal[year_start : year_start + k + 1]) if k >= 0 else 0.0
    total_w = float(weights.sum())
    if k == m - 1:
        g = known / total_w
        return _interval(g + offset, 0.0, g, "actual")
    series = _tail(marginal)
    if len(series) >= 2 * m:
        try:
            path = forecast_path(series, 1, lay.horizon, trend=False, seasonal=False)
        except ForecastFailed:
            pass
        else:
            rest, sd = path.sum_moments(lay.in_year * lay.step_months)
            g = (known + rest) / total_w
            return _interval(g + offset, sd / total_w, g, "ses_growth")
    if k < 0:
        return (*_NONE, "no_history")
    elapsed = float(weights[: k + 1].sum()) / total_w
    g = known / float(weights[: k + 1].sum())
    return _interval(g + offset, GROWTH_FALLBACK_SD_PP * (1 - elapsed), g, "linear_fallback")


def run_task(task: SeriesTask) -> Result:
    """The FORECAST_COLUMNS values of one task (value, low, high, growth, sd, method); NaN when unavailable."""
    if task.kind == "none":
        return (*_NONE, task.reason)
    if len(task.times) == 0:
        return (*_NONE, "no_history")
    if task.kind == "flow":
        return _flow(task)
    if task.kind == "level":
        return _level(task)
    return _growth_path(task)
