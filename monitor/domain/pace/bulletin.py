"""The 通报 row: the columns of a 主要经济指标完成情况表 that the pace row lacks.

A district's 通报 prints, beside the cumulative figure and its growth, how growth moved since the
previous period (比上期提高/回落 X 个百分点), the two-year average growth that every 2021 release
gave against the 2020 base (√((1+g₂₀₂₁)(1+g₂₀₂₀)) − 1), how much of the annual target is done
(for a growth target on a figure with levels the target as a level, 上年×(1+g)), how far that is
ahead of or behind time progress (快/慢于序时, 百分点), and the region's 位次 among its peers
(`ranking`). `bulletin_columns` derives them for pace rows in one pass over the frame. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, RegionKind, TargetKind
from monitor.domain.pace.lookup import Figures, growth_from
from monitor.domain.periods import Frequency, Period, is_before_first, parse_period
from monitor.domain.ranking import RankingScope, growth_ranks, ranking_regions

__all__ = [
    "BULLETIN_COLUMNS",
    "bulletin_columns",
    "bulletin_periods",
    "previous_period",
    "ranking_group_regions",
    "ranking_scope",
    "rest_of_year",
    "two_year_average",
]

BULLETIN_COLUMNS = (
    "previous_period",
    "growth_previous",
    "growth_change_pp",
    "growth_last_year",
    "growth_two_year",
    "target_level",
    "target_base",
    "completion_annual",
    "elapsed_gap_pp",
    "rank",
    "rank_count",
    "rank_scope",
    "rest_of_year",
)
"""The fields a 通报 row adds to a pace row (the JSON carries them after PACE_COLUMNS)."""

_LEVEL_BASED = (TargetKind.GROWTH_MIN.value, TargetKind.GROWTH_ABOUT.value)
"""Growth targets that a 通报 also states as a level (上年×(1+g)): "at least" and "about" g%."""
_LEVEL_KINDS = (TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value)


def previous_period(period: Period, first_month: int = 1) -> Period | None:
    """The previous cumulative period of the same year (1-5月 for 1-6月), None at the year's first figure."""
    if period.frequency is Frequency.ANNUAL or period.number <= 1:
        return None
    before = Period(period.year, period.frequency, period.number - 1)
    return None if is_before_first(before, first_month) else before


def rest_of_year(period: Period) -> str | None:
    """What the rest of the year is called in a 通报 (倒排): 下半年, 四季度, 其余季度, 其余月份; None at year end."""
    k, per_year = period.number, period.periods_per_year
    if period.frequency is Frequency.ANNUAL or k >= per_year:
        return None
    if period.frequency is Frequency.QUARTERLY:
        return {1: "其余季度", 2: "下半年", 3: "四季度"}[k]
    if period.frequency is Frequency.MONTHLY:
        return {6: "下半年", 9: "四季度", 11: "12月"}.get(k, "其余月份")
    return "其余周"


def two_year_average(growth: np.ndarray, growth_last_year: np.ndarray) -> np.ndarray:
    """Two-year average growth in %: 100·(√((1 + g/100)(1 + g₋₁/100)) − 1); NaN without both years."""
    product = (1.0 + np.asarray(growth, dtype=float) / 100.0) * (
        1.0 + np.asarray(growth_last_year, dtype=float) / 100.0
    )
    with np.errstate(invalid="ignore"):
        return np.where(product > 0, 100.0 * (np.sqrt(np.where(product > 0, product, 1.0)) - 1.0), np.nan)


def ranking_scope(catalogue: Catalogue, region: str) -> RankingScope | None:
    """Among whom a region gets its 位次: a street among the streets, the district or a peer among the peers."""
    place = catalogue.regions.get(region)
    if place is None:
        return None
    return RankingScope.STREETS if place.kind is RegionKind.STREET else RankingScope.PEERS


_TEXTS = ("previous", "previous_ly", "ly", "ly2", "ly_end", "rest")


def _texts_of(period: Period, first_month: int) -> tuple[str | None, ...]:
    prev = previous_period(period, first_month)
    ly = period.same_period_last_year()
    weekly = period.frequency is Frequency.WEEKLY
    return (
        None if prev is None else str(prev),
        None if prev is None else str(prev.same_period_last_year()),
        str(ly),
        str(ly.same_period_last_year()),
        None if weekly else str(Period(period.year - 1, period.frequency, period.periods_per_year)),
        rest_of_year(period),
    )


def _period_texts(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Per row: the previous period, the same period last year and two years ago, last year's end and
    the name of the rest of the year (worked out once per indicator and period, then spread)."""
    keys = pd.MultiIndex.from_arrays([rows["indicator"].to_numpy(dtype=object), rows["period"].to_numpy(dtype=object)])
    uniques = keys.unique()
    table = np.array(
        [_texts_of(parse_period(p), catalogue.indicators[c].first_month) for c, p in uniques], dtype=object
    ).reshape(len(uniques), len(_TEXTS))
    spread = table[uniques.get_indexer(keys)]
    return pd.DataFrame({name: spread[:, j] for j, name in enumerate(_TEXTS)}, index=rows.index)


def bulletin_periods(rows: pd.DataFrame, catalogue: Catalogue) -> set[str]:
    """Every period text `bulletin_columns` looks up for these pace rows (for reading the figures)."""
    firsts = rows[~rows[["indicator", "period"]].duplicated()]
    texts = _period_texts(firsts, catalogue)
    return {t for column in ("previous", "previous_ly", "ly", "ly2", "ly_end") for t in texts[column] if t}


def _period_codes(figures: Figures, texts: object) -> np.ndarray:
    """Figures.period_codes for a whole column at once (None and unknown periods: −1)."""
    known = pd.Index(list(figures.periods), dtype=object)
    return np.asarray(known.get_indexer(pd.Index(np.asarray(texts, dtype=object))), dtype=np.int64)


def _growth_at(figures: Figures, rows: pd.DataFrame, at: object, base: object) -> np.ndarray:
    """Each row's growth (published, else from levels) at the period texts `at` against `base`."""
    ind = figures.indicator_codes(rows["indicator"].to_numpy(dtype=object))
    reg = figures.region_codes(rows["region"].to_numpy(dtype=object))
    pos = figures.find(ind, reg, _period_codes(figures, at))
    base_value = figures.value(figures.find(ind, reg, _period_codes(figures, base)))
    growth, _ = growth_from(rows["measure"].to_numpy(dtype=object), figures.value(pos), figures.yoy(pos), base_value)
    return growth


def _target_level(rows: pd.DataFrame, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(annual target as a level, the base it is taken on) per row; NaN where a 通报 states none.

    Level targets are their own level; a growth target (增长g%以上/左右) on a cumulative figure at
    current prices is 上年×(1+g/100). A real growth target (可比价) has no level at current prices.
    """
    kind = rows["target_kind"].fillna("").to_numpy(dtype=object)
    x = rows["target_value"].to_numpy(dtype=float)
    cumulative = (rows["measure"] == "cumulative").to_numpy(dtype=bool)
    current = (rows["basis"] != "comparable").to_numpy(dtype=bool)
    on_base = np.isin(kind, _LEVEL_BASED) & cumulative & current & (base > 0)
    level = np.where(np.isin(kind, _LEVEL_KINDS), x, np.where(on_base, base * (1.0 + x / 100.0), np.nan))
    return level, np.where(on_base, base, np.nan)


def _scope_group(metas: pd.DataFrame, ly: np.ndarray, ranked: Sequence[str], figures: Figures) -> pd.DataFrame:
    """Every indicator's growth for the ranked regions at the indicator's period, as the pace rows have it."""
    n = len(ranked)
    group = pd.DataFrame(
        {
            "indicator": np.repeat(metas.index.to_numpy(dtype=object), n),
            "region": np.tile(np.array(list(ranked), dtype=object), len(metas)),
            "measure": np.repeat(metas["measure"].to_numpy(dtype=object), n),
            "period": np.repeat(metas["period"].to_numpy(dtype=object), n),
            "unit": np.repeat(metas["unit"].to_numpy(dtype=object), n),
        }
    )
    group["growth"] = _growth_at(figures, group, group["period"], np.repeat(ly, n))
    group["value"] = np.nan
    return group


def _ranks(rows: pd.DataFrame, figures: Figures, catalogue: Catalogue, texts: pd.DataFrame) -> pd.DataFrame:
    """位次 of each row's region in its ranking group (`ranking.growth_ranks` over every indicator at once)."""
    out = pd.DataFrame({"rank": np.nan, "rank_count": np.nan, "rank_scope": None}, index=rows.index)
    firsts = ~rows["indicator"].duplicated()
    metas = rows.loc[firsts, ["indicator", "measure", "period", "unit"]].set_index("indicator")
    ly = texts.loc[firsts, "ly"].to_numpy(dtype=object)
    scopes = pd.Series([ranking_scope(catalogue, r) for r in rows["region"]], index=rows.index, dtype=object)
    for scope in dict.fromkeys(s for s in scopes if s is not None):
        ranked, _ = ranking_regions(catalogue, scope)
        mine = rows.index[(scopes == scope).to_numpy() & rows["region"].isin(ranked).to_numpy()]
        if len(mine) == 0 or len(ranked) < 2:
            continue
        group = _scope_group(metas, ly, ranked, figures)
        rank, count = growth_ranks(group["growth"], group["indicator"])
        keys = pd.MultiIndex.from_arrays([group["indicator"], group["region"]])
        found = pd.DataFrame({"rank": rank.to_numpy(), "count": count.to_numpy()}, index=keys).reindex(
            pd.MultiIndex.from_arrays([rows.loc[mine, "indicator"], rows.loc[mine, "region"]])
        )
        ok = (found["count"] >= 2).to_numpy() & found["rank"].notna().to_numpy()
        out.loc[mine[ok], "rank"] = found["rank"].to_numpy()[ok]
        out.loc[mine[ok], "rank_count"] = found["count"].to_numpy()[ok]
        out.loc[mine[ok], "rank_scope"] = scope.value
    return out


def bulletin_columns(rows: pd.DataFrame, obs: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The BULLETIN_COLUMNS of pace rows (indicator, region, period, measure, unit, basis, value, growth,
    target_kind, target_value, elapsed), indexed like them.

    `obs` (indicator, region, period, value, yoy) must hold the periods of `bulletin_periods` for
    the rows' regions and, for 位次, for the regions they are ranked among; a region ranked with
    fewer than two growths gets no 位次. Unavailable numbers are NaN.
    """
    if rows.empty:
        return pd.DataFrame(columns=list(BULLETIN_COLUMNS), index=rows.index)
    texts = _period_texts(rows, catalogue)
    periods = bulletin_periods(rows, catalogue) | set(rows["period"])
    obs = obs[obs["period"].isin(list(periods))]  # a few periods of a year or three: index only those
    regions = list(dict.fromkeys([*rows["region"].unique(), *obs["region"].unique()]))
    figures = Figures(obs, list(dict.fromkeys(rows["indicator"])), regions, periods)
    growth = rows["growth"].to_numpy(dtype=float)
    previous = _growth_at(figures, rows, texts["previous"], texts["previous_ly"])
    last_year = _growth_at(figures, rows, texts["ly"], texts["ly2"])
    ind = figures.indicator_codes(rows["indicator"].to_numpy(dtype=object))
    reg = figures.region_codes(rows["region"].to_numpy(dtype=object))
    base = figures.value(figures.find(ind, reg, _period_codes(figures, texts["ly_end"])))
    level, on_base = _target_level(rows, base)
    value = rows["value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        completion = np.where(level > 0, value / level, np.nan)
    cumulative = (rows["measure"] == "cumulative").to_numpy(dtype=bool)
    elapsed_gap = np.where(cumulative, 100.0 * (completion - rows["elapsed"].to_numpy(dtype=float)), np.nan)
    ranks = _ranks(rows, figures, catalogue, texts)
    out = pd.DataFrame(
        {
            "previous_period": texts["previous"].to_numpy(dtype=object),
            "growth_previous": previous,
            "growth_change_pp": growth - previous,
            "growth_last_year": last_year,
            "growth_two_year": two_year_average(growth, last_year),
            "target_level": level,
            "target_base": on_base,
            "completion_annual": completion,
            "elapsed_gap_pp": elapsed_gap,
            "rank": pd.array(ranks["rank"].to_numpy(dtype=float), dtype="Int64"),
            "rank_count": pd.array(ranks["rank_count"].to_numpy(dtype=float), dtype="Int64"),
            "rank_scope": ranks["rank_scope"].to_numpy(dtype=object),
            "rest_of_year": texts["rest"].to_numpy(dtype=object),
        },
        index=rows.index,
    )
    return out[list(BULLETIN_COLUMNS)]


def ranking_group_regions(catalogue: Catalogue, regions: Sequence[str]) -> list[str]:
    """Every region whose figures the 位次 of these regions need (their ranking groups), in catalogue order."""
    wanted: set[str] = set()
    for region in regions:
        scope = ranking_scope(catalogue, region)
        if scope is not None:
            ranked, _ = ranking_regions(catalogue, scope)
            if region in ranked:
                wanted.update(ranked)
    return [r for r in catalogue.regions if r in wanted]
