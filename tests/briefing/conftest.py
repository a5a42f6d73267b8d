"""Fixtures: the sample database with one acknowledged pace alert, and its June briefing built once per run."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from monitor.catalogue_file import load_catalogue
from monitor.domain.periods import parse_period
from monitor.services.alerts import acknowledge_alert, evaluate_alerts, list_alerts
from monitor.services.briefing import BriefingDocument, make_briefing
from monitor.settings import PROJECT_ROOT, Settings
from monitor.storage.db import make_engine, transaction
from tests.alerts.sample_db import pg_sample_template, sample_url, sqlite_sample_file, sqlite_sample_url

__all__ = ["pg_sample_template", "sample_url", "sqlite_sample_file", "sqlite_sample_url"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2021, 7, 20, 10, tzinfo=SHANGHAI)
KNOWN_AT = datetime(2021, 7, 20, 23, 0, tzinfo=SHANGHAI)
NOTE = "原因：上半年企业招聘需求回落；措施：7月起举办专场招聘会，加密岗位归集"


def settings_for(url: str, var_dir: Path) -> Settings:
    return Settings(database_url=url, config_path=PROJECT_ROOT / "indicators.toml", var_dir=var_dir)


def acknowledge_new_jobs(url: str) -> None:
    """Evaluate the alerts as of 2021-07-20 and give the 说明 of the 新增就业岗位 red alert."""
    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(url)
    evaluate_alerts(engine, catalogue, AS_OF)
    with transaction(engine) as session:
        alerts = list_alerts(session, status="active", region="gusu", catalogue=catalogue)
    hit = alerts[(alerts["indicator"] == "new_jobs") & (alerts["rule"] == "pace_red")]
    acknowledge_alert(engine, int(hit["id"].iloc[0]), "张三", NOTE, AS_OF)
    engine.dispose()


_BUILT: dict[str, Any] = {}


@pytest.fixture(scope="session")
def briefing_db(sqlite_sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the sample database with alerts evaluated and the 新增就业岗位 alert acknowledged."""
    if "db" not in _BUILT:
        target = tmp_path_factory.mktemp("briefing") / "monitor.db"
        shutil.copy(sqlite_sample_file, target)
        url = f"sqlite:///{target}"
        acknowledge_new_jobs(url)
        _BUILT["db"] = url
    return str(_BUILT["db"])


@pytest.fixture(scope="session")
def june_docx(briefing_db: str, tmp_path_factory: pytest.TempPathFactory) -> BriefingDocument:
    """The June 2021 briefing of the district as .docx (built once per run)."""
    if "docx" not in _BUILT:
        catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
        engine = make_engine(briefing_db)
        settings = settings_for(briefing_db, tmp_path_factory.mktemp("var"))
        _BUILT["docx"] = make_briefing(
            engine, catalogue, settings, parse_period("2021-06"), fmt="docx", known_at=KNOWN_AT
        )
        engine.dispose()
    document: BriefingDocument = _BUILT["docx"]
    return document
