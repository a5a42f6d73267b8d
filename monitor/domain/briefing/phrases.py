"""How the briefing words numbers: 增长/下降, 快于/慢于/与序时持平, 提高/回落, 收窄/扩大, and the roundings.

The rules of a 公文 briefing: a fall is written 下降X%, never 增长−X%; a gap of less than 0.05
百分点 (it would print 0.0) is 持平; percentages and 百分点 carry one decimal, 亿元 two, 元 and
counts none. Numbers are written without thousands separators (19000个, 35962元), as in 通报 text.
"""

from __future__ import annotations

import math

from monitor.domain.numbers import amount, is_missing, number

__all__ = [
    "EVEN_PP",
    "amount",
    "change_phrase",
    "gap_change_phrase",
    "growth_phrase",
    "is_missing",
    "number",
    "pace_phrase",
    "pp",
    "share",
    "two_year_average",
    "versus_phrase",
]

EVEN_PP = 0.05
"""A difference smaller than this (in 百分点) rounds to 0.0 and is written 持平."""


def pp(value: float) -> str:
    """A distance in 百分点 without sign, one decimal: 9.0."""
    return f"{abs(float(value)):.1f}"


def share(fraction: float) -> str:
    """A fraction as a percentage with one decimal: 0.38 -> 38.0%."""
    return f"{100 * float(fraction):.1f}%"


def growth_phrase(growth: float, *, rise: str = "增长") -> str:
    """增长16.1% / 下降23.5% / 与上年同期持平 (prices and indices say 上涨)."""
    r = round(float(growth), 1)
    if r == 0:
        return "与上年同期持平"
    return f"{rise}{r:.1f}%" if r > 0 else f"下降{-r:.1f}%"


def pace_phrase(gap_pp: float, *, reverse: bool = False) -> str:
    """快于序时进度9.0个百分点 / 慢于… / 与序时进度持平 (|gap| < 0.05).

    `reverse` for a ceiling (控制在X以内), where being ahead of time is bad: 低于/高于序时进度.
    """
    if abs(gap_pp) < EVEN_PP:
        return "与序时进度持平"
    if reverse:
        return f"{'低于' if gap_pp > 0 else '高于'}序时进度{pp(gap_pp)}个百分点"
    return f"{'快于' if gap_pp > 0 else '慢于'}序时进度{pp(gap_pp)}个百分点"


def versus_phrase(difference: float, what: str) -> str:
    """高于{what}1.5个百分点 / 低于… / 与{what}持平."""
    if abs(difference) < EVEN_PP:
        return f"与{what}持平"
    return f"{'高于' if difference > 0 else '低于'}{what}{pp(difference)}个百分点"


def change_phrase(now: float, before: float, before_label: str, *, subject: str = "增速") -> str:
    """增速比1-5月提高1.2个百分点 / 回落… / 与1-5月持平: the move from the previous period."""
    d = float(now) - float(before)
    if abs(d) < EVEN_PP:
        return f"{subject}与{before_label}持平"
    return f"{subject}比{before_label}{'提高' if d > 0 else '回落'}{pp(d)}个百分点"


def gap_change_phrase(now_gap: float, before_gap: float, before_label: str) -> str:
    """For an indicator behind time: 差距比1-5月收窄2.0个百分点 / 扩大… / 与1-5月持平."""
    d = float(now_gap) - float(before_gap)
    if abs(d) < EVEN_PP:
        return f"差距与{before_label}持平"
    return f"差距比{before_label}{'收窄' if d > 0 else '扩大'}{pp(d)}个百分点"


def two_year_average(growth: float, growth_last_year: float) -> float:
    """两年平均增速 (percent): the geometric mean of this year's and last year's growth, as 统计局 computes it."""
    product = (1 + float(growth) / 100) * (1 + float(growth_last_year) / 100)
    return 100 * (math.sqrt(product) - 1) if product > 0 else math.nan
