"""`monitor briefing`: the monthly 经济运行简报 as Word (.docx), PDF or HTML."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from monitor.cli.arguments import Subcommands, add_command, parse_known_at, parse_report_month
from monitor.cli.context import Context
from monitor.cli.output import note, say
from monitor.errors import UsageError


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    if suffix in ("docx", "pdf", "html"):
        return suffix
    if suffix in ("htm",):
        return "html"
    if suffix:
        raise UsageError(f"--out “{args.out}” 的扩展名无法识别：请用 .docx、.pdf 或 .html，或给出 --format")
    return "docx"


def cmd_briefing(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.briefing import make_briefing, write_briefing

    cat = ctx.catalogue
    fmt = _format(args)
    known_at = parse_known_at(args.known_at, ctx.tz)
    today = ctx.today()
    report_month = parse_report_month(args.period, lambda: ctx.current_report_month(today))
    if today.is_sample:
        note(f"注意：{today.note}（示例数据，模拟生成，非官方统计；简报首页标注“示例数据”）")
    started = time.perf_counter()
    document = make_briefing(
        ctx.ready_engine(),
        cat,
        ctx.settings,
        report_month,
        region=args.region,
        fmt=fmt,
        issue_no=args.issue_no,
        known_at=known_at,
    )
    if args.out:
        path = Path(args.out)
        path.write_bytes(document.content)
    else:
        path = write_briefing(document, ctx.settings.var_dir / "briefings")
    took = time.perf_counter() - started
    say(f"已写出 {path}（{document.briefing.title} {document.briefing.issue_line}，{fmt}，用时 {took:.1f} 秒）")
    return 0


def register(sub: Subcommands) -> None:
    briefing = add_command(
        sub, "briefing", cmd_briefing, "月度经济运行简报（Word/PDF/HTML）：总体情况、主要指标、慢进指标、预判与附表"
    )
    briefing.add_argument("--period", help="报告月份，如 2021-06（默认：上个月；上月数据尚未报来时为有数据的最近月份）")
    briefing.add_argument("--region", help="地区代码（默认为目录中的默认地区）")
    briefing.add_argument("--issue-no", type=int, help="期号（默认为报告月份的月数，如 6 月为第6期）")
    briefing.add_argument("--out", help="输出文件（默认写到 var/briefings/ 下）；扩展名决定格式")
    briefing.add_argument("--format", choices=["docx", "pdf", "html"], help="格式（默认按 --out 的扩展名，否则 docx）")
    briefing.add_argument("--known-at", help="按某一时刻已知的数据生成（ISO 日期或时间），同一时刻生成的简报相同")
