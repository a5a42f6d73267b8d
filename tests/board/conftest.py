"""Board fixtures: a sample database and a `monitor serve` process per test module, one browser per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.domain.catalogue import Catalogue
from tests.board.accounts import browser_sign_in, create_accounts
from tests.browser import DESKTOP, BoardServer, ConsoleLog, sample_board_database


@pytest.fixture(scope="session")
def sample_database_file(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample database built once (init, demo, forecasts, alerts evaluate); modules work on copies."""
    directory = tmp_path_factory.mktemp("sample-db")
    sample_board_database(directory)
    return directory / "monitor.db"


@pytest.fixture(scope="module")
def board(
    sample_database_file: Path, tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue
) -> Iterator[BoardServer]:
    """The board on its own copy of the sample database with the test accounts (tests/board/accounts.py)."""
    directory = tmp_path_factory.mktemp("board")
    shutil.copyfile(sample_database_file, directory / "monitor.db")
    create_accounts(f"sqlite:///{directory / 'monitor.db'}", catalogue)
    server = BoardServer(f"sqlite:///{directory / 'monitor.db'}", directory / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
def anonymous_page(browser: Any) -> Iterator[Any]:
    """A fresh desktop page (1366×768), not signed in, with its console errors collected in `page.console`."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.console = ConsoleLog(page)
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def page(anonymous_page: Any, board: BoardServer) -> Any:
    """A fresh desktop page signed in to the module's board as the test administrator."""
    browser_sign_in(anonymous_page, board.url, "admin")
    return anonymous_page
