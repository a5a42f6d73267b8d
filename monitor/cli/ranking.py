"""`monitor ranking`: an indicator's growth by street (against the district) or among the peer districts."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from monitor.cli.arguments import Subcommands, add_command, parse_report_month
from monitor.cli.context import Context
from monitor.cli.output import emit, note
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period
from monitor.domain.ranking import Ranking, RankingScope, rank_regions, ranking_regions, unranked_reason
from monitor.errors import UsageError
from monitor.formatting import format_amount, format_growth, period_label, text_table
from monitor.storage.db import transaction


def _number(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


def ranking_document(ranking: Ranking, catalogue: Catalogue, period: str) -> dict[str, Any]:
    """The JSON of `monitor ranking`: the ranked regions only, and the reference they are read against."""
    indicator = catalogue.indicators[ranking.indicator]
    rows = [
        {
            "rank": int(r.rank),
            "region": r.region,
            "name": r.region_name,
            "value": _number(r.value),
            "growth": _number(r.growth),
            "vs_reference_pp": _number(r.vs_reference),
        }
        for r in ranking.table.itertuples()
    ]
    reference = None
    if ranking.reference_region is not None:
        reference = {
            "region": ranking.reference_region,
            "name": catalogue.regions[ranking.reference_region].name,
            "growth": _number(ranking.reference_growth),
        }
    return {
        "indicator": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "period": period,
        "scope": ranking.scope.value,
        "district_rank": ranking.district_rank,
        "reference": reference,
        "rows": rows,
    }


def _versus(delta: float) -> str:
    if math.isnan(delta):
        return ""
    if abs(delta) < 0.05:
        return "与全区持平"
    return f"{'快于' if delta > 0 else '慢于'}全区 {abs(delta):.1f} 个百分点"


def ranking_text(ranking: Ranking, catalogue: Catalogue, period: str) -> str:
    indicator = catalogue.indicators[ranking.indicator]
    label = period_label(parse_period(period), indicator) if period else ""
    district = catalogue.regions[catalogue.meta.default_region].name
    if ranking.scope is RankingScope.STREETS:
        head = f"{indicator.name} {label} 同比增长：{district}各街道"
        if ranking.reference_growth is not None:
            head += f"（全区 {format_growth(ranking.reference_growth)}）"
    else:
        head = f"{indicator.name} {label} 同比增长：对标地区"
        if ranking.district_rank is not None:
            head += f"（{district}位列第 {ranking.district_rank} 位，共 {len(ranking.table)} 个地区）"
    rows = [
        [
            int(r.rank),
            r.region_name,
            format_amount(r.value, r.unit),
            format_growth(r.growth),
            _versus(r.vs_reference) if ranking.scope is RankingScope.STREETS else "",
        ]
        for r in ranking.table.itertuples()
    ]
    if not rows:
        return f"{head}\n所选期别没有可比较的增速"
    return (
        head + "\n" + text_table(["位次", "地区", "累计值", "同比增长", "与全区比较"], rows, [True, False, True, True])
    )


def cmd_ranking(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.pace import pace_report

    cat = ctx.catalogue
    if args.indicator not in cat.indicators:
        raise UsageError(f"未知的指标代码“{args.indicator}”（monitor catalog show 可列出全部指标）")
    scope = RankingScope(args.scope)
    refused = unranked_reason(cat, args.indicator, scope)
    if refused:
        raise UsageError(refused)
    ranked, reference = ranking_regions(cat, scope)
    if not ranked:
        raise UsageError("指标目录中没有可比较的地区（街道或对标地区）")
    today = ctx.today()
    report_month = parse_report_month(args.period, lambda: ctx.current_report_month(today))
    regions = list(dict.fromkeys([*ranked, reference]))
    with transaction(ctx.ready_engine()) as session:
        report = pace_report(session, cat, report_month, regions=regions, set_code="all", forecast=False)
    if today.is_sample:
        note(f"注意：{today.note}（示例数据，模拟生成，非官方统计）")
    ranking = rank_regions(report.rows, cat, args.indicator, scope, ranked, reference)
    rows = report.rows[report.rows["indicator"] == args.indicator]
    period = str(rows["period"].iloc[0]) if len(rows) else ""
    if args.format == "json":
        return emit(json.dumps(ranking_document(ranking, cat, period), ensure_ascii=False, indent=2), args.out)
    return emit(ranking_text(ranking, cat, period), args.out)


def register(sub: Subcommands) -> None:
    p = add_command(sub, "ranking", cmd_ranking, "某项指标的增速排名：各街道（对照全区）或对标地区（含本区位次）")
    p.add_argument("--indicator", required=True, help="指标代码，如 retail_sales")
    p.add_argument("--period", help="报告月份，如 2021-06（默认与 monitor pace 相同）")
    p.add_argument("--scope", choices=[s.value for s in RankingScope], default="streets", help="streets 或 peers")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--out", help="写入文件而不是打印")
