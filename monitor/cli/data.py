"""`monitor observations`: export figures with their real-time history."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from monitor.cli.arguments import Subcommands, add_command, parse_known_at
from monitor.cli.context import Context
from monitor.cli.output import emit, emit_csv, emit_xlsx, note, say
from monitor.domain.catalogue import Indicator
from monitor.domain.periods import parse_period
from monitor.errors import UsageError
from monitor.formatting import format_growth, format_value, period_label, text_table
from monitor.services.clock import effective_today
from monitor.storage.db import transaction
from monitor.storage.observations import read_observations


def _iso(value: Any, tz: ZoneInfo) -> str | None:
    return None if value is None or pd.isna(value) else value.astimezone(tz).isoformat()


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def cmd_observations(ctx: Context, args: argparse.Namespace) -> int:
    cat = ctx.catalogue
    by_name = {i.name: i for i in cat.indicators.values()}
    indicator = cat.indicators.get(args.indicator) or by_name.get(args.indicator.strip())
    if indicator is None:
        raise UsageError(
            f"未知的指标“{args.indicator}”：请给出指标代码或指标名称（monitor catalog show 可列出全部指标）"
        )
    regions_by_name = {r.name: code for code, r in cat.regions.items()}
    region = args.region or cat.meta.default_region
    region = region if region in cat.regions else regions_by_name.get(region.strip(), region)
    if region not in cat.regions:
        raise UsageError(f"未知的地区“{region}”：请给出地区代码或名称（monitor catalog show 可列出全部地区）")
    known_at = parse_known_at(args.known_at, ctx.tz)
    with transaction(ctx.ready_engine()) as session:
        frame = read_observations(
            session,
            indicators=[indicator.code],
            regions=[region],
            years=[args.year] if args.year else None,
            known_at=known_at,
            history=args.history,
        )
        today = effective_today(session, cat.meta.timezone)
    if today.is_sample:
        note(f"注意：{today.note}（示例数据）")
    frame["unit"] = indicator.unit
    if args.format == "json":
        return emit(_observations_json(frame, indicator, region, known_at, ctx.tz), args.out)
    zh = _observations_zh(frame, indicator, cat.regions[region].name, ctx.tz)
    if args.format == "csv":
        return emit_csv(zh, args.out)
    if args.format == "xlsx":
        out = Path(args.out or f"{indicator.code}_{region}{'_' + str(args.year) if args.year else ''}.xlsx")
        return emit_xlsx(zh, out, "数据", (22, 10, 16, 14, 10, 10, 24, 24, 40, 12, 30))
    if frame.empty:
        say(f"{indicator.name}（{cat.regions[region].name}）没有符合条件的数据")
        return 0
    table_rows = [
        [
            r["期别"],
            format_value(r["数值"], indicator.unit),
            format_growth(r["同比增长(%)"]),
            r["知悉时间"],
            "" if pd.isna(r["被修订时间"]) else r["被修订时间"],
            r["来源"],
        ]
        for r in zh.to_dict("records")
    ]
    say(f"{indicator.name}（{indicator.unit}，{cat.regions[region].name}）")
    say(text_table(["期别", "数值", "同比", "知悉时间", "被修订时间", "来源"], table_rows, [False, True, True]))
    return 0


def _observations_json(
    frame: pd.DataFrame, indicator: Indicator, region: str, known_at: datetime | None, tz: ZoneInfo
) -> str:
    rows = [
        {
            "indicator": r.indicator,
            "region": r.region,
            "period": r.period,
            "value": _num(r.value),
            "yoy": _num(r.yoy),
            "unit": indicator.unit,
            "note": r.note,
            "known_from": _iso(r.known_from, tz),
            "known_to": _iso(r.known_to, tz),
            "source": r.source,
            "channel": r.channel,
            "import_id": None if pd.isna(r.import_id) else int(r.import_id),
            "is_sample": bool(r.is_sample),
        }
        for r in frame.itertuples()
    ]
    doc = {
        "indicator": indicator.code,
        "name": indicator.name,
        "region": region,
        "unit": indicator.unit,
        "known_at": known_at.isoformat() if known_at else None,
        "rows": rows,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _observations_zh(frame: pd.DataFrame, indicator: Indicator, region_name: str, tz: ZoneInfo) -> pd.DataFrame:
    """The export table with Chinese headers, as a department would read it in Excel."""

    def local(value: Any) -> str | None:
        return None if pd.isna(value) else value.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    return pd.DataFrame(
        {
            "指标": indicator.name,
            "地区": region_name,
            "期别": [period_label(parse_period(p), indicator) for p in frame["period"]],
            "期别代码": frame["period"],
            "数值": frame["value"],
            "单位": indicator.unit,
            "同比增长(%)": frame["yoy"],
            "知悉时间": [local(v) for v in frame["known_from"]],
            "被修订时间": [local(v) for v in frame["known_to"]],
            "来源": frame["source"].fillna(""),
            "备注": frame["note"].fillna(""),
        }
    )


def register(sub: Subcommands) -> None:
    obs = add_command(sub, "observations", cmd_observations, "导出某项指标的数据（含修订历史）")
    obs.add_argument("--indicator", required=True, help="指标代码或名称，如 gdp 或 地区生产总值")
    obs.add_argument("--region", help="地区代码或名称（默认为目录中的默认地区）")
    obs.add_argument("--year", type=int, help="只看某一年")
    obs.add_argument("--known-at", help="按某一时刻已知的数据（ISO 日期或时间，之后的修订忽略）")
    obs.add_argument("--history", action="store_true", help="列出每个数值的全部版本")
    obs.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    obs.add_argument("--out", help="输出文件（xlsx 默认写到当前目录）")
