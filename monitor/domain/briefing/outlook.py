"""五、下阶段预判: what the rest of the year needs (倒排) and where the forecast points, in words, not odds."""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitor.domain.briefing.model import Paragraph, Section
from monitor.domain.briefing.phrases import amount, growth_phrase, is_missing
from monitor.domain.briefing.sentences import target_words
from monitor.domain.catalogue import Catalogue, TargetKind
from monitor.domain.periods import Period, parse_period

__all__ = ["likelihood_words", "outlook_section", "rest_of_year"]

_LEVELS = (TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value)


def likelihood_words(probability: float) -> str:
    """The probability of meeting the target as a briefing says it (never as a number)."""
    if probability >= 0.8:
        return "完成全年目标把握较大"
    if probability >= 0.5:
        return "有望完成全年目标"
    if probability >= 0.3:
        return "完成全年目标存在一定压力"
    return "完成全年目标难度较大"


def rest_of_year(period: Period) -> str:
    """The months after an evaluation period: 下半年, 四季度, 7-12月; "" at year end."""
    per_year, n = period.periods_per_year, period.number
    if n >= per_year:
        return ""
    if per_year == 4:
        return {1: "后三个季度", 2: "下半年", 3: "四季度"}[n]
    if per_year == 12:
        return "下半年" if n == 6 else ("12月" if n == 11 else f"{n + 1}-12月")
    return "余下时间"


def _required(row: dict[str, Any], catalogue: Catalogue, rest: str) -> str:
    target = target_words(row, catalogue)
    if row["target_kind"] in _LEVELS:
        if is_missing(row["remaining"]):
            return ""
        remaining = float(row["remaining"])
        unit = str(row["unit"])
        if row["target_kind"] == TargetKind.LEVEL_MAX.value:
            return f"{rest}尚有{amount(max(remaining, 0.0), unit)}的控制空间"
        if remaining <= 0:
            return f"已完成全年目标（{target}）"
        period = parse_period(row["period"])
        left = period.periods_per_year - period.number
        each = "每月" if period.periods_per_year == 12 else "每季度"
        return f"尚需完成{amount(remaining, unit)}，{rest}平均{each}需完成{amount(remaining / left, unit)}"
    if is_missing(row["required_growth_rest"]):
        return ""
    req = round(float(row["required_growth_rest"]), 1)
    estimate = "（估算）" if row.get("required_growth_estimated") else ""
    if req >= 0:
        return f"{rest}增长{req:.1f}%以上{estimate}即可完成全年目标（{target}）"
    return f"{rest}降幅不超过{-req:.1f}%{estimate}即可完成全年目标（{target}）"


def _forecast(row: dict[str, Any]) -> str:
    if is_missing(row.get("forecast_value")):
        return ""
    if row.get("basis") == "comparable" and not is_missing(row.get("forecast_growth")):
        # the level is in last year's prices (pace row basis): the growth alone says it plainly
        text = f"按目前走势预计全年按可比价{growth_phrase(row['forecast_growth'])}"
    else:
        text = f"按目前走势预计全年{amount(row['forecast_value'], str(row['unit']))}"
        if not is_missing(row.get("forecast_growth")):
            text += f"、{growth_phrase(row['forecast_growth'])}"
    if not is_missing(row.get("prob_meet")):
        text += f"，{likelihood_words(float(row['prob_meet']))}"
    return text


def outlook_section(pace: pd.DataFrame, catalogue: Catalogue) -> Section:
    """One paragraph per indicator with a target and a figure: 倒排 requirement, then the forecast in words."""
    blocks = []
    for row in pace[pace["target_kind"].notna() & (pace["status"] != "grey")].to_dict("records"):
        rest = rest_of_year(parse_period(row["period"]))
        parts = [p for p in (_required(row, catalogue, rest) if rest else "", _forecast(row)) if p]
        if parts:
            blocks.append(Paragraph(f"{row['name']}：{'；'.join(parts)}。", indicator=str(row["indicator"])))
    if not blocks:
        blocks.append(Paragraph("本期有目标的指标均无可供预判的数据。"))
    return Section("五、下阶段预判", tuple(blocks))
