"""The board address in the emails follows the board `monitor run --port N` actually serves, when neither
MONITOR_PUBLIC_URL nor `[notify] board_url` names one (the shipped catalogue leaves it unset)."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.catalogue_file import load_catalogue
from monitor.domain.catalogue import Catalogue
from monitor.scheduler import job_specs
from monitor.settings import DEFAULT_BOARD_URL, Settings
from monitor.storage.db import make_engine, transaction
from monitor.storage.models import JobRun
from tests.digest.smtp_sink import free_port
from tests.scheduler.processes import digest_due_at, environment, start, stop, wait_for


def test_the_link_is_the_public_address_then_the_configured_then_the_served_one() -> None:
    served = Settings(database_url="sqlite://", config_path=Path("x"), var_dir=Path("v"), serving_url="http://h:9/")
    assert served.board_link("") == "http://h:9/"
    assert served.board_link("https://jjyx.example/") == "https://jjyx.example/"
    public = Settings(database_url="sqlite://", config_path=Path("x"), var_dir=Path("v"))
    assert public.board_link("") == DEFAULT_BOARD_URL


def test_the_mail_jobs_carry_the_served_address(catalogue: Catalogue) -> None:
    settings = Settings(database_url="sqlite://", config_path=Path("x"), var_dir=Path("v"), serving_url="http://h:9/")
    kwargs = {spec.id: spec.kwargs for spec in job_specs(settings, catalogue)}
    assert {n for n, k in kwargs.items() if k.get("serving_url") == "http://h:9/"} == {
        "digest",
        "digest_catchup",
        "briefing",
    }


@pytest.mark.slow
def test_monitor_run_on_another_port_links_its_emails_to_that_port(sqlite_sample_url: str, tmp_path: Path) -> None:
    due = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=1)
    config = digest_due_at(tmp_path, due, catchup_minutes=0.02)
    assert load_catalogue(config).notify.board_url == ""  # the shipped catalogue names no address
    engine = make_engine(sqlite_sample_url)
    with transaction(engine) as session:  # this week's digest started and failed: the catch-up job finishes it
        session.add(JobRun(job="digest", started_at=datetime.now(UTC), status="failed", error="测试", detail={}))
    engine.dispose()
    port = free_port()
    env = environment(sqlite_sample_url, config, tmp_path / "var")
    env.pop("MONITOR_PUBLIC_URL", None)
    log = tmp_path / "run.log"
    process = start(env, log, "run", "--port", str(port))
    outbox = tmp_path / "var" / "outbox"
    try:
        wait_for(lambda: list(outbox.glob("*group*.eml")), 180, "the catch-up digest in the outbox")
        wait_for(lambda: f"看板地址: http://127.0.0.1:{port}/" in log.read_text(encoding="utf-8"), 120, "the board")
    finally:
        stop(process)
    group = next(outbox.glob("*group*.eml"))
    msg = email.message_from_bytes(group.read_bytes(), policy=email.policy.default)
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None
    assert html is not None
    assert f"查看看板：http://127.0.0.1:{port}/" in text.get_content()
    assert f'href="http://127.0.0.1:{port}/"' in html.get_content()
    assert "127.0.0.1:8050" not in text.get_content() + html.get_content()
