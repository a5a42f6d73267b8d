"""`monitor serve`: the board (Dash) on a production WSGI server (waitress), until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import logging
from dataclasses import replace

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context, stop_on_sigterm
from monitor.cli.output import note, say
from monitor.errors import UsageError
from monitor.settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def board_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{shown}:{port}/"


def serve_board(settings: Settings, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, threads: int = 8) -> None:
    """Build the board, fit the forecasts the first page needs, print the URL and serve until interrupted."""
    import waitress

    from dash_app.app import create_app
    from dash_app.board_state import warm_up

    if not 0 < port < 65536:
        raise UsageError(f"端口 {port} 无效：应为 1-65535 之间的整数")
    if settings.auth_problem:
        raise UsageError(settings.auth_problem)
    settings = replace(settings, serving_url=settings.serving_url or board_url(host, port))
    app = create_app(settings)
    note("正在准备看板（读取数据、更新全年预测）…")
    warm_up()
    logging.getLogger("waitress").setLevel(logging.ERROR)
    try:
        server = waitress.create_server(
            app.server,
            host=host,
            port=port,
            threads=threads,
            ident="monitor",
            max_request_body_size=settings.auth.max_request_bytes,  # refused from Content-Length, never buffered
        )
    except OSError as exc:
        reason = exc.strerror or exc
        raise UsageError(f"无法在 {host}:{port} 上启动看板：{reason}（端口被占用时请用 --port 换一个）") from None
    say(f"看板地址: {board_url(host, port)}")  # printed once the port listens: the address works
    try:
        server.run()
    finally:
        server.close()


def cmd_serve(ctx: Context, args: argparse.Namespace) -> int:
    ctx.ready_engine()
    stop_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):  # raised only before the board serves; then waitress takes it
        serve_board(ctx.settings, args.host, args.port)
    say("看板已停止")
    return 0


def register(sub: Subcommands) -> None:
    serve = add_command(sub, "serve", cmd_serve, "启动看板（网页），直到按 Ctrl-C")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"监听地址（默认 {DEFAULT_HOST}；局域网访问用 0.0.0.0）")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
