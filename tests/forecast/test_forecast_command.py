"""`monitor forecast refresh`, through the command line's entry point, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from monitor.cli import main
from monitor.domain.catalogue import Catalogue, RegionKind
from tests.forecast.test_stored_forecasts import revenue, write


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_refresh_fits_the_district_once_and_says_what_it_did(
    synced_engine: Engine, db_url: str, catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    write(synced_engine, revenue())
    streets = sum(1 for i in catalogue.indicators.values() if i.reported_by(RegionKind.STREET))
    series = len(catalogue.indicators) + 8 * streets  # the district has every series, a street those it reports
    code, out, err = run(capsys, "--db", db_url, "forecast", "refresh", "--period", "2021-06", "--workers", "1")
    assert code == 0, err
    assert f"已刷新 2021-06 的全年预测：{series} 个序列，新拟合 {series} 个，沿用已存 0 个" in out
    assert "组合模型（Theta、指数平滑、季节朴素、航空模型，按各自近期误差加权）：1 个" in out
    assert "姑苏区及8个街道" in err
    code, out, _ = run(capsys, "--db", db_url, "forecast", "refresh", "--period", "2021-06", "--workers", "1")
    assert code == 0
    assert f"新拟合 0 个，沿用已存 {series} 个（数据未变）" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--period", "2021-Q2"], "不是月份", id="quarter_instead_of_month"),
        pytest.param(["--period", "2021-13"], "不是报告月份", id="no_such_month"),
        pytest.param(["--region", "mars"], "未知的地区代码“mars”", id="unknown_region"),
        pytest.param(["--workers", "0"], "--workers 须为正整数", id="no_workers"),
    ],
)
def test_refresh_refuses_what_it_cannot_do_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'unused.db'}", "forecast", "refresh", *argv)
    assert code == 1
    assert message in err
    assert "Traceback" not in err
