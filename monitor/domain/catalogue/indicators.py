"""Reading the `[[indicators]]` entries of the catalogue: fields, defaults and their checks. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from monitor.domain.catalogue.collector import Collector, entry_key
from monitor.domain.catalogue.model import (
    Department,
    Direction,
    GrowthBasis,
    Indicator,
    Measure,
    RegionKind,
)
from monitor.domain.periods import Frequency
from monitor.domain.units import is_known as is_known_unit

__all__ = ["parse_indicators"]

_CODE = re.compile(r"^[a-z][a-z0-9_.]*$")

_INDICATOR_KEYS = {
    "code",
    "name",
    "unit",
    "frequency",
    "measure",
    "direction",
    "departments",
    "growth_basis",
    "lag_months",
    "first_month",
    "due_day",
    "note",
    "source",
    "regions",
}


def _departments_of(c: Collector, e: Mapping[str, Any], key: str, departments: Mapping[str, Department]) -> list[str]:
    """责任单位: district units only (an external unit supplies figures, it does not answer for them)."""
    deps = e.get("departments")
    if not isinstance(deps, list) or not deps or not all(isinstance(d, str) for d in deps):
        c.add(f"{key}.departments", "departments 应列出至少一个责任单位代码（牵头单位在前）", "missing_field")
        return []
    for d in deps:
        if d not in departments:
            c.add(f"{key}.departments", f"责任单位“{d}”未在 [[departments]] 中定义", "unknown_department")
        elif departments[d].external:
            c.add(
                f"{key}.departments",
                f"“{departments[d].name}”是区外单位（external），区里不能督办，"
                "不能作责任单位：写在 source（数据来源）中",
                "external_department",
            )
    if len(set(deps)) != len(deps):
        c.add(f"{key}.departments", "责任单位重复列出", "duplicate_code")
    return deps


def _source_of(c: Collector, e: Mapping[str, Any], key: str, departments: Mapping[str, Department]) -> str:
    """数据来源: the department code that supplies the figure ("" = the lead department)."""
    source = c.text(e, "source", key, required=False)
    if source and source not in departments:
        c.add(f"{key}.source", f"数据来源单位“{source}”未在 [[departments]] 中定义", "unknown_department")
    return source


_ALL_LEVELS = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.PEER)


def _regions_of(c: Collector, e: Mapping[str, Any], key: str) -> tuple[RegionKind, ...]:
    """Which region levels report the indicator; the district always does. Absent: every level."""
    raw = e.get("regions")
    if raw is None:
        return _ALL_LEVELS
    allowed = "、".join(k.value for k in RegionKind)
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
        c.add(
            f"{key}.regions",
            f'regions 应为地区层级列表（可选：{allowed}），如 ["district", "street"]',
            "bad_type",
        )
        return _ALL_LEVELS
    kinds: list[RegionKind] = []
    for x in raw:
        try:
            kinds.append(RegionKind(x))
        except ValueError:
            c.add(f"{key}.regions", f"未知的地区层级“{x}”，可选：{allowed}", "unknown_regions")
    if len(set(raw)) != len(raw):
        c.add(f"{key}.regions", "地区层级重复列出", "duplicate_code")
    if RegionKind.DISTRICT.value not in raw:
        c.add(f"{key}.regions", "regions 必须包含 district（本区总是报送该指标）", "missing_district")
    return tuple(dict.fromkeys(kinds))


def parse_indicators(
    c: Collector, data: Mapping[str, Any], departments: Mapping[str, Department]
) -> dict[str, Indicator]:
    defaults = data.get("indicator_defaults", {})
    if not isinstance(defaults, Mapping):
        c.add("indicator_defaults", "indicator_defaults 应为一个表", "bad_type")
        defaults = {}
    c.unknown_keys(defaults, {"growth_basis", "lag_months", "first_month", "due_day", "regions"}, "indicator_defaults")
    out: dict[str, Indicator] = {}
    for i, raw in enumerate(c.table_list(data, "indicators")):
        e = {**defaults, **raw}
        key = entry_key("indicators", i, raw)
        c.unknown_keys(raw, _INDICATOR_KEYS, key)
        code = c.text(e, "code", key)
        if code and not _CODE.match(code):
            c.add(f"{key}.code", f"指标代码“{code}”只能使用小写字母、数字和下划线", "bad_code")
        unit = c.text(e, "unit", key)
        if unit and not is_known_unit(unit):
            c.add(f"{key}.unit", f"未知的计量单位“{unit}”", "unknown_unit")
        frequency = c.enum(e, "frequency", key, Frequency, "频度")
        measure = c.enum(e, "measure", key, Measure, "指标类型（measure）")
        direction = c.enum(e, "direction", key, Direction, "方向（direction）")
        basis = c.enum(e, "growth_basis", key, GrowthBasis, "增速口径（growth_basis）")
        lag = c.integer(e, "lag_months", key, 0, 3)
        first = c.integer(e, "first_month", key, 1, 12)
        due = c.integer(e, "due_day", key, 1, 31)
        deps = _departments_of(c, e, key, departments)
        source = _source_of(c, e, key, departments)
        regions = _regions_of(c, e, key)
        if frequency is Frequency.QUARTERLY and first != 3:
            c.add(f"{key}.first_month", f"季度指标的 first_month 应为 3，现为 {first}", "bad_first_month")
        if frequency in (Frequency.WEEKLY, Frequency.ANNUAL) and first != 1:
            c.add(f"{key}.first_month", f"{frequency.value} 指标的 first_month 应为 1", "bad_first_month")
        if measure is Measure.RATE and unit and unit != "%":
            c.add(f"{key}.unit", f"只有增速的指标（rate）单位应为 %，现为“{unit}”", "unit_mismatch")
        if measure is Measure.INDEX and unit and unit != "上年同期=100":
            c.add(f"{key}.unit", f"指数指标（index）单位应为“上年同期=100”，现为“{unit}”", "unit_mismatch")
        if code:
            c.unique(set(out), code, f"{key}.code", "指标代码")
        if code and frequency and measure and direction and basis:
            out[code] = Indicator(
                code,
                c.text(e, "name", key),
                unit,
                frequency,
                measure,
                direction,
                tuple(deps),
                basis,
                lag,
                first,
                due,
                c.text(e, "note", key, required=False),
                source,
                regions,
            )
    return out
