"""`monitor digest`: the weekly alert email (预警周报) to the group and to each department."""

from __future__ import annotations

import argparse
from pathlib import Path

from monitor.cli.alerts import as_of_moment
from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context
from monitor.cli.output import note, say


def cmd_digest(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.digest import send_digest

    engine = ctx.ready_engine()
    moment = as_of_moment(ctx, args.as_of)
    outbox = Path(args.outbox) if args.outbox else None
    if args.dry_run:
        note("试运行：只写出 .eml 文件，不发送、不记录")
    result = send_digest(
        engine, ctx.catalogue, ctx.settings, moment, dry_run=args.dry_run, outbox=outbox, force=args.force, say=say
    )
    if result.evaluation is not None:
        say(f"发送前已评估预警：{result.evaluation.summary()}")
    if result.dry_run:
        for path in result.written:
            say(f"  已写出 {path}")
        say(f"共 {len(result.written)} 封（未发送、未记录）")
        return 0
    say(f"已发送 {len(result.sent)} 封，跳过 {len(result.skipped)} 封，失败 {len(result.failed)} 封")
    for recipient, error in result.failed:
        note(f"失败：{recipient}：{error}")
    return 1 if result.failed else 0


def register(sub: Subcommands) -> None:
    digest = add_command(
        sub, "digest", cmd_digest, "预警周报：发给领导小组一封、各责任单位各一封（每周每个收件人只发一次）"
    )
    digest.add_argument("--as-of", help="以此日期为今天（ISO 日期，如 2021-07-19），决定周次和报告期")
    digest.add_argument("--dry-run", action="store_true", help="只把每封邮件写成 .eml 文件到发件箱目录，不发送也不记录")
    digest.add_argument(
        "--outbox", help="发件箱目录（默认 var/outbox/；未配置 MONITOR_SMTP_HOST 时正式运行也写到这里）"
    )
    digest.add_argument("--force", action="store_true", help="本周已发送的收件人也重新发送")
