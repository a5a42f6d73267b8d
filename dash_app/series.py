"""PURE: one indicator's figures shaped for the detail charts (growth, completion, seasonal path, flows).

Input is the frame `services.pace.read_figures` returns for one indicator and region (columns
indicator, region, period, year, value, yoy) and the indicator's pace row; output are small
frames indexed by the period number within the year (month, quarter or week). No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Indicator, Measure, TargetKind
from monitor.domain.periods import Frequency, parse_period

__all__ = ["YearSeries", "number_label", "seasonal_path", "target_growth", "target_level", "year_series"]

SEASONAL_YEARS = 3


@dataclass(frozen=True)
class YearSeries:
    """Per period number of one year: cumulative value, growth (published, else computed) and flow."""

    year: int
    frame: pd.DataFrame  # index: number; columns value, growth, flow

    @property
    def has_levels(self) -> bool:
        return bool(self.frame["value"].notna().any())


def number_label(number: int, frequency: Frequency | str, cumulative: bool = True) -> str:
    """How a chart's x axis names period N: 1-5月 (year-to-date), 5月 (balances), 二季度, 第25周."""
    freq = Frequency(frequency)
    if freq is Frequency.QUARTERLY:
        return f"{'一二三四'[number - 1]}季度"
    if freq is Frequency.WEEKLY:
        return f"第{number}周"
    return f"1-{number}月" if cumulative and number > 1 else f"{number}月"


def _numbered(figures: pd.DataFrame) -> pd.DataFrame:
    periods = {p: parse_period(p) for p in figures["period"].unique()}
    out = figures.copy()
    out["number"] = [periods[p].number for p in out["period"]]
    out["per_year"] = [periods[p].periods_per_year for p in out["period"]]
    return out


def year_series(figures: pd.DataFrame, indicator: Indicator, year: int) -> YearSeries:
    """One year of figures; growth computed from levels where none was published, flows by differencing."""
    frame = _numbered(figures) if len(figures) else figures.assign(number=pd.Series(dtype=int))
    this = frame[frame["year"] == year].set_index("number").sort_index()
    last = frame[frame["year"] == year - 1].set_index("number")
    growth = this["yoy"].astype(float)
    if indicator.measure is Measure.INDEX:
        growth = growth.where(growth.notna(), this["value"].astype(float) - 100)
    computed = (this["value"] / last["value"].reindex(this.index) - 1) * 100
    growth = growth.where(growth.notna(), computed)
    value = this["value"].astype(float)
    if indicator.measure is Measure.CUMULATIVE:
        flow = value.diff()
        if len(value):
            flow.iloc[0] = value.iloc[0]  # the first figure of the year is its own flow (1-2月合并 too)
        gaps = pd.Series(this.index, index=this.index).diff().fillna(1) > 1
        flow[gaps] = np.nan  # a missing month in between: no single-month figure to show
    else:
        flow = pd.Series(np.nan, index=this.index)
    return YearSeries(year, pd.DataFrame({"value": value, "growth": growth.astype(float), "flow": flow}))


def seasonal_path(figures: pd.DataFrame, indicator: Indicator, year: int) -> pd.Series:
    """Mean share of the full year reached by period N over the up to 3 prior years with full data."""
    if indicator.measure is not Measure.CUMULATIVE or figures.empty:
        return pd.Series(dtype=float)
    frame = _numbered(figures)
    shares = []
    for y in range(year - 1, year - 1 - SEASONAL_YEARS * 2, -1):
        part = frame[frame["year"] == y].set_index("number")["value"].astype(float)
        if part.empty:
            continue
        per_year = int(frame.loc[frame["year"] == y, "per_year"].iloc[0])
        if per_year not in part.index or not np.isfinite(part[per_year]) or part[per_year] == 0:
            continue
        shares.append(part / part[per_year])
        if len(shares) == SEASONAL_YEARS:
            break
    if not shares:
        return pd.Series(dtype=float)
    return pd.concat(shares, axis=1).mean(axis=1).sort_index()


def target_growth(row: dict[str, Any]) -> float | None:
    """The growth a growth target asks for (for 高于X增速: the reference's growth), else None."""
    kind, x = row.get("target_kind"), row.get("target_value")
    if kind in (TargetKind.GROWTH_MIN.value, TargetKind.GROWTH_ABOUT.value, TargetKind.GROWTH_MAX.value):
        return float(x) if x is not None and np.isfinite(x) else None
    if kind == TargetKind.GROWTH_ABOVE.value:
        growth, gap = row.get("growth"), row.get("gap_pp")
        if growth is not None and gap is not None and np.isfinite(growth) and np.isfinite(gap):
            return float(growth - gap)
    return None


def target_level(row: dict[str, Any], last_year: YearSeries, per_year: int) -> tuple[float | None, str]:
    """The year-end level the chart measures completion against, and how to name it.

    Level targets: the target itself. Growth targets: last year's total grown by the target
    growth. No target: last year's total (the share of last year reached so far).
    """
    kind, x = row.get("target_kind"), row.get("target_value")
    if kind in (TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value) and x is not None and np.isfinite(x):
        return float(x), "全年目标"
    base = last_year.frame["value"].get(per_year, np.nan)
    if not np.isfinite(base):
        return None, ""
    growth = target_growth(row)
    if growth is not None:
        return float(base * (1 + growth / 100)), f"全年目标（上年×{1 + growth / 100:.3f}）"
    return float(base), "上年全年"
