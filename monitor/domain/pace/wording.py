"""通报 wording: how a bulletin says a growth, a change, a pace and a completion. Pure.

A bulletin never prints 增长−3.2%: a fall is 下降3.2%; a change of growth is 提高/回落 X 个百分点;
a completion against time progress is 快于/慢于序时 X 个百分点 or 与序时持平. Figures within half
of the last printed digit of zero read as 持平, as they would once rounded.
"""

from __future__ import annotations

import math

__all__ = ["FLAT", "change_words", "completion_words", "elapsed_words", "growth_words", "multiplier_text"]

FLAT = 0.05
"""Below this (in % or 百分点) a figure rounds to 0.0 at one decimal and is 持平."""
NONE = "—"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _signed(value: object, up: str, down: str, flat: str, suffix: str) -> str:
    """One signed figure in 通报 words: `up`/`down` and its size at one decimal, or `flat` when it rounds to 0."""
    if _missing(value):
        return NONE
    x = float(value)  # type: ignore[arg-type]
    if abs(x) < FLAT:
        return flat
    return f"{up if x > 0 else down}{abs(x):.1f}{suffix}"


def growth_words(growth: object, measure: str = "cumulative") -> str:
    """增长10.7% / 下降3.2% / 持平; prices and price indices 上涨/下降 (居民消费价格上涨0.6%)."""
    return _signed(growth, "上涨" if measure in ("index", "price") else "增长", "下降", "持平", "%")


def change_words(pp: object) -> str:
    """How growth moved since the previous period: 提高2.1个百分点 / 回落1.3个百分点 / 持平."""
    return _signed(pp, "提高", "回落", "持平", "个百分点")


def elapsed_words(pp: object) -> str:
    """Completion against time progress: 快于序时9.0个百分点 / 慢于序时12.0个百分点 / 与序时持平."""
    return _signed(pp, "快于序时", "慢于序时", "与序时持平", "个百分点")


def multiplier_text(growth_pct: float) -> str:
    """1 + g/100 as a bulletin writes it, two decimals at least: 5 -> 1.05, 10 -> 1.10, 6.5 -> 1.065."""
    text = f"{1.0 + growth_pct / 100.0:.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def _short_unit(unit: str) -> str:
    """亿元 and 万元 as a bulletin's parenthesis writes them (66.99亿); other units unchanged."""
    return unit[:-1] if unit in ("亿元", "万元") else unit


def completion_words(
    completion: object,
    *,
    target_base: object = None,
    target_growth: object = None,
    target_level: object = None,
    unit: str = "",
    budget: bool = False,
) -> str:
    """完成全年目标的38.0%; for a growth target stated as a level 完成预算（上年×1.05=66.99亿）的59.0%.

    `target_base` is last year's total (the level the growth target is taken on) and
    `target_level` = base × (1 + g/100); `budget` says the target is a 预算 (一般公共预算收入).
    """
    if _missing(completion):
        return NONE
    share = f"{100.0 * float(completion):.1f}%"  # type: ignore[arg-type]
    what = "预算" if budget else "全年目标"
    if _missing(target_base) or _missing(target_growth) or _missing(target_level):
        return f"完成{what}的{share}"
    level = f"{float(target_level):,.2f}{_short_unit(unit)}"  # type: ignore[arg-type]
    return f"完成{what}（上年×{multiplier_text(float(target_growth))}={level}）的{share}"  # type: ignore[arg-type]
