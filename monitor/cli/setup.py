"""`monitor init|demo|status|run`: set a database up, load sample data, summarise, run the product."""

from __future__ import annotations

import argparse
from dataclasses import replace

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context, stop_on_sigterm
from monitor.cli.output import note, say
from monitor.cli.serve import add_workers_argument
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import migrate, transaction


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    catalogue = ctx.catalogue
    note(f"数据库：{ctx.engine.url.render_as_string(hide_password=True)}")
    migrate(ctx.engine)
    with transaction(ctx.engine) as session:
        changes = sync_catalogue(session, catalogue)
    if changes:
        from monitor.services.audit import CLI_ACTOR, record

        record(
            ctx.engine, CLI_ACTOR, "catalogue_sync", str(ctx.settings.config_path), "success", {"changes": len(changes)}
        )
        say(f"已同步指标目录 {ctx.settings.config_path}：")
        for line in changes:
            say(f"  {line}")
    else:
        say(f"指标目录 {ctx.settings.config_path} 与数据库一致，无需更改")
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.demo import load_demo
    from monitor.services.tasks import tasks_file_for

    engine = ctx.ready_engine()
    note("正在生成并写入示例数据（2016-01 至 2021-06，姑苏区、8 个街道和 9 个对标地区）…")
    beside = tasks_file_for(ctx.settings.config_path)
    result = load_demo(engine, ctx.catalogue, beside if beside.exists() else None)
    c = result.counts
    say(
        f"示例数据：{result.rows:,} 行，新增 {c.inserted:,}、修订 {c.revised:,}、未变 {c.unchanged:,}，"
        f"用时 {result.seconds:.1f} 秒（导入批次 #{result.import_id}）"
    )
    say(f"示例数据自带的“当前日期”为 {result.today}：只要数据库中只有示例数据，各命令都以此为今天")
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.summary import catalogue_lines, data_lines, data_summary, pace_summary_table

    engine = ctx.ready_engine()
    today = ctx.today(getattr(args, "as_of", None))
    say(f"{ctx.catalogue.meta.title}")
    say(f"数据库：{engine.url.render_as_string(hide_password=True)}")
    for line in catalogue_lines(ctx.catalogue, str(ctx.settings.config_path)):
        say(line)
    with transaction(engine) as session:
        summary = data_summary(session)
        for line in data_lines(summary):
            say(line)
        say(today.note)
        if summary.current_rows:
            say()
            say(pace_summary_table(session, ctx.catalogue, today))
            if summary.sample_rows:
                say("\n以上为示例数据（模拟生成，非官方统计数据）")
    return 0


def cmd_run(ctx: Context, args: argparse.Namespace) -> int:
    """The README's main command: initialise, load sample data into an empty database, then report."""
    from monitor.services.demo import database_is_empty

    cmd_init(ctx, args)
    if database_is_empty(ctx.engine):
        cmd_demo(ctx, args)
    say()
    code = cmd_status(ctx, args)
    if args.once:
        return code
    board_accounts(ctx)
    from monitor.cli.board_server import gunicorn_available
    from monitor.cli.serve import board_url, serve_board
    from monitor.scheduler import start_in_background

    workers = ctx.settings.server.workers if args.workers is None else args.workers
    say("\n定时任务已在后台启动（收件箱扫描、预警评估、每周预警周报）；看板在前台运行，按 Ctrl-C 停止")
    ctx.settings = replace(ctx.settings, serving_url=board_url(args.host, args.port))  # the emails' address
    handle = start_in_background(ctx.settings, on_state=note, own_process=workers > 1 and gunicorn_available())
    stop_on_sigterm()
    try:
        serve_board(ctx.settings, args.host, args.port, workers)  # returns when interrupted (the server takes it)
    except KeyboardInterrupt:
        pass  # interrupted before the board was serving
    finally:
        handle.stop()
    say("已停止看板和定时任务")
    return code


def board_accounts(ctx: Context) -> None:
    """Sample data: labelled demo accounts with passwords generated and printed now, once. Real data: none."""
    from monitor.domain.access import ROLE_ZH
    from monitor.services import accounts
    from monitor.services.audit import CLI_ACTOR, record

    if ctx.today().is_sample:
        made = accounts.ensure_demo_accounts(ctx.engine, ctx.catalogue)
        say("\n示例账户（仅用于示例数据；密码每次启动重新生成，只显示这一次）：")
        for principal, password in made:
            record(ctx.engine, CLI_ACTOR, "user_passwd", principal.username, "success", {"demo": True})
            say(f"  {principal.username:<13} {password}  {ROLE_ZH[principal.role]}（{principal.display_name}）")
        return
    if accounts.disable_demo_accounts(ctx.engine):
        say("数据库中已有真实数据：示例账户已停用")
    if accounts.count_users(ctx.engine) == 0:
        say("\n尚无看板账户：请先运行 monitor users add 用户名 --role admin 创建管理员，再登录看板")


def register(sub: Subcommands) -> None:
    add_command(sub, "init", cmd_init, "迁移数据库到最新版本并同步指标目录（可重复运行）")
    add_command(sub, "demo", cmd_demo, "生成并载入示例数据（2016-01 至 2021-06，标注为示例数据）")
    status = add_command(sub, "status", cmd_status, "显示指标目录和数据概况")
    status.add_argument("--as-of", help="以此日期为今天（ISO 日期，如 2021-07-20）")
    run = add_command(sub, "run", cmd_run, "初始化数据库、空库时载入示例数据并运行（README 的主命令）")
    run.add_argument("--as-of", help="以此日期为今天（ISO 日期，如 2021-07-20）")
    run.add_argument("--once", action="store_true", help="只初始化并显示概况，然后退出（不启动定时任务和看板）")
    run.add_argument("--host", default="127.0.0.1", help="看板监听地址（默认 127.0.0.1；局域网访问用 0.0.0.0）")
    run.add_argument("--port", type=int, default=8050, help="看板端口（默认 8050）")
    add_workers_argument(run)
