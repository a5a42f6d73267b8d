"""`monitor serve`: the board (Dash) on a production WSGI server until Ctrl-C: gunicorn with several
worker processes (Linux), or waitress in one process (`--workers 1`, and where gunicorn does not run)."""

from __future__ import annotations

import argparse
import contextlib
from dataclasses import replace

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.board_server import ServeOptions, gunicorn_available, serve_wsgi
from monitor.cli.context import Context, stop_on_sigterm
from monitor.cli.output import note, say
from monitor.errors import UsageError
from monitor.settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def board_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{shown}:{port}/"


def serve_board(
    settings: Settings, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, workers: int | None = None
) -> None:
    """Build the board, fit the forecasts the first page needs, print the URL and serve until interrupted.

    `workers` (default: the setting MONITOR_BOARD_WORKERS) > 1 serves on gunicorn with that many
    worker processes sharing one page cache and session table; 1 on waitress in this process.
    """
    from dash_app.app import before_fork, create_app, prepare_for_workers
    from dash_app.board_state import board, warm_up
    from dash_app.page_cache import remove_stale_folders

    if not 0 < port < 65536:
        raise UsageError(f"端口 {port} 无效：应为 1-65535 之间的整数")
    count = settings.server.workers if workers is None else workers
    if count < 1:
        raise UsageError(f"工作进程数 {count} 无效：应为 1 或更大的整数")
    if settings.auth_problem:
        raise UsageError(settings.auth_problem)
    settings = replace(settings, serving_url=settings.serving_url or board_url(host, port))
    remove_stale_folders(settings.var_dir)
    app = create_app(settings)
    note("正在准备看板（读取数据、更新全年预测）…")
    warm_up()
    options = ServeOptions(host, port, count, settings.server.threads, settings.auth.max_request_bytes)
    many = count > 1 and gunicorn_available()

    def ready() -> None:  # printed once the port listens: the address works
        how = f"{count} 个工作进程（gunicorn）" if many else "单进程（waitress）"
        say(f"看板地址: {board_url(host, port)}（{how}）")

    if many:
        prepare_for_workers(app)
    try:
        serve_wsgi(app.server, options, ready, before_fork)
    finally:
        board().cache.remove()


def cmd_serve(ctx: Context, args: argparse.Namespace) -> int:
    ctx.ready_engine()
    stop_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):  # raised only before the board serves; then waitress takes it
        serve_board(ctx.settings, args.host, args.port, args.workers)
    say("看板已停止")
    return 0


def register(sub: Subcommands) -> None:
    serve = add_command(sub, "serve", cmd_serve, "启动看板（网页），直到按 Ctrl-C")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"监听地址（默认 {DEFAULT_HOST}；局域网访问用 0.0.0.0）")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    add_workers_argument(serve)


def add_workers_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=int,
        help="看板工作进程数（默认取 MONITOR_BOARD_WORKERS，Linux 上为 2；大于 1 时用 gunicorn，1 为单进程 waitress）",
    )
