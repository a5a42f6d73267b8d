"""Build the 经济运行简报 from pace rows and plain data: sections 一 to 五, annexes, charts. Pure.

一、总体情况          the headline indicators with growth, target and 位次 among the peer districts
二、主要指标完成情况  one sentence per indicator, by the set's 9大类
三、GDP核算支撑指标   the 34 items by industry, the industries growing slower than GDP (慢进行业)
四、慢进指标          the red indicators with the departments' 原因 and 措施
五、下阶段预判        倒排 required growth and the year-end forecast, in words
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from monitor.domain.briefing.model import Block, Briefing, BriefingInputs, Chart, Heading, Paragraph, Section
from monitor.domain.briefing.outlook import outlook_section
from monitor.domain.briefing.phrases import amount, growth_phrase, is_missing, two_year_average
from monitor.domain.briefing.sentences import indicator_sentence, period_words, target_clause
from monitor.domain.briefing.tables import HEADLINE_INDICATORS, annex_main, annex_regions, growth_ranks, slow_table
from monitor.domain.catalogue import Catalogue, Measure, RegionKind
from monitor.domain.periods import parse_period

__all__ = ["OFFICE", "build_briefing"]

OFFICE = "区经济运行综合协调保障领导小组办公室"
FOOTER = ("报送：区委、区政府领导。", "抄送：领导小组成员单位、各街道。")
SAMPLE_NOTE = "示例数据：本期简报所用数据为模拟生成的示例数据，非官方统计，仅供演示。"
NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一: the （一）（二） of sub-headings."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def _records(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(r["indicator"]): r for r in frame.to_dict("records")}


def _region_name(catalogue: Catalogue, code: str) -> str:
    return catalogue.regions[code].name if code in catalogue.regions else code


def _peers(catalogue: Catalogue, region: str) -> list[str]:
    return [region, *(c for c, r in catalogue.regions.items() if r.kind is RegionKind.PEER)]


def _streets(catalogue: Catalogue, region: str) -> list[str]:
    return [c for c, r in catalogue.regions.items() if r.kind is RegionKind.STREET and r.parent == region]


def _overview(inputs: BriefingInputs, catalogue: Catalogue) -> Section:
    pace, month = inputs.pace, inputs.report_month
    rows, last = _records(pace), _records(inputs.last_year)
    with_target = pace[pace["target_kind"].notna()]
    counts = with_target["status"].value_counts()
    set_name = catalogue.sets["ops30"].name if "ops30" in catalogue.sets else "监测指标"
    lead = (
        f"{period_words(month, catalogue.indicators[str(pace['indicator'].iloc[0])]) if len(pace) else ''}，"
        f"{set_name}中有年度目标的{len(with_target)}项："
        f"绿灯{int(counts.get('green', 0))}项、黄灯{int(counts.get('yellow', 0))}项、红灯{int(counts.get('red', 0))}项"
        + (f"、暂无数据{int(counts.get('grey', 0))}项" if counts.get("grey", 0) else "")
        + "。"
    )
    peers = _peers(catalogue, inputs.region)
    clauses = []
    for code in HEADLINE_INDICATORS:
        row = rows.get(code)
        if row is None or (is_missing(row["value"]) and is_missing(row["growth"])):
            continue
        ind = catalogue.indicators[code]
        words = period_words(parse_period(row["period"]), ind)
        parts = [f"{ind.name}（{words}）" + (amount(row["value"], ind.unit) if not is_missing(row["value"]) else "")]
        if not is_missing(row["growth"]):
            parts.append("同比" + growth_phrase(row["growth"]))
            earlier = last.get(code)
            if earlier is not None and not is_missing(earlier["growth"]):
                average = two_year_average(row["growth"], earlier["growth"])
                if not is_missing(average):
                    parts.append("两年平均" + growth_phrase(average))
        if clause := target_clause(row, catalogue):
            parts.append(clause)
        ranks = growth_ranks(inputs.peers, code, peers)
        if inputs.region in ranks and len(ranks) > 1:
            parts.append(f"增速居{len(ranks)}个对比地区第{ranks[inputs.region]}位")
        clauses.append("，".join(parts))
    text = lead + ("；".join(clauses) + "。" if clauses else "")
    return Section("一、总体情况", (Paragraph(text),))


def _main_indicators(inputs: BriefingInputs, catalogue: Catalogue, region_word: str) -> Section:
    rows, before = _records(inputs.pace), _records(inputs.previous)
    month = inputs.report_month
    blocks: list[Block] = [
        Paragraph(f"{month.label_zh().removeprefix(f'{month.year}年')}，{region_word}主要指标完成情况如下。")
    ]
    for n, category in enumerate(catalogue.sets["ops30"].categories if "ops30" in catalogue.sets else ()):
        present = [c for c in category.indicators if c in rows]
        if not present:
            continue
        blocks.append(Heading(f"（{numeral(n + 1)}）{category.name}"))
        for code in present:
            sentence = indicator_sentence(
                rows[code], catalogue, month, region_word=region_word, previous=before.get(code)
            )
            blocks.append(Paragraph(sentence, indicator=code))
    return Section("二、主要指标完成情况", tuple(blocks))


def _gdp_support(inputs: BriefingInputs, catalogue: Catalogue) -> Section:
    rows = _records(inputs.gdp34)
    gdp = _records(inputs.pace).get("gdp")
    gdp_growth = None if gdp is None or is_missing(gdp["growth"]) else float(gdp["growth"])
    bar, bar_text = (gdp_growth, f"地区生产总值增速（{gdp_growth:.1f}%）") if gdp_growth is not None else (0.0, "零")
    blocks: list[Block] = []
    slow: list[str] = []
    for n, category in enumerate(catalogue.sets["gdp34"].categories if "gdp34" in catalogue.sets else ()):
        items, behind = [], []
        for code in category.indicators:
            row = rows.get(code)
            if row is None:
                continue
            ind = catalogue.indicators[code]
            mark = f"（{period_words(parse_period(row['period']), ind)}数据）" if ind.lag_months else ""
            if is_missing(row["growth"]):
                items.append(f"{ind.name}{mark}未报送")
                continue
            rise = "上涨" if ind.measure in (Measure.INDEX, Measure.PRICE) else "增长"
            items.append(f"{ind.name}{mark}{growth_phrase(row['growth'], rise=rise)}")
            if float(row["growth"]) < bar:
                behind.append(ind.name)
        if not items:
            continue
        blocks.append(Heading(f"（{numeral(n + 1)}）{category.name}"))
        blocks.append(Paragraph("，".join(items) + "。"))
        if behind:
            slow.append(f"{category.name}（{'、'.join(behind)}）")
    if slow:
        blocks.append(Paragraph(f"慢进行业（支撑指标增速低于{bar_text}）：{'；'.join(slow)}。"))
    else:
        blocks.append(Paragraph(f"各行业支撑指标增速均不低于{bar_text}，暂无慢进行业。"))
    return Section("三、GDP核算支撑指标", tuple(blocks))


def _slow(inputs: BriefingInputs, catalogue: Catalogue) -> Section:
    red = inputs.pace[inputs.pace["status"] == "red"]
    if red.empty:
        return Section("四、慢进指标", (Paragraph("本期无慢进指标（红灯）。"),))
    names = "、".join(str(n) for n in red["name"])
    lead = Paragraph(f"本期慢进指标（红灯）{len(red)}项：{names}。原因和措施由责任单位在预警说明中提供。")
    return Section("四、慢进指标", (lead, slow_table(inputs.pace, catalogue, inputs.notes)))


def _charts(inputs: BriefingInputs, catalogue: Catalogue) -> tuple[Chart, ...]:
    pace = inputs.pace
    charts = []
    growth = pace[pace["target_kind"].isin(["growth_min", "growth_about"]) & pace["growth"].notna()]
    if not growth.empty:
        charts.append(
            Chart(
                "主要指标增速与全年目标",
                tuple(str(n) for n in growth["name"]),
                (
                    ("本期增速", tuple(float(g) for g in growth["growth"])),
                    ("全年目标", tuple(float(t) for t in growth["target_value"])),
                ),
            )
        )
    level = pace[pace["target_kind"].isin(["level_min", "level_max"]) & pace["completion"].notna()]
    if not level.empty:
        charts.append(
            Chart(
                "总量指标完成进度与序时进度",
                tuple(str(n) for n in level["name"]),
                (
                    ("完成全年目标", tuple(100 * float(c) for c in level["completion"])),
                    ("序时进度", tuple(100 * float(e) for e in level["elapsed"])),
                ),
            )
        )
    gdp = inputs.peers[(inputs.peers["indicator"] == "gdp") & inputs.peers["growth"].notna()]
    if len(gdp) > 1:
        charts.append(
            Chart(
                "地区生产总值增速：与对比地区",
                tuple(_region_name(catalogue, str(r)) for r in gdp["region"]),
                (("增速", tuple(float(g) for g in gdp["growth"])),),
            )
        )
    return tuple(charts)


def _annexes(inputs: BriefingInputs, catalogue: Catalogue, region_name: str) -> tuple[Any, ...]:
    annexes = [annex_main(inputs.pace, catalogue, region_name)]
    peers = [r for r in _peers(catalogue, inputs.region) if (inputs.peers["region"] == r).any()]
    annexes.append(
        annex_regions(inputs.peers, catalogue, title="附表2 与对比地区主要指标增速及位次", regions=peers, ranked=peers)
    )
    streets = [r for r in _streets(catalogue, inputs.region) if (inputs.streets["region"] == r).any()]
    annexes.append(
        annex_regions(
            inputs.streets,
            catalogue,
            title="附表3 各街道主要指标增速及位次",
            regions=[inputs.region, *streets],
            ranked=streets,
            reference=inputs.region,
        )
    )
    return tuple(annexes)


def build_briefing(inputs: BriefingInputs, catalogue: Catalogue) -> Briefing:
    """The whole briefing for one region and report month (same inputs, same briefing)."""
    region = catalogue.regions[inputs.region]
    region_word = "全街道" if region.kind is RegionKind.STREET else "全区"
    d = inputs.issued_on
    sections = (
        _overview(inputs, catalogue),
        _main_indicators(inputs, catalogue, region_word),
        _gdp_support(inputs, catalogue),
        _slow(inputs, catalogue),
        outlook_section(inputs.pace, catalogue),
    )
    return Briefing(
        title=f"{region.name}经济运行简报",
        issue_line=f"{inputs.report_month.year}年第{inputs.issue_no}期",
        office=OFFICE,
        date_text=f"{d.year}年{d.month}月{d.day}日",
        sample_note=SAMPLE_NOTE if inputs.sample else "",
        sections=sections,
        annexes=_annexes(inputs, catalogue, region.name),
        charts=_charts(inputs, catalogue),
        footer=FOOTER,
    )
