"""Sign-in in Chromium: sign in and out, a reporter kept to its department, lockout, idle timeout, no XSS.

One board (and its own database copy) for the module; the idle-timeout test starts a second board
whose sessions expire after 3 seconds.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import month
from monitor.services.templates import template_frame, template_title, write_template
from tests.board.accounts import ACCOUNTS, browser_sign_in, create_accounts
from tests.board.files import count_rows
from tests.board.test_security_http import query
from tests.browser import BoardServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def stats_file(catalogue: Catalogue, directory: Path, name: str = "统计局_2021年6月.csv") -> Path:
    """区统计局's template for 2021-06 with every figure filled in."""
    frame = template_frame(catalogue, "stats", month(2021, 6))
    frame["数值"] = [100.0] * len(frame)
    return write_template(frame, template_title(catalogue, "stats", month(2021, 6)), directory / name)


def newest_stats_alert(board: BoardServer, catalogue: Catalogue) -> int:
    rows = query(board, "SELECT id, indicator FROM alerts WHERE state = 'open' ORDER BY id DESC")
    for alert_id, code in rows:
        if code not in catalogue.indicators:
            continue  # a project or task alert
        departments = catalogue.indicators[code].departments
        if "stats" in departments and "finance" not in departments:
            return int(alert_id)
    raise AssertionError("no open 区统计局 alert")


def test_sign_in_see_the_cockpit_and_sign_out(anonymous_page: Any, board: BoardServer) -> None:
    page = anonymous_page
    page.goto(f"{board.url}/?period=2021-06")
    assert "/login" in page.url
    page.fill("#login-username", "group")
    page.fill("#login-password", "wrong-password-9")
    page.click("#login-submit")
    assert "用户名或密码错误" in page.inner_text("#login-message")
    page.console.take()  # the refused sign-in answers 401, which Chromium logs
    page.fill("#login-password", ACCOUNTS["group"].password)
    page.click("#login-submit")
    page.wait_for_selector("#card-gdp")
    assert "period=2021-06" in page.url  # back where the visitor was going
    assert page.inner_text("#board-user-name") == "领导小组 李四"
    assert page.inner_text("#board-user-role") == "领导小组"
    assert "审计日志" not in page.inner_text("#board-nav")
    page.click("#board-sign-out")
    page.wait_for_selector("#login-notice")
    assert "已退出登录" in page.inner_text("#login-notice")
    page.goto(f"{board.url}/alerts")
    assert "/login" in page.url
    assert page.console.take() == []


def test_a_finance_reporter_cannot_upload_statistics_figures(
    anonymous_page: Any, board: BoardServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    page = anonymous_page
    browser_sign_in(page, board.url, "finance")
    page.goto(f"{board.url}/imports?department=stats")
    page.wait_for_selector("#import-upload input[type=file]", state="attached")
    assert "区财政局" in page.inner_text("#import-department")
    before = count_rows(board.db_url, "observations")
    page.set_input_files("#import-upload input[type=file]", str(stats_file(catalogue, tmp_path)))
    page.wait_for_selector("#import-status")
    assert "已拒绝" in page.inner_text("#import-status")
    assert "not_responsible" in page.inner_text("#import-errors")
    assert count_rows(board.db_url, "observations") == before
    assert page.console.take() == []


def test_a_finance_reporter_cannot_acknowledge_a_statistics_alert(
    anonymous_page: Any, board: BoardServer, catalogue: Catalogue
) -> None:
    page = anonymous_page
    alert_id = newest_stats_alert(board, catalogue)
    browser_sign_in(page, board.url, "finance")
    page.goto(f"{board.url}/alerts?department=stats")
    row = page.locator(f"#alerts-grid .ag-center-cols-container .ag-row[row-id='{alert_id}']")
    row.wait_for()
    row.locator("[col-id='规则']").click()
    page.fill("#alerts-note", "不是本单位的指标")
    page.click("#alerts-ack")
    page.wait_for_selector("#board-error:not(.hidden)")
    assert "只能确认本单位" in page.inner_text("#board-error")
    assert query(board, "SELECT state, acknowledged_by FROM alerts WHERE id = :i", i=alert_id)[0] == ("open", None)
    page.console.take()  # the refused request is a 403 in the console by design


def test_five_failures_lock_the_account(anonymous_page: Any, board: BoardServer) -> None:
    page = anonymous_page
    page.goto(f"{board.url}/login")
    for _ in range(5):
        page.fill("#login-username", "locked")
        page.fill("#login-password", "wrong-password-1")
        page.click("#login-submit")
        page.wait_for_selector("#login-message")
    assert "账户已锁定 15 分钟" in page.inner_text("#login-message")
    page.fill("#login-password", ACCOUNTS["locked"].password)
    page.click("#login-submit")
    assert "账户已锁定" in page.inner_text("#login-message")
    assert "/login" in page.url


def test_markup_in_file_names_and_notes_never_runs(
    anonymous_page: Any, board: BoardServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    page = anonymous_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_sign_in(page, board.url, "markup")  # an administrator whose display name is markup
    assert page.inner_text("#board-user-name") == ACCOUNTS["markup"].display_name
    name = "<img src=x onerror=alert(1)>.csv"
    page.goto(f"{board.url}/imports?department=finance")
    page.wait_for_selector("#import-upload input[type=file]", state="attached")
    page.set_input_files("#import-upload input[type=file]", str(stats_file(catalogue, tmp_path, name)))
    page.wait_for_selector("#import-status")
    assert name in page.inner_text("#import-log")
    page.goto(f"{board.url}/alerts")
    first = page.locator("#alerts-grid .ag-center-cols-container .ag-row").first
    first.wait_for()
    first.locator("[col-id='规则']").click()
    page.fill("#alerts-note", "<script>alert(2)</script><img src=x onerror=alert(3)>")
    page.click("#alerts-ack")
    page.wait_for_selector("#alerts-ack-done")
    page.reload()
    page.locator("#alerts-grid .ag-center-cols-container .ag-row").first.wait_for()
    grid = page.inner_text("#alerts-grid")
    assert "<script>alert(2)</script>" in grid
    assert "<img src=x onerror=alert(9)>" in grid  # the 确认人 is the display name, shown as text
    page.goto(f"{board.url}/audit")
    page.wait_for_selector("#audit-grid .ag-row")
    assert name in page.inner_text("#audit-grid")
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0


@pytest.fixture
def quick_board(sample_database_file: Path, tmp_path: Path, catalogue: Catalogue) -> Iterator[BoardServer]:
    """A board whose sessions end after 3 seconds without a request."""
    shutil.copyfile(sample_database_file, tmp_path / "monitor.db")
    create_accounts(f"sqlite:///{tmp_path / 'monitor.db'}", catalogue)
    server = BoardServer(
        f"sqlite:///{tmp_path / 'monitor.db'}", tmp_path / "server.log", env={"MONITOR_SESSION_IDLE_MINUTES": "0.05"}
    )
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_an_idle_session_ends(anonymous_page: Any, quick_board: BoardServer) -> None:
    page = anonymous_page
    browser_sign_in(page, quick_board.url, "admin")
    page.goto(f"{quick_board.url}/alerts")
    page.wait_for_selector("#alerts-ack")
    time.sleep(4)  # longer than the 3 s idle limit
    page.click("#alerts-ack")  # the callback answers 401: the page goes to the 登录 page
    page.wait_for_url(lambda url: "/login" in url)
    page.wait_for_selector("#login-notice")
    assert "会话已超时" in page.inner_text("#login-notice")
    actions = [r[0] for r in query(quick_board, "SELECT action FROM audit_log WHERE username = 'admin'")]
    assert "session_expired" in actions
