"""How a 通报 writes a figure in running text: the rounding per unit, no thousands separators. Pure.

Shared by the target wording (domain/pace/wording.py) and the briefing's phrases: 39.50亿元,
19000个, 35962元, 100.6 for an index (上年同期=100, printed bare).
"""

from __future__ import annotations

import math

__all__ = ["COUNT_UNITS", "INDEX_UNIT", "amount", "is_missing", "number"]

COUNT_UNITS = frozenset({"个", "家", "人", "项", "户"})
INDEX_UNIT = "上年同期=100"


def is_missing(value: object) -> bool:
    """None, NaN or an infinity: no number to print."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def number(value: float, unit: str) -> str:
    """The figure alone, rounded as the unit asks: 39.50 (亿元), 19000 (个), 35962 (元), 100.6 (index)."""
    x = float(value)
    if unit in COUNT_UNITS or (unit == "元" and abs(x) >= 1000):
        return f"{x:.0f}"
    if unit in ("%", INDEX_UNIT):
        return f"{x:.1f}"
    return f"{x:.2f}"


def amount(value: float, unit: str) -> str:
    """The figure with its unit: 39.50亿元, 19000个; an index (上年同期=100) is printed bare."""
    return number(value, unit) + ("" if unit == INDEX_UNIT else unit)
