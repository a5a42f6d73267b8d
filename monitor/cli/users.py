"""`monitor users add|list|passwd|disable|enable`: the board's accounts, for the operator.

Passwords are asked twice on the terminal (never echoed), or read as one line from standard input
with `--password-stdin` (scripts: `printf '%s\\n' "$PW" | monitor users add ...`). Every change is
written to the audit log.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import pandas as pd

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context
from monitor.cli.output import say
from monitor.domain.access import ROLE_ZH, Role, role_from_text
from monitor.errors import UsageError
from monitor.formatting import text_table
from monitor.services import accounts
from monitor.services.audit import CLI_ACTOR, record


def read_password(args: argparse.Namespace) -> str:
    """The new password from stdin (--password-stdin) or asked twice on the terminal."""
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin：标准输入中没有密码")
        return password
    if not sys.stdin.isatty():
        raise UsageError("没有终端可输入密码：请用 --password-stdin 从标准输入读取")
    first = getpass.getpass("密码（至少 8 位，含字母和数字）：")
    if getpass.getpass("再输入一次：") != first:
        raise UsageError("两次输入的密码不一致")
    return first


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    try:
        role = role_from_text(args.role)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    engine = ctx.ready_engine()
    password = read_password(args)
    try:
        principal = accounts.add_user(
            engine, ctx.catalogue, args.name, role, password, department=args.department, display_name=args.display_name
        )
    except UsageError as exc:
        record(engine, CLI_ACTOR, "user_add", args.name, "failure", {"error": str(exc)})
        raise
    record(
        engine,
        CLI_ACTOR,
        "user_add",
        principal.username,
        "success",
        {"role": role.value, "department": args.department},
    )
    where = f"，责任单位 {ctx.catalogue.departments[args.department].name}" if args.department else ""
    say(f"已新增用户 {principal.username}（{ROLE_ZH[role]}{where}）")
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    frame = accounts.list_users(ctx.ready_engine())
    if frame.empty:
        say("尚无用户：用 monitor users add 用户名 --role admin 新增管理员")
        return 0
    cat = ctx.catalogue
    body = []
    for row in frame.to_dict("records"):
        dept = row["department"] if isinstance(row["department"], str) else ""
        last = row["last_sign_in_at"]
        body.append(
            [
                row["username"],
                row["display_name"],
                ROLE_ZH.get(Role(row["role"]), row["role"]),
                cat.departments[dept].name if dept in cat.departments else dept,
                ("启用" if row["active"] else "停用") + ("（示例账户）" if row["is_demo"] else ""),
                ""
                if last is None or pd.isna(last)
                else pd.Timestamp(last).tz_convert(ctx.tz).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    say(text_table(["用户名", "姓名", "角色", "责任单位", "状态", "最近登录"], body))
    return 0


def cmd_passwd(ctx: Context, args: argparse.Namespace) -> int:
    engine = ctx.ready_engine()
    password = read_password(args)
    try:
        accounts.set_password(engine, args.name, password)
    except UsageError as exc:
        record(engine, CLI_ACTOR, "user_passwd", args.name, "failure", {"error": str(exc)})
        raise
    record(engine, CLI_ACTOR, "user_passwd", args.name, "success")
    say(f"已修改用户 {args.name} 的密码（账户锁定同时解除）")
    return 0


def _set_active(ctx: Context, name: str, active: bool) -> int:
    engine = ctx.ready_engine()
    action = "user_enable" if active else "user_disable"
    try:
        accounts.set_active(engine, name, active)
    except UsageError as exc:
        record(engine, CLI_ACTOR, action, name, "failure", {"error": str(exc)})
        raise
    record(engine, CLI_ACTOR, action, name, "success")
    say(f"已{'启用' if active else '停用'}用户 {name}" + ("" if active else "（历史记录保留，不能再登录）"))
    return 0


def cmd_disable(ctx: Context, args: argparse.Namespace) -> int:
    return _set_active(ctx, args.name, False)


def cmd_enable(ctx: Context, args: argparse.Namespace) -> int:
    return _set_active(ctx, args.name, True)


def register(sub: Subcommands) -> None:
    users = sub.add_parser("users", help="看板用户：新增、列出、改密码、停用、启用", description="看板用户管理")
    inner = users.add_subparsers(dest="users_command", required=True, metavar="ACTION", parser_class=type(users))
    roles = "、".join(f"{r.value}（{ROLE_ZH[r]}）" for r in Role)
    add = add_command(inner, "add", cmd_add, "新增用户（询问密码，或 --password-stdin 从标准输入读取）")
    add.add_argument("name", help="用户名（登录用）")
    add.add_argument("--role", required=True, help=f"角色：{roles}")
    add.add_argument("--department", help="部门填报员所属责任单位代码（如 stats）")
    add.add_argument("--display-name", help="显示的姓名（默认同用户名）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")
    add_command(inner, "list", cmd_list, "列出全部用户（不显示密码）")
    passwd = add_command(inner, "passwd", cmd_passwd, "修改用户密码（同时解除锁定）")
    passwd.add_argument("name", help="用户名")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")
    disable = add_command(inner, "disable", cmd_disable, "停用用户（保留其历史记录）")
    disable.add_argument("name", help="用户名")
    enable = add_command(inner, "enable", cmd_enable, "重新启用用户")
    enable.add_argument("name", help="用户名")
