"""`monitor import|imports|template|inbox scan`: load departments' files, the import log, templates, the inbox."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context
from monitor.cli.output import note, say
from monitor.domain.periods import Frequency, parse_period
from monitor.domain.validation import Issue
from monitor.errors import PeriodError, UsageError
from monitor.formatting import text_table
from monitor.services.imports import STATUS_ZH, ImportRequest, ImportResult, ImportStatus, import_file
from monitor.storage.db import transaction
from monitor.storage.imports import list_imports

TABLE_ISSUES = 100
"""Issues printed per file in table output; JSON lists up to LISTED_ISSUES, the counts are always complete."""


def _department(ctx: Context, code: str | None) -> str | None:
    if code is not None and code not in ctx.catalogue.departments:
        known = "、".join(f"{c}（{d.name}）" for c, d in ctx.catalogue.departments.items())
        raise UsageError(f"未知的责任单位代码“{code}”：应为 {known} 之一")
    return code


def _issue_table(issues: list[Issue], total: int, what: str) -> list[str]:
    rows = [[i.row if i.row is not None else "", i.column, _short(i.value), i.code, i.message] for i in issues]
    lines = [text_table(["行号", "列", "值", f"{what}代码", "说明"], rows[:TABLE_ISSUES], [True])]
    if total > TABLE_ISSUES:
        lines.append(f"……另有 {total - TABLE_ISSUES} 处未列出（--format json 可列出前 1000 处）")
    return ["  " + line for text in lines for line in text.splitlines()]


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_result(result: ImportResult, catalogue_departments: dict[str, str]) -> None:
    """The Chinese summary of one file: status, counts, warnings and the error table."""
    who = f"，{catalogue_departments.get(result.department, result.department)}" if result.department else ""
    batch = f"，导入批次 #{result.import_id}" if result.import_id else ""
    label = STATUS_ZH[result.status] + ("（试运行）" if result.dry_run else "")
    say(f"【{label}】{result.file}{who}{batch}")
    say(f"  {result.message}")
    if result.error_count:
        say(f"  错误 {result.error_count} 处：")
        for line in _issue_table(result.errors(TABLE_ISSUES), result.error_count, "错误"):
            say(line)
    if result.warning_count:
        say(f"  警告 {result.warning_count} 条（不影响导入，已记录）：")
        for line in _issue_table(result.warnings(TABLE_ISSUES), result.warning_count, "警告"):
            say(line)


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    department = _department(ctx, args.department)
    paths = [Path(f) for f in args.files]
    folders = [str(p) for p in paths if p.is_dir()]
    if folders:
        raise UsageError(
            f"{'、'.join(folders)} 是文件夹，不是文件：请给出要导入的文件"
            "（导入收件目录中的文件请用 monitor inbox scan；未导入任何文件）"
        )
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise UsageError(f"找不到文件：{'、'.join(missing)}（未导入任何文件）")
    engine = ctx.ready_engine()
    today = ctx.today()
    if today.is_sample:
        note(f"注意：{today.note}（判断“未来期别”用）")
    request = ImportRequest(
        today=today.date,
        department=department,
        channel="cli",
        dry_run=args.dry_run,
        limits=ctx.settings.import_limits,
        progress=note,
    )
    results = [import_file(engine, ctx.catalogue, path, request, display_name=str(path)) for path in paths]
    if args.format == "json":
        say(
            json.dumps({"dry_run": args.dry_run, "files": [r.as_json() for r in results]}, ensure_ascii=False, indent=2)
        )
    else:
        names = {c: d.name for c, d in ctx.catalogue.departments.items()}
        for n, result in enumerate(results):
            if n:
                say()
            print_result(result, names)
        if len(results) > 1:
            counts = {s: sum(r.status is s for r in results) for s in ImportStatus}
            say(f"\n共 {len(results)} 个文件：" + "、".join(f"{STATUS_ZH[s]} {c}" for s, c in counts.items()))
    return 0 if all(r.status is not ImportStatus.REJECTED for r in results) else 1


def _opt(value: Any) -> Any:
    """A nullable text cell of a frame as None or its value (pandas reads NULL text as NaN)."""
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _local(value: Any, ctx: Context) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).tz_convert(ctx.tz).strftime("%Y-%m-%d %H:%M")


def cmd_imports(ctx: Context, args: argparse.Namespace) -> int:
    with transaction(ctx.ready_engine()) as session:
        log = list_imports(session, limit=None if args.id else args.limit, status=args.status)
    if args.id:
        log = log[log["id"] == args.id]
        if log.empty:
            raise UsageError(f"没有编号为 {args.id} 的导入批次（monitor imports 可列出导入记录）")
    if args.format == "json":
        say(
            json.dumps(
                {"imports": [_import_json(r, ctx.tz) for r in log.itertuples(index=False)]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if log.empty:
        say("还没有导入记录（monitor import 文件 可导入数据）")
        return 0
    names = {c: d.name for c, d in ctx.catalogue.departments.items()}
    zh = {s.value: STATUS_ZH[s] for s in ImportStatus}
    table = [
        [
            int(r.id),
            _local(r.started_at, ctx),
            _short(str(r.file_name), 36),
            names.get(_opt(r.department) or "", _opt(r.department) or ""),
            r.channel,
            zh.get(r.status, r.status),
            int(r.inserted),
            int(r.revised),
            int(r.unchanged),
            len(r.warnings or []),
            len(r.errors or []),
            _short(str(r.message), 40),
        ]
        for r in log.itertuples(index=False)
    ]
    say(
        text_table(
            ["编号", "时间", "文件", "责任单位", "渠道", "状态", "新增", "修订", "未变", "警告", "错误", "说明"],
            table,
            [True, False, False, False, False, False, True, True, True, True, True],
        )
    )
    if args.id:
        _print_issues(next(log.itertuples(index=False)))
    return 0


def _import_json(r: Any, tz: ZoneInfo) -> dict[str, Any]:
    def local(at: Any) -> str | None:
        return None if pd.isna(at) else pd.Timestamp(at).tz_convert(tz).isoformat()

    return {
        "id": int(r.id),
        "file_name": _opt(r.file_name),
        "sha256": _opt(r.sha256),
        "department": _opt(r.department),
        "channel": r.channel,
        "status": r.status,
        "started_at": local(r.started_at),
        "finished_at": local(r.finished_at),
        "inserted": int(r.inserted),
        "revised": int(r.revised),
        "unchanged": int(r.unchanged),
        "is_sample": bool(r.is_sample),
        "message": _opt(r.message) or "",
        "warnings": r.warnings or [],
        "errors": r.errors or [],
    }


def _print_issues(r: Any) -> None:
    """The stored errors and warnings of one import, as tables."""
    for what, items in (("错误", r.errors or []), ("警告", r.warnings or [])):
        if items:
            say(f"\n{what}（{len(items)}）：")
            issues = [
                Issue(
                    i.get("row"), i.get("column", ""), str(i.get("value", "")), i.get("code", ""), i.get("message", "")
                )
                for i in items
            ]
            for line in _issue_table(issues, len(issues), what):
                say(line)


def cmd_template(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.templates import template_frame, template_title, write_template

    department = _department(ctx, args.department) or ""
    try:
        report_month = parse_period(args.period)
    except PeriodError as exc:
        raise UsageError(f"--period：{exc}") from None
    if report_month.frequency is not Frequency.MONTHLY:
        raise UsageError(f"--period “{args.period}” 须为报告月份，如 2021-05")
    frame = template_frame(ctx.catalogue, department, report_month)
    out = Path(args.out or f"{department}_{report_month}_报送模板.xlsx")
    write_template(frame, template_title(ctx.catalogue, department, report_month), out)
    say(
        f"已写出 {out}：{ctx.catalogue.departments[department].name} {len(frame)} 项指标（填写“数值”和“同比增长(%)”后用"
        f" monitor import {out} --department {department} 导入）"
    )
    return 0


def cmd_inbox_scan(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.inbox import scan_inbox, shown_name

    root = Path(args.dir) if args.dir else ctx.settings.var_dir / "inbox"
    if not root.is_dir():
        raise UsageError(f"收件目录 {root} 不存在：请创建 {root}/<责任单位代码>/ 并把文件放入其中")
    engine = ctx.ready_engine()
    today = ctx.today()
    report = scan_inbox(
        engine,
        ctx.catalogue,
        root,
        today=today.date,
        settle_seconds=args.settle,
        limits=ctx.settings.import_limits,
        progress=note,
    )
    for folder in report.unknown_folders:
        note(f"跳过文件夹 {shown_name(str(folder))}：“{shown_name(folder.name)}”不是责任单位代码")
    if args.format == "json":
        doc = {
            "files": [
                {
                    **i.result.as_json(),
                    "source": str(i.source),
                    "moved_to": str(i.moved_to),
                    "error_report": str(i.report) if i.report else None,
                }
                for i in report.items
            ],
            "left": [{"file": str(p), "reason": why} for p, why in report.left],
        }
        say(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        names = {c: d.name for c, d in ctx.catalogue.departments.items()}
        for item in report.items:
            print_result(item.result, names)
            say(f"  已移至 {item.moved_to}" + (f"，错误清单 {item.report}" if item.report else ""))
        for path, why in report.left:
            say(f"【暂不导入】{shown_name(str(path))}：{why}")
        if not report.items and not report.left:
            say(f"收件目录 {root} 中没有待导入的文件")
    return 0 if report.ok else 1


def register(sub: Subcommands) -> None:
    imp = add_command(
        sub, "import", cmd_import, "导入责任单位报送的 CSV/Excel 文件（整个文件要么全部导入，要么不做任何更改）"
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help="CSV（UTF-8 或 GB18030）或 .xlsx 文件，可多个")
    imp.add_argument("--department", help="报送单位代码，如 finance；给出时检查该单位是否负责所报指标")
    imp.add_argument("--dry-run", action="store_true", help="只校验并报告将要新增/修订的数量，不写入任何内容")
    imp.add_argument("--format", choices=["table", "json"], default="table")

    log = add_command(sub, "imports", cmd_imports, "列出导入记录（状态、数量、警告和错误）")
    log.add_argument("--limit", type=int, default=30, help="最多列出多少条（默认 30）")
    log.add_argument("--status", choices=[s.value for s in ImportStatus], help="只看某种状态")
    log.add_argument("--id", type=int, help="查看某一批次的详情（含错误和警告清单）")
    log.add_argument("--format", choices=["table", "json"], default="table")

    tpl = add_command(sub, "template", cmd_template, "生成责任单位的报送模板（每项牵头指标一行，可直接填写后导入）")
    tpl.add_argument("--department", required=True, help="责任单位代码，如 stats")
    tpl.add_argument("--period", required=True, help="报告月份，如 2021-05（错月指标自动取上月）")
    tpl.add_argument("--out", help="输出文件 .xlsx 或 .csv（默认 <单位>_<月份>_报送模板.xlsx）")

    inbox = add_command(sub, "inbox", _inbox_help, "收件目录：导入各责任单位放入 inbox/<单位代码>/ 的文件")
    actions = inbox.add_subparsers(dest="inbox_command", required=True, metavar="ACTION", parser_class=type(inbox))
    scan = actions.add_parser("scan", help="导入收件目录中已写完的文件，并归档到 archive/ 或 rejected/")
    scan.set_defaults(func=cmd_inbox_scan)
    scan.add_argument("--dir", help="收件目录（默认 var/inbox）；归档目录与它同级")
    scan.add_argument("--settle", type=float, default=2.0, help="两次查看文件大小的间隔秒数（默认 2）")
    scan.add_argument("--format", choices=["table", "json"], default="table")


def _inbox_help(ctx: Context, args: argparse.Namespace) -> int:
    raise UsageError("请使用 monitor inbox scan")
