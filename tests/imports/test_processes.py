"""Reliability with real processes: concurrent imports, and a SIGKILL in the middle of a large file.

Each test starts `python -m monitor import` processes against a real database (SQLite file or
PostgreSQL). "Started writing" is the importer's own progress line `已写入 50,000/…` on stderr,
printed after the first bulk step of a large file; the kill follows it, while the rest is written.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.settings import PROJECT_ROOT
from tests.imports.conftest import big_frame, import_rows, snapshot

pytestmark = pytest.mark.slow


def start(db_url: str, *argv: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--db", db_url, "import", *argv],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def test_two_processes_importing_different_files_at_once_both_land(
    synced_engine: Engine, db_url: str, catalogue: Catalogue, tmp_path: Path
) -> None:
    figures = big_frame(catalogue, 20_000)
    half = figures["indicator"].isin(figures["indicator"].unique()[::2]).to_numpy()
    shared = figures[~half].head(1)  # one identical figure in both files: whichever lands second sees it
    a = write(pd.concat([figures[half], shared]), tmp_path / "a.csv")
    b = write(figures[~half], tmp_path / "b.csv")
    processes = [start(db_url, str(a)), start(db_url, str(b))]
    outcomes = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err[-2000:] for _, err in outcomes]
    assert len(snapshot(synced_engine)) == len(figures)
    rows = import_rows(synced_engine)
    assert sorted(r.status for r in rows) == ["accepted"] * 2
    assert (sum(r.inserted for r in rows), sum(r.unchanged for r in rows), sum(r.revised for r in rows)) == (
        len(figures),
        1,
        0,
    )


def test_two_processes_importing_the_same_bytes_at_once_land_them_once(
    synced_engine: Engine, db_url: str, catalogue: Catalogue, tmp_path: Path
) -> None:
    path = write(big_frame(catalogue, 5_000), tmp_path / "same.csv")
    processes = [start(db_url, str(path), "--format", "json") for _ in range(2)]
    outcomes = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err[-2000:] for _, err in outcomes]
    assert sorted(r.status for r in import_rows(synced_engine)) == ["accepted", "duplicate"]
    assert len(snapshot(synced_engine)) == 5_000


def test_a_killed_import_leaves_nothing_and_a_rerun_lands_it_whole(
    synced_engine: Engine, db_url: str, catalogue: Catalogue, tmp_path: Path
) -> None:
    path = write(big_frame(catalogue, 120_000), tmp_path / "large.csv")
    process = start(db_url, str(path))
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith("已写入 50,000/120,000"):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)[-2000:]
    assert snapshot(synced_engine) == []
    assert [r.status for r in import_rows(synced_engine)] == []
    rerun = start(db_url, str(path))
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err[-2000:]
    assert len(snapshot(synced_engine)) == 120_000
    [row] = import_rows(synced_engine)
    assert (row.status, row.inserted) == ("accepted", 120_000)
