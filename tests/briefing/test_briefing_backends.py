"""The briefing on SQLite and PostgreSQL: the same text, the department's 说明 in the 慢进 table."""

from __future__ import annotations

from pathlib import Path

from monitor.catalogue_file import load_catalogue
from monitor.domain.periods import parse_period
from monitor.services.briefing import make_briefing
from monitor.settings import PROJECT_ROOT
from monitor.storage.db import make_engine
from tests.briefing.conftest import KNOWN_AT, acknowledge_new_jobs, settings_for

TEXTS: dict[str, list[str]] = {}


def test_the_briefing_reads_the_same_on_each_backend(sample_url: str, tmp_path: Path) -> None:
    acknowledge_new_jobs(sample_url)
    engine = make_engine(sample_url)
    document = make_briefing(
        engine,
        load_catalogue(PROJECT_ROOT / "indicators.toml"),
        settings_for(sample_url, tmp_path),
        parse_period("2021-06"),
        fmt="html",
        known_at=KNOWN_AT,
    )
    engine.dispose()
    html = document.content.decode("utf-8")
    assert "<td>上半年企业招聘需求回落</td><td>7月起举办专场招聘会，加密岗位归集</td>" in html
    paragraphs = document.briefing.paragraphs()
    assert len(paragraphs) > 40
    backend = sample_url.split(":", 1)[0]
    TEXTS.setdefault(backend, paragraphs)
    if "sqlite" in TEXTS and backend != "sqlite":
        assert paragraphs == TEXTS["sqlite"]
