"""The annual target in words, one way for every view: board, CLI table, weekly email and briefing. Pure.

The wording is the government work report's (政府工作报告): 增长6%以上, 增长6%左右, 50000个以上,
控制在5.00亿元以内, 压降10%以上, 增长不超过3%, 高于地区生产总值增速. A comparable-price target
(GDP, 规上工业增加值) can say so (按可比价) where a view shows the basis next to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.domain.catalogue import Catalogue, TargetKind
from monitor.domain.numbers import amount, is_missing

__all__ = ["target_words"]


def _num(x: float) -> str:
    return f"{float(x):g}"


def target_words(row: Mapping[str, Any], catalogue: Catalogue, *, basis: bool = False) -> str:
    """The target of a pace row as the work report words it; "" without a target.

    `basis` adds （按可比价） to a growth target of a comparable-price indicator, for views that
    show no basis elsewhere. 高于X增速 names the reference indicator by its catalogue name.
    """
    kind, given = row.get("target_kind"), row.get("target_value")
    unit = str(row.get("unit") or "")
    if kind == TargetKind.GROWTH_ABOVE.value:
        ref = str(row.get("target_reference") or "")
        return f"高于{catalogue.indicators[ref].name if ref in catalogue.indicators else ref}增速"
    if not kind or given is None or is_missing(given):
        return ""
    x = float(given)
    if kind == TargetKind.LEVEL_MIN.value:
        return f"{amount(x, unit)}以上"
    if kind == TargetKind.LEVEL_MAX.value:
        return f"控制在{amount(x, unit)}以内"
    if kind == TargetKind.GROWTH_MIN.value:
        text = f"增长{_num(x)}%以上"
    elif kind == TargetKind.GROWTH_ABOUT.value:
        text = f"增长{_num(x)}%左右"
    elif kind == TargetKind.GROWTH_MAX.value:
        text = f"压降{_num(-x)}%以上" if x < 0 else f"增长不超过{_num(x)}%"
    else:
        return ""
    return text + ("（按可比价）" if basis and row.get("basis") == "comparable" else "")
