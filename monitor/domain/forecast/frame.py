"""Year-end forecasts for many series at once, and the probabilities pace derives from them.

`forecast_frame(obs, catalogue, points)` forecasts, for each point (indicator, region,
evaluation period), the figure the year will end on, from the figures up to that period: the
model and how each measure is handled are in `models` and `series`. Fits are
independent per point: `map_tasks` runs them (in order), serially by default; the services
spread them over a process pool or a cluster.
`forecast_fingerprints` hashes exactly what each forecast uses, so stored forecasts are reused
until a figure changes. Only figures of the point's year and the FORECAST_HISTORY_YEARS before
it are used: callers that read those years hit the stored fits.
Pure: no database, files or clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, Indicator, Measure
from monitor.domain.forecast.series import MODEL_VERSION, Result, SeriesTask, run_task
from monitor.domain.periods import Frequency, Period, align, parse_period
from monitor.errors import PeriodError

__all__ = [
    "FORECAST_COLUMNS",
    "FORECAST_HISTORY_YEARS",
    "MODEL_VERSION",
    "TaskMap",
    "forecast_fingerprints",
    "forecast_frame",
]

FORECAST_COLUMNS = (
    "forecast_value",
    "forecast_low",
    "forecast_high",
    "forecast_growth",
    "forecast_sd",
    "forecast_method",
)
FORECAST_HISTORY_YEARS = 6
"""Years before the point's year a forecast uses (read years y-6..y to reuse stored forecasts)."""
_KIND = {Measure.CUMULATIVE: "flow", Measure.STOCK: "level", Measure.RATE: "rate", Measure.INDEX: "index"}


def _layout(ind: Indicator) -> tuple[int, tuple[int, ...]]:
    """Slots a year and the periods each covers: a first_month = 2 indicator has 11 slots, the first of 2 months."""
    if ind.frequency is Frequency.MONTHLY:
        first = min(max(ind.first_month, 1), 12)
        return 13 - first, (first, *([1] * (12 - first)))
    if ind.frequency is Frequency.QUARTERLY:
        return 4, (1, 1, 1, 1)
    return 1, (1,)


def _slot(period: Period, ind: Indicator) -> int:
    """Slot of a period within its year; -1 for a month before the indicator's first figure (January of 1-2月)."""
    if period.frequency is Frequency.MONTHLY:
        first = min(max(ind.first_month, 1), 12)
        return period.number - first if period.number >= first else -1
    return period.number - 1 if period.frequency is Frequency.QUARTERLY else 0


def _not_applicable(ind: Indicator | None) -> str:
    if ind is None:
        return "unknown_indicator"
    if ind.measure not in _KIND or ind.frequency is Frequency.WEEKLY:
        return "not_applicable"  # point prices and weekly series have no year-end figure
    return ""


class _Series:
    """Every usable figure of every series, as slot times and numbers, grouped by (indicator, region)."""

    def __init__(self, obs: pd.DataFrame, catalogue: Catalogue):
        self.catalogue = catalogue
        self.groups: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        usable = [c for c, ind in catalogue.indicators.items() if not _not_applicable(ind)]
        frame = obs.loc[obs["indicator"].isin(usable), ["indicator", "region", "period", "value", "yoy"]]
        if frame.empty:
            return
        ind_col = frame["indicator"].astype(str).to_numpy()
        keys = frame["indicator"].astype(str) + "|" + frame["period"].astype(str)
        slot_times = {}  # parsed once per distinct (indicator, period), not per row
        for key in keys.unique():
            code, text = key.split("|", 1)
            slot_times[key] = _time(_parse(text), catalogue.indicators[code])
        times = keys.map(slot_times).to_numpy(dtype=np.int64)
        measure = frame["indicator"].map({c: catalogue.indicators[c].measure.value for c in usable}).to_numpy()
        value, yoy = frame["value"].to_numpy(dtype=float), frame["yoy"].to_numpy(dtype=float)
        figure = np.where(measure == Measure.RATE.value, yoy, value)
        is_index = measure == Measure.INDEX.value
        figure[is_index] = np.where(np.isfinite(value[is_index]), value[is_index] - 100.0, yoy[is_index])
        clean = pd.DataFrame(
            {"indicator": ind_col, "region": frame["region"].astype(str).to_numpy(), "t": times, "figure": figure}
        )
        clean = clean[(clean["t"] > np.iinfo(np.int64).min) & np.isfinite(clean["figure"])]
        clean = clean.sort_values(["indicator", "region", "t"], kind="stable")
        clean = clean.drop_duplicates(["indicator", "region", "t"], keep="last")
        t_all, f_all = clean["t"].to_numpy(), clean["figure"].to_numpy()
        for key, idx in clean.groupby(["indicator", "region"], sort=False).indices.items():
            self.groups[(str(key[0]), str(key[1]))] = (t_all[idx], f_all[idx])

    def task(self, indicator: str, region: str, period_text: object) -> SeriesTask:
        ind = self.catalogue.indicators.get(indicator)
        reason = _not_applicable(ind)
        if ind is None or reason:
            return SeriesTask("none", 1, (1,), 0, reason=reason)
        slots, months = _layout(ind)
        point = _parse(period_text)
        try:
            period = align(point, ind.frequency) if point is not None else None
        except PeriodError:
            period = None
        if period is None:
            return SeriesTask("none", slots, months, 0, reason="bad_period")
        slot = _slot(period, ind)
        t, f = self.groups.get((indicator, region), (np.zeros(0, dtype=np.int64), np.zeros(0)))
        lo, hi = (period.year - FORECAST_HISTORY_YEARS) * slots, period.year * slots + slot
        keep = (t >= lo) & (t <= hi)
        return SeriesTask(_KIND[ind.measure], slots, months, period.year, t[keep], f[keep])


def _parse(text: object) -> Period | None:
    try:
        return parse_period(text)
    except PeriodError:
        return None


def _time(period: Period | None, ind: Indicator) -> int:
    """Slot time year·M + slot of a figure; the int64 minimum marks figures that are not in the layout."""
    missing = int(np.iinfo(np.int64).min)
    if period is None or period.frequency is not ind.frequency:
        return missing
    slot = _slot(period, ind)
    return missing if slot < 0 else period.year * _layout(ind)[0] + slot


def _tasks(obs: pd.DataFrame, catalogue: Catalogue, points: pd.DataFrame) -> list[SeriesTask]:
    series = _Series(obs, catalogue)
    return [
        series.task(str(i), str(r), p)
        for i, r, p in zip(points["indicator"], points["region"], points["period"], strict=True)
    ]


def forecast_fingerprints(obs: pd.DataFrame, catalogue: Catalogue, points: pd.DataFrame) -> pd.Series:
    """A hash per point of the model version and every figure its forecast would use (index of `points`)."""
    return pd.Series([t.fingerprint() for t in _tasks(obs, catalogue, points)], index=points.index, dtype=str)


TaskMap = Callable[[Callable[[SeriesTask], Result], Sequence[SeriesTask]], Iterable[Result]]
"""How the fits run: `map`-like, (run_task, tasks) -> results in order; pools and clusters live in services."""


def _serial(run: Callable[[SeriesTask], Result], tasks: Sequence[SeriesTask]) -> Iterable[Result]:
    return [run(t) for t in tasks]


def forecast_frame(
    obs: pd.DataFrame, catalogue: Catalogue, points: pd.DataFrame, *, map_tasks: TaskMap | None = None
) -> pd.DataFrame:
    """Year-end forecasts for many series at once: `points` with FORECAST_COLUMNS added.

    obs: columns indicator, region, period (canonical text "2021-05"/"2021-Q2"/"2021-W23"), value,
    yoy (and year; several years of history). points: indicator, region, period, the evaluation
    period of each series; figures after a point's period are ignored for that point.
    forecast_value is the year-end figure in the catalogue unit (cumulative: the full-year total;
    stock: the December balance; rate: the full-year growth in %; index: the year's cumulative
    index), forecast_low/high the 80% interval, forecast_growth the implied growth in % (rate:
    = forecast_value), forecast_sd the predictive standard deviation (normal approximation),
    forecast_method the model or why there is none. Unavailable numbers are NaN.
    """
    tasks = _tasks(obs, catalogue, points)
    results = list((map_tasks or _serial)(run_task, tasks))
    out = points.copy()
    for i, column in enumerate(FORECAST_COLUMNS[:-1]):
        out[column] = np.array([r[i] for r in results], dtype=float)
    out["forecast_method"] = pd.Series([r[5] for r in results], index=out.index, dtype=str)
    return out
