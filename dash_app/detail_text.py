"""PURE: what the detail page says of a pace row's year-end forecast, on the target's basis (no Dash)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitor.domain.pace.basis import forecast_growth_range, is_comparable
from monitor.formatting import format_amount, format_growth, format_value
from monitor.services.bulletin import forecast_text

__all__ = ["forecast_short", "forecast_texts"]

_GROWTH_ONLY = ("rate", "index")


def forecast_texts(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) pairs: at comparable prices (GDP) the forecast growth and its 80% range come first,
    then the level in last year's prices; otherwise the level with its interval, then the growth."""
    if pd.isna(row["forecast_value"]):
        return []
    unit = row["unit"]
    span = f"（{format_value(row['forecast_low'], unit)}～{format_value(row['forecast_high'], unit)}）"
    level = format_amount(row["forecast_value"], unit) + span
    growth = format_growth(row["forecast_growth"])
    has_levels = row["measure"] not in _GROWTH_ONLY
    if not is_comparable(row):
        texts = [("全年预测（80%区间）", level)]
        if has_levels and pd.notna(row["forecast_growth"]):
            texts.append(("预测全年增速", growth))
        return texts
    growths = forecast_growth_range(row)
    between = f"（{format_growth(growths[0])}～{format_growth(growths[1])}）" if growths else ""
    texts = [("全年预测增速（按可比价，80%区间）", growth + between)]
    if has_levels:
        texts.append(("全年预测（按上年价格）", level))
    return texts


def forecast_short(row: dict[str, Any]) -> str:
    """The year-end forecast on a card: growth 按可比价 where the target is real, else the level with its unit."""
    return forecast_text(row, with_unit=True)
