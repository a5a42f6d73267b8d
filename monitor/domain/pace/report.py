"""Pace versus goal (序时进度): where each indicator and region stands against its annual target.

`pace_frame` turns one frame of observations into one row per (indicator, region) for a report
month, with the fields of the `monitor pace` JSON contract (PACE_COLUMNS): the figure of the
evaluation period, its growth (published, else computed from levels), completion and gap against
the target in 百分点, the 红黄绿灯 status or why it is grey, the growth the rest of the year needs,
the seasonal expected share and projection, and, when forecasts are given, the year-end forecast
with the probability of meeting the target. All of it is computed column-wise over the whole
frame (`lookup` finds the numbers, `maths` applies DOMAIN.md §3), never series by series.

Report month semantics: for report month M, a monthly indicator is evaluated at M, a 错月 one at
M minus its lag, a quarterly one at the last quarter ending by M, a weekly one at the last week
ending by M (`periods.evaluation_period`). Pure: no database, files or clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, TargetKind
from monitor.domain.pace.inputs import (
    BASIS_COMPARABLE,
    FORECAST_FIELDS,
    SEASONAL_YEARS,
    forecast_columns,
    indicator_meta,
    indicators_of,
    needed_periods,
    reference_growth,
    targets_of,
)
from monitor.domain.pace.lookup import Figures, growth_from, seasonal_share, share_from
from monitor.domain.pace.maths import (
    GREY_REASONS,
    gap_and_status,
    on_published_basis,
    prob_meet,
    required_growth,
    scope_factor,
    seasonal_figures,
)
from monitor.domain.periods import Period, evaluation_period

__all__ = [
    "FORECAST_FIELDS",
    "GREY_REASONS",
    "PACE_COLUMNS",
    "REASON_ZH",
    "SEASONAL_YEARS",
    "STATUSES",
    "STATUS_ZH",
    "evaluation_points",
    "pace_frame",
    "seasonal_share",
]

PACE_COLUMNS = (
    "indicator",
    "name",
    "category",
    "region",
    "period",
    "frequency",
    "measure",
    "unit",
    "departments",
    "value",
    "growth",
    "growth_source",
    "basis",
    "target_kind",
    "target_value",
    "target_tolerance",
    "target_reference",
    "elapsed",
    "completion",
    "gap_pp",
    "status",
    "status_reason",
    "required_growth_rest",
    "required_growth_estimated",
    "remaining",
    "seasonal_share",
    "seasonal_years",
    "seasonal_gap_pp",
    "seasonal_projection",
    "forecast_value",
    "forecast_low",
    "forecast_high",
    "forecast_growth",
    "prob_meet",
    "forecast_method",
)
"""The fields of one pace row, in the order of the `monitor pace --format json` contract."""

STATUSES = ("green", "yellow", "red", "grey")
NULLABLE_TEXT = ("category", "growth_source", "target_kind", "target_reference", "status_reason", "forecast_method")


STATUS_ZH = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "灰灯"}  # the 红黄绿灯 of every view
REASON_ZH = {
    "no_target": "无目标",
    "no_data": "无数据",
    "no_reference": "无参照数据",
    "no_growth": "无增速",
    "before_first_period": "未到首报期",
}


def evaluation_points(
    catalogue: Catalogue, report_month: Period, indicators: Sequence[str], regions: Sequence[str]
) -> pd.DataFrame:
    """The period each (indicator, region) series is evaluated at for a report month.

    Columns indicator, region, period (canonical text), one row per pair in the given order: what
    pace shows and what the forecaster must project from.
    """
    periods = {
        ind.code: str(evaluation_period(report_month, ind.frequency, ind.lag_months))
        for ind in indicators_of(catalogue, indicators)
    }
    codes = list(periods)
    points = pd.DataFrame(
        {
            "indicator": np.repeat(np.array(codes, dtype=object), len(regions)),
            "region": np.tile(np.array(list(regions), dtype=object), len(codes)),
            "period": np.repeat(np.array([periods[c] for c in codes], dtype=object), len(regions)),
        }
    )
    return points[reported(catalogue, points)].reset_index(drop=True)


def reported(catalogue: Catalogue, pairs: pd.DataFrame) -> np.ndarray:
    """Which (indicator, region) rows are series at all: the region's level reports the indicator
    (街道 GDP is no official statistic, so a street has no GDP row to be grey in)."""
    kinds = {code: r.kind for code, r in catalogue.regions.items()}
    levels = {code: ind.regions for code, ind in catalogue.indicators.items()}
    return np.array(
        [kinds.get(r) in levels.get(i, ()) for i, r in zip(pairs["indicator"], pairs["region"], strict=True)],
        dtype=bool,
    )


def pace_frame(
    obs: pd.DataFrame,
    catalogue: Catalogue,
    report_month: Period,
    *,
    indicators: Sequence[str],
    regions: Sequence[str],
    forecasts: pd.DataFrame | None = None,
    set_code: str | None = None,
) -> pd.DataFrame:
    """Pace rows (PACE_COLUMNS) for every indicator × region that reports it, in the given order.

    `obs` has indicator, region, period (canonical text), value and yoy, covering the evaluation
    year and the prior years the bases and seasonal shares come from (three are used), plus the
    growth_above reference indicators. `forecasts` is what `forecast.forecast_frame` returns for
    the evaluation points (and the references'); without it the forecast fields are null.
    `set_code` picks the category each row is shown under. Unavailable numbers are NaN.
    The stages: rows and targets -> observed figures -> against the target -> forecast -> columns.
    """
    meta = indicator_meta(catalogue, report_month, indicators_of(catalogue, indicators), set_code)
    if meta.empty or not regions:
        return pd.DataFrame(columns=list(PACE_COLUMNS))
    rows = _rows_with_targets(catalogue, meta, regions)
    observed = _observed(obs, catalogue, meta, rows, regions)
    judged = _against_target(catalogue, rows, observed)
    forecast = _forecast(catalogue, report_month, rows, observed, forecasts)
    out = _columns(rows, observed, judged, forecast)
    return out[reported(catalogue, out)].reset_index(drop=True)


@dataclass(frozen=True)
class _Observed:
    """The figures each pace row is computed from, one array entry per row."""

    value: np.ndarray
    yoy: np.ndarray
    base_same_period: np.ndarray
    base_year: np.ndarray
    seasonal: np.ndarray
    seasonal_years: np.ndarray
    growth: np.ndarray
    source: np.ndarray
    ref_growth: np.ndarray
    ref_scope: np.ndarray
    scope: np.ndarray


def _rows_with_targets(catalogue: Catalogue, meta: pd.DataFrame, regions: Sequence[str]) -> pd.DataFrame:
    """One row per indicator × region, with the indicator's metadata and the region's target."""
    rows = meta.loc[meta.index.repeat(len(regions))].reset_index(drop=True)
    rows["region"] = np.tile(np.array(list(regions), dtype=object), len(meta))
    return pd.concat([rows, targets_of(catalogue, rows)], axis=1)


def _observed(
    obs: pd.DataFrame, catalogue: Catalogue, meta: pd.DataFrame, rows: pd.DataFrame, regions: Sequence[str]
) -> _Observed:
    """The evaluation period's figure and growth, last year's bases, seasonal shares and the reference growth."""
    n_reg = len(regions)
    references = {r for r in rows["target_reference"].dropna() if r in catalogue.indicators}
    figures = Figures(
        obs, [*meta["indicator"], *sorted(references)], regions, needed_periods(meta, catalogue, references)
    )
    ind = np.repeat(figures.indicator_codes(meta["indicator"]), n_reg)
    reg = np.tile(figures.region_codes(regions), len(meta))

    def value_at(column: pd.Series) -> np.ndarray:
        """Each row's value at the per-indicator period texts in `column`."""
        return figures.value(figures.find(ind, reg, np.repeat(figures.period_codes(column), n_reg)))

    current = figures.find(ind, reg, np.repeat(figures.period_codes(meta["period"]), n_reg))
    value, yoy = figures.value(current), figures.yoy(current)
    base_same_period = value_at(meta["period_ly"])
    num = np.column_stack([value_at(meta["seasonal"].map(lambda s, j=j: s[j][0])) for j in range(SEASONAL_YEARS)])
    den = np.column_stack([value_at(meta["seasonal"].map(lambda s, j=j: s[j][1])) for j in range(SEASONAL_YEARS)])
    seasonal, seasonal_years = share_from(num, den)
    measure = rows["measure"].to_numpy(dtype=object)
    growth, source = growth_from(measure, value, yoy, base_same_period)
    ref_growth, _, ref_scope = reference_growth(rows, meta, figures, catalogue)
    return _Observed(
        value,
        yoy,
        base_same_period,
        value_at(meta["period_ly_end"]),
        seasonal,
        seasonal_years,
        growth,
        source,
        ref_growth,
        ref_scope,
        scope_factor(measure, value, yoy, base_same_period),
    )


def _against_target(catalogue: Catalogue, rows: pd.DataFrame, o: _Observed) -> dict[str, np.ndarray]:
    """Completion, gap and 红黄绿灯; the growth the rest of the year needs (倒排); the seasonal path."""
    kind = rows["target_kind"].fillna("").to_numpy(dtype=object)
    measure = rows["measure"].to_numpy(dtype=object)
    x = rows["target_value"].to_numpy(dtype=float)
    completion, gap, status, reason = gap_and_status(
        kind,
        value=o.value,
        growth=o.growth,
        elapsed=rows["elapsed"].to_numpy(dtype=float),
        target_value=x,
        tolerance=rows["target_tolerance"].to_numpy(dtype=float),
        ref_growth=o.ref_growth,
        has_figure=~(np.isnan(o.value) & np.isnan(o.yoy)),
        before_first=rows["before_first"].to_numpy(dtype=bool),
        thresholds=catalogue.status,
    )
    required, estimated, remaining = required_growth(
        kind,
        measure,
        value=o.value,
        growth=o.growth,
        base_same_period=o.base_same_period,
        base_year=o.base_year,
        number=rows["number"].to_numpy(),
        per_year=rows["per_year"].to_numpy(),
        target_value=x,
        ref_growth=o.ref_growth,
        comparable=(rows["basis"] == BASIS_COMPARABLE).to_numpy(dtype=bool),
    )
    share, projection, seasonal_gap = seasonal_figures(kind, measure, value=o.value, share=o.seasonal, target_value=x)
    return {
        "completion": completion,
        "gap_pp": gap,
        "status": status,
        "status_reason": reason,
        "required_growth_rest": required,
        "required_growth_estimated": estimated.astype(bool),
        "remaining": remaining,
        "seasonal_share": share,
        "seasonal_years": np.where(np.isnan(share), 0, o.seasonal_years).astype(np.int64),
        "seasonal_gap_pp": seasonal_gap,
        "seasonal_projection": projection,
    }


def _forecast(
    catalogue: Catalogue, report_month: Period, rows: pd.DataFrame, o: _Observed, forecasts: pd.DataFrame | None
) -> dict[str, np.ndarray]:
    """The year-end forecast on the published basis and the probability of meeting the target.

    For a comparable-price indicator (GDP) the target is real growth on last year's total, so the
    forecast's value and interval are put in last year's prices (× scope_factor) as its growth is:
    value, fan, target level B·(1 + g/100) and prob_meet then agree.
    """
    ref_periods = rows["target_reference"].map(
        {
            code: str(evaluation_period(report_month, ind.frequency, ind.lag_months))
            for code, ind in catalogue.indicators.items()
        }
    )
    fc = forecast_columns(rows, forecasts, ref_periods)
    forecast_growth = on_published_basis(fc["forecast_growth"].to_numpy(dtype=float), o.scope)
    prob = (
        np.full(len(rows), np.nan)
        if forecasts is None
        else prob_meet(
            rows["target_kind"].fillna("").to_numpy(dtype=object),
            rows["measure"].to_numpy(dtype=object),
            forecast_value=fc["forecast_value"].to_numpy(dtype=float),
            forecast_sd=fc["forecast_sd"].to_numpy(dtype=float),
            forecast_growth=forecast_growth,
            base_year=o.base_year / o.scope,
            target_value=rows["target_value"].to_numpy(dtype=float),
            tolerance=rows["target_tolerance"].to_numpy(dtype=float),
            ref_forecast_growth=on_published_basis(fc["ref_forecast_growth"].to_numpy(dtype=float), o.ref_scope),
            ref_growth=o.ref_growth,
        )
    )
    # comparable-price indicators: levels restated in last year's prices, where the target lies
    level_target = rows["target_kind"].isin([TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value])
    real = ((rows["basis"] == BASIS_COMPARABLE) & ~level_target).to_numpy(dtype=bool)
    prices = np.where(real, o.scope, 1.0)
    return {
        "forecast_value": fc["forecast_value"].to_numpy(dtype=float) * prices,
        "forecast_low": fc["forecast_low"].to_numpy(dtype=float) * prices,
        "forecast_high": fc["forecast_high"].to_numpy(dtype=float) * prices,
        "forecast_growth": forecast_growth,
        "prob_meet": prob,
        "forecast_method": fc["forecast_method"].to_numpy(dtype=object),
    }


def _columns(
    rows: pd.DataFrame, o: _Observed, judged: dict[str, np.ndarray], forecast: dict[str, np.ndarray]
) -> pd.DataFrame:
    """The PACE_COLUMNS frame, with None (not NaN) in the nullable text columns."""
    out = rows[
        ["indicator", "name", "category", "region", "period", "frequency", "measure", "unit", "departments", "basis"]
    ]
    out = out.assign(
        value=o.value,
        growth=o.growth,
        growth_source=o.source,
        target_kind=rows["target_kind"].astype(object).where(rows["target_kind"].notna(), None),
        target_value=rows["target_value"].to_numpy(dtype=float),
        target_tolerance=rows["target_tolerance"].to_numpy(dtype=float),
        target_reference=rows["target_reference"].astype(object).where(rows["target_reference"].notna(), None),
        elapsed=rows["elapsed"].to_numpy(dtype=float),
        **judged,
        **forecast,
    )
    out = out[list(PACE_COLUMNS)].reset_index(drop=True)
    for column in NULLABLE_TEXT:  # object columns holding None, whatever pandas would infer
        out[column] = pd.Series(out[column].to_numpy(dtype=object), dtype=object).where(out[column].notna(), None)
    return out
