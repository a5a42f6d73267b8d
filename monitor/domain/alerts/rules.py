"""Alert rules: what is wrong right now, as one breach row per problem. Pure: frames and dates in, frame out.

    pace_red / pace_yellow  the pace status (红灯/黄灯) of an indicator with a target
    forecast_miss           status not red, but the probability of meeting the target is below
                            `[alerts] forecast_miss_probability`
    missing_report          逾期未报: no figure for the latest period whose due day has passed;
                            yellow, red once more than `missing_red_after_days` days overdue
    implausible_data        figures an import flagged with warnings, while they are still current
    revision                a figure revised by more than `revision_threshold_pct` within the last
                            `revision_window_days` (informational)

A breach is keyed by its fingerprint (rule family, indicator, region, year). `pace_red` and
`pace_yellow` share the family `pace`: an indicator slipping from yellow to red is the same problem
getting worse (an escalation of one alert), not a second problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import pandas as pd

from monitor.domain.catalogue import AlertSettings, Catalogue
from monitor.domain.periods import Frequency, due_date, is_before_first, latest_due_period, parse_period

__all__ = [
    "BREACH_COLUMNS",
    "REVISION_COLUMNS",
    "RULE_ZH",
    "SERIES_COLUMNS",
    "SEVERITY_RANK",
    "SEVERITY_ZH",
    "WARNING_COLUMNS",
    "AlertSeverity",
    "Rule",
    "data_quality_breaches",
    "evaluate_rules",
    "fingerprint",
    "forecast_breaches",
    "missing_breaches",
    "pace_breaches",
    "revision_breaches",
]


class Rule(StrEnum):
    PACE_RED = "pace_red"
    PACE_YELLOW = "pace_yellow"
    FORECAST_MISS = "forecast_miss"
    MISSING_REPORT = "missing_report"
    IMPLAUSIBLE_DATA = "implausible_data"
    REVISION = "revision"
    PROJECT_SLOW = "project_slow"  # 重点项目 (monitor.domain.projects.alerts)
    PROJECT_START_LATE = "project_start_late"
    PROBLEM_OVERDUE = "problem_overdue"
    TASK_BEHIND = "task_behind"
    TASK_MISSING = "task_missing"


class AlertSeverity(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    INFO = "info"


SEVERITY_RANK = {AlertSeverity.INFO.value: 0, AlertSeverity.YELLOW.value: 1, AlertSeverity.RED.value: 2}
SEVERITY_ZH = {AlertSeverity.RED.value: "红灯", AlertSeverity.YELLOW.value: "黄灯", AlertSeverity.INFO.value: "提示"}
RULE_ZH = {
    Rule.PACE_RED.value: "进度红灯",
    Rule.PACE_YELLOW.value: "进度黄灯",
    Rule.FORECAST_MISS.value: "预计难以完成目标",
    Rule.MISSING_REPORT.value: "逾期未报",
    Rule.IMPLAUSIBLE_DATA.value: "数据存疑",
    Rule.REVISION.value: "数据修订",
    Rule.PROJECT_SLOW.value: "慢进项目",
    Rule.PROJECT_START_LATE.value: "开工滞后",
    Rule.PROBLEM_OVERDUE.value: "问题超期",
    Rule.TASK_BEHIND.value: "任务滞后",
    Rule.TASK_MISSING.value: "任务未报",
}
_FAMILY = {Rule.PACE_RED.value: "pace", Rule.PACE_YELLOW.value: "pace"}

BREACH_COLUMNS = [
    "fingerprint",
    "rule",
    "severity",
    "indicator",
    "region",
    "year",
    "period",
    "message",
    "departments",
    "days_overdue",
]
SERIES_COLUMNS = ["indicator", "region", "latest_end"]
"""Series with a current figure this year or last (the regions expected to report an indicator), with
the end date of their newest figure."""
WARNING_COLUMNS = ["indicator", "region", "period", "code", "message", "file_name"]
"""Import warnings of figures that are still current."""
REVISION_COLUMNS = ["indicator", "region", "period", "old_value", "new_value", "revised_at"]
"""Revisions: the value before and after, and when the new value became known (tz-aware)."""


def fingerprint(rule: str, indicator: str, region: str, year: int) -> str:
    """The identity of a problem: one alert at a time per fingerprint."""
    return f"{_FAMILY.get(rule, rule)}:{indicator}:{region}:{year}"


def _fingerprints(rule: pd.Series, indicator: pd.Series, region: pd.Series, year: pd.Series) -> list[str]:
    return [fingerprint(*key) for key in zip(rule, indicator, region, year, strict=True)]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c == "days_overdue" else object) for c in BREACH_COLUMNS})


def _frame(rows: pd.DataFrame, rule: pd.Series | str, severity: pd.Series | str, messages: list[str]) -> pd.DataFrame:
    """Breach rows from a frame holding indicator, region, period, year, departments."""
    if rows.empty:
        return _empty()
    rules = pd.Series(rule, index=rows.index) if isinstance(rule, str) else rule
    out = pd.DataFrame(
        {
            "rule": rules.astype(str),
            "severity": pd.Series(severity, index=rows.index).astype(str),
            "indicator": rows["indicator"],
            "region": rows["region"],
            "year": rows["year"].astype(int),
            "period": rows["period"].astype(str),
            "message": messages,
            "departments": rows["departments"],
            "days_overdue": rows.get("days_overdue", np.nan),
        }
    )
    out.insert(0, "fingerprint", _fingerprints(out["rule"], out["indicator"], out["region"], out["year"]))
    return out[BREACH_COLUMNS].reset_index(drop=True)


def _names(catalogue: Catalogue, codes: pd.Series, kind: str) -> list[str]:
    table = catalogue.indicators if kind == "indicator" else catalogue.regions
    return [table[c].name if c in table else c for c in codes]


def _year_of(periods: pd.Series) -> pd.Series:
    return periods.astype(str).str.slice(0, 4).astype(int)


def pace_breaches(pace: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """pace_red and pace_yellow: one breach per red or yellow row of the pace frame."""
    rows = pace[pace["status"].isin([AlertSeverity.RED.value, AlertSeverity.YELLOW.value])].copy()
    if rows.empty:
        return _empty()
    rows["year"] = _year_of(rows["period"])
    names, places = _names(catalogue, rows["indicator"], "indicator"), _names(catalogue, rows["region"], "region")
    messages = [
        f"{place}{name}{parse_period(p).label_zh()}{'增速' if kind and not kind.startswith('level') else '进度'}"
        f"与目标相差 {gap:+.1f} 个百分点（{'红灯' if status == 'red' else '黄灯'}）"
        for place, name, p, kind, gap, status in zip(
            places, names, rows["period"], rows["target_kind"].fillna(""), rows["gap_pp"], rows["status"], strict=True
        )
    ]
    rule = rows["status"].map({"red": Rule.PACE_RED.value, "yellow": Rule.PACE_YELLOW.value})
    return _frame(rows, rule, rows["status"], messages)


def forecast_breaches(pace: pd.DataFrame, catalogue: Catalogue, settings: AlertSettings) -> pd.DataFrame:
    """forecast_miss: not red yet, but the year-end forecast meets the target with probability below the threshold."""
    if "prob_meet" not in pace:
        return _empty()
    prob = pace["prob_meet"].astype(float)
    rows = pace[(pace["status"] != AlertSeverity.RED.value) & (prob < settings.forecast_miss_probability)].copy()
    if rows.empty:
        return _empty()
    rows["year"] = _year_of(rows["period"])
    names, places = _names(catalogue, rows["indicator"], "indicator"), _names(catalogue, rows["region"], "region")
    messages = [
        f"{place}{name}按{parse_period(p).label_zh()}数据预测，全年完成目标的概率仅 {100 * pr:.0f}%"
        f"（低于 {100 * settings.forecast_miss_probability:.0f}%）"
        for place, name, p, pr in zip(places, names, rows["period"], rows["prob_meet"], strict=True)
    ]
    return _frame(rows, Rule.FORECAST_MISS.value, AlertSeverity.YELLOW.value, messages)


def _due_schedule(catalogue: Catalogue, as_of: date, indicators: Sequence[str]) -> pd.DataFrame:
    """Per indicator: the periods of the latest due period's year up to it, each with its due date.

    A period is overdue once its due day has passed (the due day itself still counts as on time).
    """
    rows = []
    last_on_time = as_of - timedelta(days=1)
    for code in indicators:
        ind = catalogue.indicators[code]
        latest = latest_due_period(last_on_time, ind.frequency, ind.lag_months, ind.due_day)
        if is_before_first(latest, ind.first_month):
            continue
        period, position = latest, 0
        while period.year == latest.year and not is_before_first(period, ind.first_month):
            due = due_date(period, ind.lag_months, ind.due_day)
            rows.append((code, str(period), period.year, position, due, pd.Timestamp(period.end_date())))
            position += 1
            if ind.frequency is Frequency.ANNUAL:
                break
            period = period.shift(-1)
    return pd.DataFrame(rows, columns=["indicator", "period", "year", "back", "due", "end"])


def missing_breaches(
    series: pd.DataFrame,
    catalogue: Catalogue,
    regions: Sequence[str],
    as_of: date,
    settings: AlertSettings,
) -> pd.DataFrame:
    """missing_report: a series that reports (has a figure this year or last) lacks its latest overdue period.

    The district itself always reports every indicator; a street only the series it has reported
    before, and never one its level does not report (no street 土地出让 or GDP, whatever old files
    held). Days overdue count from the oldest period of the unbroken run of missing ones.
    """
    district = catalogue.meta.default_region
    schedule = _due_schedule(catalogue, as_of, list(catalogue.indicators))
    if schedule.empty:
        return _empty()
    series = series[SERIES_COLUMNS]
    series = series[series["region"].isin(list(regions))]
    levels = [catalogue.reports(i, r) for i, r in zip(series["indicator"], series["region"], strict=True)]
    series = series[np.array(levels, dtype=bool)]
    if district in regions:
        known = set(series.loc[series["region"] == district, "indicator"])
        absent = [code for code in catalogue.indicators if code not in known]
        series = pd.concat([series, pd.DataFrame({"indicator": absent, "region": district, "latest_end": pd.NaT})])
    expected = series.merge(schedule, on="indicator")
    # the trailing run of missing periods: those ending after the newest figure of the series
    latest_end = pd.to_datetime(expected["latest_end"])
    missing = expected[latest_end.isna() | (expected["end"] > latest_end)]
    if missing.empty:
        return _empty()
    key = ["indicator", "region"]
    oldest = missing.sort_values("back").groupby(key, sort=False).tail(1).set_index(key)
    latest = missing.sort_values("back").groupby(key, sort=False).head(1).set_index(key)
    count = missing.groupby(key).size()
    oldest = oldest[["period", "due"]].rename(columns={"period": "period_oldest", "due": "due_oldest"})
    rows = latest.join(oldest).join(count.rename("n")).reset_index().sort_values(key).reset_index(drop=True)
    rows["days_overdue"] = [(as_of - d).days for d in rows["due_oldest"]]
    rows["departments"] = [list(catalogue.indicators[c].departments) for c in rows["indicator"]]
    severity = np.where(
        rows["days_overdue"] > settings.missing_red_after_days, AlertSeverity.RED.value, AlertSeverity.YELLOW.value
    )
    names, places = _names(catalogue, rows["indicator"], "indicator"), _names(catalogue, rows["region"], "region")
    messages = []
    for place, name, p, p_old, n, due, days in zip(
        places,
        names,
        rows["period"],
        rows["period_oldest"],
        rows["n"],
        rows["due_oldest"],
        rows["days_overdue"],
        strict=True,
    ):
        label = parse_period(p).label_zh() if n == 1 else f"{parse_period(p_old).label_zh()}起 {n} 期"
        messages.append(f"{place}{name}{label}数据逾期未报：应于 {due.isoformat()} 前报送，已逾期 {days} 天")
    return _frame(rows, Rule.MISSING_REPORT.value, pd.Series(severity, index=rows.index), messages)


def data_quality_breaches(warnings: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """implausible_data: one breach per series and year whose current figures an import warned about."""
    if warnings.empty:
        return _empty()
    rows = warnings.copy()
    rows["year"] = _year_of(rows["period"])
    rows = rows.sort_values(["indicator", "region", "period"], kind="stable")
    key = ["indicator", "region", "year"]
    grouped = rows.groupby(key, sort=False)
    first = grouped.tail(1).set_index(key)
    count = grouped.size()
    out = first.join(count.rename("n")).reset_index()
    out["departments"] = [
        list(catalogue.indicators[c].departments) if c in catalogue.indicators else [] for c in out["indicator"]
    ]
    names, places = _names(catalogue, out["indicator"], "indicator"), _names(catalogue, out["region"], "region")
    messages = [
        f"{place}{name}{parse_period(p).label_zh()}数据存疑：{msg}（来自文件 {file}）"
        + (f"；另有 {n - 1} 条同类提示" if n > 1 else "")
        for place, name, p, msg, file, n in zip(
            places, names, out["period"], out["message"], out["file_name"], out["n"], strict=True
        )
    ]
    return _frame(out, Rule.IMPLAUSIBLE_DATA.value, AlertSeverity.YELLOW.value, messages)


def recent_revisions(
    revisions: pd.DataFrame, since: pd.Timestamp, until: pd.Timestamp, threshold_pct: float
) -> pd.DataFrame:
    """Revisions known in (since, until] that moved the value by more than `threshold_pct` percent."""
    if revisions.empty:
        return revisions.assign(change_pct=pd.Series(dtype=float))
    old, new = revisions["old_value"].astype(float), revisions["new_value"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        change = 100.0 * (new - old) / old.abs()
    at = pd.to_datetime(revisions["revised_at"], utc=True)
    keep = (change.abs() > threshold_pct) & (at > since) & (at <= until)
    return revisions[keep].assign(change_pct=change[keep]).sort_values("revised_at", kind="stable")


def revision_breaches(
    revisions: pd.DataFrame, catalogue: Catalogue, as_of: pd.Timestamp, settings: AlertSettings, window_days: int
) -> pd.DataFrame:
    """revision (informational): a figure revised by more than the threshold within the window before as_of."""
    rows = recent_revisions(revisions, as_of - pd.Timedelta(days=window_days), as_of, settings.revision_threshold_pct)
    if rows.empty:
        return _empty()
    rows = rows.copy()
    rows["year"] = _year_of(rows["period"])
    key = ["indicator", "region", "year"]
    last = rows.groupby(key, sort=False).tail(1).set_index(key)
    out = last.join(rows.groupby(key).size().rename("n")).reset_index()
    out["departments"] = [
        list(catalogue.indicators[c].departments) if c in catalogue.indicators else [] for c in out["indicator"]
    ]
    names, places = _names(catalogue, out["indicator"], "indicator"), _names(catalogue, out["region"], "region")
    messages = [
        f"{place}{name}{parse_period(p).label_zh()}数据于 {pd.Timestamp(at).date().isoformat()} 修订："
        f"{old:,.6g} → {new:,.6g}（{change:+.1f}%）" + (f"；本年另有 {n - 1} 次修订" if n > 1 else "")
        for place, name, p, at, old, new, change, n in zip(
            places,
            names,
            out["period"],
            out["revised_at"],
            out["old_value"],
            out["new_value"],
            out["change_pct"],
            out["n"],
            strict=True,
        )
    ]
    return _frame(out, Rule.REVISION.value, AlertSeverity.INFO.value, messages)


def evaluate_rules(
    pace: pd.DataFrame,
    series: pd.DataFrame,
    warnings: pd.DataFrame,
    revisions: pd.DataFrame,
    catalogue: Catalogue,
    *,
    regions: Sequence[str],
    as_of: pd.Timestamp,
    revision_window_days: int,
) -> pd.DataFrame:
    """Every breach of every rule at `as_of` (tz-aware), one row per fingerprint, sorted for display."""
    settings = catalogue.alerts
    parts = [
        pace_breaches(pace, catalogue),
        forecast_breaches(pace, catalogue, settings),
        missing_breaches(series, catalogue, regions, as_of.date(), settings),
        data_quality_breaches(warnings, catalogue),
        revision_breaches(revisions, catalogue, as_of, settings, revision_window_days),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty()
    out = pd.concat(parts, ignore_index=True)
    out = out.drop_duplicates("fingerprint", keep="first")
    return out.sort_values(["rule", "indicator", "region"], kind="stable").reset_index(drop=True)
