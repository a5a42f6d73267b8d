"""The briefing's tables: 慢进指标 (with the departments' 说明), 附表1 通报, 附表2 peer districts, 附表3 streets."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from monitor.domain.briefing.model import Table
from monitor.domain.briefing.phrases import amount, growth_phrase, is_missing, number, share
from monitor.domain.briefing.sentences import departments_text, period_words, target_words
from monitor.domain.catalogue import Catalogue
from monitor.domain.pace import STATUS_ZH
from monitor.domain.periods import parse_period

__all__ = [
    "HEADLINE_INDICATORS",
    "NOT_EXPLAINED",
    "annex_main",
    "annex_regions",
    "growth_ranks",
    "slow_table",
    "split_note",
]

HEADLINE_INDICATORS = ("gdp", "revenue", "fai", "retail_sales")
"""地区生产总值, 一般公共预算收入, 全社会固定资产投资, 社会消费品零售总额: 总体情况 and the comparison annexes."""

NOT_EXPLAINED = "未说明"
_MEASURE = re.compile(r"[；;。，,\s]*(?:整改措施|下步措施|下一步措施|措施)[:：]")
_REASON = re.compile(r"^\s*(?:原因|说明)[:：]\s*")


def split_note(note: str | None) -> tuple[str, str]:
    """A department's 说明 as (原因, 措施): "原因：…；措施：…" is split, a note without 措施 is all 原因."""
    if note is None or not str(note).strip():
        return NOT_EXPLAINED, NOT_EXPLAINED
    text = str(note).strip()
    parts = _MEASURE.split(text, maxsplit=1)
    reason = _REASON.sub("", parts[0]).strip(" ；;。") or NOT_EXPLAINED
    measure = parts[1].strip(" ；;。") if len(parts) > 1 and parts[1].strip(" ；;。") else NOT_EXPLAINED
    return reason, measure


def _signed(gap: float) -> str:
    return f"{float(gap):+.1f}"


def slow_table(pace: pd.DataFrame, catalogue: Catalogue, notes: Mapping[str, str]) -> Table:
    """指标 | 完成 | 序时 | 差距 | 责任单位 | 原因 | 措施 for every red indicator (growth targets: growth, target)."""
    rows = []
    for row in pace[pace["status"] == "red"].to_dict("records"):
        if is_missing(row["completion"]):
            done = growth_phrase(row["growth"]) if not is_missing(row["growth"]) else "—"
            due = target_words(row, catalogue)
        else:
            done, due = share(row["completion"]), share(row["elapsed"])
        reason, measure = split_note(notes.get(row["indicator"]))
        rows.append(
            (
                str(row["name"]),
                done,
                due,
                _signed(row["gap_pp"]),
                departments_text(row["departments"], catalogue),
                reason,
                measure,
            )
        )
    return Table(
        title="慢进指标情况表",
        headers=("指标", "完成", "序时", "差距（百分点）", "责任单位", "原因", "措施"),
        rows=tuple(rows),
        note="完成：总量目标为完成全年目标的比例，增速目标为本期增速；序时：序时进度或目标要求。原因、措施摘自责任单位对预警的说明。",
    )


def annex_main(pace: pd.DataFrame, catalogue: Catalogue, region_name: str) -> Table:
    """附表1 主要经济指标完成情况表: the 通报 columns for every indicator of the set."""
    rows = []
    for row in pace.to_dict("records"):
        ind = catalogue.indicators[row["indicator"]]
        has_value, has_growth = not is_missing(row["value"]), not is_missing(row["growth"])
        rows.append(
            (
                str(row["name"]),
                period_words(parse_period(row["period"]), ind),
                amount(row["value"], ind.unit) if has_value else ("—" if has_growth else "未报"),
                f"{float(row['growth']):.1f}" if has_growth else "—",
                target_words(row, catalogue) or "—",
                share(row["completion"]) if not is_missing(row["completion"]) else "—",
                share(row["elapsed"]) if not is_missing(row["completion"]) else "—",
                _signed(row["gap_pp"]) if not is_missing(row["gap_pp"]) else "—",
                STATUS_ZH.get(str(row["status"]), str(row["status"])),
                departments_text(row["departments"], catalogue),
            )
        )
    return Table(
        title=f"附表1 {region_name}主要经济指标完成情况表",
        headers=(
            "指标",
            "期别",
            "累计值",
            "增速（%）",
            "全年目标",
            "完成率",
            "序时进度",
            "差距（百分点）",
            "状态",
            "责任单位",
        ),
        rows=tuple(rows),
        note="差距：总量目标为完成率与序时进度之差，增速目标为与目标增速之差。",
    )


def growth_ranks(frame: pd.DataFrame, indicator: str, regions: Sequence[str]) -> dict[str, int]:
    """位次 of each region's growth of one indicator among `regions` (1 = fastest; ties share a rank)."""
    part = frame[(frame["indicator"] == indicator) & frame["region"].isin(list(regions))]
    part = part[part["growth"].notna()]
    ranks = part["growth"].round(1).rank(ascending=False, method="min")
    return {str(r): int(k) for r, k in zip(part["region"], ranks, strict=True)}


def annex_regions(
    frame: pd.DataFrame,
    catalogue: Catalogue,
    *,
    title: str,
    regions: Sequence[str],
    ranked: Sequence[str],
    reference: str | None = None,
) -> Table:
    """A comparison annex: one row per region, growth and 位次 of the headline indicators.

    `ranked` are the regions that take a 位次; `reference` (the district in the streets' table)
    heads the table as 参照 without one.
    """
    codes = [c for c in HEADLINE_INDICATORS if c in catalogue.indicators and (frame["indicator"] == c).any()]
    ranks = {c: growth_ranks(frame, c, ranked) for c in codes}
    headers = ["地区"]
    for c in codes:
        headers += [f"{catalogue.indicators[c].name}增速（%）", "位次"]
    rows = []
    for region in regions:
        name = catalogue.regions[region].name if region in catalogue.regions else region
        cells = [f"{name}（参照）" if region == reference else name]
        for c in codes:
            hit = frame[(frame["indicator"] == c) & (frame["region"] == region)]
            growth: Any = hit["growth"].iloc[0] if len(hit) else None
            cells.append("—" if is_missing(growth) else number(float(growth), "%"))
            rank = ranks[c].get(region)
            cells.append("—" if rank is None or region == reference else str(rank))
        rows.append(tuple(cells))
    return Table(title=title, headers=tuple(headers), rows=tuple(rows))
