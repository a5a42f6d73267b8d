"""What pace_frame assembles before the maths: indicator facts, targets, reference growth, forecasts.

One row of metadata per indicator (a loop over the catalogue, never over series), the targets of
every row by one merge, the growth of `growth_above` references by a loop over the few (indicator,
reference) pairs vectorised over regions, and the forecast columns by one merge. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, GrowthBasis, Indicator
from monitor.domain.pace.lookup import Figures, growth_from, period_text, seasonal_periods
from monitor.domain.pace.maths import scope_factor
from monitor.domain.periods import Period, evaluation_period, is_before_first, year_periods

__all__ = [
    "BASIS_COMPARABLE",
    "BASIS_CURRENT",
    "FORECAST_FIELDS",
    "SEASONAL_YEARS",
    "forecast_columns",
    "indicator_meta",
    "indicators_of",
    "needed_periods",
    "reference_growth",
    "targets_of",
]

BASIS_COMPARABLE = "comparable"
"""Growth at comparable prices (可比价): targets, 倒排 and forecasts of the indicator are real growth."""
BASIS_CURRENT = "current"

SEASONAL_YEARS = 3
"""Prior years the seasonal share is taken from (those of them with both figures)."""
FORECAST_FIELDS = (
    "forecast_value",
    "forecast_low",
    "forecast_high",
    "forecast_growth",
    "forecast_sd",
    "forecast_method",
)
"""The columns `forecast.forecast_frame` adds to the evaluation points (its FORECAST_COLUMNS)."""


def indicators_of(catalogue: Catalogue, codes: Sequence[str]) -> list[Indicator]:
    """The catalogue entries of the codes, in order; ValueError naming every unknown code."""
    unknown = [c for c in codes if c not in catalogue.indicators]
    if unknown:
        raise ValueError(f"未知的指标代码：{'、'.join(unknown)}（monitor catalog show 可列出全部指标）")
    return [catalogue.indicators[c] for c in codes]


def _category(catalogue: Catalogue, code: str, set_code: str | None) -> str | None:
    """The indicator's category code in the given set, or in the first set that lists it."""
    sets = [catalogue.sets[set_code]] if set_code and set_code in catalogue.sets else list(catalogue.sets.values())
    found = next((c for s in sets if (c := s.category_of(code)) is not None), None)
    return found.code if found else None


def indicator_meta(
    catalogue: Catalogue, report_month: Period, indicators: Sequence[Indicator], set_code: str | None
) -> pd.DataFrame:
    """One row per indicator: catalogue facts, its evaluation period and the periods pace looks up."""
    rows = []
    for ind in indicators:
        period = evaluation_period(report_month, ind.frequency, ind.lag_months)
        last_year = Period(period.year - 1, period.frequency, 1)
        seasonal = seasonal_periods(period, SEASONAL_YEARS)
        rows.append(
            {
                "indicator": ind.code,
                "name": ind.name,
                "category": _category(catalogue, ind.code, set_code),
                "period": str(period),
                "frequency": ind.frequency.value,
                "measure": ind.measure.value,
                "unit": ind.unit,
                "departments": list(ind.departments),
                "basis": BASIS_COMPARABLE if ind.growth_basis is GrowthBasis.CONSTANT else BASIS_CURRENT,
                "elapsed": period.elapsed,
                "before_first": is_before_first(period, ind.first_month),
                "year": period.year,
                "number": period.number,
                "per_year": period.periods_per_year,
                "period_ly": str(period.same_period_last_year()),
                "period_ly_end": period_text(last_year.year, last_year.frequency, last_year.periods_per_year),
                "seasonal": seasonal + [(None, None)] * (SEASONAL_YEARS - len(seasonal)),
                "_period": period,
            }
        )
    return pd.DataFrame(rows)


def targets_of(catalogue: Catalogue, rows: pd.DataFrame) -> pd.DataFrame:
    """Each row's target for its evaluation year and region (columns target_*; NaN/None without one)."""
    table = pd.DataFrame(
        [(t.indicator, t.region, t.year, t.kind.value, t.value, t.tolerance, t.reference) for t in catalogue.targets],
        columns=["indicator", "region", "year", "target_kind", "target_value", "target_tolerance", "target_reference"],
    ).astype(
        {"indicator": object, "region": object, "year": np.int64, "target_value": float, "target_tolerance": float}
    )
    keys = rows[["indicator", "region", "year"]].astype({"indicator": object, "region": object, "year": np.int64})
    found = keys.merge(table, on=["indicator", "region", "year"], how="left", sort=False)
    found.index = rows.index
    return found[["target_kind", "target_value", "target_tolerance", "target_reference"]]


def _reference_periods(reference: Indicator, period: Period) -> list[Period]:
    """The reference's periods of the same year ending no later than `period`, latest first."""
    own = [p for p in year_periods(period.year, reference.frequency) if p.end_date() <= period.end_date()]
    return own[::-1]


def reference_growth(
    rows: pd.DataFrame, meta: pd.DataFrame, figures: Figures, catalogue: Catalogue
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Growth of each row's reference indicator, the reference period it was taken at, and the
    reference's `scope_factor` there (1 where none).

    The latest period of the reference in the same year that ends no later than the row's period
    and has a growth (published, or computed from levels) is used; a loop over the few (indicator,
    reference) pairs and the reference's periods, each step vectorised over regions.
    """
    growth = np.full(len(rows), np.nan)
    taken = np.full(len(rows), None, dtype=object)
    factor = np.ones(len(rows))
    periods = dict(zip(meta["indicator"], meta["_period"], strict=True))
    asked = rows["target_reference"].notna().to_numpy()
    for (code, ref), group in rows[asked].groupby(["indicator", "target_reference"], sort=False):
        reference = catalogue.indicators[ref]
        at = group.index.to_numpy()
        ind = figures.indicator_codes([ref] * len(at))
        reg = figures.region_codes(group["region"])
        for candidate in _reference_periods(reference, periods[code]):
            todo = at[np.isnan(growth[at])]
            if len(todo) == 0:
                break
            pick = np.isin(at, todo)
            n = int(pick.sum())
            pos = figures.find(ind[pick], reg[pick], figures.period_codes([str(candidate)] * n))
            base = figures.find(
                ind[pick], reg[pick], figures.period_codes([str(candidate.same_period_last_year())] * n)
            )
            measure = np.full(n, reference.measure.value, dtype=object)
            value, yoy, base_value = figures.value(pos), figures.yoy(pos), figures.value(base)
            found, _ = growth_from(measure, value, yoy, base_value)
            hit = ~np.isnan(found)
            growth[todo[hit]] = found[hit]
            taken[todo[hit]] = str(candidate)
            factor[todo[hit]] = scope_factor(measure, value, yoy, base_value)[hit]
    return growth, taken, factor


def needed_periods(meta: pd.DataFrame, catalogue: Catalogue, references: set[str]) -> set[str]:
    needed = set(meta["period"]) | set(meta["period_ly"]) | set(meta["period_ly_end"])
    needed |= {p for pairs in meta["seasonal"] for pair in pairs for p in pair if p is not None}
    for period in meta["_period"]:
        for ref in references:
            for candidate in _reference_periods(catalogue.indicators[ref], period):
                needed |= {str(candidate), str(candidate.same_period_last_year())}
    return needed


def _merge_forecasts(keys: pd.DataFrame, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    found = keys.merge(
        table[["indicator", "region", "period", *columns]], on=["indicator", "region", "period"], how="left"
    )
    found.index = keys.index
    return found[columns]


def forecast_columns(rows: pd.DataFrame, forecasts: pd.DataFrame | None, ref_periods: pd.Series) -> pd.DataFrame:
    """The forecast columns of each row, and the forecast growth of its reference indicator."""
    names = list(FORECAST_FIELDS)
    out = pd.DataFrame({c: np.nan for c in names}, index=rows.index)
    out["forecast_method"] = None
    out["ref_forecast_growth"] = np.nan
    if forecasts is None or forecasts.empty:
        return out
    table = forecasts[["indicator", "region", "period", *names]].astype(
        {"indicator": object, "region": object, "period": object}
    )
    table = table.drop_duplicates(["indicator", "region", "period"], keep="last")
    keys = rows[["indicator", "region", "period"]].astype(object)
    found = _merge_forecasts(keys, table, names)
    out[names] = found[names]
    out["forecast_method"] = found["forecast_method"].astype(object).where(found["forecast_method"].notna(), None)
    has_ref = rows["target_reference"].notna()
    if has_ref.any():
        refs = pd.DataFrame(
            {
                "indicator": rows.loc[has_ref, "target_reference"].astype(object),
                "region": rows.loc[has_ref, "region"].astype(object),
                "period": ref_periods[has_ref].astype(object),
            },
            index=rows.index[has_ref],
        )
        out.loc[has_ref, "ref_forecast_growth"] = _merge_forecasts(refs, table, ["forecast_growth"])[
            "forecast_growth"
        ].astype(float)
    return out
