"""Sign-in on the board's Flask server: Flask-Login sessions, the 登录/退出 routes and the gate.

Every request needs a live session except the sign-in page and static files (scripts, styles):
a page asked without one is sent to /login, a callback or any other request gets 401 with a
Chinese JSON message. What a signed-in person may do is decided per callback on the server
(`current_principal` with the rules of monitor.domain.access); a refusal raises PermissionDenied,
which the board answers with 403 (dash_app.security). Every sign-in, failure, lockout, sign-out
and expiry is written to the audit log.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import flask
import flask_login
from flask import Flask, request
from sqlalchemy import Engine
from werkzeug.wrappers import Response as BaseResponse

from dash_app.login_page import login_html
from dash_app.page_cache import note_audience
from dash_app.sessions import SessionTable
from monitor.domain.access import Principal
from monitor.errors import PermissionDenied
from monitor.services import accounts
from monitor.services.audit import Actor, record
from monitor.services.clock import utc_now
from monitor.settings import AuthSettings

__all__ = [
    "PUBLIC_PREFIXES",
    "BoardUser",
    "actor",
    "audience",
    "current_principal",
    "install_auth",
    "json_error",
    "release_sessions",
    "signed_in",
]

PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/favicon.ico")
SIGNED_OUT = "未登录或会话已超时，请重新登录"


class BoardUser(flask_login.UserMixin):
    """The session's person for Flask-Login: its id is the server-side session id, not the user's."""

    def __init__(self, sid: str, user_id: int, principal: Principal) -> None:
        self.sid = sid
        self.user_id = user_id
        self.principal = principal

    def get_id(self) -> str:
        return self.sid


class _State:
    engine: Engine
    limits: AuthSettings
    sessions: SessionTable
    title: str


_STATE = _State()


def current_principal() -> Principal | None:
    """The signed-in person of this request, or None (outside a request too).

    Whatever is being computed for the shared page cache now depends on the person (page_cache keys it so).
    """
    note_audience()
    if not flask.has_request_context():
        return None
    user = flask_login.current_user
    return user.principal if isinstance(user, BoardUser) else None


def signed_in() -> Principal:
    """The signed-in person; PermissionDenied when none (the gate answers 401 before any callback runs)."""
    principal = current_principal()
    if principal is None:
        raise PermissionDenied(SIGNED_OUT)
    return principal


def actor() -> Actor:
    """Who is acting in this request, for the audit log (an anonymous visitor has no name)."""
    address = request.remote_addr if flask.has_request_context() else None
    principal = current_principal()
    return Actor.of(principal, address) if principal else Actor(None, None, None, address)


def record_page_refusal(path: str) -> None:
    """A page the signed-in person may not see: recorded as a refused action."""
    record(_STATE.engine, actor(), "forbidden", path, "denied")


def json_error(message: str = SIGNED_OUT, status: int = 401) -> flask.Response:
    response = flask.jsonify({"message": message, "status": status})
    response.status_code = status
    return response


def _load_user(sid: str) -> BoardUser | None:
    user_id, expired = _STATE.sessions.touch(sid, utc_now())
    if user_id is None:
        return None
    principal = accounts.load_principal(_STATE.engine, user_id)
    if expired:
        if principal:
            record(
                _STATE.engine,
                Actor.of(principal, request.remote_addr),
                "session_expired",
                principal.username,
                "success",
            )
        flask.g.session_expired = True
        return None
    if principal is None:  # disabled since sign-in
        _STATE.sessions.close(sid)
        return None
    return BoardUser(sid, user_id, principal)


def _safe_next(path: str | None) -> str:
    """Only a path of this board (no //host, no scheme): an open redirect is refused."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def _login_page(message: str = "", status: int = 200, username: str = "", notice: str = "") -> flask.Response:
    if not notice and accounts.count_users(_STATE.engine) == 0:
        notice = "尚未创建任何账户：请在服务器上运行 monitor users add 用户名 --role admin 创建管理员，再登录。"
    html = login_html(
        _STATE.title,
        message=message,
        notice=notice,
        next_path=_safe_next(request.values.get("next")),
        username=username,
    )
    return flask.Response(html, status=status, mimetype="text/html")


def _sign_in() -> BaseResponse:
    username = (request.form.get("username") or "").strip()[:64]
    password = request.form.get("password") or ""
    if not username or not password:
        return _login_page("请输入用户名和密码", 400, username)
    result = accounts.authenticate(_STATE.engine, username, password, _STATE.limits)
    who = Actor(username, None, None, request.remote_addr)
    if result.principal is None or result.user_id is None:
        record(_STATE.engine, who, "sign_in_failed", username, "failure", {"reason": result.message})
        if result.locked_now:
            record(_STATE.engine, who, "lockout", username, "success", {"minutes": _STATE.limits.lockout_minutes})
        return _login_page(result.message, 401, username)
    old = flask_login.current_user
    if isinstance(old, BoardUser):
        _STATE.sessions.close(old.sid)
    flask.session.clear()  # a new session id at every sign-in
    sid = _STATE.sessions.open(result.user_id, utc_now())
    flask_login.login_user(BoardUser(sid, result.user_id, result.principal))
    record(_STATE.engine, Actor.of(result.principal, request.remote_addr), "sign_in", username, "success")
    return flask.redirect(_safe_next(request.form.get("next")), code=303)


def _login() -> BaseResponse:
    if request.method == "POST":
        return _sign_in()
    notice = {"1": "会话已超时，请重新登录。", "out": "已退出登录。"}.get(request.args.get("expired", ""), "")
    return _login_page(notice=notice)


def _logout() -> BaseResponse:
    user = flask_login.current_user
    if isinstance(user, BoardUser):
        record(_STATE.engine, actor(), "sign_out", user.principal.username, "success")
        _STATE.sessions.close(user.sid)
    flask_login.logout_user()
    flask.session.clear()
    return flask.redirect("/login?expired=out", code=303)


def _gate() -> Any:
    """Before every request: the sign-in page and static files are open, everything else needs a session."""
    path = request.path
    if path == "/login" or path.startswith(PUBLIC_PREFIXES):
        return None
    if isinstance(flask_login.current_user, BoardUser):
        return None
    if request.method == "GET" and not path.startswith("/_"):
        query = {"next": request.full_path.rstrip("?")}
        if flask.g.get("session_expired"):
            query["expired"] = "1"
        return flask.redirect("/login?" + urlencode(query), code=302)
    return json_error()


def audience() -> str | None:
    """Who the page cache keeps per-person pages for: the signed-in user name, role and department."""
    if not flask.has_request_context():
        return None
    user = flask_login.current_user
    if not isinstance(user, BoardUser):
        return None
    p = user.principal
    return f"{p.username}|{p.role.value}|{p.department or ''}"


def release_sessions() -> None:
    """Close this process's connection to the session table (before the server forks its workers)."""
    if hasattr(_STATE, "sessions"):
        _STATE.sessions.release()


def install_auth(
    server: Flask, engine: Engine, limits: AuthSettings, title: str, secret_key: str, sessions_folder: Path
) -> None:
    """Wire Flask-Login, the session table (in `sessions_folder`), /login, /logout and the gate into the server."""
    _STATE.engine, _STATE.limits, _STATE.title = engine, limits, title
    _STATE.sessions = SessionTable(timedelta(minutes=limits.session_idle_minutes), sessions_folder)
    server.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_NAME="monitor_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=limits.cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=limits.cookie_secure,
    )
    manager = flask_login.LoginManager()
    manager.init_app(server)
    manager.user_loader(_load_user)
    manager.session_protection = None  # the server-side session id is the protection
    server.add_url_rule("/login", "board_login", _login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "board_logout", _logout, methods=["POST"])
    server.before_request(_gate)
