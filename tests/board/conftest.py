"""Board fixtures: a sample database and a `monitor serve` process per test module, one browser per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import DESKTOP, BoardServer, ConsoleLog, sample_board_database


@pytest.fixture(scope="session")
def sample_database_file(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample database built once (init, demo, forecasts, alerts evaluate); modules work on copies."""
    directory = tmp_path_factory.mktemp("sample-db")
    sample_board_database(directory)
    return directory / "monitor.db"


@pytest.fixture(scope="module")
def board(sample_database_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoardServer]:
    """The board on its own copy of the sample database, for one test module."""
    directory = tmp_path_factory.mktemp("board")
    shutil.copyfile(sample_database_file, directory / "monitor.db")
    server = BoardServer(f"sqlite:///{directory / 'monitor.db'}", directory / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop page (1366×768) with its console errors collected in `page.console`."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.console = ConsoleLog(page)
    page.set_default_timeout(30_000)
    yield page
    context.close()
