"""One sentence per indicator, the template chosen by its target kind (DOMAIN.md §3).

    1-6月，全区一般公共预算收入39.50亿元，同比增长16.1%，增速比1-5月提高0.4个百分点，高于全年目标（增长5%以上）11.1个百分点。
    全区新增就业岗位19000个，同比下降23.5%，完成全年目标的38.0%，慢于序时进度12.0个百分点，列为慢进指标（责任单位：区人社局）。
    上半年，全区城镇居民人均可支配收入35962元，同比增长9.2%，低于地区生产总值增速1.5个百分点，列为慢进指标（…）。

Every number comes from the pace row (and the previous month's row for the change): nothing is
recomputed here but differences of two printed figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from monitor.domain.briefing.phrases import (
    amount,
    change_phrase,
    gap_change_phrase,
    growth_phrase,
    is_missing,
    pace_phrase,
    pp,
    share,
    versus_phrase,
)
from monitor.domain.catalogue import Catalogue, Indicator, Measure, TargetKind
from monitor.domain.pace.target_words import target_words
from monitor.domain.periods import Frequency, Period, parse_period

__all__ = ["departments_text", "indicator_sentence", "period_words", "target_clause", "target_words"]

_QUARTER = "一二三四"
Row = Mapping[str, Any]


def period_words(period: Period, indicator: Indicator) -> str:
    """The 期别 without its year, as a sentence opens: 1-6月, 上半年, 6月末, 第25周."""
    if indicator.measure is Measure.STOCK:
        if period.frequency is Frequency.MONTHLY:
            return f"{period.number}月末"
        if period.frequency is Frequency.QUARTERLY:
            return f"{_QUARTER[period.number - 1]}季度末"
    label = period.label_zh(indicator.first_month)
    return label.removeprefix(f"{period.year}年")


def departments_text(codes: Sequence[str], catalogue: Catalogue) -> str:
    """责任单位 names joined by 、 (the lead department first, as the catalogue lists them)."""
    return "、".join(catalogue.departments[c].name if c in catalogue.departments else c for c in codes)


def _num(x: float) -> str:
    return f"{x:g}"


def target_clause(row: Row, catalogue: Catalogue) -> str:
    kind, gap = row.get("target_kind"), row["gap_pp"]
    if is_missing(gap) or not kind:
        return ""
    if kind == TargetKind.LEVEL_MIN.value:
        return f"完成全年目标的{share(row['completion'])}，{pace_phrase(gap)}"
    if kind == TargetKind.LEVEL_MAX.value:
        return f"占全年控制目标的{share(row['completion'])}，{pace_phrase(gap, reverse=True)}"
    if kind == TargetKind.GROWTH_ABOVE.value:
        ref = str(row.get("target_reference") or "")
        name = catalogue.indicators[ref].name if ref in catalogue.indicators else ref
        return versus_phrase(gap, f"{name}增速")
    if kind == TargetKind.GROWTH_MAX.value:
        if gap >= 0:
            return f"完成全年目标（{target_words(row, catalogue)}）"
        return f"距全年目标（{target_words(row, catalogue)}）尚差{pp(gap)}个百分点"
    return versus_phrase(gap, f"全年目标（{target_words(row, catalogue)}）")


def _change_clause(row: Row, previous: Row | None, indicator: Indicator, subject: str = "增速") -> str:
    """提高/回落 (growth) or, for a level target behind time, 收窄/扩大 (gap), against the previous period."""
    if previous is None or previous.get("period") == row.get("period") or indicator.frequency is Frequency.WEEKLY:
        return ""
    before = period_words(parse_period(previous["period"]), indicator)
    level = row.get("target_kind") in (TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value)
    if level and not is_missing(row.get("gap_pp")) and not is_missing(previous.get("gap_pp")) and row["gap_pp"] < 0:
        return gap_change_phrase(row["gap_pp"], previous["gap_pp"], before)
    if not is_missing(row.get("growth")) and not is_missing(previous.get("growth")):
        return change_phrase(row["growth"], previous["growth"], before, subject=subject)
    return ""


def _status_clause(row: Row, catalogue: Catalogue) -> str:
    who = departments_text(row.get("departments") or (), catalogue)
    if row.get("status") == "red":
        return f"列为慢进指标（责任单位：{who}）"
    if row.get("status") == "yellow":
        return f"进度偏慢，需加快推进（责任单位：{who}）"
    return ""


def indicator_sentence(
    row: Row, catalogue: Catalogue, report_month: Period, *, region_word: str = "全区", previous: Row | None = None
) -> str:
    """The sentence on one indicator: figure, growth, change from last period, target clause, 慢进 mark.

    A period other than the report month's opens the sentence (上半年，… 6月末，…); a 错月
    indicator carries （1-5月数据） after its name; an indicator without a figure says 未报送.
    """
    ind = catalogue.indicators[str(row["indicator"])]
    period = parse_period(row["period"])
    words = period_words(period, ind)
    lagged = ind.lag_months > 0
    opener = "" if lagged or (words == period_words(report_month, ind) and ind.measure is not Measure.STOCK) else words
    name = ind.name + (f"（{words}数据）" if lagged else "")
    if is_missing(row.get("value")) and is_missing(row.get("growth")):
        who = departments_text(row.get("departments") or (), catalogue)
        return f"{opener + '，' if opener else ''}{name}本期未报送数据（责任单位：{who}）。"
    priced = ind.measure in (Measure.INDEX, Measure.PRICE)
    head = f"{region_word}{name}"
    if not is_missing(row.get("value")):
        head += f"为{amount(row['value'], ind.unit)}" if priced else amount(row["value"], ind.unit)
    clauses = [head]
    if not is_missing(row.get("growth")):
        growth = growth_phrase(row["growth"], rise="上涨" if priced else "增长")
        if not growth.startswith("与") and ind.measure is not Measure.INDEX:
            growth = "同比" + growth
        if is_missing(row.get("value")):
            clauses[0] += growth  # a rate: 规上工业增加值同比增长15.5%
        else:
            clauses.append(growth)
    change, target = _change_clause(row, previous, ind, "涨幅" if priced else "增速"), target_clause(row, catalogue)
    level = row.get("target_kind") in (TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value)
    clauses += [c for c in ((target, change) if level else (change, target)) if c]
    if status := _status_clause(row, catalogue):
        clauses.append(status)
    return f"{opener + '，' if opener else ''}{'，'.join(clauses)}。"
