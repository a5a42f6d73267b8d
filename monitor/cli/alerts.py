"""`monitor alerts evaluate|list|ack`: run the alert rules, list alerts, record a department's 说明."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

import pandas as pd

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context
from monitor.cli.output import emit, note, say
from monitor.domain.alerts import EVENT_ZH, RULE_ZH, SEVERITY_ZH, STATE_ZH
from monitor.errors import MonitorError
from monitor.formatting import text_table
from monitor.services.clock import as_of_moment as clock_moment
from monitor.storage.db import transaction


def as_of_moment(ctx: Context, as_of: str | None) -> datetime:
    """`--as-of` (or the sample data's own date) at the current time of day; the real now otherwise."""
    return clock_moment(ctx.today(as_of), ctx.catalogue.meta.timezone, explicit=bool(as_of))


def cmd_evaluate(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.alerts import evaluate_alerts

    engine = ctx.ready_engine()
    moment = as_of_moment(ctx, args.as_of)
    note(f"按 {moment.date().isoformat()} 评估预警规则（报告期：上月）…")
    result = evaluate_alerts(engine, ctx.catalogue, moment)
    say(f"预警评估（{moment.date().isoformat()}，报告月份 {result.report_month}）：{result.summary()}")
    if not result.breaches.empty:
        counts = result.breaches.groupby(["rule", "severity"]).size()
        say(
            "当前触发："
            + "，".join(f"{RULE_ZH.get(r, r)}（{SEVERITY_ZH.get(s, s)}）{n} 项" for (r, s), n in counts.items())
        )
    return 0


def _text(value: Any) -> str:
    """Text of a nullable column ("" for None or NaN)."""
    return value if isinstance(value, str) else ""


def _when(value: Any, ctx: Context) -> str:
    if value is None or pd.isna(value):
        return ""
    return str(pd.Timestamp(value).tz_convert(ctx.tz).strftime("%Y-%m-%d %H:%M"))


def _json_value(value: Any) -> Any:
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.alerts import list_alerts

    cat = ctx.catalogue
    if args.department and args.department not in cat.departments:
        from monitor.errors import UsageError

        raise UsageError(f"未知的责任单位代码“{args.department}”，可选：{'、'.join(cat.departments)}")
    with transaction(ctx.ready_engine()) as session:
        frame = list_alerts(
            session,
            status=args.status,
            department=args.department,
            indicator=args.indicator,
            region=args.region,
            catalogue=cat,
        )
    if args.format == "json":
        records = [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
        return emit(json.dumps(records, ensure_ascii=False, indent=2), None)
    if frame.empty:
        say("没有符合条件的预警")
        return 0
    body = [
        [
            row["id"],
            SEVERITY_ZH.get(row["severity"], row["severity"]),
            RULE_ZH.get(row["rule"], row["rule"]),
            STATE_ZH.get(row["state"], row["state"]),
            row["message"],
            "、".join(cat.departments[d].name if d in cat.departments else d for d in row["departments"]),
            _when(row["opened_at"], ctx),
            f"{_text(row['acknowledged_by'])}：{_text(row['note'])}" if _text(row["acknowledged_by"]) else "",
        ]
        for row in frame.to_dict("records")
    ]
    say(text_table(["编号", "级别", "规则", "状态", "内容", "责任单位", "产生时间", "说明"], body, [True]))
    counts = frame["severity"].value_counts()
    say("合计：" + "，".join(f"{SEVERITY_ZH[s]} {int(counts.get(s, 0))} 项" for s in ("red", "yellow", "info")))
    return 0


def cmd_ack(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.alerts import acknowledge_alert, alert_events
    from monitor.services.audit import CLI_ACTOR, record

    engine = ctx.ready_engine()
    try:
        acknowledge_alert(engine, args.id, args.by, args.note, as_of_moment(ctx, None))
    except MonitorError as exc:
        record(engine, CLI_ACTOR, "acknowledge", f"预警 {args.id}", "failure", {"error": str(exc)})
        raise
    record(engine, CLI_ACTOR, "acknowledge", f"预警 {args.id}", "success", {"by": args.by.strip()})
    say(f"已记录预警 {args.id} 的说明（{args.by.strip()}）：不再提醒，情况加重（升级）时会重新提醒")
    with transaction(engine) as session:
        events = alert_events(session, args.id)
    for row in events.to_dict("records"):
        extra = f" {_text(row['by'])}：{_text(row['note'])}" if _text(row["by"]) else ""
        say(f"  {_when(row['at'], ctx)} {EVENT_ZH.get(row['kind'], row['kind'])}{extra}")
    return 0


def register(sub: Subcommands) -> None:
    alerts = sub.add_parser("alerts", help="预警：评估规则、列出预警、登记说明", description="预警：评估、列出、说明")
    inner = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION", parser_class=type(alerts))
    evaluate = add_command(inner, "evaluate", cmd_evaluate, "按当前数据评估全部预警规则（重复运行不会重复产生预警）")
    evaluate.add_argument("--as-of", help="以此日期为今天（ISO 日期，如 2021-07-20）")
    listing = add_command(inner, "list", cmd_list, "列出预警（默认：待处理和已说明的）")
    listing.add_argument(
        "--status",
        choices=["active", "open", "acknowledged", "resolved", "all"],
        default="active",
        help="active（待处理+已说明，默认）、open、acknowledged、resolved 或 all",
    )
    listing.add_argument("--department", help="只列出此责任单位的预警（单位代码，如 stats）")
    listing.add_argument("--indicator", help="只列出此指标的预警（指标代码）")
    listing.add_argument("--region", help="只列出此地区的预警（地区代码）")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    ack = add_command(inner, "ack", cmd_ack, "登记责任单位对预警的说明（说明后不再提醒，升级时重新提醒）")
    ack.add_argument("id", type=int, help="预警编号（见 monitor alerts list）")
    ack.add_argument("--by", required=True, help="说明人（姓名或单位）")
    ack.add_argument("--note", required=True, help="说明内容：原因和措施")


__all__ = ["as_of_moment", "register"]
