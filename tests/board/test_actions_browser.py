"""The board in Chromium, changing data: uploads (rejected and accepted) and acknowledging an alert.

The tests of this module share one board and run in file order: the rejected upload first (it
must change nothing), then the accepted one, then the acknowledgement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from monitor.domain.catalogue import Catalogue
from tests.board.files import BAD_SAMPLE, bad_template_file, count_rows, good_template_file
from tests.browser import BoardServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def upload(page: Any, board: BoardServer, department: str, file: Path) -> str:
    page.goto(f"{board.url}/imports?department={department}")
    page.wait_for_selector("#import-upload input[type=file]", state="attached")
    page.set_input_files("#import-upload input[type=file]", str(file))
    page.wait_for_selector("#import-status")
    return str(page.inner_text("#import-status"))


def cockpit_card(page: Any, board: BoardServer, code: str) -> tuple[str, str]:
    page.goto(f"{board.url}/?period=2021-06")
    card = page.wait_for_selector(f"#card-{code}")
    return card.get_attribute("data-status"), page.inner_text("#count-red")


@pytest.mark.parametrize("make_file", ["template", "shared_sample"])
def test_rejected_upload_shows_every_error_and_changes_nothing(
    page: Any, board: BoardServer, catalogue: Catalogue, tmp_path: Path, make_file: str
) -> None:
    file = bad_template_file(catalogue, tmp_path) if make_file == "template" else BAD_SAMPLE
    before = count_rows(board.db_url, "observations")
    status = upload(page, board, "hrss", file)
    assert "已拒绝" in status
    assert "数据库未做任何更改" in status
    rows = page.locator("#import-errors tbody tr")
    expected = {"template": 2, "shared_sample": 4}[make_file]
    assert rows.count() == expected
    table = page.inner_text("#import-errors")
    assert ("bad_number" in table and "三万" in table) if make_file == "template" else "not_responsible" in table
    assert count_rows(board.db_url, "observations") == before
    assert file.name in page.inner_text("#import-log")
    assert page.console.take() == []


def test_accepted_upload_changes_the_cockpit(
    page: Any, board: BoardServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    status, reds_before = cockpit_card(page, board, "new_jobs")
    assert status == "red"
    message = upload(page, board, "hrss", good_template_file(catalogue, tmp_path))
    assert "已接收" in message
    assert "修订 2" in message
    status, reds_after = cockpit_card(page, board, "new_jobs")
    assert status == "green"
    assert "30,000个" in page.inner_text("#card-new_jobs")
    assert reds_after != reds_before
    assert page.console.take() == []


def test_acknowledged_alert_persists_across_a_reload(page: Any, board: BoardServer) -> None:
    page.goto(f"{board.url}/alerts")
    first = page.locator("#alerts-grid .ag-center-cols-container .ag-row").first
    first.wait_for()
    alert_id = first.get_attribute("row-id")
    first.locator("[col-id='规则']").click()
    page.fill("#alerts-note", "6月份高校毕业生集中签约，7月份补齐")
    page.click("#alerts-ack")
    assert f"已确认第 {alert_id} 号预警" in page.inner_text("#alerts-ack-done")
    page.reload()
    row = page.locator(f"#alerts-grid .ag-center-cols-container .ag-row[row-id='{alert_id}']")
    row.wait_for()
    text = row.inner_text()
    assert "已说明" in text
    assert "测试管理员" in text  # 确认人 is the signed-in user
    assert "7月份补齐" in text
    assert page.console.take() == []
