"""The command line, tested through its entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.settings import PROJECT_ROOT


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "monitor", *argv],
        capture_output=True,
        text=True,
        cwd=cwd or PROJECT_ROOT,
        env=full_env,
        timeout=120,
    )


BROKEN = """
[meta]
default_region = "nowhere"
timezone = "Mars/Olympus"

[[departments]]
code = "stats"
name = "区统计局"

[[regions]]
code = "gusu"
name = "姑苏区"
kind = "district"

[[indicators]]
code = "gdp"
name = "地区生产总值"
unit = "亿"
frequency = "quarterly"
measure = "cumulative"
direction = "up"
departments = ["stats", "ghost"]
growth_basis = "constant"
lag_months = 0
first_month = 1
due_day = 18

[[sets]]
code = "ops30"
name = "30项"
[[sets.categories]]
code = "overall"
name = "综合"
indicators = ["gdp", "income"]

[[targets]]
year = 2021
region = "gusu"
indicator = "income"
kind = "growth_above"
"""


def test_catalog_check_passes_on_the_shipped_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "check")
    assert code == 0
    assert "60 项指标" in out  # catalog.csv's 55 and the 5 added for the 2021 goals
    assert "检查通过" in out


def test_catalog_check_lists_every_mistake_at_once_without_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(BROKEN, encoding="utf-8")
    result = run_process("catalog", "check", "--config", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for expected in (
        "未知的计量单位“亿”",
        "责任单位“ghost”",
        "季度指标的 first_month 应为 3",
        "未定义的指标“income”",
        "目标指向未定义的指标“income”",
        "growth_above 目标必须写明参照指标",
        "默认地区“nowhere”",
        "未知的时区“Mars/Olympus”",
    ):
        assert expected in result.stderr, expected
    assert str(broken) in result.stderr
    assert "共 8 处问题" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(None, "找不到指标目录文件", id="missing-file"),
        pytest.param("[meta\ntitle = 1", "不是合法的 TOML", id="toml-syntax-error"),
        pytest.param("\xff\xfe".encode("latin-1").decode("latin-1") + "[meta]", "不是 UTF-8", id="not-utf8"),
    ],
)
def test_unreadable_catalogue_gives_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "c.toml"
    if content is not None:
        path.write_bytes(content.encode("latin-1") if expected == "不是 UTF-8" else content.encode("utf-8"))
    code, _, err = run(capsys, "--config", str(path), "catalog", "check")
    assert code == 1
    assert expected in err


def test_catalog_show_json_lists_sets_indicators_and_targets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    sets = {s["code"]: s for s in doc["sets"]}
    assert len(sets["ops30"]["categories"]) == 9
    assert sum(len(c["indicators"]) for c in sets["ops30"]["categories"]) == 30
    assert sum(len(c["indicators"]) for c in sets["gdp34"]["categories"]) == 34
    assert len(doc["targets"]) == 19
    assert len(doc["indicators"]) == 60
    assert sum(len(c["indicators"]) for c in sets["goals2021"]["categories"]) == 15
    assert {d["code"] for d in doc["departments"]} >= {"stats", "drc", "finance"}


def test_catalog_show_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show")
    assert code == 0
    assert "9大类30项经济运行监测指标（ops30，30 项）" in out
    assert "年度目标" in out


def test_init_twice_says_nothing_changed_the_second_time(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    code, out, _ = run(capsys, "--db", db, "init")
    assert code == 0
    assert "新增指标 60 项" in out
    code, out, _ = run(capsys, "--db", db, "init")
    assert code == 0
    assert "无需更改" in out


def test_commands_on_an_uninitialised_database_say_to_run_init(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'new.db'}", "observations", "--indicator", "gdp")
    assert code == 1
    assert "monitor init" in err


def test_unreachable_database_is_a_message_not_a_traceback() -> None:
    result = run_process("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "init")
    assert result.returncode == 1
    assert "无法连接数据库" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_database_url_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "not a url", "init")
    assert code == 1
    assert "数据库地址" in err


def test_python_dash_m_monitor_shows_chinese_help() -> None:
    result = run_process("--help")
    assert result.returncode == 0
    assert "经济运行监测" in result.stdout
    assert "observations" in result.stdout


def test_unknown_command_exits_2_with_chinese_usage_error() -> None:
    result = run_process("frobnicate")
    assert result.returncode == 2
    assert "参数错误" in result.stderr
