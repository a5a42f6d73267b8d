"""`monitor audit [--user U] [--since DATE] [--format table|json|csv]`: the security audit trail."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, time

import pandas as pd

from monitor.cli.arguments import Subcommands, add_command, parse_date
from monitor.cli.context import Context
from monitor.cli.output import emit, emit_csv, say
from monitor.formatting import text_table
from monitor.services.audit import ACTION_ZH, OUTCOME_ZH, read_audit

HEADERS = ["编号", "时间", "用户", "角色", "单位", "来源地址", "操作", "对象", "结果"]


def cmd_audit(ctx: Context, args: argparse.Namespace) -> int:
    since = None
    if args.since:
        since = datetime.combine(parse_date(args.since, "--since"), time.min, ctx.tz)
    frame = read_audit(ctx.ready_engine(), username=args.user, since=since, limit=args.limit)
    times = [pd.Timestamp(t).tz_convert(ctx.tz) for t in frame["at"]]
    if args.format == "json":
        rows = [
            {**{k: v for k, v in row.items() if k != "at"}, "at": t.isoformat()}
            for row, t in zip(frame.to_dict("records"), times, strict=True)
        ]
        return emit(json.dumps({"rows": rows}, ensure_ascii=False, indent=2, default=str), args.out)
    body = [
        [
            row["id"],
            t.strftime("%Y-%m-%d %H:%M:%S"),
            row["username"] or "",
            row["role"] or "",
            row["department"] or "",
            row["remote_addr"] or "",
            ACTION_ZH.get(row["action"], row["action"]),
            row["object"],
            OUTCOME_ZH.get(row["outcome"], row["outcome"]),
        ]
        for row, t in zip(frame.to_dict("records"), times, strict=True)
    ]
    if args.format == "csv":
        return emit_csv(pd.DataFrame(body, columns=HEADERS), args.out)
    if not body:
        say("没有符合条件的审计记录")
        return 0
    return emit(text_table(HEADERS, body, [True]), args.out)


def register(sub: Subcommands) -> None:
    audit = add_command(sub, "audit", cmd_audit, "安全审计日志：登录、上传、确认预警、用户变更、同步、发送（最新在前）")
    audit.add_argument("--user", help="只看此用户")
    audit.add_argument("--since", help="从此日期起（ISO 日期，如 2026-12-01，目录时区）")
    audit.add_argument("--limit", type=int, default=None, help="最多显示多少行")
    audit.add_argument("--format", choices=["table", "json", "csv"], default="table")
    audit.add_argument("--out", help="写到文件")
