"""The year-end forecast of one pace row on its target's basis: the growth range and the goal it is judged by.

A pace row carries the forecast's value and 80% interval (in last year's prices for comparable-price
indicators, see report._forecast) and its growth. Views that draw the forecast as growth (the
detail page of GDP) need the interval as growth too, and the line that `maths.prob_meet` compares
with: these functions derive both from the row alone (and, for 高于X增速, the reference's row), so
a fan, its target line and the probability can never disagree. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from monitor.domain.catalogue import TargetKind

__all__ = ["BASIS_WORDS", "forecast_growth_range", "goal_level", "is_comparable", "year_end_goal"]

BASIS_WORDS = {"comparable": "按可比价", "current": "按现价"}
"""How a view names a row's `basis`: growth at comparable prices (GDP, 规上工业增加值) or current prices."""

_GROWTH_ONLY = ("rate", "index")
_LEVEL_KINDS = (TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value)


def _number(value: object) -> float | None:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def is_comparable(row: Mapping[str, Any]) -> bool:
    """Whether the row's growth, targets and forecast are at comparable prices (可比价)."""
    return row.get("basis") == "comparable"


def forecast_growth_range(row: Mapping[str, Any]) -> tuple[float, float] | None:
    """The year-end growth (%) at the ends of the forecast's 80% interval, or None without a forecast.

    Rates and indices forecast the growth itself. Level figures: the base the forecast's growth
    implies, v / (1 + g/100), turns the interval's levels into growth on the same basis as g.
    """
    value, low, high = (_number(row.get(k)) for k in ("forecast_value", "forecast_low", "forecast_high"))
    growth = _number(row.get("forecast_growth"))
    if low is None or high is None:
        return None
    if row.get("measure") in _GROWTH_ONLY:
        return low, high
    if value is None or growth is None or value <= 0 or growth <= -100:
        return None
    base = value / (1 + growth / 100)
    return 100 * (low / base - 1), 100 * (high / base - 1)


def year_end_goal(row: Mapping[str, Any], reference: Mapping[str, Any] | None = None) -> float | None:
    """What `prob_meet` compares the year-end forecast with: the level X of a level target, else a growth in %.

    增长g%左右 counts as met down to g − tolerance; 高于X增速 compares with the reference's forecast
    growth, or its current growth when it has no forecast (`reference` is the reference's pace row).
    None when the row has no target or the goal is unknown.
    """
    kind, x = row.get("target_kind"), _number(row.get("target_value"))
    if kind in (*_LEVEL_KINDS, TargetKind.GROWTH_MIN.value, TargetKind.GROWTH_MAX.value):
        return x
    if kind == TargetKind.GROWTH_ABOUT.value:
        tolerance = _number(row.get("target_tolerance")) or 0.0
        return None if x is None else x - tolerance
    if kind == TargetKind.GROWTH_ABOVE.value and reference is not None:
        ahead = _number(reference.get("forecast_growth"))
        return ahead if ahead is not None else _number(reference.get("growth"))
    return None


def goal_level(row: Mapping[str, Any], reference: Mapping[str, Any] | None = None) -> float | None:
    """`year_end_goal` as a year-end level, for a fan drawn in levels: X, or the base × (1 + goal/100).

    The base is the one the forecast's growth is measured from (v / (1 + g/100)): last year's
    total on the published basis, so the line is crossed exactly when prob_meet passes 0.5.
    """
    goal = year_end_goal(row, reference)
    if goal is None or row.get("target_kind") in _LEVEL_KINDS:
        return goal
    value, growth = _number(row.get("forecast_value")), _number(row.get("forecast_growth"))
    if value is None or growth is None or growth <= -100 or row.get("measure") in _GROWTH_ONLY:
        return None
    return value / (1 + growth / 100) * (1 + goal / 100)
