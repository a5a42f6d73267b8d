"""The load bench's client side: a keep-alive HTTP client with its own cookies, page loads as the browser does them.

A page load is what Chromium sends for one board page (seen in its network log): the page's HTML,
/_dash-layout, /_dash-dependencies, the page router's callback (pathname + search), and for the
cockpit and the detail page a selector-change callback. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

PERIOD = "2021-06"
BOARD_FAILURES = ("看板内部错误", "数据库暂时不可用")


@dataclass(frozen=True)
class Page:
    path: str
    search: str = ""
    change: dict[str, Any] | None = None  # a selector-change callback the page then makes


def cockpit_change(region: str) -> dict[str, Any]:
    return {
        "output": "cockpit-content.children",
        "outputs": {"id": "cockpit-content", "property": "children"},
        "inputs": [
            {"id": "cockpit-period", "property": "value", "value": PERIOD},
            {"id": "cockpit-set", "property": "value", "value": "ops30"},
            {"id": "cockpit-region", "property": "value", "value": region},
        ],
        "changedPropIds": ["cockpit-region.value"],
        "state": [],
    }


def detail_change(code: str, region: str) -> dict[str, Any]:
    return {
        "output": "detail-content.children",
        "outputs": {"id": "detail-content", "property": "children"},
        "inputs": [
            {"id": "detail-period", "property": "value", "value": PERIOD},
            {"id": "detail-region", "property": "value", "value": region},
        ],
        "changedPropIds": ["detail-region.value"],
        "state": [{"id": "detail-code", "property": "data", "value": code}],
    }


PAGES = (
    Page("/", f"?period={PERIOD}", cockpit_change("gusu.pingjiang")),
    Page("/indicator/gdp", "", detail_change("gdp", "gusu.canglang")),
    Page("/indicators", f"?period={PERIOD}"),
    Page("/alerts"),
    Page("/indicator/retail_sales", "", detail_change("retail_sales", "gusu.huqiu")),
    Page("/ranking"),
)


@dataclass
class Stats:
    """Latencies in seconds, per request kind, and the count of failed requests; shared by the client threads."""

    all: list[float] = field(default_factory=list)
    by_name: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: int = 0
    first_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float | None, error: str = "") -> None:
        with self.lock:
            if seconds is None:
                self.errors += 1
                self.first_error = self.first_error or f"{name}: {error}"
                return
            self.all.append(seconds)
            self.by_name[name].append(seconds)


class Client:
    """One person's browser: a keep-alive connection to the board and its session cookie."""

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        if parts.hostname != "127.0.0.1":
            raise ValueError("the load bench talks to 127.0.0.1 only")
        self.base, self.port = base, int(parts.port or 80)
        self.cookies: dict[str, str] = {}
        self.sent = 0
        self._conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, kind: str = "") -> tuple[int, bytes]:
        headers = {"Origin": self.base, "Accept-Encoding": "identity"}
        if kind:
            headers["Content-Type"] = kind
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.sent += 1
        for attempt in (1, 2):  # a server may close an idle keep-alive connection: reconnect once
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self._conn.request(method, path, body=body, headers=headers)
                response = self._conn.getresponse()
                payload = response.read()
            except (http.client.HTTPException, ConnectionError):
                self._conn.close()
                self._conn = None
                if attempt == 2:
                    raise
                continue
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self._conn.close()
                self._conn = None
            return response.status, payload
        raise AssertionError("unreachable")

    def sign_in(self, username: str, password: str, stats: Stats) -> None:
        form = urllib.parse.urlencode({"username": username, "password": password, "next": "/"}).encode()
        started = time.perf_counter()
        status, _ = self.request("POST", "/login", form, "application/x-www-form-urlencoded")
        ok = status == 303 and "monitor_session" in self.cookies
        stats.add("sign-in", time.perf_counter() - started if ok else None, f"sign-in answered {status}")


def timed(client: Client, stats: Stats, name: str, method: str, path: str, body: Any = None) -> None:
    data = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    try:
        status, payload = client.request(method, path, data, "application/json" if data else "")
    except (OSError, http.client.HTTPException) as exc:
        stats.add(name, None, f"{type(exc).__name__}: {exc}")
        return
    elapsed = time.perf_counter() - started
    text = payload.decode("utf-8", "replace")
    if status != 200:
        stats.add(name, None, f"HTTP {status}: {text[:200]}")
    elif any(f in text for f in BOARD_FAILURES):
        stats.add(name, None, f"board error: {text[:300]}")
    else:
        stats.add(name, elapsed)


def router_body(path: str, search: str) -> dict[str, Any]:
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
    }


def page_load(client: Client, page: Page, stats: Stats) -> None:
    timed(client, stats, f"page {page.path}", "GET", page.path + page.search)
    timed(client, stats, "layout", "GET", "/_dash-layout")
    timed(client, stats, "dependencies", "GET", "/_dash-dependencies")
    timed(client, stats, f"router {page.path}", "POST", "/_dash-update-component", router_body(page.path, page.search))
    if page.change is not None:
        timed(client, stats, f"change {page.path}", "POST", "/_dash-update-component", page.change)


def single_page_times(base: str, loads: int) -> list[float]:
    """Seconds for the cockpit's whole page load (all its requests, one after the other), `loads` times."""
    client = Client(base)
    client.sign_in("bench", "bench-Pass-2026", Stats())
    page, out = Page("/", f"?period={PERIOD}"), []
    for i in range(loads + 1):
        stats = Stats()
        started = time.perf_counter()
        page_load(client, page, stats)
        if stats.errors:
            raise RuntimeError(stats.first_error)
        if i:  # the first load fills the caches
            out.append(time.perf_counter() - started)
    return out


def floor_times(base: str, loads: int) -> list[float]:
    """Seconds for an empty Dash page's load: its HTML, layout and dependencies."""
    client, out = Client(base), []
    for i in range(loads + 1):
        stats = Stats()
        started = time.perf_counter()
        for name, path in (("page", "/"), ("layout", "/_dash-layout"), ("dependencies", "/_dash-dependencies")):
            timed(client, stats, name, "GET", path)
        if stats.errors:
            raise RuntimeError(stats.first_error)
        if i:
            out.append(time.perf_counter() - started)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float], errors: int) -> str:
    if not values:
        return f"no answers, {errors} errors"
    p50, p95 = 1000 * statistics.median(values), 1000 * pct(values, 0.95)
    return f"{len(values)} ok, p50 {p50:5.0f} ms, p95 {p95:5.0f} ms, {errors} errors"


def start_server(command: list[str], port: int, env: dict[str, str], timeout: float = 900) -> subprocess.Popen[bytes]:
    """Start a server process and wait until it answers on 127.0.0.1:port."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - never a pipe: a chatty server would block on a full one
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            err = log.read().decode("utf-8", "replace")
            raise RuntimeError(f"server {command} exited with {process.returncode}: {err[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/_dash-layout")
            conn.getresponse().read()
            conn.close()
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"server {command} did not answer within {timeout:.0f} s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
