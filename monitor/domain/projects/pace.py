"""Project pace: each project against its own 序时 (monthly plan, or linear by week), subtotals. Pure.

    completion = 累计完成投资 / 年度计划投资            (完成年度计划%)
    elapsed    = monthly plan share to the period's end, or month/12 (week/weeks of the year) without one
    gap_pp     = 100 · (completion − elapsed)          (快 when > 0, 慢 when < 0, in 百分点)
    status     = green when gap_pp ≥ 0, yellow down to −yellow_pp, red below; grey without a plan or report

A month is read from the latest weekly report whose ISO week ends in or before that month; a
week from that week's report. Milestone slips: 计划开工 passed and not started (开工滞后), 计划竣工
passed and not finished (竣工滞后).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from monitor.domain.catalogue import ProjectThresholds
from monitor.domain.periods import Frequency, Period

__all__ = ["PACE_COLUMNS", "ProjectThresholds", "elapsed_share", "project_pace", "start_rate", "subtotals"]


NOT_BEGUN = ("新开工", "前期", "")
"""Natures whose 计划开工 can slip."""

PACE_COLUMNS = [
    "project",
    "name",
    "level",
    "category",
    "nature",
    "department",
    "street",
    "annual_plan",
    "cumulative",
    "completion",
    "elapsed",
    "gap_pp",
    "speed",
    "status",
    "week",
    "image",
    "start_planned",
    "start_actual",
    "finish_planned",
    "finish_actual",
    "start_late",
    "finish_late",
    "open_problems",
]


def elapsed_share(period: Period, monthly_plan: Sequence[float] | None, annual_plan: float) -> float:
    """The 序时 share of the year at the period's end: the monthly plan's cumulative share, or linear."""
    end = period.end_date()
    if monthly_plan is None or not annual_plan:
        if period.frequency is Frequency.WEEKLY:
            return period.number / period.periods_per_year
        return end.month / 12 if period.frequency is Frequency.MONTHLY else period.elapsed
    if end.year != period.year:  # an ISO week that ends in January of the next year
        return 1.0
    done = sum(monthly_plan[: end.month - 1])
    days = calendar.monthrange(end.year, end.month)[1]
    done += monthly_plan[end.month - 1] * end.day / days
    return float(done / annual_plan)


def _latest(progress: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per project: the latest report up to the period, and the first actual start/finish reported by then."""
    upto = progress[(progress["year"] == period.year) & (progress["week_end"] <= period.end_date())]
    if upto.empty:
        return pd.DataFrame(columns=["code", "week", "cumulative", "image", "start_actual", "finish_actual"])
    ordered = upto.sort_values(["code", "week"])
    last = ordered.groupby("code", as_index=False).last()[["code", "week", "cumulative", "image"]]
    starts = ordered.dropna(subset=["start_actual"]).groupby("code")["start_actual"].min()
    finishes = ordered.dropna(subset=["finish_actual"]).groupby("code")["finish_actual"].min()
    last["start_actual"] = last["code"].map(starts)
    last["finish_actual"] = last["code"].map(finishes)
    return last


def _late(planned: pd.Series, actual: pd.Series, end: date) -> np.ndarray:
    planned_by = planned.map(lambda d: d is not None and not pd.isna(d) and d <= end).to_numpy(dtype=bool)
    done = actual.map(lambda d: d is not None and not pd.isna(d) and d <= end).to_numpy(dtype=bool)
    late: np.ndarray = planned_by & ~done
    return late


def project_pace(
    projects: pd.DataFrame,
    progress: pd.DataFrame,
    period: Period,
    thresholds: ProjectThresholds,
    open_problems: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per project of the period's year (PACE_COLUMNS); completion, elapsed in percent."""
    year = projects[projects["year"] == period.year].reset_index(drop=True)
    latest = _latest(progress, period).set_index("code")
    frame = pd.DataFrame(
        {
            "project": year["code"],
            "name": year["name"],
            "level": year["level"],
            "category": year["category"],
            "nature": year["nature"],
            "department": year["department"],
            "street": year["street"],
            "annual_plan": year["annual_plan"].astype(float),
        }
    )
    frame["cumulative"] = year["code"].map(latest["cumulative"]).astype(float)
    frame["week"] = year["code"].map(latest["week"])
    frame["image"] = year["code"].map(latest["image"]).astype(object).fillna("")
    plan = frame["annual_plan"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["completion"] = np.where(plan > 0, 100 * frame["cumulative"].to_numpy() / plan, np.nan)
    frame["elapsed"] = [
        100 * elapsed_share(period, m, a) for m, a in zip(year["monthly_plan"], year["annual_plan"], strict=True)
    ]
    frame["gap_pp"] = frame["completion"] - frame["elapsed"]
    gap = frame["gap_pp"].to_numpy()
    frame["status"] = np.select(
        [np.isnan(gap), gap >= 0, gap >= -thresholds.yellow_pp], ["grey", "green", "yellow"], "red"
    )
    frame["speed"] = np.select([np.isnan(gap), gap > 0, gap < 0], ["", "快", "慢"], "持平")
    for column in ("start_planned", "finish_planned"):
        frame[column] = year[column]
    frame["start_actual"] = year["code"].map(latest["start_actual"])
    frame["finish_actual"] = year["code"].map(latest["finish_actual"])
    end = period.end_date()
    not_begun = frame["nature"].isin(NOT_BEGUN).to_numpy()  # 续建 and 竣工 projects are under way already
    frame["start_late"] = _late(frame["start_planned"], frame["start_actual"], end) & not_begun
    frame["finish_late"] = _late(frame["finish_planned"], frame["finish_actual"], end)
    counts = open_problems if open_problems is not None else pd.Series(dtype=int)
    frame["open_problems"] = frame["project"].map(counts).fillna(0).astype(int)
    return frame[PACE_COLUMNS]


def start_rate(pace: pd.DataFrame, period: Period) -> tuple[int, int, float | None]:
    """开工率 of the 新开工 projects: (started by the period's end, 新开工 projects, rate in percent)."""
    new = pace[pace["nature"] == "新开工"]
    end = period.end_date()
    started = int(new["start_actual"].map(lambda d: d is not None and not pd.isna(d) and d <= end).sum())
    return started, len(new), (100 * started / len(new) if len(new) else None)


def subtotals(pace: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Per group (级别, 类别, 责任单位 or 街道; None for the whole district): count, plan, cumulative,
    completion and 序时 (plan-weighted), gap_pp, and the count of each light."""
    frame = pace.assign(
        group=pace[by].fillna("（未填）") if by else "合计",
        weighted=pace["elapsed"] * pace["annual_plan"],
        reported=pace["cumulative"].notna(),
        red=pace["status"] == "red",
        yellow=pace["status"] == "yellow",
        green=pace["status"] == "green",
        grey=pace["status"] == "grey",
        slipped=pace["start_late"],
    )
    out = frame.groupby("group", sort=True).agg(
        projects=("project", "size"),
        annual_plan=("annual_plan", "sum"),
        cumulative=("cumulative", "sum"),
        weighted=("weighted", "sum"),
        reported=("reported", "sum"),
        red=("red", "sum"),
        yellow=("yellow", "sum"),
        green=("green", "sum"),
        grey=("grey", "sum"),
        start_late=("slipped", "sum"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["completion"] = np.where(out["annual_plan"] > 0, 100 * out["cumulative"] / out["annual_plan"], np.nan)
        out["elapsed"] = np.where(out["annual_plan"] > 0, out["weighted"] / out["annual_plan"], np.nan)
    out["gap_pp"] = out["completion"] - out["elapsed"]
    return out.drop(columns="weighted").reset_index()
