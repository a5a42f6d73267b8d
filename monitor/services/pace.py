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
from monitor.domain.pace import (
    BULLETIN_COLUMNS,
    PACE_COLUMNS,
    REASON_ZH,
    SEASONAL_YEARS,
    STATUS_ZH,
    bulletin_columns,
    evaluation_points,
    pace_frame,
    ranking_group_regions,
)
from monitor.domain.pace.target_words import target_words
from monitor.domain.periods import (
    Frequency,
    Period,
    evaluation_period,
    report_month_for,
    report_month_with_data,
)
from monitor.errors import UsageError
from monitor.storage.observations import newest_figure_end, read_figures

__all__ = [
    "PaceReport",
    "current_report_month",
    "pace_document",
    "pace_records",
    "pace_report",
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
    rows = _with_bulletin(session, catalogue, rows, obs, indicators, regions, first_year, known_at)
    return PaceReport(report_month, tuple(regions), set_code, known_at, forecast, rows)


def _with_bulletin(
    session: Session,
    catalogue: Catalogue,
    rows: pd.DataFrame,
    obs: pd.DataFrame,
    indicators: Sequence[str],
    regions: Sequence[str],
    first_year: int,
    known_at: datetime | None,
) -> pd.DataFrame:
    """The pace rows with the 通报 columns; the regions ranked beside them (for 位次) are read for two years only."""
    others = [r for r in ranking_group_regions(catalogue, regions) if r not in set(regions)]
    if others and not rows.empty:
        last = int(rows["period"].astype(str).str[:4].astype(int).max())
        peers = read_figures(
            session,
            indicators=list(indicators),
            regions=others,
            years=list(range(first_year - 1, last + 1)),
            known_at=known_at,
        )
        obs = pd.concat([obs, peers], ignore_index=True)
    return pd.concat([rows, bulletin_columns(rows, obs, catalogue)], axis=1)


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
    """The rows as the JSON contract's ROW objects (never NaN or infinity), the 通报 fields after the contract's."""
    keys = [*PACE_COLUMNS, *(k for k in BULLETIN_COLUMNS if k in rows.columns)]
    return [{key: _clean(row[key]) for key in keys} for row in rows.to_dict("records")]


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


def pace_title(report: PaceReport, catalogue: Catalogue) -> str:
    """The heading of a pace table: region, set, report period and, for a past view, when it was known."""
    region = "、".join(catalogue.regions[r].name for r in report.regions)
    set_name = "全部指标" if report.set_code == "all" else catalogue.sets[report.set_code].name
    known = f"，按 {report.known_at.isoformat(timespec='minutes')} 时已知的数据" if report.known_at else ""
    return f"{region} {set_name}：截至 {report.report_month.label_zh()} 报告期的序时进度{known}"
