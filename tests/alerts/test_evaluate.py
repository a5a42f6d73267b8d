"""Alerts on the sample data (today 2021-07-20), on SQLite and PostgreSQL, through the service and the CLI."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from monitor.cli import main
from monitor.domain.catalogue import Catalogue
from monitor.errors import AlertError
from monitor.services.alerts import acknowledge_alert, alert_counts, alert_events, evaluate_alerts, list_alerts
from monitor.services.pace import read_figures
from monitor.storage.db import make_engine, transaction

CST = ZoneInfo("Asia/Shanghai")
EXPECTED_0720 = {
    "pace_red/red": 3,
    # + the 2021 goals' targets (issue 13): graduate_startups and social_insurance_new behind 序时
    "pace_yellow/yellow": 3,
    # fai; + culture_enterprises (99 of 120 at mid-year: the trend ends the year short)
    "forecast_miss/yellow": 2,
    # the district only: streets do not report 土地出让, 邮政业务总量 or 商品房销售面积 (was 27 with the 8 streets)
    "missing_report/yellow": 3,
    "revision/info": 2,
    # 重点项目 and 督办 (issue 15): the sample's projects, problems and tasks at 2021-06
    "problem_overdue/red": 4,
    "project_slow/red": 7,
    "project_start_late/red": 1,
    "task_behind/yellow": 4,
    "task_missing/yellow": 4,
}


def at(day: int) -> datetime:
    return datetime(2021, 7, day, 10, 0, tzinfo=CST)


@pytest.fixture
def sample_engine(sample_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(sample_url)
    yield engine
    engine.dispose()


def _active(engine: Engine, catalogue: Catalogue, **kw):  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        return list_alerts(session, catalogue=catalogue, **kw)


def test_evaluation_opens_the_expected_alerts_and_a_second_run_changes_nothing(
    sample_engine: Engine, catalogue: Catalogue
) -> None:
    first = evaluate_alerts(sample_engine, catalogue, at(20))
    assert first.opened == 33  # 13 on the indicators, 20 on projects and tasks
    assert first.report_month.number == 6
    frame = _active(sample_engine, catalogue)
    assert alert_counts(frame) == EXPECTED_0720
    assert set(frame.loc[frame["rule"] == "pace_red", "indicator"]) == {"urban_income", "hq_enterprises", "new_jobs"}
    assert set(frame.loc[frame["rule"] == "missing_report", "indicator"]) == {
        "land_transfer",
        "postal_volume",
        "housing_sales_area",
    }
    second = evaluate_alerts(sample_engine, catalogue, at(20))
    assert not second.changed
    assert second.unchanged == 33
    with transaction(sample_engine) as session:
        events = alert_events(session, int(frame.iloc[0]["id"]))
    assert list(events["kind"]) == ["opened"]


def test_acknowledged_alert_stays_quiet_until_it_escalates(sample_engine: Engine, catalogue: Catalogue) -> None:
    evaluate_alerts(sample_engine, catalogue, at(20))
    overdue = _active(sample_engine, catalogue, indicator="land_transfer", region="gusu")
    alert_id = int(overdue.iloc[0]["id"])
    acknowledge_alert(sample_engine, alert_id, "王科长", "土地出让数据待市局确认后报送", at(20))
    assert not evaluate_alerts(sample_engine, catalogue, at(22)).escalated  # still yellow: stays acknowledged
    row = _active(sample_engine, catalogue, status="acknowledged", indicator="land_transfer", region="gusu").iloc[0]
    assert (row["acknowledged_by"], row["note"]) == ("王科长", "土地出让数据待市局确认后报送")
    result = evaluate_alerts(sample_engine, catalogue, at(26))  # 8 days overdue: red
    assert result.escalated == 3  # the three overdue district reports
    row = _active(sample_engine, catalogue, indicator="land_transfer", region="gusu").iloc[0]
    assert (row["id"], row["state"], row["severity"]) == (alert_id, "open", "red")
    with transaction(sample_engine) as session:
        assert list(alert_events(session, alert_id)["kind"]) == ["opened", "acknowledged", "escalated"]


def test_a_cleared_condition_resolves_and_a_new_one_opens_a_new_alert(
    sample_engine: Engine, catalogue: Catalogue
) -> None:
    evaluate_alerts(sample_engine, catalogue, at(20))
    result = evaluate_alerts(sample_engine, catalogue, at(23))  # the 06-22 revision leaves the 30-day window
    assert result.resolved == 1
    resolved = _active(sample_engine, catalogue, status="resolved")
    assert list(resolved["rule"]) == ["revision"]
    assert resolved["resolved_at"].notna().all()
    with pytest.raises(AlertError, match="已解除"):
        acknowledge_alert(sample_engine, int(resolved.iloc[0]["id"]), "张三", "说明", at(23))
    assert evaluate_alerts(sample_engine, catalogue, at(20)).opened == 1  # back in the window: a new alert
    assert len(_active(sample_engine, catalogue, status="all")) == 35  # 14 + 21 on projects and tasks


@pytest.mark.parametrize(
    ("alert_id", "by", "note", "message"),
    [(999999, "张三", "原因", "没有编号"), (1, " ", "原因", "姓名"), (1, "张三", "", "说明内容")],
    ids=["unknown-id", "no-name", "no-note"],
)
def test_bad_acknowledgements_are_refused_in_chinese(
    sample_engine: Engine, catalogue: Catalogue, alert_id: int, by: str, note: str, message: str
) -> None:
    evaluate_alerts(sample_engine, catalogue, at(20))
    with pytest.raises(AlertError, match=message):
        acknowledge_alert(sample_engine, alert_id, by, note, at(20))


def test_cli_evaluate_list_and_ack(sqlite_sample_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_sample_url, "alerts", "evaluate", "--as-of", "2021-07-20"]) == 0
    assert "新增 33" in capsys.readouterr().out
    assert main(["--db", sqlite_sample_url, "alerts", "evaluate", "--as-of", "2021-07-20"]) == 0
    assert "新增 0、升级 0、降级 0、解除 0、未变 33" in capsys.readouterr().out
    assert main(["--db", sqlite_sample_url, "alerts", "list", "--department", "hrss", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["indicator"] for r in rows} == {
        "urban_income",  # 人社局 leads it now (调查队 is its source, not a unit the district can 督办)
        "new_jobs",
        "graduate_jobs",
        "graduate_startups",
        "social_insurance_new",
        "task:2021-02",
        "task:2021-04",
    }
    assert all("hrss" in r["departments"] for r in rows)
    target = next(r for r in rows if r["indicator"] == "new_jobs" and r["rule"] == "pace_red")
    assert (
        main(["--db", sqlite_sample_url, "alerts", "ack", str(target["id"]), "--by", "李四", "--note", "季节性因素"])
        == 0
    )
    assert "已记录" in capsys.readouterr().out
    assert main(["--db", sqlite_sample_url, "alerts", "list", "--status", "acknowledged"]) == 0
    assert "李四：季节性因素" in capsys.readouterr().out
    assert main(["--db", sqlite_sample_url, "alerts", "ack", "424242", "--by", "李四", "--note", "x"]) == 1
    assert "没有编号为 424242 的预警" in capsys.readouterr().err


def test_import_warnings_raise_a_data_quality_alert_until_the_figure_is_corrected(
    sample_engine: Engine, catalogue: Catalogue
) -> None:
    from monitor.services.imports import ImportRequest, import_bytes

    with transaction(sample_engine) as session:
        may = read_figures(session, indicators=["fai"], regions=["gusu"], years=[2021])
    may_value = float(may.loc[may["period"] == "2021-05", "value"].iloc[0])
    low = f"indicator,region,period,value,yoy\nfai,gusu,2021-06,{may_value * 0.5:.2f},10.1\n".encode()
    result = import_bytes(sample_engine, catalogue, low, "fai_2021-06.csv", ImportRequest(today=date(2021, 7, 20)))
    assert result.status.value == "accepted"
    assert result.warning_count >= 1
    evaluate_alerts(sample_engine, catalogue, at(20))
    quality = _active(sample_engine, catalogue, indicator="fai", region="gusu")
    quality = quality[quality["rule"] == "implausible_data"]
    assert len(quality) == 1
    assert quality.iloc[0]["severity"] == "yellow"
    assert "数据存疑" in quality.iloc[0]["message"]
    assert "fai_2021-06.csv" in quality.iloc[0]["message"]
    fixed = f"indicator,region,period,value,yoy\nfai,gusu,2021-06,{may_value * 1.2:.2f},10.1\n".encode()
    assert (
        import_bytes(
            sample_engine, catalogue, fixed, "fai_fixed.csv", ImportRequest(today=date(2021, 7, 21))
        ).warning_count
        == 0
    )
    assert evaluate_alerts(sample_engine, catalogue, at(21)).resolved >= 1
    remaining = _active(sample_engine, catalogue, indicator="fai", region="gusu")
    assert "implausible_data" not in set(remaining["rule"])
