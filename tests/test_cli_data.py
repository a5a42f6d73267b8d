"""Commands that read figures, on a database holding the sample data; and the README's main command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from monitor.cli import main
from monitor.settings import PROJECT_ROOT
from tests.catalogue_changes import expected_contract_problems
from tests.contract import needs_contract, run_contract
from tests.test_cli import run, run_process


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'monitor.db'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "demo"]) == 0
    return url


def obs_json(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> dict:
    code, out, _ = run(capsys, "--db", db, "observations", *argv, "--format", "json")
    assert code == 0
    return json.loads(out)


def test_gdp_2020_full_year_is_within_one_percent_of_802(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    doc = obs_json(capsys, sample_db, "--indicator", "gdp", "--year", "2020")
    rows = {r["period"]: r for r in doc["rows"]}
    assert list(rows) == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    assert rows["2020-Q4"]["value"] == pytest.approx(802, rel=0.01)
    assert rows["2020-Q4"]["unit"] == "亿元"
    assert rows["2020-Q4"]["is_sample"] is True
    assert set(rows["2020-Q4"]) >= {
        "indicator",
        "region",
        "period",
        "value",
        "yoy",
        "unit",
        "known_from",
        "known_to",
        "source",
    }
    assert rows["2020-Q4"]["known_from"].endswith("+08:00")


def test_period_codes_follow_the_contract_for_every_frequency(
    capsys: pytest.CaptureFixture[str], sample_db: str
) -> None:
    assert obs_json(capsys, sample_db, "--indicator", "revenue", "--year", "2021")["rows"][0]["period"] == "2021-01"
    weekly = obs_json(capsys, sample_db, "--indicator", "pork_price", "--year", "2021")["rows"]
    assert weekly[0]["period"] == "2021-W01"
    rate = obs_json(capsys, sample_db, "--indicator", "industrial_va", "--year", "2021")["rows"]
    assert rate[0]["period"] == "2021-02"
    assert rate[0]["value"] is None
    assert rate[0]["yoy"] is not None


def test_known_at_before_a_revision_returns_the_old_value(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    history = obs_json(capsys, sample_db, "--indicator", "revenue", "--year", "2021", "--history")["rows"]
    may = [r for r in history if r["period"] == "2021-05"]
    assert len(may) == 2
    assert may[0]["known_to"] == may[1]["known_from"]
    revised_day = may[1]["known_from"][:10]
    day_before = f"{revised_day[:8]}{int(revised_day[8:]) - 1:02d}"
    old = obs_json(capsys, sample_db, "--indicator", "revenue", "--year", "2021", "--known-at", day_before)
    assert old["known_at"].startswith(day_before)
    assert {r["period"]: r["value"] for r in old["rows"]}["2021-05"] == may[0]["value"]
    now = obs_json(capsys, sample_db, "--indicator", "revenue", "--year", "2021")
    assert {r["period"]: r["value"] for r in now["rows"]}["2021-05"] == may[1]["value"]


def test_xlsx_export_opens_with_chinese_headers(
    capsys: pytest.CaptureFixture[str], sample_db: str, tmp_path: Path
) -> None:
    out = tmp_path / "gdp.xlsx"
    code, said, _ = run(
        capsys,
        "--db",
        sample_db,
        "observations",
        "--indicator",
        "deposits",
        "--year",
        "2021",
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    assert code == 0
    assert "已写出 6 行" in said
    sheet = openpyxl.load_workbook(out)["数据"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["指标", "地区", "期别", "期别代码", "数值", "单位", "同比增长(%)"]
    assert sheet["C7"].value == "2021年6月末"


def test_csv_export_carries_a_bom_for_excel(capsys: pytest.CaptureFixture[str], sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "fai.csv"
    assert (
        run(
            capsys,
            "--db",
            sample_db,
            "observations",
            "--indicator",
            "fai",
            "--year",
            "2021",
            "--format",
            "csv",
            "--out",
            str(out),
        )[0]
        == 0
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["期别"] == "2021年1-2月"  # no January figure for fai


def test_table_output_says_it_is_sample_data(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    code, out, err = run(capsys, "--db", sample_db, "observations", "--indicator", "new_jobs", "--year", "2021")
    assert code == 0
    assert "2021年1-6月" in out
    assert "19,000" in out
    assert "示例数据" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--indicator", "gpd"], "未知的指标“gpd”：请给出指标代码或指标名称", id="unknown-indicator"),
        pytest.param(["--indicator", "gdp", "--region", "mars"], "未知的地区“mars”", id="unknown-region"),
        pytest.param(["--indicator", "gdp", "--known-at", "yesterday"], "不是 ISO 格式", id="bad-known-at"),
    ],
)
def test_bad_arguments_get_a_chinese_message_and_exit_1(
    capsys: pytest.CaptureFixture[str], sample_db: str, argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--db", sample_db, "observations", *argv)
    assert code == 1
    assert message in err


def test_status_prints_the_pace_of_every_ops30_indicator_as_a_通报_table(
    capsys: pytest.CaptureFixture[str], sample_db: str
) -> None:
    code, out, _ = run(capsys, "--db", sample_db, "status")
    assert code == 0
    assert "以示例数据自身的日期 2021-07-20 作为当前日期" in out
    assert "截至 2021年1-6月 报告期的序时进度" in out
    assert all(h in out for h in ("指标", "1-6月累计", "同比±%", "全年目标", "完成全年目标%", "状态", "责任单位"))
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "完成全年目标的38.0%" in lines["新增就业岗位"]
    assert "慢于序时12.0个百分点" in lines["新增就业岗位"]
    assert "红灯" in lines["新增就业岗位"]
    assert "黄灯" in lines["新增大学生就业岗位"]
    assert "绿灯" in lines["地区生产总值"]
    assert "未报" in lines["土地出让成交金额"]
    assert "灰灯（无目标）" in lines["土地出让成交金额"]
    # 2021 catalogue changes: key_project_investment (年度计划) and cpi (3% ceiling) now green; 22 → 20 grey
    assert "合计：红灯 3 项，黄灯 1 项，绿灯 6 项，灰灯 20 项" in out
    assert "全年预测" not in out  # status stays fast: no forecast


def test_readme_main_command_initialises_loads_sample_data_once_and_reports(tmp_path: Path) -> None:
    first = run_process("run", "--once", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "var" / "monitor.db").exists()
    assert "行，新增" in first.stdout
    assert "新增指标 60 项" in first.stdout
    assert "以上为示例数据" in first.stdout
    second = run_process("run", "--once", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "行，新增" not in second.stdout
    assert "无需更改" in second.stdout


@needs_contract
def test_outside_contract_check_of_the_catalogue_reports_only_the_documented_changes(sample_db: str) -> None:
    """The reference catalog.csv still names the suppliers as 责任单位 (and CPI lower-is-better, 一般性支出
    monthly); the check must report exactly those deliberate changes (docs/catalogue.md) and nothing else."""
    result = run_contract("catalogue", sample_db)
    *problems, summary = result.stdout.strip().splitlines()
    with open(PROJECT_ROOT / "tests" / "reference" / "catalog.csv", encoding="utf-8") as f:
        expected = expected_contract_problems(list(csv.DictReader(f)))
    assert set(problems) == expected, result.stdout + result.stderr
    assert summary.startswith(f"{len(expected)} contract problem(s)")


def test_status_as_of_moves_the_report_period(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    code, out, _ = run(capsys, "--db", sample_db, "status", "--as-of", "2021-03-20")
    assert code == 0
    assert "当前日期：2021-03-20" in out
    assert "截至 2021年1-2月 报告期" in out
    assert "以上为示例数据" in out


def test_observations_take_names_as_imports_do_and_history_shows_no_nan(
    capsys: pytest.CaptureFixture[str], sample_db: str
) -> None:
    argv = ["--region", "gusu.pingjiang", "--year", "2021"]
    by_code = obs_json(capsys, sample_db, "--indicator", "retail_sales", *argv)
    by_name = obs_json(capsys, sample_db, "--indicator", "社会消费品零售总额", "--region", "平江街道", "--year", "2021")
    assert by_name == by_code
    assert by_code["rows"]  # a street figure (streets report 社零; they have no GDP)
    code, out, _ = run(capsys, "--db", sample_db, "observations", "--indicator", "revenue", "--history")
    assert code == 0
    assert "nan" not in out
