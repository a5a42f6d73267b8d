"""The WSGI servers the board runs on: waitress (one process, threads) or gunicorn (worker processes, Linux).

gunicorn is driven through its application API: the board is built once in the serving process,
which then forks the workers (`preload_app`), so they share the secret key that signs the session
cookies, the session table and the page cache. Before each fork the serving process drops its
database and cache connections (`before_fork`); every worker opens its own.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitor.errors import UsageError

__all__ = ["ServeOptions", "gunicorn_available", "serve_wsgi"]


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    workers: int
    threads: int
    max_request_bytes: int
    timeout: int = 120  # seconds a worker may spend on one request before gunicorn restarts it


def gunicorn_available() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def _check_port(host: str, port: int) -> None:
    """UsageError now, rather than gunicorn's retries, when the address cannot be listened on."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = exc.strerror or exc
            raise UsageError(f"无法在 {host}:{port} 上启动看板：{reason}（端口被占用时请用 --port 换一个）") from None


def _serve_waitress(app: Any, options: ServeOptions, on_ready: Callable[[], None]) -> None:
    import waitress

    logging.getLogger("waitress").setLevel(logging.ERROR)
    try:
        server = waitress.create_server(
            app,
            host=options.host,
            port=options.port,
            threads=options.threads,
            ident="monitor",
            max_request_body_size=options.max_request_bytes,  # refused from Content-Length, never buffered
        )
    except OSError as exc:
        reason = exc.strerror or exc
        message = f"无法在 {options.host}:{options.port} 上启动看板：{reason}（端口被占用时请用 --port 换一个）"
        raise UsageError(message) from None
    on_ready()
    try:
        server.run()
    finally:
        server.close()


def _gunicorn_application(app: Any, settings: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class Board(BaseApplication):
        def load_config(self) -> None:
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    return Board()


def _serve_gunicorn(
    app: Any, options: ServeOptions, on_ready: Callable[[], None], before_fork: Callable[[], None]
) -> None:
    _check_port(options.host, options.port)
    host = f"[{options.host}]" if ":" in options.host else options.host
    settings = {
        "bind": [f"{host}:{options.port}"],
        "workers": options.workers,
        "worker_class": "gthread",  # threads in each worker, keep-alive connections
        "threads": options.threads,
        "preload_app": True,
        "timeout": options.timeout,
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "monitor-board",
        "pre_fork": lambda _server, _worker: before_fork(),
        "when_ready": lambda _server: on_ready(),
    }
    try:
        _gunicorn_application(app, settings).run()
    except SystemExit as exc:  # the arbiter ends with sys.exit: a clean stop is code 0
        if exc.code not in (0, None):
            raise UsageError(f"看板服务异常退出（gunicorn 退出码 {exc.code}），详见上方日志") from None


def serve_wsgi(app: Any, options: ServeOptions, on_ready: Callable[[], None], before_fork: Callable[[], None]) -> None:
    """Serve `app` until interrupted: gunicorn with `options.workers` processes when > 1 and available, else waitress.

    `on_ready` runs once the address listens; `before_fork` in the serving process before each worker is forked.
    """
    if options.workers > 1 and gunicorn_available():
        _serve_gunicorn(app, options, on_ready, before_fork)
    else:
        _serve_waitress(app, options, on_ready)
