"""Command line: one small function per command; every MonitorError becomes a message and exit 1.

    monitor [--db URL] [--config FILE] COMMAND ...

Each module of this package registers its commands with `register(subparsers)`.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence

from monitor.cli import (
    alerts,
    audit,
    briefing,
    catalog,
    data,
    digest,
    forecast,
    imports,
    pace,
    projects,
    ranking,
    scheduler,
    serve,
    setup,
    tasks,
    users,
)
from monitor.cli.arguments import Parser
from monitor.cli.context import Context
from monitor.cli.output import note
from monitor.errors import ConfigError, MonitorError
from monitor.settings import load_settings

COMMAND_MODULES = (
    setup,
    catalog,
    data,
    pace,
    ranking,
    imports,
    projects,
    tasks,
    forecast,
    alerts,
    digest,
    briefing,
    scheduler,
    serve,
    users,
    audit,
)


def build_parser() -> Parser:
    parser = Parser(prog="monitor", description="经济运行监测：指标目录、数据导入、序时进度、预警与看板")
    parser.add_argument("--db", help="数据库地址（覆盖 MONITOR_DATABASE_URL），如 postgresql+psycopg://user@host/db")
    parser.add_argument("--config", help="指标目录文件（覆盖 MONITOR_CONFIG，默认 indicators.toml）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _print_config_error(exc: ConfigError) -> None:
    note(f"错误：{exc}")
    for p in exc.problems:
        note(f"  {exc.path} · {p.key}：{p.message}")
    if exc.problems:
        note(f"共 {len(exc.problems)} 处问题；修改后运行 monitor catalog check 复查")


def os_error_text(exc: OSError) -> str:
    """A file-system error as one Chinese line naming the path: unwritable --out, a full disk, a missing folder."""
    reasons = {
        errno.ENOENT: "路径不存在",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.ENOSPC: "磁盘已满",
        errno.EROFS: "文件系统只读",
        errno.EISDIR: "这是一个文件夹，不是文件",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.ENAMETOOLONG: "文件名过长",
        errno.EEXIST: "已存在同名的文件，不是文件夹",
    }
    reason = reasons.get(exc.errno or -1, exc.strerror or type(exc).__name__)
    path = exc.filename if exc.filename is not None else ""
    return f"无法读写 {path}：{reason}" if path else f"读写文件失败：{reason}"


def _closed_pipe() -> int:
    """The reader of our output went away (`monitor alerts list | head`): stop quietly, exit 1."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python flushes stdout at exit: let that go nowhere
    except (OSError, ValueError):
        pass
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Chinese text on any console encoding
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings().with_overrides(database_url=args.db, config_path=args.config)
        return int(args.func(Context(settings), args))
    except ConfigError as exc:
        _print_config_error(exc)
        return 1
    except MonitorError as exc:
        note(f"错误：{exc}")
        return 1
    except BrokenPipeError:
        return _closed_pipe()
    except OSError as exc:
        note(f"错误：{os_error_text(exc)}")
        return 1
    except KeyboardInterrupt:
        note("已中断")
        return 130
