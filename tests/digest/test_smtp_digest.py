"""The weekly digest over real SMTP (aiosmtpd in its own process), parsed back with the `email` package."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.catalogue_file import load_catalogue
from monitor.services.digest import send_digest
from monitor.settings import PROJECT_ROOT, Settings, SmtpSettings
from monitor.storage.alerts import read_sends
from monitor.storage.db import make_engine, transaction
from tests.alerts.sample_db import as_real_figures
from tests.digest.smtp_sink import SmtpSink, free_port

MONDAY = datetime(2021, 7, 19, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SUBJECT_START = "【经济运行监测】2021年第29周预警周报："


def _settings(url: str, tmp_path: Path, port: int) -> Settings:
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="monitor@gusu-gov.example", security="none")
    return Settings(database_url=url, config_path=PROJECT_ROOT / "indicators.toml", var_dir=tmp_path / "var", smtp=smtp)


def _parts(msg: EmailMessage) -> tuple[str, str]:
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None, "both a text and an HTML part"
    assert html is not None, "both a text and an HTML part"
    return text.get_content(), html.get_content()


@pytest.fixture
def sink(tmp_path: Path):  # type: ignore[no-untyped-def]
    server = SmtpSink(tmp_path / "received").start()
    yield server
    server.stop()


def test_digest_reaches_the_group_and_each_department_with_items(
    sample_url: str, tmp_path: Path, sink: SmtpSink
) -> None:
    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(as_real_figures(sample_url))
    result = send_digest(engine, catalogue, _settings(sample_url, tmp_path, sink.port), MONDAY)
    assert not result.failed
    assert len(result.sent) == 8
    received = {m["To"]: m for m in sink.messages()}
    assert set(received) == {
        "jjyx-office@gusu-gov.example, jjyx-leaders@gusu-gov.example",
        *(f"{d}@gusu-gov.example" for d in ("stats", "drc", "econ", "hrss", "housing", "land", "culture")),
    }
    for msg in received.values():
        assert str(msg["Subject"]).startswith(SUBJECT_START)  # decoded from RFC 2047
        text, html = _parts(msg)
        assert "<table" in html
        assert "查看看板：http://127.0.0.1:8050/" in text
    group_text, group_html = _parts(received["jjyx-office@gusu-gov.example, jjyx-leaders@gusu-gov.example"])
    assert received["jjyx-office@gusu-gov.example, jjyx-leaders@gusu-gov.example"]["Subject"] == (
        SUBJECT_START + "红灯15项、黄灯16项"  # 37 before the streets stopped owing district-only figures
    )
    headline = ("地区生产总值", "一般公共预算收入", "全社会固定资产投资", "社会消费品零售总额")
    for name in (*headline, "新增就业岗位", "土地出让成交金额"):
        assert name in group_text
        assert name in group_html
    hrss_text, _ = _parts(received["hrss@gusu-gov.example"])
    assert "新增就业岗位" in hrss_text
    assert "新增大学生就业岗位" in hrss_text
    # 5 indicators (+ urban_income, now led by 人社局, and the new graduate_startups, social_insurance_new) and 2 tasks
    assert "待说明（7 项）" in hrss_text
    assert "新增社保参保：本月未报送进展" in hrss_text
    assert "土地出让成交金额" not in hrss_text
    assert "地区生产总值" not in hrss_text
    land_text, _ = _parts(received["land@gusu-gov.example"])
    assert "土地出让成交金额" in land_text
    assert "逾期未报（1 项）" in land_text  # 土地出让 of the district only: streets do not report it
    assert "新增就业岗位" not in land_text
    with transaction(engine) as session:
        sends = read_sends(session, "2021-W29")
    assert set(sends["state"]) == {"sent"}
    assert len(sends) == 8
    engine.dispose()


def test_each_recipient_gets_the_week_once_unless_forced(
    sqlite_sample_url: str, tmp_path: Path, sink: SmtpSink
) -> None:
    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(as_real_figures(sqlite_sample_url))
    settings = _settings(sqlite_sample_url, tmp_path, sink.port)
    send_digest(engine, catalogue, settings, MONDAY)
    again = send_digest(engine, catalogue, settings, MONDAY.replace(hour=15))
    assert again.sent == []
    assert len(again.skipped) == 8
    assert len(sink.messages()) == 8
    forced = send_digest(engine, catalogue, settings, MONDAY, force=True)
    assert len(forced.sent) == 8
    assert len(sink.messages()) == 16
    engine.dispose()


def test_a_failed_send_is_recorded_and_retried_by_the_next_run(sqlite_sample_url: str, tmp_path: Path) -> None:
    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(as_real_figures(sqlite_sample_url))
    port = free_port()  # nothing listens here yet
    failed = send_digest(engine, catalogue, _settings(sqlite_sample_url, tmp_path, port), MONDAY)
    assert len(failed.failed) == 8
    assert "发送到" in failed.failed[0][1]
    assert "127.0.0.1" in failed.failed[0][1]
    with transaction(engine) as session:
        assert set(read_sends(session, "2021-W29")["state"]) == {"failed"}
    server = SmtpSink(tmp_path / "late")
    server.port = port
    server.start()
    try:
        retried = send_digest(engine, catalogue, _settings(sqlite_sample_url, tmp_path, port), MONDAY)
        assert len(retried.sent) == 8
        assert len(server.messages()) == 8
        with transaction(engine) as session:
            sends = read_sends(session, "2021-W29")
        assert set(sends["state"]) == {"sent"}
        assert set(sends["attempts"]) == {2}
    finally:
        server.stop()
    engine.dispose()


def test_sample_data_is_never_sent_but_written_to_the_outbox_marked(
    sqlite_sample_url: str, tmp_path: Path, sink: SmtpSink
) -> None:
    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(sqlite_sample_url)
    result = send_digest(engine, catalogue, _settings(sqlite_sample_url, tmp_path, sink.port), MONDAY)
    assert sink.messages() == []  # SMTP is configured, and still nothing is sent
    assert len(result.written) == 8
    group = next(Path(p) for p in result.written if str(p).endswith("_group.eml"))
    message = email.message_from_bytes(group.read_bytes(), policy=email.policy.default)
    assert str(message["Subject"]).startswith("【示例数据】" + SUBJECT_START)
    body, html = _parts(message)  # type: ignore[arg-type]
    assert body.startswith("【示例数据】本周报由模拟生成的示例数据")
    assert "没有实际发送" in html
    engine.dispose()


def test_markup_in_a_note_and_a_name_is_shown_as_text_in_the_email(
    sqlite_sample_url: str, tmp_path: Path, sink: SmtpSink
) -> None:
    from monitor.services.alerts import acknowledge_alert, evaluate_alerts, list_alerts

    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(as_real_figures(sqlite_sample_url))
    evaluate_alerts(engine, catalogue, MONDAY)
    with transaction(engine) as session:
        first = list_alerts(session, status="active", catalogue=catalogue).iloc[0]
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    acknowledge_alert(engine, int(first["id"]), "<b>张三</b>", "原因：" + hostile, MONDAY)
    send_digest(engine, catalogue, _settings(sqlite_sample_url, tmp_path, sink.port), MONDAY)
    htmls = [_parts(m)[1] for m in sink.messages()]
    shown = [h for h in htmls if "&lt;script&gt;alert(1)&lt;/script&gt;" in h]
    assert shown, "the note appears, escaped, in at least one email"
    for html in htmls:
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
        assert "<b>张三</b>" not in html
    engine.dispose()


def test_the_emails_link_to_the_boards_public_address_when_it_is_set(
    sqlite_sample_url: str, tmp_path: Path, sink: SmtpSink
) -> None:
    from dataclasses import replace

    from monitor.settings import AuthSettings

    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(as_real_figures(sqlite_sample_url))
    settings = replace(
        _settings(sqlite_sample_url, tmp_path, sink.port), auth=AuthSettings(public_url="https://jjyx.gusu.example/")
    )
    send_digest(engine, catalogue, settings, MONDAY)
    texts = [_parts(m)[0] for m in sink.messages()]
    assert texts
    assert all("查看看板：https://jjyx.gusu.example/" in t for t in texts)
    assert not any("127.0.0.1:8050" in t for t in texts)
    assert all(str(m["From"]).endswith("<monitor@gusu-gov.example>") for m in sink.messages())  # the sender setting
    engine.dispose()
