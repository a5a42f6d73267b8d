"""The board's 生成简报 button: its callback returns the document `monitor briefing` makes for that month and region."""

from __future__ import annotations

import base64
import importlib
import io
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import docx
import pytest

from dash_app import board_state
from dash_app.app import create_app
from monitor.catalogue_file import load_catalogue
from monitor.domain.periods import parse_period
from monitor.services.briefing import make_briefing
from monitor.settings import PROJECT_ROOT
from monitor.storage.db import make_engine
from tests.briefing.conftest import settings_for


@pytest.fixture(scope="module")
def cockpit(briefing_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The board installed on the briefing database; the board installed before (if any) is put back after."""
    before = board_state._BOARD
    create_app(settings_for(briefing_db, tmp_path_factory.mktemp("board-var")))
    yield importlib.import_module("dash_app.pages.cockpit")
    if before is not None:
        board_state.install(before)


def test_the_button_is_on_the_cockpit(cockpit: ModuleType) -> None:
    page = cockpit.layout(period="2021-06", region="gusu")
    assert "生成简报" in str(page)
    assert "cockpit-briefing-download" in str(page)


def test_no_click_no_download(cockpit: ModuleType) -> None:
    import dash

    assert cockpit.download_briefing(None, "2021-06", "gusu") is dash.no_update


@pytest.mark.parametrize("region", ["gusu", "gusu.pingjiang"])
def test_the_download_is_the_commands_document(
    cockpit: ModuleType, briefing_db: str, tmp_path: Path, region: str
) -> None:
    sent = cockpit.download_briefing(1, "2021-06", region)
    content = base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()
    engine = make_engine(briefing_db)
    expected = make_briefing(
        engine,
        load_catalogue(PROJECT_ROOT / "indicators.toml"),
        settings_for(briefing_db, tmp_path),
        parse_period("2021-06"),
        region=region,
    )
    engine.dispose()
    assert sent["filename"] == expected.file_name
    assert content == expected.content
    title = docx.Document(io.BytesIO(content)).paragraphs[0].text
    assert title == ("姑苏区经济运行简报" if region == "gusu" else "平江街道经济运行简报")
