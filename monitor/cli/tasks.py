"""`monitor tasks load|list|report`: 重点工作任务督办 — the numbered measures, their 责任单位, goals and status."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from monitor.cli.arguments import Subcommands, add_command, parse_report_month
from monitor.cli.context import Context
from monitor.cli.output import emit, note, say
from monitor.errors import UsageError
from monitor.formatting import text_table
from monitor.storage.db import transaction


def cmd_load(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.tasks import load_task_file, tasks_file_for

    path = Path(args.file) if args.file else tasks_file_for(ctx.settings.config_path)
    with transaction(ctx.ready_engine()) as session:
        counts = load_task_file(session, ctx.catalogue, path)
    say(f"已载入任务文件 {path}：新增 {counts.inserted}、更新 {counts.revised}、未变 {counts.unchanged} 项任务")
    return 0


def _goal(r: Any) -> str:
    if r.goal_kind == "节点":
        return f"节点 {len(r.milestones)} 个"
    if r.goal_value is None or (isinstance(r.goal_value, float) and math.isnan(r.goal_value)):
        return ""
    return f"{r.goal_kind}{r.goal_value:g}{r.goal_unit}"


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.domain.tasks import STATUS_ZH
    from monitor.services.tasks import task_board

    today = ctx.today()
    month = parse_report_month(args.period, lambda: ctx.current_report_month(today))
    if args.department and args.department not in ctx.catalogue.departments:
        raise UsageError(f"未知的责任单位代码“{args.department}”")
    with transaction(ctx.ready_engine()) as session:
        board = task_board(session, month, department=args.department)
    if today.is_sample:
        note("注意：示例数据（模拟生成，非官方统计）")
    if args.format == "json":
        rows = [
            {
                "code": r.code,
                "number": r.number,
                "title": r.title,
                "lead": r.lead,
                "co": list(r.co),
                "departments": list(r.departments),
                "goal_kind": r.goal_kind,
                "goal_value": r.goal_value,
                "goal_unit": r.goal_unit,
                "goal_text": r.goal_text,
                "milestones": list(r.milestones),
                "source": r.source,
                "source_doc": r.source_doc,
                "status": r.status,
                "value": None if r.value is None or (isinstance(r.value, float) and math.isnan(r.value)) else r.value,
                "share": None if r.share is None or math.isnan(r.share) else round(r.share, 1),
            }
            for r in board.itertuples()
        ]
        return emit(json.dumps({"period": str(month), "tasks": rows}, ensure_ascii=False, indent=2), None)
    body = [
        [
            r.code,
            r.title,
            r.lead,
            _goal(r),
            "" if r.share is None or math.isnan(r.share) else f"{r.share:.1f}%",
            STATUS_ZH[r.status],
        ]
        for r in board.itertuples()
    ]
    say(f"重点工作任务督办（{month.year}年{month.number}月，序时 {100 * month.number / 12:.1f}%）")
    say(text_table(["编号", "任务", "牵头单位", "目标", "完成", "状态"], body))
    counts = board["status"].value_counts()
    say("，".join(f"{STATUS_ZH[s]} {int(counts.get(s, 0))} 项" for s in STATUS_ZH))
    return 0


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.domain.access import Principal, Role
    from monitor.services.clock import utc_now
    from monitor.services.tasks import report_task

    month = parse_report_month(args.period, lambda: ctx.current_report_month())
    if not args.by.strip():
        raise UsageError("--by 须填写报送人姓名")
    principal = (
        Principal(args.by, args.by, Role.REPORTER, args.department)
        if args.department
        else Principal(args.by, args.by, Role.GROUP)
    )
    with transaction(ctx.ready_engine()) as session:
        outcome = report_task(
            session,
            code=args.code,
            month=month,
            value=args.value,
            text=args.text,
            completed=args.completed,
            principal=principal,
            now=utc_now(),
        )
    say(
        {"inserted": "已报送", "revised": "已更新（原报送保留为修订记录）", "unchanged": "与已报送内容相同，未做更改"}[
            outcome
        ]
        + f"：{args.code} {month}"
    )
    return 0


def register(sub: Subcommands) -> None:
    tasks = add_command(sub, "tasks", _help, "重点工作任务督办：编号任务、责任单位、量化目标、月度进展和状态")
    actions = tasks.add_subparsers(dest="tasks_command", required=True, metavar="ACTION", parser_class=type(tasks))
    load = actions.add_parser("load", help="载入任务文件（默认为指标目录旁的 tasks.toml）")
    load.set_defaults(func=cmd_load)
    load.add_argument("--file")
    lst = actions.add_parser("list", help="各任务在某月的状态：已完成、序时推进、滞后、未报")
    lst.set_defaults(func=cmd_list)
    lst.add_argument("--period", help="报告月份，如 2021-06")
    lst.add_argument("--department", help="只看某责任单位牵头或配合的任务")
    lst.add_argument("--format", choices=["table", "json"], default="table")
    rep = actions.add_parser("report", help="报送任务的月度进展（数值和文字）")
    rep.set_defaults(func=cmd_report)
    rep.add_argument("code")
    rep.add_argument("--period", required=True, help="月份，如 2021-06")
    rep.add_argument("--value", type=float, help="累计完成数（节点任务为已完成的节点数）")
    rep.add_argument("--text", default="", help="进展说明")
    rep.add_argument("--completed", action="store_true", help="任务已完成")
    rep.add_argument("--by", required=True, help="报送人姓名")
    rep.add_argument("--department", help="以该责任单位填报员的身份报送（不填则为领导小组）")


def _help(ctx: Context, args: argparse.Namespace) -> int:
    raise UsageError("请使用 monitor tasks load|list|report")
