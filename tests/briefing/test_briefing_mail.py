"""The monthly briefing job: written under var/briefings/ and emailed to the group over real SMTP, once a month."""

from __future__ import annotations

import email
import email.policy
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from monitor.catalogue_file import load_catalogue
from monitor.jobs import monthly_briefing
from monitor.scheduler import job_specs
from monitor.settings import PROJECT_ROOT, load_settings
from monitor.storage.db import make_engine, transaction
from monitor.storage.models import JobRun
from tests.alerts.sample_db import as_real_figures
from tests.digest.smtp_sink import SmtpSink

GROUP = "jjyx-office@gusu-gov.example, jjyx-leaders@gusu-gov.example"


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[SmtpSink]:
    server = SmtpSink(tmp_path / "received").start()
    yield server
    server.stop()


def test_the_job_writes_the_briefing_and_mails_it_once(
    briefing_db: str, tmp_path: Path, sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "monitor.db"  # this test writes job runs and the send ledger: its own copy
    shutil.copy(briefing_db.removeprefix("sqlite:///"), own)
    briefing_db = as_real_figures(f"sqlite:///{own}")  # sample data is never sent (tested below)
    var = tmp_path / "var"
    for key, value in {
        "MONITOR_VAR_DIR": str(var),
        "MONITOR_SMTP_HOST": "127.0.0.1",
        "MONITOR_SMTP_PORT": str(sink.port),
        "MONITOR_SMTP_SECURITY": "none",
        "MONITOR_SMTP_FROM": "monitor@gusu-gov.example",
        "MONITOR_SOFFICE": "no-such-soffice-program",  # the PDF conversion is tested once, in test_briefing_pdf
    }.items():
        monkeypatch.setenv(key, value)
    config = str(PROJECT_ROOT / "indicators.toml")
    monthly_briefing(briefing_db, config)
    written = sorted(p.name for p in (var / "briefings").iterdir())
    assert written == ["姑苏区经济运行简报_2021年第6期_2021-06.docx"]
    messages = sink.messages()
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == GROUP
    assert message["Subject"] == "【经济运行监测】姑苏区经济运行简报2021年第6期（2021年1-6月）"
    body = message.get_body(("plain",))
    assert body is not None
    assert "附件为姑苏区经济运行简报2021年第6期" in body.get_content()
    files = list(message.iter_attachments())
    assert [f.get_filename() for f in files] == ["姑苏区经济运行简报_2021年第6期_2021-06.docx"]
    attached = files[0].get_content()
    assert attached == (var / "briefings" / written[0]).read_bytes()
    assert [p.text for p in docx.Document(io.BytesIO(attached)).paragraphs][:2] == ["姑苏区经济运行简报", "2021年第6期"]

    monthly_briefing(briefing_db, config)  # the same month again: written, not sent twice
    assert len(sink.messages()) == 1
    engine = make_engine(briefing_db)
    with transaction(engine) as session:
        runs = session.execute(select(JobRun.status, JobRun.detail).where(JobRun.job == "briefing")).all()
    engine.dispose()
    assert [r.status for r in runs] == ["success", "success"]
    assert runs[0].detail["sent"] is True
    assert runs[1].detail["sent"] is False
    assert "已发送过" in runs[1].detail["skipped"]
    assert "未安装 LibreOffice" in runs[0].detail["notes"][0]


def test_the_scheduler_runs_it_monthly_after_the_figures_are_due() -> None:
    settings = load_settings({"MONITOR_DATABASE_URL": "sqlite:///unused.db"})
    specs = {s.id: s for s in job_specs(settings, load_catalogue(PROJECT_ROOT / "indicators.toml"))}
    briefing = specs["briefing"]
    assert briefing.func == "monitor.jobs:monthly_briefing"
    assert "day='20'" in str(briefing.trigger)
    assert "hour='10'" in str(briefing.trigger)


def test_on_sample_data_the_briefing_goes_to_the_outbox_only(
    briefing_db: str, tmp_path: Path, sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "monitor.db"
    shutil.copy(briefing_db.removeprefix("sqlite:///"), own)
    var = tmp_path / "var"
    for key, value in {
        "MONITOR_VAR_DIR": str(var),
        "MONITOR_SMTP_HOST": "127.0.0.1",
        "MONITOR_SMTP_PORT": str(sink.port),
        "MONITOR_SMTP_SECURITY": "none",
        "MONITOR_SOFFICE": "no-such-soffice-program",
    }.items():
        monkeypatch.setenv(key, value)
    monthly_briefing(f"sqlite:///{own}", str(PROJECT_ROOT / "indicators.toml"))
    assert sink.messages() == []
    [eml] = list((var / "outbox").glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert str(message["Subject"]).startswith("【示例数据】【经济运行监测】姑苏区经济运行简报")
