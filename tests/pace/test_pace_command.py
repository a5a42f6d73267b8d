"""`monitor pace` and the pace service on the sample data, on SQLite and PostgreSQL.

The sample data (示例数据) are anchored on the published 2021 half-year figures of 姑苏区, so the
June 2021 report must show what the coordination group saw then: GDP, revenue, investment and
retail sales on track, jobs and headquarters behind 序时进度, income growth below GDP growth.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import Engine

from monitor.catalogue_file import load_catalogue
from monitor.cli import main
from monitor.domain.pace import BULLETIN_COLUMNS, PACE_COLUMNS
from monitor.domain.periods import month
from monitor.services.demo import load_demo
from monitor.services.pace import PaceReport, pace_report
from monitor.settings import PROJECT_ROOT
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, transaction
from tests.contract import needs_contract, run_contract

CST = ZoneInfo("Asia/Shanghai")


def sample_database(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    with transaction(engine) as session:
        sync_catalogue(session, catalogue)
    load_demo(engine, catalogue)
    return engine


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sample_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the catalogue and the sample data, loaded once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('pace') / 'monitor.db'}"
    else:
        url = request.getfixturevalue("pg_databases").create("pace")
    engine = sample_database(url)
    yield url
    engine.dispose()


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample database on SQLite only, for what does not depend on the backend (formats, messages)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pace_cli') / 'monitor.db'}"
    engine = sample_database(url)
    yield url
    engine.dispose()


def report(url: str, period: str = "2021-06", **kw: Any) -> PaceReport:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            year, number = (int(x) for x in period.split("-"))
            return pace_report(session, load_catalogue(PROJECT_ROOT / "indicators.toml"), month(year, number), **kw)
    finally:
        engine.dispose()


def by_indicator(rep: PaceReport) -> dict[str, dict[str, Any]]:
    return {r["indicator"]: r for r in rep.rows.to_dict("records")}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def no_nan(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise AssertionError(f"{constant} in JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    ("indicator", "status", "target"),
    [
        pytest.param("gdp", "green", 6.0, id="gdp-10.7-against-6-green"),
        pytest.param("revenue", "green", 5.0, id="revenue-16.1-against-5-green"),
        pytest.param("fai", "green", 10.0, id="fai-10.1-against-10-green"),
        pytest.param("retail_sales", "green", 6.0, id="retail-sales-about-6-green"),
        pytest.param("new_jobs", "red", 50000.0, id="new-jobs-19000-of-50000-red"),
        pytest.param("graduate_jobs", "yellow", 10000.0, id="graduate-jobs-4700-of-10000-yellow"),
        pytest.param("hq_enterprises", "red", 10.0, id="hq-enterprises-3-of-10-red"),
        pytest.param("urban_income", "red", None, id="urban-income-9.2-below-gdp-10.7-red"),
    ],
)
def test_june_2021_report_on_the_sample_data(
    sample_url: str, indicator: str, status: str, target: float | None
) -> None:
    rows = by_indicator(report(sample_url, regions=["gusu"], forecast=False))
    row = rows[indicator]
    assert row["status"] == status
    assert row["target_value"] == target or (target is None and row["target_reference"] == "gdp")


@pytest.mark.parametrize(
    ("indicator", "status", "completion", "gap_pp"),
    [
        pytest.param("key_project_investment", "green", 0.548, 4.8, id="key-projects-131.27-of-plan-239.5-green"),
        pytest.param("reemployment", "green", 0.52, 2.0, id="reemployment-5200-of-10000-green"),
        pytest.param("self_employment", "green", 0.525, 2.5, id="self-employment-1050-of-2000-green"),
        pytest.param("graduate_startups", "yellow", 0.453, -4.7, id="graduate-startups-68-of-150-yellow"),
        pytest.param("social_insurance_new", "yellow", 0.475, -2.5, id="social-insurance-28500-of-60000-yellow"),
        pytest.param("culture_enterprises", "green", 0.825, 32.5, id="culture-enterprises-99-of-120-green"),
        pytest.param("cpi", "green", None, 2.4, id="cpi-0.6-under-the-3-ceiling-green"),
    ],
)
def test_the_2021_goals_added_to_the_catalogue_are_judged_on_the_sample(
    sample_url: str, indicator: str, status: str, completion: float | None, gap_pp: float
) -> None:
    """Level goals: completion against 序时 (1-6月 = 50%); the CPI ceiling: gap = 3 − growth."""
    rep = report(sample_url, regions=["gusu"], set_code="goals2021", forecast=False)
    row = by_indicator(rep)[indicator]
    assert row["status"] == status
    assert row["gap_pp"] == pytest.approx(gap_pp, abs=0.05)
    if completion is not None:
        assert row["completion"] == pytest.approx(completion, abs=0.0005)
    assert (rep.rows["status_reason"] != "no_target").all()  # every goal of the set has its target


def test_june_2021_figures_behind_the_statuses(sample_url: str) -> None:
    rows = by_indicator(report(sample_url, regions=["gusu"], forecast=False))
    assert rows["new_jobs"]["completion"] == pytest.approx(0.38)
    assert rows["new_jobs"]["gap_pp"] == pytest.approx(-12)
    assert rows["urban_income"]["gap_pp"] == pytest.approx(9.2 - 10.7)
    assert rows["gdp"]["period"] == "2021-Q2"
    assert rows["gdp"]["growth_source"] == "reported"
    assert rows["services_revenue"]["period"] == "2021-05"  # 错月
    assert rows["pork_price"]["period"] == "2021-W25"
    assert math.isnan(rows["land_transfer"]["value"])
    assert rows["land_transfer"]["status_reason"] == "no_target"
    assert rows["fai"]["seasonal_years"] == 3
    assert 0.3 < rows["fai"]["seasonal_share"] < 0.6


def test_gdp_pace_is_on_the_comparable_price_basis_of_its_target(sample_url: str) -> None:
    gdp = by_indicator(report(sample_url, regions=["gusu"], forecast=False))["gdp"]
    assert gdp["basis"] == "comparable"
    # (802 × 1.06 − B_k × 1.107) / (802 − B_k) − 1 with B_k the 2020 H1 figure: about 2.1% real growth
    assert gdp["required_growth_rest"] == pytest.approx(2.1, abs=0.1)
    assert by_indicator(report(sample_url, regions=["gusu"], forecast=False))["fai"]["basis"] == "current"


def test_known_at_reproduces_the_report_from_before_a_revision(sample_url: str) -> None:
    # revenue 1-5月 of 姑苏区 was revised on 2021-06-28 (+1.5%)
    before = by_indicator(
        report(sample_url, "2021-05", regions=["gusu"], forecast=False, known_at=datetime(2021, 6, 27, 12, tzinfo=CST))
    )["revenue"]
    now = by_indicator(report(sample_url, "2021-05", regions=["gusu"], forecast=False))["revenue"]
    assert now["value"] == pytest.approx(round(before["value"] * 1.015, 2))
    assert now["growth"] != before["growth"]
    assert before["status"] == now["status"] == "green"


def test_streets_without_targets_show_their_figures_in_grey(sample_url: str) -> None:
    rep = report(sample_url, regions=["gusu.pingjiang", "gusu.canglang"], forecast=False)
    assert len(rep.rows) == 2 * 19  # the 19 ops30 indicators streets report: no street GDP, 土地出让, CPI...
    assert not {"gdp", "land_transfer", "cpi", "urban_income"} & set(rep.rows["indicator"])
    assert set(rep.rows["status_reason"]) == {"no_target"}
    assert rep.rows.loc[rep.rows["indicator"] == "fai", "value"].notna().all()


def test_json_is_the_contract_with_all_30_ops30_rows(capsys: pytest.CaptureFixture[str], sample_url: str) -> None:
    code, out, err = run(capsys, "--db", sample_url, "pace", "--period", "2021-06", "--no-forecast", "--format", "json")
    assert code == 0
    assert "示例数据" in err
    doc = no_nan(out)
    assert doc["period"] == "2021-06"
    assert doc["region"] == "gusu"
    assert doc["set"] == "ops30"
    assert doc["known_at"] is None
    assert len(doc["rows"]) == 30
    assert all(list(row) == [*PACE_COLUMNS, *BULLETIN_COLUMNS] for row in doc["rows"])  # the 通报 fields after
    gdp = doc["rows"][0]
    assert gdp["indicator"] == "gdp"
    assert gdp["category"] == "overall"
    assert gdp["departments"] == ["stats"]
    assert gdp["target_kind"] == "growth_min"
    assert gdp["status"] == "green"
    assert gdp["status_reason"] is None
    assert gdp["required_growth_estimated"] is False
    assert isinstance(gdp["seasonal_years"], int)


def test_january_report_leaves_1_2月_indicators_grey(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, _ = run(capsys, "--db", sqlite_url, "pace", "--period", "2021-01", "--no-forecast", "--format", "json")
    rows = {r["indicator"]: r for r in no_nan(out)["rows"]}
    assert code == 0
    assert rows["fai"]["period"] == "2021-01"
    assert rows["fai"]["status_reason"] == "before_first_period"
    assert rows["gdp"]["period"] == "2020-Q4"
    assert rows["revenue"]["status"] == "green"  # revenue reports 1月


def test_known_at_is_echoed_in_the_json(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        sqlite_url,
        "pace",
        "--period",
        "2021-05",
        "--known-at",
        "2021-06-27",
        "--no-forecast",
        "--format",
        "json",
    )
    assert code == 0
    assert no_nan(out)["known_at"].startswith("2021-06-27T23:59:59")


def test_table_is_the_通报_format(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, "pace", "--period", "2021-06", "--no-forecast")
    assert code == 0
    assert "示例数据" in err
    header = out.splitlines()[1].split()
    assert header == [
        "指标",
        "单位",
        "1-6月累计",
        "同比±%",
        "比上期±百分点",
        "两年平均",
        "全年目标",
        "完成全年目标%",
        "序时进度",
        "快/慢于序时",
        "位次",
        "责任单位",
        "状态",
    ]
    assert "姑苏区 9大类30项经济运行监测指标：截至 2021年1-6月 报告期的序时进度" in out
    lines = {line.split()[0]: line for line in out.splitlines()[3:] if line.strip()}
    jobs = lines["新增就业岗位"]
    for text in ("19,000", "下降23.5%", "50000个以上", "完成全年目标的38.0%", "慢于序时12.0个百分点", "红灯"):
        assert text in jobs, text
    revenue = lines["一般公共预算收入"]
    for text in ("39.50", "增长16.1%", "完成预算（上年×1.05=66.99亿）的59.0%", "快于序时9.0个百分点", "2/10"):
        assert text in revenue, text
    assert "408.50（上半年）" in lines["地区生产总值"]
    assert "240.88（1-5月）" in lines["规上服务业营业收入"]  # 错月: the period is named
    assert "万元" not in out  # 限上餐饮业营业额 is reported in 万元 and shown in 亿元 beside the other rows
    assert "16.95" in lines["限上餐饮业营业额"]
    assert "亿元" in lines["限上餐饮业营业额"]
    assert "增长-" not in out
    assert "增长−" not in out


def test_csv_has_a_bom_and_chinese_headers(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    out_file = tmp_path / "pace.csv"
    code, out, _ = run(
        capsys,
        "--db",
        sqlite_url,
        "pace",
        "--period",
        "2021-06",
        "--no-forecast",
        "--format",
        "csv",
        "--out",
        str(out_file),
    )
    assert code == 0
    assert "已写出 30 行" in out
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 30
    assert rows[0]["指标"] == "地区生产总值"
    assert rows[0]["状态"] == "绿灯"
    jobs = next(r for r in rows if r["指标"] == "新增就业岗位")
    assert jobs["完成全年目标(%)"] == "38.0"
    assert jobs["快/慢于序时(百分点)"] == "-12.0"
    assert jobs["差距(百分点)"] == "-12.0"
    assert jobs["期别"] == "2021年1-6月"
    assert jobs["同比±%"] == "-23.5"
    revenue = next(r for r in rows if r["指标"] == "一般公共预算收入")
    assert (revenue["目标总量"], revenue["完成全年目标(%)"], revenue["位次"]) == ("66.99", "59.0", "2")
    catering = next(r for r in rows if r["指标"] == "限上餐饮业营业额")
    assert (catering["单位"], catering["1-6月累计"]) == ("亿元", "16.95")
    assert "所需增速时段" in rows[0]
    assert rows[0]["所需增速时段"] == "下半年"
    assert not any(k.isascii() for k in rows[0])  # Chinese headers only


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--period", "2021-13"], "--period “2021-13” 不是报告月份", id="no-such-month"),
        pytest.param(["--period", "2021Q2"], "不是月份", id="quarter-is-not-a-report-month"),
        pytest.param(["--region", "mars"], "未知的地区代码“mars”", id="unknown-region"),
        pytest.param(["--set", "ops31"], "未知的指标体系“ops31”，可选：ops30、gdp34、goals2021、all", id="unknown-set"),
        pytest.param(["--known-at", "yesterday"], "不是 ISO 格式", id="bad-known-at"),
    ],
)
def test_bad_arguments_get_a_chinese_message_and_exit_1(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "pace", "--no-forecast", *argv)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_forecast_fields_are_filled_from_the_stored_forecasts(sample_url: str) -> None:
    rows = by_indicator(report(sample_url, regions=["gusu"]))
    for code in ("gdp", "revenue", "fai", "new_jobs", "urban_income"):
        row = rows[code]
        assert row["forecast_method"], code
        assert row["forecast_low"] <= row["forecast_value"] <= row["forecast_high"], code
        assert 0.0 <= row["prob_meet"] <= 1.0, code
    assert rows["gdp"]["forecast_value"] > rows["gdp"]["value"]  # the year-end total exceeds the half year
    assert rows["pork_price"]["forecast_method"] == "not_applicable"
    assert math.isnan(rows["pork_price"]["prob_meet"])
    assert math.isnan(rows["trade"]["prob_meet"])  # no target, no probability


@needs_contract
def test_outside_contract_check_of_pace_passes(sqlite_url: str) -> None:
    result = run_contract("pace", sqlite_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 contract problem(s)" in result.stdout


def test_with_real_figures_of_2021_the_report_opens_at_their_newest_month_not_an_empty_last_month(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Real figures make "today" the real date; last month has no figures yet, so views open at 2021-06."""
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    sample_database(url).dispose()
    real = PROJECT_ROOT / "tests" / "imports" / "data" / "finance_2021-05_gb18030.csv"
    assert run(capsys, "--db", url, "import", "--department", "finance", str(real))[0] == 0
    code, out, _ = run(capsys, "--db", url, "pace", "--no-forecast", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["period"] == "2021-06"
    assert {r["status"] for r in doc["rows"]} >= {"red", "green"}


def test_xlsx_is_a_formatted_通报_report(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    """Title and period rows, the header frozen, Chinese labels only, numbers with a format per unit."""
    out_file = tmp_path / "通报.xlsx"
    code, out, _ = run(
        capsys, "--db", sqlite_url, "pace", "--period", "2021-06", "--format", "xlsx", "--out", str(out_file)
    )
    assert code == 0
    assert "已写出 30 行" in out
    sheet = openpyxl.load_workbook(out_file).active
    assert sheet["A1"].value == "姑苏区 9大类30项经济运行监测指标：截至 2021年1-6月 报告期的序时进度"
    assert sheet["A2"].value.startswith("报告期：2021年1-6月")
    assert "示例数据" in sheet["A2"].value
    assert sheet.freeze_panes == "B4"
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["指标", "期别", "单位", "1-6月累计"]
    rows = {r[0].value: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=4)}
    assert len(rows) == 30
    revenue = rows["一般公共预算收入"]
    assert (revenue["1-6月累计"].value, revenue["1-6月累计"].number_format) == (39.5, "#,##0.00")
    assert (revenue["同比±%"].value, revenue["同比±%"].number_format) == (16.1, "0.0")
    assert (revenue["目标总量"].value, revenue["完成全年目标(%)"].value) == (66.99, 59.0)
    assert revenue["快/慢于序时(百分点)"].value == 9.0
    jobs = rows["新增就业岗位"]
    assert (jobs["1-6月累计"].value, jobs["1-6月累计"].number_format) == (19000, "#,##0")
    assert rows["限上餐饮业营业额"]["单位"].value == "亿元"
    assert rows["限上餐饮业营业额"]["1-6月累计"].value == pytest.approx(16.95)
    assert rows["地区生产总值"]["所需增速时段"].value == "下半年"
    texts = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    english = {t for t in texts if any("a" <= ch.lower() <= "z" for ch in t) and "Theta" not in t}
    assert english == set()  # no reported, growth_min, theta_damped, comparable ...
    assert "组合模型（Theta、指数平滑、季节朴素、航空模型，按各自近期误差加权）" in texts


def test_xlsx_needs_an_output_file(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, _, err = run(capsys, "--db", sqlite_url, "pace", "--no-forecast", "--format", "xlsx")
    assert code == 1
    assert "--format xlsx 须用 --out 指定输出文件" in err


def test_json_rows_carry_the_通报_fields_beside_the_contract_ones(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, _ = run(capsys, "--db", sqlite_url, "pace", "--period", "2021-06", "--no-forecast", "--format", "json")
    assert code == 0
    rows = {r["indicator"]: r for r in no_nan(out)["rows"]}
    revenue = rows["revenue"]
    assert list(revenue)[: len(PACE_COLUMNS)] == list(PACE_COLUMNS)
    assert revenue["previous_period"] == "2021-05"
    assert revenue["target_level"] == pytest.approx(66.99)
    assert revenue["completion_annual"] == pytest.approx(39.5 / 66.99)
    assert (revenue["rank"], revenue["rank_count"], revenue["rank_scope"]) == (2, 10, "peers")
    assert rows["gdp"]["target_level"] is None  # a real growth target has no level at current prices
    assert rows["gdp"]["rest_of_year"] == "下半年"
    assert rows["new_jobs"]["rank"] is None  # no peer reports it
    assert rows["retail_sales"]["growth_two_year"] == pytest.approx(
        100
        * (
            math.sqrt((1 + rows["retail_sales"]["growth"] / 100) * (1 + rows["retail_sales"]["growth_last_year"] / 100))
            - 1
        )
    )
