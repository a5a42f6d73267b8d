"""排名: regions ranked by the growth of one indicator, each against the right reference. Pure.

A district is never ranked among its own streets: the streets are ranked among themselves and
the district's own growth is the reference line they are read against (a street is 快于/慢于全区).
Peer districts are ranked among the peers with the district among them, so the district gets its
位次; the reference there is the city's growth when the catalogue carries the city, else none.
The growth is the published one (同口径) wherever it exists, as in the pace table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from monitor.domain.catalogue import Catalogue, RegionKind

__all__ = ["Ranking", "RankingScope", "growth_ranks", "rank_regions", "ranking_regions", "unranked_reason"]


class RankingScope(StrEnum):
    STREETS = "streets"
    PEERS = "peers"


@dataclass(frozen=True)
class Ranking:
    """The ranked regions (rank 1 = fastest growth, ties share a rank) and the reference they are read against."""

    indicator: str
    scope: RankingScope
    table: pd.DataFrame  # region, region_name, value, growth, period, unit, rank, vs_reference
    reference_region: str | None
    reference_growth: float | None
    unranked: str = ""
    """Why nothing is ranked although regions were asked for: the scope's level does not report the indicator."""

    @property
    def district_rank(self) -> int | None:
        """The district's 位次 among the peers (None when ranking streets or when it has no growth)."""
        mine = self.table[self.table["is_district"]]
        return None if mine.empty else int(mine["rank"].iloc[0])


def ranking_regions(catalogue: Catalogue, scope: RankingScope) -> tuple[list[str], str]:
    """(ranked regions, reference region): the district's streets and the district itself, or the district
    among its peers and the district as the one whose 位次 is told."""
    district = catalogue.meta.default_region
    if scope is RankingScope.STREETS:
        streets = [r.code for r in catalogue.regions.values() if r.kind is RegionKind.STREET and r.parent == district]
        return streets, district
    peers = [r.code for r in catalogue.regions.values() if r.kind is RegionKind.PEER]
    return [district, *peers], district


def growth_ranks(growth: pd.Series, by: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(rank, how many were ranked) of each growth within its group `by` (an indicator code): rank 1 is
    the fastest growth, ties share a rank; NaN where there is no growth. The one ranking rule."""
    known = growth.notna()
    rank = growth[known].groupby(by[known]).rank(ascending=False, method="min")
    count = known.groupby(by).transform("sum")
    return rank.reindex(growth.index), count.where(known)


_LEVEL = {RankingScope.STREETS: RegionKind.STREET, RankingScope.PEERS: RegionKind.PEER}


def unranked_reason(catalogue: Catalogue, indicator: str, scope: RankingScope) -> str:
    """Why `indicator` has no ranking in `scope` ("" when it has one): its `regions` leave that level out.
    街道 GDP in particular is no official statistic under 统一核算, so there is no street GDP ranking."""
    ind = catalogue.indicators[indicator]
    if ind.reported_by(_LEVEL[scope]):
        return ""
    if scope is RankingScope.PEERS:
        return f"{ind.name}没有对标地区的数据（目录中该指标不含 peer 层级），不做对标排名"
    why = "统一核算下街道 GDP 不是官方统计，" if indicator == "gdp" else ""
    return f"{ind.name}不按街道统计（{why}目录中该指标不含 street 层级），不做街道排名"


def rank_regions(
    rows: pd.DataFrame,
    catalogue: Catalogue,
    indicator: str,
    scope: RankingScope,
    ranked: Sequence[str],
    reference: str | None,
) -> Ranking:
    """Rank `ranked` by growth of `indicator` in pace rows (indicator, region, value, growth, period, unit).

    For streets `reference` is the district (not ranked); for peers it is the district (ranked among
    them), and the reference growth is the city's, which this catalogue does not carry (None).
    """
    unranked = unranked_reason(catalogue, indicator, scope)
    if unranked:  # no street (or peer) series of this indicator counts, whatever figures were stored
        ranked = []
    part = rows[(rows["indicator"] == indicator) & rows["region"].isin(list(ranked))]
    part = part[["region", "value", "growth", "period", "unit"]].dropna(subset=["growth"]).copy()
    part["region_name"] = [catalogue.regions[r].name for r in part["region"]]
    part = part.sort_values(["growth", "region"], ascending=[False, True], kind="stable").reset_index(drop=True)
    part["rank"] = growth_ranks(part["growth"], pd.Series(indicator, index=part.index))[0].astype(int)
    part["is_district"] = part["region"] == catalogue.meta.default_region
    ref_growth: float | None = None
    if scope is RankingScope.STREETS and reference is not None:
        own = rows[(rows["indicator"] == indicator) & (rows["region"] == reference)]["growth"].dropna()
        ref_growth = float(own.iloc[0]) if len(own) else None
    part["vs_reference"] = part["growth"] - ref_growth if ref_growth is not None else float("nan")
    ref_region = reference if scope is RankingScope.STREETS else None
    return Ranking(indicator, scope, part, ref_region, ref_growth, unranked)
