"""Paths that used to end in a traceback: each is one Chinese line and exit 1 (or a quiet stop)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('edges') / 'm.db'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "demo"]) == 0
    return url


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("错误：")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (["pace", "--period", "2021-06", "--format", "csv", "--out", "{missing}/pace.csv"], "路径不存在"),
        (["pace", "--period", "2021-06", "--out", "{folder}"], "这是一个文件夹，不是文件"),
        (["observations", "--indicator", "gdp", "--format", "xlsx", "--out", "{missing}/a.xlsx"], "路径不存在"),
        (["observations", "--indicator", "gdp", "--format", "csv", "--out", "{folder}"], "这是一个文件夹"),
        (["observations", "--indicator", "gdp", "--format", "json", "--out", "{file}/x.json"], "不是文件夹"),
        (["template", "--department", "finance", "--period", "2021-06", "--out", "{file}/t.xlsx"], "不是文件夹"),
    ],
)
def test_an_unwritable_out_is_one_line_naming_the_path(
    capsys: pytest.CaptureFixture[str], demo_db: str, tmp_path: Path, command: list[str], reason: str
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    names = {"missing": str(tmp_path / "no" / "such"), "folder": str(tmp_path), "file": str(a_file)}
    argv = ["--db", demo_db, *[c.format(**names) for c in command]]
    line = _one_line_error(capsys, argv)
    assert reason in line
    assert str(tmp_path) in line


def test_a_folder_given_to_import_is_named_a_folder(
    capsys: pytest.CaptureFixture[str], demo_db: str, tmp_path: Path
) -> None:
    line = _one_line_error(capsys, ["--db", demo_db, "import", str(tmp_path)])
    assert "是文件夹，不是文件" in line
    assert "monitor inbox scan" in line


def test_an_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = _one_line_error(capsys, ["--db", "postgresql+psycopg://postgres@127.0.0.1:1/none", "pace"])
    assert "无法连接数据库 postgresql+psycopg://postgres@127.0.0.1:1/none" in line


def test_a_database_file_that_cannot_be_created_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    line = _one_line_error(capsys, ["--db", f"sqlite:///{a_file}/m.db", "init"])
    assert str(a_file) in line


def test_a_bad_limit_setting_is_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_IMPORT_MAX_ROWS", "many")
    line = _one_line_error(capsys, ["catalog", "check"])
    assert "MONITOR_IMPORT_MAX_ROWS" in line


def test_a_reader_that_goes_away_stops_the_output_quietly(demo_db: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    child = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--db", demo_db, "observations", "--indicator", "gdp", "--history"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    child.stdout.readline()
    child.stdout.close()  # like `| head -1`
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) in (0, 1)
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
