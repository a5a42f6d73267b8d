"""Shared real-browser helpers: Debian's Chromium driven by Playwright, and a board server process.

The root conftest loads this module as a plugin, so `browser` is one fixture for the whole run. The browser is
/usr/bin/chromium (never a downloaded build). Without it, tests using `browser` are skipped,
unless MONITOR_REQUIRE_BROWSER=1 (set by .ci/run), where they fail instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def browser_required() -> bool:
    return os.environ.get("MONITOR_REQUIRE_BROWSER") == "1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)"
        if browser_required():
            pytest.fail(message + " and MONITOR_REQUIRE_BROWSER=1")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleLog:
    """Console errors and uncaught page errors of one page, for 'no browser console error' checks."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def take(self) -> list[str]:
        errors, self.errors = self.errors, []
        return errors


def monitor_cli(*args: str, db_url: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python -m monitor --db URL ARGS...`; fails the test with its output when it exits non-zero."""
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "--db", db_url, *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"monitor {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


class BoardServer:
    """`python -m monitor serve` in a child process, stopped by its handle."""

    def __init__(self, db_url: str, log_path: Path, port: int | None = None, env: dict[str, str] | None = None) -> None:
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--db", db_url, "serve", "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"board exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"board did not answer at {self.url} within {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def sample_board_database(directory: Path) -> str:
    """A SQLite database in `directory` loaded as `make run` does: init, sample data, forecasts, alert evaluation."""
    url = f"sqlite:///{directory / 'monitor.db'}"
    monitor_cli("init", db_url=url)
    monitor_cli("demo", db_url=url)
    monitor_cli("forecast", "refresh", db_url=url)
    monitor_cli("alerts", "evaluate", db_url=url)
    return url
