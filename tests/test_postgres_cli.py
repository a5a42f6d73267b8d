"""The product's main path on PostgreSQL, through the command line; and the CI rule for PostgreSQL tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from monitor.cli import main
from monitor.settings import PROJECT_ROOT
from tests.test_cli import run


@pytest.mark.postgres
def test_init_demo_and_observations_on_postgresql(capsys: pytest.CaptureFixture[str], pg_databases) -> None:
    url = pg_databases.create("cli")
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "demo"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", url, "observations", "--indicator", "gdp", "--year", "2020", "--format", "json")
    assert code == 0
    q4 = {r["period"]: r for r in json.loads(out)["rows"]}["2020-Q4"]
    assert q4["value"] == pytest.approx(802, rel=0.01)
    code, out, _ = run(capsys, "--db", url, "init")
    assert code == 0
    assert "无需更改" in out


def _pytest_against_dead_server(require: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["MONITOR_TEST_POSTGRES_URL"] = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"
    if require:
        env["MONITOR_REQUIRE_POSTGRES"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "tests/storage/test_migrations.py",
            "-k",
            "upgrade_head and postgresql",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=300,
    )


def test_postgresql_tests_skip_without_a_server_but_fail_when_required() -> None:
    relaxed = _pytest_against_dead_server(require=False)
    assert relaxed.returncode == 0, relaxed.stdout
    assert "1 skipped" in relaxed.stdout, relaxed.stdout
    strict = _pytest_against_dead_server(require=True)
    assert strict.returncode == 1, strict.stdout
    assert "MONITOR_REQUIRE_POSTGRES=1" in strict.stdout, strict.stdout
