"""The 生成简报 button in Chromium: the download is the .docx `monitor briefing` writes for that month and region."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest

from monitor.cli import main
from tests.browser import BoardServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_button_downloads_the_briefing_of_the_selected_month_and_region(
    page: Any, board: BoardServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page.goto(f"{board.url}/?period=2021-06&region=gusu.pingjiang")
    page.wait_for_selector("#cockpit-cards")
    with page.expect_download(timeout=120_000) as download:
        page.click("#cockpit-briefing")
    data = download.value.path().read_bytes()
    assert download.value.suggested_filename == "平江街道经济运行简报_2021年第6期_2021-06.docx"
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert texts[:2] == ["平江街道经济运行简报", "2021年第6期"]
    out = tmp_path / "b.docx"
    args = ["--db", board.db_url, "briefing", "--period", "2021-06", "--region", "gusu.pingjiang", "--out", str(out)]
    assert main(args) == 0
    assert out.read_bytes() == data
    assert page.console.take() == []
