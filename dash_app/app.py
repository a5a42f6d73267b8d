"""The board: `create_app(settings)` -> a multi-page Dash app that serves every asset itself.

The app reads the catalogue and opens the database named by the settings, installs them for
the pages (`dash_app.board_state`), imports the pages (each calls `dash.register_page`) and wraps
everything in one frame: title, navigation, an error area. Nothing is fetched from a CDN: Dash,
Plotly and AG Grid scripts come from the installed packages, CSS from `assets/`.

Pages and their callbacks are registered once per process (Dash keeps callbacks globally), so
a process serves one board. Several worker processes serve one board when the app is created
before they are forked (dash_app.serving): they share its secret key, its session table and its
page cache (dash_app.page_cache), all in the instance folder under var/board/.

The pages of CACHED_PAGES depend only on the data key and their arguments (and on the signed-in
person where they look at it, which the cache notices): their layouts are cached whole.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
import plotly.io.json
from dash import Dash, dcc, html, set_props
from werkzeug.exceptions import HTTPException

from dash_app import ids
from dash_app.auth import audience, current_principal, install_auth, release_sessions
from dash_app.board_state import Board, board, install, snapshot
from dash_app.page_cache import SharedCache, instance_folder
from dash_app.security import forbidden, install_security
from monitor.catalogue_file import load_catalogue
from monitor.domain.access import ROLE_ZH, may_read_audit
from monitor.domain.catalogue import Catalogue
from monitor.errors import MonitorError, PermissionDenied
from monitor.services.board_reads import open_database
from monitor.settings import Settings

__all__ = ["NAV_PAGES", "before_fork", "create_app", "prepare_for_workers"]

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
CACHED_PAGES = ("cockpit", "indicators", "indicator", "ranking", "alerts")
"""Pages built from the data key and their arguments only (imports and audit show logs that change without it;
projects and tasks read their own tables)."""
log = logging.getLogger("dash_app")
PRELOAD = '<link rel="preload" href="/_dash-component-suites/dash/dcc/async-dropdown.js" as="script">'
"""Every page has selectors, whose script Dash loads only once the page's content has arrived, asking the server
whether its copy is still good (a round trip after the content); named in the page's head, the question goes out
while the page's own scripts load."""


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


def _cached_layout(name: str, layout: Callable[..., Any]) -> Callable[..., Any]:
    """A page layout read from the shared cache by (page, arguments, data key), computed once per key."""

    def cached(**kwargs: Any) -> Any:
        try:
            snap = snapshot()
        except Exception:  # noqa: BLE001 - the database is away: the page itself shows the message
            return layout(**kwargs)
        key = ("page", name, sorted((k, str(v)) for k, v in kwargs.items()), snap.key)
        return board().cached(key, lambda: layout(**kwargs))

    cached.cached_page = True  # type: ignore[attr-defined]
    return cached


def _cache_layouts() -> None:
    for module, page in dash.page_registry.items():
        name = module.rsplit(".", 1)[-1]
        layout = page.get("layout")
        if name in CACHED_PAGES and callable(layout) and not getattr(layout, "cached_page", False):
            page["layout"] = _cached_layout(name, layout)


def catalogue_key(catalogue: Catalogue) -> str:
    """A short name of the catalogue's content (its dataclass text), part of every cache key."""
    return hashlib.sha256(repr(catalogue).encode()).hexdigest()[:16]


def prepare_for_workers(app: Dash) -> None:
    """In the serving process, before workers are forked: set Dash up and render its page once.

    Dash serves a script file (the lazily loaded chunks of dropdowns, graphs, grids) only once it has
    rendered a page naming it; a worker that had not yet rendered one answered 404 for the chunks a
    page from its sibling asked for. Done here, every worker inherits the list.
    """
    with app.server.test_request_context("/"):
        app._setup_server()
        app.index()


def before_fork() -> None:
    """In the serving process, before it forks workers: no database, cache or session connection is carried over."""
    board().before_fork()
    release_sessions()


def _first_request_setup(app: Dash) -> None:
    """Run Dash's first-request setup now, in this thread, before any request arrives.

    Dash marks its page router as set up and only then registers its callbacks, among them an
    inline clientside script; concurrent first requests of a worker could meanwhile serve a page and
    fix the Content-Security-Policy without that script's hash, and the browser blocked it.
    """
    with app.server.test_request_context("/"):
        app.server.preprocess_request()


def create_app(
    settings: Settings,
    catalogue: Catalogue | None = None,
    *,
    require_sign_in: bool = True,
    folder: Path | None = None,
) -> Dash:
    """The board for the database and catalogue of `settings` (or the catalogue given, e.g. by a benchmark).

    `folder` holds the instance's page cache and sessions (default: a new one under var/board/); the
    server removes it when it stops. `require_sign_in=False` exists only for bench/auth_load.py, which
    measures what sign-in costs against the same board without it; no command or setting turns sign-in off.
    """
    cat = catalogue or load_catalogue(settings.config_path)
    # Dash writes every answer with plotly's JSON: its "json" engine (the C encoder) writes a cached page
    # faster than "orjson", which first walks the whole page in Python; "auto" would take orjson if installed
    plotly.io.json.config.default_engine = "json"
    folder = folder or instance_folder(settings.var_dir)
    cache = SharedCache(folder / "pages", settings.server.cache_mb, audience)
    install(Board(settings, open_database(settings.database_url), cat, cache, catalogue_key(cat)))
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
    app.index_string = app.index_string.replace("{%css%}", "{%css%}\n        " + PRELOAD, 1)
    for name in PAGE_MODULES:
        importlib.import_module(f"dash_app.pages.{name}")
    _cache_layouts()
    app.layout = lambda: _frame(cat.meta.title)
    _first_request_setup(app)
    install_security(app.server, settings.auth, app.csp_hashes)
    if not require_sign_in:
        return app
    install_auth(
        app.server,
        board().engine,
        settings.auth,
        cat.meta.title,
        settings.auth.secret_key or secrets.token_hex(32),
        folder / "sessions",
    )
    return app
