"""The board's HTTP hardening: body cap, same-origin check, security headers, 4xx for malformed requests.

- A request body over `max_request_mb` is refused from its Content-Length before anything reads it
  (waitress is given the same cap, so it never buffers more), 413 with a Chinese message.
- A state-changing request (any method but GET/HEAD/OPTIONS: callbacks, uploads, sign-in, sign-out)
  must carry an Origin, or else a Referer, of the board's own address; otherwise 403.
- Every response carries a Content-Security-Policy of the board's own origin (Dash's inline script
  allowed by its hash), frame-ancestors 'none' and X-Frame-Options DENY, nosniff, a Referrer-Policy.
- A callback refused by the rules (PermissionDenied) answers 403; a body that is not a callback
  request answers 400; an unknown path 404: never 500 for what the client sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import flask
from flask import Flask, request
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, NotFound, RequestEntityTooLarge

from dash_app.auth import json_error
from monitor.errors import PermissionDenied
from monitor.settings import AuthSettings

__all__ = ["forbidden", "install_security"]

log = logging.getLogger("dash_app")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CALLBACK_PATH = "/_dash-update-component"
STATUS_ZH = {
    400: "请求格式不正确",
    403: "没有权限执行此操作",
    404: "页面不存在",
    405: "不支持此请求方式",
    413: "请求内容过大",
}


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _same_origin(limits: AuthSettings) -> bool:
    """Origin (or Referer) names this board: its public address when set, else the Host asked."""
    sent = request.headers.get("Origin") or ""
    if not sent or sent == "null":
        sent = _origin_of(request.headers.get("Referer") or "")
    if not sent:
        return False
    allowed = {_origin_of(limits.public_url)} if limits.public_url else set()
    allowed |= {f"http://{request.host}".lower(), f"https://{request.host}".lower()}
    return sent.lower().rstrip("/") in allowed


def forbidden(exc: PermissionDenied) -> None:
    """Answer 403 with the Chinese reason (raised from the board's callback error handler).

    The callback that refused has already written its audit row (action, object, outcome denied).
    """
    raise Forbidden(description=str(exc))


def _before(limits: AuthSettings) -> Callable[[], Any]:
    def check() -> Any:
        if ".." in request.path.split("/"):
            return json_error(STATUS_ZH[404], 404)
        length = request.content_length
        if length is not None and length > limits.max_request_bytes:
            return json_error(f"请求内容过大（上限 {limits.max_request_mb:g} MB）", 413)
        if request.method not in SAFE_METHODS and not _same_origin(limits):
            return json_error("跨站请求被拒绝：请从看板页面操作", 403)
        return None

    return check


def _csp(hashes: Sequence[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(hashes),
            "style-src 'self' 'unsafe-inline'",  # Plotly and AG Grid set styles at run time
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


FINGERPRINTED_ASSET = "public, max-age=31536000, immutable"
"""/assets/board.css?m=<mtime>: Dash names each asset with its file's modification time, so a changed file has a
new address and the browser may keep this one; without it every page load asked again for the CSS and the
session script (a round trip through the sign-in gate before the page could start)."""


def _after(hashes: Callable[[], Sequence[str]]) -> Callable[[flask.Response], flask.Response]:
    policy: list[str] = []

    def headers(response: flask.Response) -> flask.Response:
        if not policy:
            policy.append(_csp(hashes()))
        response.headers["Content-Security-Policy"] = policy[0]
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.path.startswith(("/assets/", "/_dash-component-suites/")):
            response.headers["Cache-Control"] = "no-store"
        elif request.path.startswith("/assets/") and request.args.get("m") and response.status_code == 200:
            response.headers["Cache-Control"] = FINGERPRINTED_ASSET
        return response

    return headers


def _http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    message = STATUS_ZH.get(status, exc.name)
    if status == 403 and exc.description and not exc.description.startswith("You don't"):
        message = exc.description
    if request.path.startswith("/_") or request.method not in SAFE_METHODS:
        return json_error(message, status)
    body = f'<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>{status}</title><p>{message}</p></html>'
    return flask.Response(body, status=status, mimetype="text/html")


def _unexpected(exc: Exception) -> Any:
    """An exception escaping a view: the client's malformed callback body (400), else logged and 500 in Chinese."""
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    if request.path == CALLBACK_PATH and isinstance(
        exc, KeyError | TypeError | ValueError | IndexError | AttributeError
    ):
        return _http_error(BadRequest())
    if request.path.startswith(("/_dash-component-suites/", "/assets/")):  # a file Dash does not serve
        return _http_error(NotFound())
    log.exception("board request failed", exc_info=exc)
    return json_error("看板内部错误，请稍后重试；详细信息已写入服务器日志", 500)


def install_security(server: Flask, limits: AuthSettings, csp_hashes: Callable[[], Sequence[str]]) -> None:
    """Install the checks before every request (before the sign-in gate) and the headers after it."""
    server.config["MAX_CONTENT_LENGTH"] = limits.max_request_bytes
    server.before_request_funcs.setdefault(None, []).insert(0, _before(limits))
    server.after_request(_after(csp_hashes))
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(RequestEntityTooLarge, _http_error)
    server.register_error_handler(Exception, _unexpected)
