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
from pathlib import Path
from typing import Any

import dash
from dash import Dash, dcc, html, set_props

from dash_app import ids
from dash_app.board_state import Board, install
from monitor.catalogue_file import load_catalogue
from monitor.domain.catalogue import Catalogue
from monitor.errors import MonitorError
from monitor.services.board_reads import open_database
from monitor.settings import Settings

__all__ = ["NAV_PAGES", "create_app"]

ASSETS = Path(__file__).resolve().parent / "assets"
PAGE_MODULES = ("cockpit", "indicators", "indicator", "alerts", "imports", "ranking", "projects", "project", "tasks")
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
    """A failed callback shows a message at the top of the page; the traceback goes to the server log only."""
    if isinstance(exc, MonitorError):
        text = f"出错：{exc}"
    else:
        log.exception("board callback failed", exc_info=exc)
        text = f"看板内部错误（{type(exc).__name__}），请稍后重试；详细信息已写入服务器日志"
    set_props(ids.ERROR, {"children": text, "className": "error-box"})


def _frame(title: str) -> Any:
    return html.Div(
        [
            html.Header(
                [
                    html.Div(title, className="brand"),
                    html.Nav(
                        [dcc.Link(label, href=href, className="nav-link") for href, label in NAV_PAGES],
                        id=ids.NAV,
                        className="nav",
                    ),
                ],
                className="topbar",
            ),
            html.Div(id=ids.ERROR, className="error-box hidden", role="alert"),
            html.Main(dash.page_container, className="page"),
            html.Footer("经济运行监测 · 数据来源：各责任单位报送；示例数据为模拟生成，非官方统计", className="footer"),
        ],
        className="frame",
    )


def create_app(settings: Settings, catalogue: Catalogue | None = None) -> Dash:
    """The board for the database and catalogue of `settings` (or the catalogue given, e.g. by a benchmark)."""
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
    app.layout = _frame(cat.meta.title)
    return app
