"""Scheduler processes for tests: a catalogue with test timings, environments, and polling helpers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from monitor.domain.catalogue import WEEKDAYS
from monitor.jobs import list_job_runs
from monitor.settings import PROJECT_ROOT
from monitor.storage.db import make_engine


def catalogue_with_schedule(tmp_path: Path, **schedule: Any) -> Path:
    """The shipped catalogue with its [schedule] table replaced."""
    text = (PROJECT_ROOT / "indicators.toml").read_text(encoding="utf-8")
    lines = "\n".join(f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in schedule.items())
    text = re.sub(r"\[schedule\]\n(?:[^\n\[]*\n)*", lambda _: f"[schedule]\n{lines}\n\n", text, count=1)
    path = tmp_path / "indicators.toml"
    path.write_text(text.replace("'", '"'), encoding="utf-8")
    return path


def digest_due_at(tmp_path: Path, due: datetime, catchup_minutes: float) -> Path:
    """A catalogue whose weekly digest is due at `due` (Asia/Shanghai); imports and alerts kept out of the way."""
    return catalogue_with_schedule(
        tmp_path,
        inbox_scan_minutes=600,
        alerts_daily_at="03:00",
        digest_weekday=WEEKDAYS[due.weekday()],
        digest_at=due.strftime("%H:%M:%S"),
        catchup_minutes=catchup_minutes,
    )


def environment(database_url: str, config: Path, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_SMTP_")}
    env.update(MONITOR_DATABASE_URL=database_url, MONITOR_CONFIG=str(config), MONITOR_VAR_DIR=str(var_dir), **extra)
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """`python -m monitor ARGS` with its output in `log`."""
    handle = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", *args], env=env, cwd=log.parent, stdout=handle, stderr=subprocess.STDOUT
    )


def wait_for(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def job_runs(database_url: str) -> pd.DataFrame:
    engine = make_engine(database_url)
    try:
        return list_job_runs(engine, limit=1000)
    finally:
        engine.dispose()


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> int:
    if process.poll() is None:
        process.terminate()
    return process.wait(timeout)
