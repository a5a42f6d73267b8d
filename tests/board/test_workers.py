"""The board on gunicorn with 2 worker processes: real server, real sign-in, one cache and one session table.

`monitor serve --workers 2` runs in a child process on a free port, on its own copy of a sample
database. The test talks HTTP to it as the browser does (page router callback of a page).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.domain.catalogue import Catalogue
from monitor.services.alerts import acknowledge_alert
from monitor.services.clock import utc_now
from monitor.settings import PROJECT_ROOT
from monitor.storage.db import make_engine
from tests.board.accounts import ACCOUNTS, HttpClient, create_accounts
from tests.board.files import good_template_file
from tests.browser import free_port, monitor_cli, sample_board_database

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn: Linux")]


class Gunicorn:
    """`python -m monitor serve --workers 2` and the pids of its workers."""

    def __init__(self, db_url: str, directory: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = directory / "serve.log"
        self._log = self.log_path.open("w", encoding="utf-8")
        env = {**os.environ, "MONITOR_VAR_DIR": str(directory / "var")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--db", db_url, "serve", "--port", str(self.port), "--workers", "2"],
            cwd=PROJECT_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            if "看板地址" in self.output() and len(self.workers()) == 2:
                try:
                    with urllib.request.urlopen(self.url + "/login", timeout=10) as answer:
                        if answer.status == 200:
                            return
                except OSError:
                    pass
            time.sleep(0.3)
        raise AssertionError(f"the board did not start:\n{self.output()}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def holder(server: Gunicorn, conn: http.client.HTTPConnection) -> int | None:
    """The worker whose file descriptors hold the server side of this client connection (/proc/net/tcp)."""
    local_port = conn.sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == server.port and int(fields[2].split(":")[1], 16) == local_port:
            inode = fields[9]
    for pid in server.workers():
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Iterator[tuple[Gunicorn, str]]:
    directory = tmp_path_factory.mktemp("gunicorn")
    url = sample_board_database(directory)
    create_accounts(url, catalogue)
    server = Gunicorn(url, directory)
    try:
        server.wait_ready()
        yield server, url
    finally:
        server.stop()


def router(client: HttpClient, path: str, search: str = "") -> str:
    """The page router's callback, as the browser posts it after loading `path`: the page's content as JSON text."""
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
    }
    status, answer = client.post_json("/_dash-update-component", body)
    assert status == 200, answer
    return json.dumps(answer, ensure_ascii=False)


def signed_in(server: Gunicorn, username: str) -> HttpClient:
    client = HttpClient(server.url)
    assert client.sign_in(username) == 200  # after the redirect to the cockpit
    assert b"login-password" not in client.request("/")[2]
    return client


def on_each_worker(server: Gunicorn, path: str, headers: dict[str, str]) -> dict[int, tuple[int, str]]:
    """GET `path` on new keep-alive connections until each worker has answered one: {worker pid: (status, body)}."""
    answers: dict[int, tuple[int, str]] = {}
    connections = []
    try:
        for _ in range(60):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            body = answer.read().decode("utf-8", "replace")
            connections.append(conn)
            pid = holder(server, conn)
            assert pid in server.workers()
            answers.setdefault(pid, (answer.status, body))
            if len(answers) == 2:
                break
    finally:
        for conn in connections:
            conn.close()
    assert set(answers) == set(server.workers()), answers.keys()
    return answers


def test_every_worker_serves_the_scripts_a_page_loads_later(served: tuple[Gunicorn, str]) -> None:
    """Before any worker rendered a page (Dash lists the files it may serve as it renders one)."""
    server, _ = served
    for chunk in ("async-dropdown.js", "async-graph.js"):
        path = f"/_dash-component-suites/dash/dcc/{chunk}"
        for pid, (status, _) in on_each_worker(server, path, {}).items():
            assert status == 200, f"worker {pid}: {path} answered {status}"


def test_both_workers_serve_the_signed_in_cockpit(served: tuple[Gunicorn, str]) -> None:
    server, _ = served
    assert len(server.workers()) == 2
    assert "2 个工作进程（gunicorn）" in server.output()
    client = signed_in(server, "group")  # signed in on one worker: the session must hold on the other too
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.jar)
    for status, page in on_each_worker(server, "/?period=2021-06", {"Cookie": cookie}).values():
        assert status == 200
        assert "_dash-renderer" in page  # the board itself, not the sign-in page
    assert "地区生产总值" in router(client, "/", "?period=2021-06")


def test_a_new_import_shows_at_once_on_every_worker(
    served: tuple[Gunicorn, str], catalogue: Catalogue, tmp_path: Path
) -> None:
    server, url = served
    client = signed_in(server, "group")
    search = "?region=gusu&period=2021-06"
    before = [router(client, "/indicator/new_jobs", search) for _ in range(6)]  # cached on both workers
    assert all("19,000个" in page for page in before)
    monitor_cli("import", str(good_template_file(catalogue, tmp_path)), "--department", "hrss", db_url=url)
    after = [router(client, "/indicator/new_jobs", search) for _ in range(6)]
    assert all("30,000个" in page and "19,000个" not in page.split("数据及修订记录")[0] for page in after)


def test_an_acknowledged_alert_shows_at_once(served: tuple[Gunicorn, str]) -> None:
    server, url = served
    client = signed_in(server, "admin")
    assert "确认人测试说明" not in router(client, "/alerts")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            alert_id = conn.exec_driver_sql("SELECT min(id) FROM alerts WHERE state = 'open'").scalar_one()
        acknowledge_alert(engine, int(alert_id), "测试管理员", "确认人测试说明", utc_now())
    finally:
        engine.dispose()
    assert all("确认人测试说明" in router(client, "/alerts") for _ in range(4))


def test_a_department_user_never_gets_another_departments_page(served: tuple[Gunicorn, str]) -> None:
    server, _ = served
    pages: dict[str, list[str]] = {}
    for username in ("stats", "finance", "stats", "hrss", "finance"):  # each after another one filled the cache
        client = signed_in(server, username)
        pages.setdefault(username, []).extend(router(client, "/alerts") for _ in range(3))
    names = {u: ACCOUNTS[u].display_name for u in pages}
    for username, answers in pages.items():
        for page in answers:
            assert names[username] in page
            assert not any(other in page for u, other in names.items() if u != username)
