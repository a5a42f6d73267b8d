"""The board: `create_app(settings)` -> a multi-page Dash app that serves every asset itself.

The app reads the catalogue and opens the database named by the settings, installs them for
the pages (`dash_app.board_state`), imports the pages (each calls `dash.register_page`) and wraps
everything in one frame: title, navigation, an error area. Nothing is fetched from a CDN: Dash,
Plotly and AG Grid scripts come from the installed packages, CSS from `assets/`.

Pages and their callbacks are registered once per process (Dash keeps callbacks globally), so
a process serves one board.
"""

from __future__ import annotations

import importlib
import logging
import secrets
from pathlib import Path
from typing import Any

import dash
from dash import Dash, dcc, html, set_props
from werkzeug.exceptions import HTTPException

from dash_app import ids
from dash_app.auth import current_principal, install_auth
from dash_app.board_state import Board, board, install
from dash_app.security import forbidden, install_security
from monitor.catalogue_file import load_catalogue
from monitor.domain.access import ROLE_ZH, may_read_audit
from monitor.domain.catalogue import Catalogue
from monitor.errors import MonitorError, PermissionDenied
from monitor.services.board_reads import open_database
from monitor.settings import Settings

__all__ = ["NAV_PAGES", "create_app"]

ASSETS = Path(__file__).resolve().parent / "assets"
PAGE_MODULES = (
    "cockpit",
    "indicators",
    "indicator",
    "alerts",
    "imports",
    "ranking",
    "projects",
    "project",
    "tasks",
    "audit",
)
NAV_PAGES = (
    ("/", "总览"),
    ("/indicators", "指标一览"),
    ("/alerts", "预警"),
    ("/imports", "数据导入"),
    ("/ranking", "排名"),
    ("/projects", "重点项目"),
    ("/tasks", "重点工作"),
)
log = logging.getLogger("dash_app")


def _on_error(exc: Exception) -> None:
    """A failed callback shows a message at the top of the page; the traceback goes to the server log only.

    A refused action (PermissionDenied) is not shown this way: it is recorded and answered 403.
    """
    if isinstance(exc, PermissionDenied):
        forbidden(exc)
    if isinstance(exc, HTTPException):  # a malformed request (400): answered as such, not as a board error
        raise exc
    if isinstance(exc, MonitorError):
        text = f"出错：{exc}"
    else:
        log.exception("board callback failed", exc_info=exc)
        text = f"看板内部错误（{type(exc).__name__}），请稍后重试；详细信息已写入服务器日志"
    set_props(ids.ERROR, {"children": text, "className": "error-box"})


def _who() -> Any:
    """The signed-in name and role, and the 退出 button (a same-origin form POST)."""
    principal = current_principal()
    if principal is None:
        return None
    role = ROLE_ZH[principal.role]
    if principal.department:
        role += f" · {board_department(principal.department)}"
    return html.Div(
        [
            html.Span(principal.display_name, id=ids.USER_NAME, className="user-name"),
            html.Span(role, id=ids.USER_ROLE, className="user-role muted"),
            html.Form(
                html.Button("退出", id=ids.SIGN_OUT, type="submit", className="button secondary small"),
                action="/logout",
                method="POST",
                className="sign-out",
            ),
        ],
        className="user-box",
    )


def board_department(code: str) -> str:
    departments = board().catalogue.departments
    return departments[code].name if code in departments else code


def _nav() -> list[Any]:
    principal = current_principal()
    pages = list(NAV_PAGES)
    if principal is not None and may_read_audit(principal):
        pages.append(("/audit", "审计日志"))
    return [dcc.Link(label, href=href, className="nav-link") for href, label in pages]


def _frame(title: str) -> Any:
    return html.Div(
        [
            html.Header(
                [
                    html.Div(title, className="brand"),
                    html.Nav(_nav(), id=ids.NAV, className="nav"),
                    _who(),
                ],
                className="topbar",
            ),
            html.Div(id=ids.ERROR, className="error-box hidden", role="alert"),
            html.Main(dash.page_container, className="page"),
            html.Footer("经济运行监测 · 数据来源：各责任单位报送；示例数据为模拟生成，非官方统计", className="footer"),
        ],
        className="frame",
    )


def create_app(settings: Settings, catalogue: Catalogue | None = None, *, require_sign_in: bool = True) -> Dash:
    """The board for the database and catalogue of `settings` (or the catalogue given, e.g. by a benchmark).

    `require_sign_in=False` exists only for bench/auth_load.py, which measures what sign-in costs against
    the same board without it; no command or setting turns sign-in off.
    """
    cat = catalogue or load_catalogue(settings.config_path)
    install(Board(settings, open_database(settings.database_url), cat))
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        serve_locally=True,
        title=cat.meta.title,
        update_title="",
        suppress_callback_exceptions=True,
        on_error=_on_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    for name in PAGE_MODULES:
        importlib.import_module(f"dash_app.pages.{name}")
    app.layout = lambda: _frame(cat.meta.title)
    install_security(app.server, settings.auth, app.csp_hashes)
    if not require_sign_in:
        return app
    install_auth(
        app.server,
        board().engine,
        settings.auth,
        cat.meta.title,
        settings.auth.secret_key or secrets.token_hex(32),
    )
    return app
