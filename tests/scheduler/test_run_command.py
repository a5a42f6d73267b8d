"""`monitor run` starts the scheduler in the background (the board in the foreground) and stops both cleanly
on Ctrl-C; `monitor jobs` lists the runs."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from monitor.cli import main
from tests.digest.smtp_sink import free_port
from tests.scheduler.processes import catalogue_with_schedule, environment, job_runs, start, wait_for

FAST = {
    "inbox_scan_minutes": 0.02,
    "alerts_daily_at": "03:00",
    "digest_weekday": "sun",
    "digest_at": "23:59",
    "catchup_minutes": 600,
}


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_run_starts_the_scheduler_until_ctrl_c_or_sigterm(
    stop: signal.Signals, sqlite_sample_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = environment(sqlite_sample_url, catalogue_with_schedule(tmp_path, **FAST), tmp_path / "var")
    log = tmp_path / "run.log"
    process = start(env, log, "run", "--port", str(free_port()))  # the board takes the foreground
    try:
        wait_for(lambda: "定时任务已在后台启动" in log.read_text(encoding="utf-8"), 60, "the summary and the start")
        wait_for(lambda: (job_runs(sqlite_sample_url)["job"] == "inbox_scan").sum() >= 2, 60, "two inbox scans")
        wait_for(lambda: "看板地址" in log.read_text(encoding="utf-8"), 60, "the board serving")
        process.send_signal(stop)
        assert process.wait(30) == 0, log.read_text(encoding="utf-8")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    text = log.read_text(encoding="utf-8")
    assert "以上为示例数据" in text
    assert "已成为活动调度进程" in text
    assert "已停止看板和定时任务" in text
    runs = job_runs(sqlite_sample_url)
    assert set(runs["status"]) <= {"success", "skipped"}, runs  # stopped cleanly: nothing left running
    assert main(["--db", sqlite_sample_url, "jobs", "--job", "inbox_scan"]) == 0
    out = capsys.readouterr().out
    assert "inbox_scan（扫描收件箱）" in out
    assert "成功" in out
