"""`monitor run` (the README's main command) starts the board with the scheduler and prints its address."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from monitor.settings import PROJECT_ROOT
from tests.board.accounts import HttpClient
from tests.browser import free_port

pytestmark = pytest.mark.slow


def test_run_prints_the_board_address_and_serves_the_sample_cockpit(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "MONITOR_VAR_DIR": str(tmp_path / "var"),
        "MONITOR_CONFIG": str(PROJECT_ROOT / "indicators.toml"),
    }
    env.pop("MONITOR_DATABASE_URL", None)
    log = (tmp_path / "run.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        address = f"看板地址: http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while address not in (tmp_path / "run.log").read_text(encoding="utf-8") and time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "run.log").read_text(encoding="utf-8")
            time.sleep(0.3)
        assert address in (tmp_path / "run.log").read_text(encoding="utf-8")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200
            assert "/login?next=%2F" in response.url  # nothing without signing in
            assert "姑苏区经济运行监测" in response.read().decode()
        printed = (tmp_path / "run.log").read_text(encoding="utf-8")
        found = re.search(r"demo_admin\s+(\S+)", printed)
        assert found, printed
        client = HttpClient(f"http://127.0.0.1:{port}")
        assert client.sign_in("demo_admin", found.group(1)) == 200
        status, _, page = client.request("/")
        assert status == 200
        assert "_dash-renderer" in page.decode()
        assert re.search(r"demo_stats\s+\S+\s+部门填报员", printed)
        assert found.group(1) not in (tmp_path / "var" / "monitor.db").read_bytes().decode("latin-1")
        assert (tmp_path / "var" / "monitor.db").exists()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
    output = (tmp_path / "run.log").read_text(encoding="utf-8")
    assert "定时任务已在后台启动" in output
    assert "示例数据" in output
