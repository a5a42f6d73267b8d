"""Accounts of the board under test: made in its database before the server starts; HTTP and browser sign-in."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from monitor.domain.access import Principal, Role
from monitor.domain.catalogue import Catalogue
from monitor.services.accounts import add_user
from monitor.storage.db import make_engine


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    department: str | None
    display_name: str

    @property
    def password(self) -> str:
        return f"{self.username}-Pass-2026"


ACCOUNTS = {
    a.username: a
    for a in (
        Account("admin", Role.ADMIN, None, "测试管理员"),
        Account("group", Role.GROUP, None, "领导小组 李四"),
        Account("stats", Role.REPORTER, "stats", "区统计局 王五"),
        Account("finance", Role.REPORTER, "finance", "区财政局 赵六"),
        Account("hrss", Role.REPORTER, "hrss", "区人社局 张三"),
        Account("viewer", Role.VIEWER, None, "只读 钱七"),
        Account("locked", Role.VIEWER, None, "锁定测试"),
        Account("markup", Role.ADMIN, None, "<img src=x onerror=alert(9)><script>alert(8)</script>"),
    )
}


def create_accounts(db_url: str, catalogue: Catalogue) -> None:
    engine = make_engine(db_url)
    try:
        for a in ACCOUNTS.values():
            add_user(
                engine, catalogue, a.username, a.role, a.password, department=a.department, display_name=a.display_name
            )
    finally:
        engine.dispose()


class HttpClient:
    """A cookie-keeping HTTP client of the board (no browser): sign in, post callbacks, read answers."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def sign_in(self, username: str, password: str | None = None) -> int:
        account = ACCOUNTS.get(username)
        form = {"username": username, "password": password or (account.password if account else ""), "next": "/"}
        status, _, _ = self.request(
            "/login",
            urllib.parse.urlencode(form).encode(),
            {"Origin": self.base, "Content-Type": "application/x-www-form-urlencoded"},
        )
        return status

    def post_json(self, path: str, body: Any, origin: str | None = "self") -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if origin:
            headers["Origin"] = self.base if origin == "self" else origin
        status, _, raw = self.request(path, json.dumps(body).encode(), headers)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")


def browser_sign_in(page: Any, base_url: str, username: str) -> None:
    """Sign a Playwright page in through the 登录 form."""
    page.goto(f"{base_url}/login")
    page.fill("#login-username", username)
    page.fill("#login-password", ACCOUNTS[username].password)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url)


@contextlib.contextmanager
def acting_as(server: Any, username: str) -> Iterator[None]:
    """Call the board's callbacks in this process as a signed-in account (a request context with its session)."""
    import flask_login

    from dash_app.auth import BoardUser

    a = ACCOUNTS[username]
    principal = Principal(a.username, a.display_name, a.role, a.department)
    with server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(BoardUser("in-process", 0, principal))
        yield
