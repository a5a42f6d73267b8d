"""Pace reports: read what a report needs in one query, compute pace (and forecasts), shape it for people.

`pace_report` is the one way in for the CLI, `monitor status` and later the board, alerts and the
weekly email: one query, `read_figures` (the set's indicators plus the growth_above references,
the regions, the evaluation years with the three prior years the seasonal share needs, or the
forecaster's FORECAST_HISTORY_YEARS when forecasting, as known at `known_at`), then the pure
`pace_frame`, with the stored year-end forecasts of
`services.forecasts.forecasts_for` unless `forecast=False`. The rest of the module renders a
report: the JSON contract, the 通报 table and the CSV export with Chinese headers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from monitor.domain.catalogue import Catalogue
from monitor.domain.pace import PACE_COLUMNS, REASON_ZH, SEASONAL_YEARS, STATUS_ZH, evaluation_points, pace_frame
from monitor.domain.pace.wording import target_words
from monitor.domain.periods import (
    Frequency,
    Period,
    evaluation_period,
    parse_period,
    report_month_for,
    report_month_with_data,
)
from monitor.errors import UsageError
from monitor.formatting import format_growth, format_pp, format_value, period_label, text_table
from monitor.storage.observations import newest_figure_end, read_figures

__all__ = [
    "PaceReport",
    "current_report_month",
    "pace_csv_frame",
    "pace_document",
    "pace_records",
    "pace_report",
    "pace_table",
    "pace_title",
    "report_indicators",
]


@dataclass(frozen=True)
class PaceReport:
    """A computed report: the rows (PACE_COLUMNS) and what they were computed for."""

    report_month: Period
    regions: tuple[str, ...]
    set_code: str
    known_at: datetime | None
    forecast: bool
    rows: pd.DataFrame


def report_indicators(catalogue: Catalogue, set_code: str) -> list[str]:
    """The indicator codes of a set (`all`: the whole catalogue), in display order; UsageError for an unknown set."""
    if set_code != "all" and set_code not in catalogue.sets:
        known = "、".join([*catalogue.sets, "all"])
        raise UsageError(f"未知的指标体系“{set_code}”，可选：{known}")
    return [ind.code for ind in catalogue.set_indicators(set_code)]


def _references(catalogue: Catalogue, indicators: Sequence[str], regions: Sequence[str]) -> list[str]:
    wanted, places = set(indicators), set(regions)
    refs = {t.reference for t in catalogue.targets if t.indicator in wanted and t.region in places and t.reference}
    return sorted(r for r in refs if r is not None and r not in wanted)


def current_report_month(session: Session, today: date) -> Period:
    """The report month a view opens at (see periods.report_month_with_data): one small query."""
    last = report_month_for(today)
    return report_month_with_data(today, newest_figure_end(session, until=last.end_date()))


def pace_report(
    session: Session,
    catalogue: Catalogue,
    report_month: Period,
    *,
    regions: Sequence[str],
    set_code: str = "ops30",
    known_at: datetime | None = None,
    forecast: bool = True,
    fit_missing: bool = True,
) -> PaceReport:
    """Pace for every indicator of a set and every region, as known at `known_at` (default: now).

    One query reads the figures; forecasts are read from storage (fitted only where the data
    changed, and not at all with `fit_missing` False: the board never fits on a page load) unless
    `forecast` is False, and never stored for a `known_at` report.
    """
    unknown = [r for r in regions if r not in catalogue.regions]
    if unknown:
        raise UsageError(f"未知的地区代码“{'、'.join(unknown)}”（monitor catalog show 可列出全部地区）")
    if report_month.frequency is not Frequency.MONTHLY:
        raise UsageError(f"报告期“{report_month}”须为月份，如 {report_month.year}-06")
    indicators = report_indicators(catalogue, set_code)
    references = _references(catalogue, indicators, regions)
    first_year = min(
        (
            evaluation_period(report_month, ind.frequency, ind.lag_months).year
            for ind in (catalogue.indicators[code] for code in [*indicators, *references])
        ),
        default=report_month.year,
    )
    history = SEASONAL_YEARS
    if forecast:  # imported here: statsmodels takes a second to load, reports without forecasts skip it
        from monitor.domain.forecast import FORECAST_HISTORY_YEARS
        from monitor.services.forecasts import forecasts_for

        history = max(history, FORECAST_HISTORY_YEARS)  # the years stored forecasts were fitted on
    obs = read_figures(
        session,
        indicators=[*indicators, *references],
        regions=list(regions),
        years=list(range(first_year - history, report_month.year + 1)),
        known_at=known_at,
    )
    forecasts = None
    if forecast:
        points = evaluation_points(catalogue, report_month, [*indicators, *references], regions)
        forecasts = forecasts_for(session, catalogue, obs, points, store=known_at is None, fit_missing=fit_missing)
    rows = pace_frame(
        obs,
        catalogue,
        report_month,
        indicators=indicators,
        regions=regions,
        forecasts=forecasts,
        set_code=set_code,
    )
    return PaceReport(report_month, tuple(regions), set_code, known_at, forecast, rows)


def _clean(value: Any) -> Any:
    """A JSON-ready value: NaN and infinities become null, numpy scalars plain Python."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return round(float(value), 10) if math.isfinite(value) else None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def pace_records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as the JSON contract's ROW objects (never NaN or infinity)."""
    return [{key: _clean(row[key]) for key in PACE_COLUMNS} for row in rows.to_dict("records")]


def pace_document(report: PaceReport, tz: Any = None) -> dict[str, Any]:
    """`{"period", "region", "set", "known_at", "rows"}`: the `monitor pace --format json` contract."""
    known = report.known_at.astimezone(tz) if report.known_at is not None and tz is not None else report.known_at
    return {
        "period": str(report.report_month),
        "region": report.regions[0] if len(report.regions) == 1 else list(report.regions),
        "set": report.set_code,
        "known_at": known.isoformat() if known is not None else None,
        "rows": pace_records(report.rows),
    }


def target_text(row: dict[str, Any], catalogue: Catalogue) -> str:
    """The target as the work report words it (domain `target_words`: 增长6%以上, 50000个以上), "—" without one."""
    return target_words(row, catalogue) or "—"


def status_text(status: str, reason: str | None) -> str:
    """红灯/黄灯/绿灯, or 灰 with the reason in Chinese."""
    text = STATUS_ZH.get(status, status)
    return f"{text}（{REASON_ZH.get(reason or '', reason)}）" if status == "grey" and reason else text


def _progress_text(row: dict[str, Any]) -> str:
    if pd.isna(row["gap_pp"]):
        return "—"
    if pd.isna(row["completion"]):
        return format_pp(row["gap_pp"])
    return f"{100 * row['completion']:.1f}%（{format_pp(row['gap_pp'])}）"


def _departments(codes: list[str], catalogue: Catalogue) -> str:
    return "、".join(catalogue.departments[c].name if c in catalogue.departments else c for c in codes)


def _with_unit(value: float, unit: str) -> str:
    """A figure with its unit; an index (上年同期=100) is printed bare, as reports do."""
    return "—" if pd.isna(value) else format_value(value, unit) + ("" if unit == "上年同期=100" else unit)


def _value_text(row: dict[str, Any]) -> str:
    if pd.isna(row["value"]) and pd.isna(row["growth"]):
        return "未报"
    return _with_unit(row["value"], row["unit"])


def pace_title(report: PaceReport, catalogue: Catalogue) -> str:
    """The heading of a pace table: region, set, report period and, for a past view, when it was known."""
    region = "、".join(catalogue.regions[r].name for r in report.regions)
    set_name = "全部指标" if report.set_code == "all" else catalogue.sets[report.set_code].name
    known = f"，按 {report.known_at.isoformat(timespec='minutes')} 时已知的数据" if report.known_at else ""
    return f"{region} {set_name}：截至 {report.report_month.label_zh()} 报告期的序时进度{known}"


def pace_table(report: PaceReport, catalogue: Catalogue) -> str:
    """The 通报 table: 指标, 期别, 累计值, 增速, 目标, 完成率/差距, 状态, 责任单位 (+ forecast columns)."""
    headers = ["指标", "期别", "累计值", "增速", "目标", "完成率/差距", "状态", "责任单位"]
    numeric = [False, False, True, True, False, True, False, False]
    if report.forecast:
        headers += ["全年预测", "达标概率"]
        numeric += [True, True]
    lines: list[str] = []
    many = len(report.regions) > 1
    for region in report.regions:
        part = report.rows[report.rows["region"] == region]
        body = []
        for row in part.to_dict("records"):
            indicator = catalogue.indicators[row["indicator"]]
            growth = format_growth(row["growth"]) + ("*" if row["growth_source"] == "computed" else "")
            cells = [
                row["name"],
                period_label(parse_period(row["period"]), indicator),
                _value_text(row),
                growth,
                target_text(row, catalogue),
                _progress_text(row),
                status_text(row["status"], row["status_reason"]),
                _departments(row["departments"], catalogue),
            ]
            if report.forecast:
                prices = "（上年价格）" if row["basis"] == "comparable" and pd.notna(row["forecast_value"]) else ""
                cells.append(_with_unit(row["forecast_value"], row["unit"]) + prices)
                cells.append("—" if pd.isna(row["prob_meet"]) else f"{100 * row['prob_meet']:.0f}%")
            body.append(cells)
        if many:
            lines.append(f"【{catalogue.regions[region].name}】")
        lines.append(text_table(headers, body, numeric))
    counts = report.rows["status"].value_counts()
    tally = "，".join(f"{STATUS_ZH[s]} {int(counts.get(s, 0))} 项" for s in ("red", "yellow", "green", "grey"))
    lines.append(f"合计：{tally}")
    lines.append(
        "完成率/差距：总量目标为完成全年目标的比例（括号内为与序时进度之差），增速目标为与目标增速之差；单位为百分点。"
    )
    if (report.rows["growth_source"] == "computed").any():
        lines.append("* 增速未报送，由本期与上年同期数值计算。")
    return "\n".join(lines)


CSV_HEADERS = {
    "indicator": "指标代码",
    "name": "指标",
    "category": "分类",
    "region": "地区",
    "period": "期别代码",
    "unit": "单位",
    "value": "累计值",
    "growth": "增速(%)",
    "growth_source": "增速来源",
    "target_kind": "目标类型",
    "target_value": "目标值",
    "target_tolerance": "容差(百分点)",
    "target_reference": "参照指标",
    "elapsed": "序时进度(%)",
    "completion": "完成率(%)",
    "gap_pp": "差距(百分点)",
    "status": "状态",
    "required_growth_rest": "其余月份所需增速(%)",
    "required_growth_estimated": "所需增速为估算",
    "remaining": "尚需完成",
    "seasonal_share": "季节性进度(%)",
    "seasonal_years": "季节性参照年数",
    "seasonal_gap_pp": "季节性差距(百分点)",
    "seasonal_projection": "季节性全年推算",
    "forecast_value": "全年预测",
    "forecast_low": "预测下限(80%)",
    "forecast_high": "预测上限(80%)",
    "forecast_growth": "预测全年增速(%)",
    "prob_meet": "达标概率(%)",
    "forecast_method": "预测方法",
    "departments": "责任单位",
}
_PERCENT = ("elapsed", "completion", "seasonal_share", "prob_meet")


def pace_csv_frame(report: PaceReport, catalogue: Catalogue) -> pd.DataFrame:
    """The export with Chinese headers as a department reads it in Excel (fractions shown in percent)."""
    rows = report.rows
    frame = pd.DataFrame(index=rows.index)
    for key, header in CSV_HEADERS.items():
        if key == "category":
            frame[header] = [_category_name(catalogue, report.set_code, c) for c in rows["category"]]
        elif key == "region":
            frame[header] = [catalogue.regions[r].name if r in catalogue.regions else r for r in rows["region"]]
        elif key == "period":
            frame["期别"] = [
                period_label(parse_period(p), catalogue.indicators[i])
                for p, i in zip(rows["period"], rows["indicator"], strict=True)
            ]
            frame[header] = rows["period"]
        elif key == "status":
            frame[header] = [status_text(s, r) for s, r in zip(rows["status"], rows["status_reason"], strict=True)]
        elif key == "departments":
            frame[header] = [_departments(d, catalogue) for d in rows["departments"]]
        elif key == "required_growth_estimated":
            frame[header] = np.where(rows[key], "是", "")
        elif key in _PERCENT:
            frame[header] = (rows[key] * 100).round(2)
        elif rows[key].dtype.kind == "f":
            frame[header] = rows[key].round(4)
        else:
            frame[header] = rows[key]
    return frame


def _category_name(catalogue: Catalogue, set_code: str, code: str | None) -> str:
    sets = [catalogue.sets[set_code]] if set_code in catalogue.sets else list(catalogue.sets.values())
    return next((c.name for s in sets for c in s.categories if c.code == code), code or "")
