"""`monitor pace`: progress against the annual targets (序时进度) as a 通报 table, JSON, CSV or XLSX."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.cli.arguments import Subcommands, add_command, parse_known_at, parse_report_month
from monitor.cli.context import Context
from monitor.cli.output import emit, emit_csv, note, say
from monitor.errors import UsageError
from monitor.storage.db import transaction

if TYPE_CHECKING:
    from monitor.domain.catalogue import Catalogue
    from monitor.services.pace import PaceReport


def cmd_pace(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.bulletin import pace_csv_frame, pace_table
    from monitor.services.pace import pace_document, pace_report, pace_title

    cat = ctx.catalogue
    region = args.region or cat.meta.default_region
    if region not in cat.regions:
        raise UsageError(f"未知的地区代码“{region}”（monitor catalog show 可列出全部地区）")
    known_at = parse_known_at(args.known_at, ctx.tz)
    today = ctx.today()
    report_month = parse_report_month(args.period, lambda: ctx.current_report_month(today))
    with transaction(ctx.ready_engine()) as session:
        report = pace_report(
            session,
            cat,
            report_month,
            regions=[region],
            set_code=args.set,
            known_at=known_at,
            forecast=not args.no_forecast,
        )
    if today.is_sample:
        note(f"注意：{today.note}（示例数据，模拟生成，非官方统计）")
    if args.format == "json":
        return emit(json.dumps(pace_document(report, ctx.tz), ensure_ascii=False, indent=2), args.out)
    if args.format == "csv":
        return emit_csv(pace_csv_frame(report, cat), args.out)
    if args.format == "xlsx":
        return _emit_xlsx(report, cat, args.out, sample=today.is_sample)
    return emit(f"{pace_title(report, cat)}\n{pace_table(report, cat)}", args.out)


def _emit_xlsx(report: PaceReport, catalogue: Catalogue, out: str | None, *, sample: bool) -> int:
    from monitor.services.bulletin import bulletin_xlsx

    if not out:
        raise UsageError("--format xlsx 须用 --out 指定输出文件，如 --out 通报.xlsx")
    data = bulletin_xlsx(report, catalogue, note="示例数据，模拟生成，非官方统计" if sample else "")
    Path(out).write_bytes(data)
    say(f"已写出 {len(report.rows)} 行到 {out}")
    return 0


def register(sub: Subcommands) -> None:
    pace = add_command(sub, "pace", cmd_pace, "各项指标对照年度目标的序时进度、所需增速、季节性进度和全年预测")
    pace.add_argument("--period", help="报告月份，如 2021-06（默认：上个月；上月数据尚未报来时为有数据的最近月份）")
    pace.add_argument("--region", help="地区代码（默认为目录中的默认地区）")
    pace.add_argument("--set", default="ops30", help="指标体系：ops30、gdp34 或 all（默认 ops30）")
    pace.add_argument("--known-at", help="按某一时刻已知的数据重算（ISO 日期或时间，之后的修订忽略）")
    pace.add_argument("--no-forecast", action="store_true", help="不读取全年预测（更快）")
    pace.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    pace.add_argument("--out", help="输出文件（csv 带 BOM，Excel 可直接打开；xlsx 为带标题行的通报表，须指定）")
