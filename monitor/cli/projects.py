"""`monitor projects import|template|list|pace|problems`: 重点项目 register, 周报, pace and the 项目服务清单."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context
from monitor.cli.imports import print_result
from monitor.cli.output import emit, note, say
from monitor.errors import UsageError
from monitor.formatting import text_table
from monitor.storage.db import transaction


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.imports import ImportRequest, ImportStatus
    from monitor.services.project_imports import import_project_file

    engine = ctx.ready_engine()
    request = ImportRequest(today=ctx.today().date, channel="cli", dry_run=args.dry_run)
    names = {c: d.name for c, d in ctx.catalogue.departments.items()}
    results = [import_project_file(engine, ctx.catalogue, Path(f), request) for f in args.files]
    if args.format == "json":
        say(json.dumps({"files": [r.as_json() for r in results]}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            print_result(r, names)
    return 0 if all(r.status is not ImportStatus.REJECTED for r in results) else 1


def cmd_template(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.project_files import (
        REGISTER_TEMPLATE_COLUMNS,
        WEEKLY_TEMPLATE_COLUMNS,
        weekly_template_rows,
        write_sheet,
    )
    from monitor.services.project_pace import parse_project_period
    from monitor.storage.projects import load_projects

    if args.register:
        out = Path(args.out or "重点项目库_模板.xlsx")
        write_sheet(out, f"{ctx.catalogue.meta.title} 重点项目库", REGISTER_TEMPLATE_COLUMNS, [])
        say(f"已写出 {out}：级别填 省/市/区，类别填 产业/基础设施/民生/城市更新，性质填 新开工/续建/竣工/前期")
        return 0
    if not args.week:
        raise UsageError("请用 --week 指定周次（如 2021-W26），或用 --register 生成项目库模板")
    week = parse_project_period(args.week)
    if week.frequency.value != "weekly":
        raise UsageError(f"--week “{args.week}” 须为周，如 2021-W26")
    with transaction(ctx.ready_engine()) as session:
        projects = load_projects(session, year=week.year)
    if projects.empty:
        raise UsageError(f"{week.year} 年没有项目库：请先用 monitor projects import 导入项目库")
    rows = weekly_template_rows(projects, week)
    out = Path(args.out or f"重点项目周报_{week}.xlsx")
    write_sheet(out, f"{ctx.catalogue.meta.title} 重点项目周报（{week.label_zh()}）", WEEKLY_TEMPLATE_COLUMNS, rows)
    say(f"已写出 {out}：{len(rows)} 个项目（填写本周和累计完成投资后用 monitor projects import {out} 导入）")
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.storage.projects import load_projects

    with transaction(ctx.ready_engine()) as session:
        projects = load_projects(session, year=args.year)
    names = {c: d.name for c, d in ctx.catalogue.departments.items()}
    streets = {c: r.name for c, r in ctx.catalogue.regions.items()}
    if args.format == "json":
        rows = [
            {k: (str(v) if k in ("start_planned", "finish_planned") and v is not None else v) for k, v in r.items()}
            for r in projects.drop(columns="is_sample").to_dict("records")
        ]
        return emit(json.dumps({"projects": rows}, ensure_ascii=False, indent=2, default=str), None)
    body = [
        [
            r.code,
            r.year,
            r.name,
            f"{r.level}级",
            r.category,
            r.nature,
            streets.get(r.street, r.street or ""),
            f"{r.annual_plan:.2f}",
            names.get(r.department, r.department),
            r.start_planned or "",
        ]
        for r in projects.itertuples()
    ]
    say(
        text_table(
            ["编号", "年度", "项目名称", "级别", "类别", "性质", "街道", "年度计划(亿元)", "责任单位", "计划开工"], body
        )
    )
    say(f"共 {len(projects)} 个项目")
    return 0


def cmd_pace(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.project_files import write_sheet
    from monitor.services.project_pace import (
        STATUS_ZH,
        pace_document,
        pace_json_rows,
        pace_table,
        parse_project_period,
        project_pace_report,
    )

    period = parse_project_period(args.period)
    with transaction(ctx.ready_engine()) as session:
        report = project_pace_report(session, ctx.catalogue, period)
    if report.is_sample:
        note("注意：示例数据（模拟生成，非官方统计）")
    if args.format == "json":
        return emit(json.dumps(pace_document(report), ensure_ascii=False, indent=2), args.out)
    if args.format in ("csv", "xlsx"):
        out = Path(args.out or f"重点项目进度_{period}.{args.format}")
        rows = pace_json_rows(report)
        headers = [
            "项目编号",
            "项目名称",
            "级别",
            "类别",
            "责任单位",
            "年度计划(亿元)",
            "累计完成(亿元)",
            "完成%",
            "序时%",
            "快慢(百分点)",
            "状态",
            "计划开工",
            "实际开工",
            "未办结问题",
        ]
        body = [
            [
                r["project"],
                r["name"],
                r["level"],
                r["category"],
                r["department"],
                r["annual_plan"],
                r["cumulative"],
                r["completion"],
                r["elapsed"],
                r["gap_pp"],
                STATUS_ZH[r["status"]],
                r["start_planned"] or "",
                r["start_actual"] or "",
                r["open_problems"],
            ]
            for r in rows
        ]
        write_sheet(out, f"重点项目序时进度（{period}）", headers, body)
        say(f"已写出 {len(rows)} 个项目到 {out}")
        return 0
    return emit(f"重点项目序时进度（{period}）\n" + pace_table(report, ctx.catalogue, args.by), args.out)


def cmd_problems(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.domain.projects import STATE_ZH, ProblemState
    from monitor.services.project_problems import service_list

    today = ctx.today()
    with transaction(ctx.ready_engine()) as session:
        problems = service_list(session, today.date, year=args.year, department=args.department, open_only=args.open)
    if args.format == "json":
        rows = [
            {
                "id": int(r.id),
                "project": r.code,
                "name": r.project_name,
                "category": r.category,
                "description": r.description,
                "department": r.department,
                "raised_on": str(r.raised_on),
                "due_on": str(r.due_on),
                "state": r.shown,
                "days_overdue": int(r.days_overdue),
                "response": r.response,
            }
            for r in problems.itertuples()
        ]
        return emit(json.dumps({"as_of": str(today.date), "problems": rows}, ensure_ascii=False, indent=2), None)
    names = {c: d.name for c, d in ctx.catalogue.departments.items()}
    body = [
        [
            int(r.id),
            r.project_name,
            r.category,
            r.description,
            names.get(r.department, r.department or ""),
            r.raised_on,
            r.due_on,
            STATE_ZH[ProblemState(r.shown)] + (f"{r.days_overdue}天" if r.days_overdue else ""),
        ]
        for r in problems.itertuples()
    ]
    say(text_table(["编号", "项目", "类别", "问题", "责任单位", "提出日期", "办结时限", "状态"], body))
    overdue = int((problems["shown"] == "overdue").sum())
    say(f"共 {len(problems)} 个问题，其中超期 {overdue} 个（截至 {today.date}）")
    return 0


def cmd_problem(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.domain.access import Principal, Role
    from monitor.services.clock import utc_now
    from monitor.services.project_problems import change_service_problem

    if not args.by.strip():
        raise UsageError("--by 须填写办理人姓名")
    if args.department and args.department not in ctx.catalogue.departments:
        raise UsageError(f"未知的责任单位代码“{args.department}”")
    principal = (
        Principal(args.by, args.by, Role.REPORTER, args.department)
        if args.department
        else Principal(args.by, args.by, Role.GROUP)
    )
    with transaction(ctx.ready_engine()) as session:
        state = change_service_problem(
            session, args.id, to_state=args.state, principal=principal, note=args.note, now=utc_now()
        )
    from monitor.domain.projects import STATE_ZH, ProblemState

    say(f"第 {args.id} 号问题已改为“{STATE_ZH[ProblemState(state)]}”（{args.by}）")
    return 0


def register(sub: Subcommands) -> None:
    projects = add_command(sub, "projects", _help, "重点项目：项目库、周报导入、序时进度和项目服务清单")
    actions = projects.add_subparsers(
        dest="projects_command", required=True, metavar="ACTION", parser_class=type(projects)
    )
    imp = actions.add_parser("import", help="导入项目库或周报（CSV/Excel；整个文件要么全部导入，要么不做任何更改）")
    imp.set_defaults(func=cmd_import)
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    imp.add_argument("--format", choices=["table", "json"], default="table")
    tpl = actions.add_parser("template", help="生成周报模板（已填好项目库中的项目），或用 --register 生成项目库模板")
    tpl.set_defaults(func=cmd_template)
    tpl.add_argument("--week", help="周次，如 2021-W26（周报模板）")
    tpl.add_argument("--register", action="store_true", help="生成空白的项目库模板")
    tpl.add_argument("--out", help="输出文件 .xlsx 或 .csv")
    lst = actions.add_parser("list", help="列出项目库")
    lst.set_defaults(func=cmd_list)
    lst.add_argument("--year", type=int)
    lst.add_argument("--format", choices=["table", "json"], default="table")
    pace = actions.add_parser("pace", help="各项目对照自身序时的进度（完成年度计划%、快慢百分点、红黄绿灯、开工滞后）")
    pace.set_defaults(func=cmd_pace)
    pace.add_argument("--period", required=True, help="月份 2021-06 或周 2021-W26")
    pace.add_argument(
        "--by", choices=["level", "category", "department", "street"], help="按级别/类别/责任单位/街道小计"
    )
    pace.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    pace.add_argument("--out", help="输出文件")
    problems = actions.add_parser("problems", help="项目服务清单：各项目提出的问题、责任单位、办结时限和状态（含超期）")
    problems.set_defaults(func=cmd_problems)
    problems.add_argument("--year", type=int)
    problems.add_argument("--department", help="只看分派给某责任单位的问题")
    problems.add_argument("--open", action="store_true", help="只看未解决的问题")
    problems.add_argument("--format", choices=["table", "json"], default="table")
    problem = actions.add_parser("problem", help="办理一个问题：改为已会办或已解决并填写答复（每次更改都留痕）")
    problem.set_defaults(func=cmd_problem)
    problem.add_argument("id", type=int)
    problem.add_argument("--state", required=True, choices=["coordinated", "solved", "submitted"])
    problem.add_argument("--by", required=True, help="办理人姓名")
    problem.add_argument("--note", default="", help="答复或办理结果")
    problem.add_argument("--department", help="以该责任单位填报员的身份办理（不填则为领导小组）")


def _help(ctx: Context, args: argparse.Namespace) -> int:
    raise UsageError("请使用 monitor projects import|template|list|pace")
