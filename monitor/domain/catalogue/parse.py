"""Reading `indicators.toml` into a `Catalogue`, collecting every problem.

`parse_catalogue(data)` takes the already-decoded TOML document (a plain dict) and either returns a
`Catalogue` or raises `CatalogueInvalid` carrying *every* problem found, so an administrator fixes
a catalogue in one pass instead of one error per run. Pure: no file, clock or database access.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from monitor.domain.catalogue.collector import Collector, entry_key
from monitor.domain.catalogue.indicators import parse_indicators
from monitor.domain.catalogue.model import (
    LEVEL_MEASURES,
    WEEKDAYS,
    AlertSettings,
    Catalogue,
    Category,
    Department,
    Indicator,
    IndicatorSet,
    Meta,
    Notify,
    ProjectThresholds,
    Region,
    RegionKind,
    Schedule,
    StatusThresholds,
    Target,
    TargetKind,
)
from monitor.errors import CatalogueInvalid

__all__ = ["parse_catalogue"]

_TIME_OF_DAY = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_TOP_KEYS = {
    "meta",
    "status",
    "alerts",
    "notify",
    "schedule",
    "indicator_defaults",
    "departments",
    "regions",
    "indicators",
    "sets",
    "targets",
    "projects",
}


def _parse_departments(c: Collector, data: Mapping[str, Any]) -> dict[str, Department]:
    out: dict[str, Department] = {}
    for i, e in enumerate(c.table_list(data, "departments")):
        key = entry_key("departments", i, e)
        c.unknown_keys(e, {"code", "name", "role", "email", "external"}, key)
        code = c.text(e, "code", key)
        email = c.text(e, "email", key, required=False)
        if email and not _EMAIL.match(email):
            c.add(f"{key}.email", f"邮箱地址“{email}”格式不正确", "bad_email")
        external = e.get("external", False)
        if not isinstance(external, bool):
            c.add(f"{key}.external", f"external 应为 true 或 false，现为 {external!r}", "bad_type")
            external = False
        if code:
            c.unique(set(out), code, f"{key}.code", "单位代码")
            out[code] = Department(code, c.text(e, "name", key), c.text(e, "role", key, False), email, external)
    return out


def _parse_regions(c: Collector, data: Mapping[str, Any]) -> dict[str, Region]:
    out: dict[str, Region] = {}
    entries = c.table_list(data, "regions")
    for i, e in enumerate(entries):
        key = entry_key("regions", i, e)
        c.unknown_keys(e, {"code", "name", "kind", "parent"}, key)
        code = c.text(e, "code", key)
        kind = c.enum(e, "kind", key, RegionKind, "地区类型")
        parent = c.text(e, "parent", key, required=False) or None
        if kind is RegionKind.STREET and parent is None:
            c.add(f"{key}.parent", "街道必须写明所属的区（parent）", "missing_field")
        if code and kind:
            c.unique(set(out), code, f"{key}.code", "地区代码")
            out[code] = Region(code, c.text(e, "name", key), kind, parent)
    for i, e in enumerate(entries):
        parent = e.get("parent")
        if parent and parent not in out:
            c.add(f"{entry_key('regions', i, e)}.parent", f"所属地区“{parent}”未定义", "unknown_region")
    return out


def _parse_sets(c: Collector, data: Mapping[str, Any], known: set[str]) -> dict[str, IndicatorSet]:
    out: dict[str, IndicatorSet] = {}
    for i, e in enumerate(c.table_list(data, "sets")):
        key = entry_key("sets", i, e)
        c.unknown_keys(e, {"code", "name", "categories"}, key)
        code = c.text(e, "code", key)
        if code == "all":
            c.add(f"{key}.code", "“all”是保留字（表示全部指标），不能作为指标体系代码", "bad_code")
        categories: list[Category] = []
        members: set[str] = set()
        cat_codes: set[str] = set()
        for j, ce in enumerate(c.table_list(e, "categories")):
            ckey = f"{key}.categories[{j}] {ce.get('code', '')}".rstrip()
            c.unknown_keys(ce, {"code", "name", "indicators"}, ckey)
            ccode = c.text(ce, "code", ckey)
            if ccode:
                c.unique(cat_codes, ccode, f"{ckey}.code", "分类代码")
            inds = ce.get("indicators", [])
            if not isinstance(inds, list) or not all(isinstance(x, str) for x in inds):
                c.add(f"{ckey}.indicators", "indicators 应为指标代码列表", "bad_type")
                inds = []
            for ind in inds:
                if ind not in known:
                    c.add(f"{ckey}.indicators", f"分类列出了未定义的指标“{ind}”", "unknown_indicator")
                elif ind in members:
                    c.add(f"{ckey}.indicators", f"指标“{ind}”在同一指标体系中重复出现", "duplicate_code")
                members.add(ind)
            categories.append(Category(ccode, c.text(ce, "name", ckey), tuple(inds)))
        if code:
            c.unique(set(out), code, f"{key}.code", "指标体系代码")
            out[code] = IndicatorSet(code, c.text(e, "name", key), tuple(categories))
    return out


def _parse_targets(
    c: Collector, data: Mapping[str, Any], indicators: Mapping[str, Indicator], regions: Mapping[str, Region]
) -> tuple[Target, ...]:
    out: list[Target] = []
    seen: set[tuple[int, str, str]] = set()
    for i, e in enumerate(c.table_list(data, "targets")):
        key = f"targets[{i}] {e.get('year', '?')} {e.get('region', '?')} {e.get('indicator', '?')}"
        c.unknown_keys(e, {"year", "region", "indicator", "kind", "value", "tolerance", "reference", "source"}, key)
        year = c.integer(e, "year", key, 2000, 2100)
        region = c.text(e, "region", key)
        code = c.text(e, "indicator", key)
        kind = c.enum(e, "kind", key, TargetKind, "目标类型（kind）")
        value = c.number(e, "value", key, None)
        tolerance = c.number(e, "tolerance", key, None)
        reference = c.text(e, "reference", key, required=False) or None
        if region and region not in regions:
            c.add(f"{key}.region", f"目标所属地区“{region}”未定义", "unknown_region")
        indicator = indicators.get(code)
        if code and indicator is None:
            c.add(f"{key}.indicator", f"目标指向未定义的指标“{code}”", "unknown_indicator")
        if kind is TargetKind.GROWTH_ABOVE:
            if reference is None:
                c.add(f"{key}.reference", "growth_above 目标必须写明参照指标（reference，如 gdp）", "missing_reference")
            elif reference not in indicators:
                c.add(f"{key}.reference", f"参照指标“{reference}”未定义", "unknown_indicator")
            elif reference == code:
                c.add(f"{key}.reference", "参照指标不能是它自己", "bad_reference")
        elif kind is not None and value is None:
            c.add(f"{key}.value", f"{kind.value} 目标必须有目标值（value）", "missing_field")
        if kind is TargetKind.GROWTH_ABOUT and tolerance is None:
            c.add(f"{key}.tolerance", "growth_about（左右）目标应写明容差（tolerance，百分点）", "missing_field")
        if tolerance is not None and tolerance < 0:
            c.add(f"{key}.tolerance", f"容差不能为负数，现为 {tolerance}", "out_of_range")
        if kind is not None and kind.is_level and indicator and indicator.measure not in LEVEL_MEASURES:
            c.add(
                f"{key}.kind",
                f"指标“{code}”只有增速或指数（{indicator.measure.value}），不能设总量目标 {kind.value}",
                "level_target_on_rate",
            )
        if kind is not None and kind.is_level and value is not None and value <= 0:
            c.add(f"{key}.value", f"总量目标必须为正数，现为 {value}", "out_of_range")
        if kind and code and region:
            c.unique(seen, (year, region, code), key, "目标")
            out.append(Target(year, region, code, kind, value, tolerance, reference, c.text(e, "source", key, False)))
    return tuple(out)


def _parse_small_tables(c: Collector, data: Mapping[str, Any]) -> tuple[Meta, StatusThresholds, AlertSettings, Notify]:
    tables: dict[str, Mapping[str, Any]] = {}
    for name in ("meta", "status", "alerts", "notify"):
        value = data.get(name, {})
        if not isinstance(value, Mapping):
            c.add(name, f"[{name}] 应为一个表", "bad_type")
            value = {}
        tables[name] = value
    m, s, a, n = tables["meta"], tables["status"], tables["alerts"], tables["notify"]
    c.unknown_keys(m, {"title", "default_region", "timezone"}, "meta")
    c.unknown_keys(s, {"level_yellow_pp", "growth_yellow_pp"}, "status")
    c.unknown_keys(
        a,
        {"forecast_miss_probability", "missing_red_after_days", "revision_threshold_pct", "revision_window_days"},
        "alerts",
    )
    c.unknown_keys(n, {"group", "board_url", "send_empty_department_digest"}, "notify")
    meta = Meta(
        title=c.text(m, "title", "meta", False) or Meta.title,
        default_region=c.text(m, "default_region", "meta", False) or Meta.default_region,
        timezone=c.text(m, "timezone", "meta", False) or Meta.timezone,
    )
    status = StatusThresholds(
        level_yellow_pp=c.number(s, "level_yellow_pp", "status", 5.0) or 0.0,
        growth_yellow_pp=c.number(s, "growth_yellow_pp", "status", 1.0) or 0.0,
    )
    for name, value in (("level_yellow_pp", status.level_yellow_pp), ("growth_yellow_pp", status.growth_yellow_pp)):
        if value < 0:
            c.add(f"status.{name}", f"{name} 不能为负数，现为 {value}", "out_of_range")
    prob = c.number(a, "forecast_miss_probability", "alerts", 0.3)
    if prob is not None and not 0 <= prob <= 1:
        c.add("alerts.forecast_miss_probability", f"概率应在 0-1 之间，现为 {prob}", "out_of_range")
    alerts = AlertSettings(
        forecast_miss_probability=prob if prob is not None else 0.3,
        missing_red_after_days=c.integer(
            {**{"missing_red_after_days": 7}, **a}, "missing_red_after_days", "alerts", 0, 90
        ),
        revision_threshold_pct=c.number(a, "revision_threshold_pct", "alerts", 1.0) or 0.0,
        revision_window_days=c.integer({"revision_window_days": 30, **a}, "revision_window_days", "alerts", 1, 366),
    )
    group = n.get("group", [])
    if not isinstance(group, list) or not all(isinstance(x, str) for x in group):
        c.add("notify.group", "notify.group 应为邮箱地址列表", "bad_type")
        group = []
    for address in group:
        if not _EMAIL.match(address):
            c.add("notify.group", f"邮箱地址“{address}”格式不正确", "bad_email")
    send_empty = n.get("send_empty_department_digest", False)
    if not isinstance(send_empty, bool):
        c.add("notify.send_empty_department_digest", "应为 true 或 false", "bad_type")
        send_empty = False
    notify = Notify(tuple(group), c.text(n, "board_url", "notify", False) or Notify.board_url, send_empty)
    return meta, status, alerts, notify


def _briefing_day(c: Collector, e: Mapping[str, Any]) -> int:
    """The day of the month the monthly briefing is written and sent (1-28: every month has it)."""
    day = e.get("briefing_day", Schedule.briefing_day)
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
        c.add(
            "schedule.briefing_day", f"briefing_day 应为 1 到 28 之间的整数（每月几号），现为 {day!r}", "out_of_range"
        )
        return Schedule.briefing_day
    return day


def _parse_schedule(c: Collector, data: Mapping[str, Any]) -> Schedule:
    e = data.get("schedule", {})
    if not isinstance(e, Mapping):
        c.add("schedule", "[schedule] 应为一个表", "bad_type")
        return Schedule()
    c.unknown_keys(e, {f.name for f in fields(Schedule)}, "schedule")
    minutes: dict[str, float] = {}
    for name in ("inbox_scan_minutes", "catchup_minutes"):
        value = c.number(e, name, "schedule", getattr(Schedule, name))
        if value is None or value <= 0:
            c.add(f"schedule.{name}", f"{name} 应为正数（分钟），现为 {value}", "out_of_range")
            value = getattr(Schedule, name)
        minutes[name] = value
    times: dict[str, str] = {}
    for name in ("alerts_daily_at", "digest_at", "briefing_at"):
        at = c.text(e, name, "schedule", False) or str(getattr(Schedule, name))
        if not _TIME_OF_DAY.fullmatch(at):
            c.add(f"schedule.{name}", f"{name} 应写作 HH:MM（如 09:00），现为“{at}”", "bad_time")
            at = str(getattr(Schedule, name))
        times[name] = at
    weekday = (c.text(e, "digest_weekday", "schedule", False) or Schedule.digest_weekday).lower()
    if weekday not in WEEKDAYS:
        c.add("schedule.digest_weekday", f"digest_weekday 应为 {'、'.join(WEEKDAYS)} 之一，现为“{weekday}”", "bad_day")
        weekday = Schedule.digest_weekday
    return Schedule(
        inbox_scan_minutes=minutes["inbox_scan_minutes"],
        alerts_daily_at=times["alerts_daily_at"],
        digest_weekday=weekday,
        digest_at=times["digest_at"],
        briefing_day=_briefing_day(c, e),
        briefing_at=times["briefing_at"],
        catchup_minutes=minutes["catchup_minutes"],
    )


def _parse_projects(c: Collector, data: Mapping[str, Any]) -> ProjectThresholds:
    table = data.get("projects", {})
    if not isinstance(table, Mapping):
        c.add("projects", "[projects] 应为一个表", "bad_type")
        return ProjectThresholds()
    c.unknown_keys(table, {"yellow_pp", "problem_days"}, "projects")
    yellow = c.number(table, "yellow_pp", "projects", 5.0)
    if yellow is not None and yellow < 0:
        c.add("projects.yellow_pp", f"yellow_pp 不能为负数，现为 {yellow}", "out_of_range")
    days = c.integer({"problem_days": 15, **table}, "problem_days", "projects", 1, 366)
    return ProjectThresholds(yellow_pp=5.0 if yellow is None else yellow, problem_days=days)


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Build the catalogue from a decoded TOML document; raises `CatalogueInvalid` with all problems."""
    c = Collector()
    c.unknown_keys(data, _TOP_KEYS, "(顶层)")
    meta, status, alerts, notify = _parse_small_tables(c, data)
    schedule = _parse_schedule(c, data)
    departments = _parse_departments(c, data)
    regions = _parse_regions(c, data)
    indicators = parse_indicators(c, data, departments)
    declared = {e.get("code") for e in c.table_list(data, "indicators") if isinstance(e, Mapping)}
    sets = _parse_sets(c, data, {x for x in declared if isinstance(x, str)})
    targets = _parse_targets(c, data, indicators, regions)
    projects = _parse_projects(c, data)
    if meta.default_region not in regions:
        c.add("meta.default_region", f"默认地区“{meta.default_region}”未在 [[regions]] 中定义", "unknown_region")
    if not indicators and not c.problems:
        c.add("indicators", "目录中没有任何指标", "missing_field")
    if c.problems:
        raise CatalogueInvalid(c.problems)
    return Catalogue(meta, status, alerts, notify, departments, regions, indicators, sets, targets, schedule, projects)
