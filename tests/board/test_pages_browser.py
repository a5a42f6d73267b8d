"""The board in Chromium, read only: every page loads cleanly, the cockpit, the detail charts, the layout."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from tests.board.accounts import browser_sign_in
from tests.browser import DESKTOP, PHONE, BoardServer, ConsoleLog

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "/": "#cockpit-cards .card",
    "/indicators": "#list-grid .ag-row",
    "/alerts": "#alerts-grid .ag-row",
    "/imports": "#import-log table",
    "/ranking": "#rank-chart .main-svg",
    "/indicator/fai": "#detail-growth .main-svg",
    "/indicator/new_jobs?region=gusu&period=2021-06": "#detail-forecast .main-svg",
    "/indicator/retail_sales?region=gusu.pingjiang": "#detail-figures table",
    "/indicator/gdp?region=gusu.pingjiang": "#detail-figures table",  # no street GDP: opens at the district
}


def open_page(page: Any, board: BoardServer, path: str, ready: str) -> None:
    page.goto(board.url + path)
    page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_loads_without_console_error(page: Any, board: BoardServer, path: str) -> None:
    open_page(page, board, path, PAGES[path])
    assert page.console.take() == []
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "内部错误" not in body
    assert not page.locator("#board-error").is_visible()
    assert "经济运行监测" in page.title()


def test_cockpit_shows_the_sample_banner_counts_and_a_red_card(page: Any, board: BoardServer) -> None:
    open_page(page, board, "/", PAGES["/"])
    assert "示例数据" in page.inner_text("#sample-banner")
    red_cards = page.locator("#cockpit-cards .card-red")
    assert red_cards.count() >= 1
    assert f"红灯{red_cards.count()}" in page.inner_text("#count-red").replace(" ", "")
    card = page.inner_text("#card-new_jobs")
    assert "19,000个" in card
    assert "-12.0 个百分点" in card
    assert "红灯" in card
    assert "亿元" in page.inner_text("#card-gdp")
    for light in ("红灯", "黄灯", "绿灯", "灰灯"):
        assert light in page.inner_text(".legend")


def test_clicking_a_red_card_opens_its_detail_with_the_charts_drawn(page: Any, board: BoardServer) -> None:
    open_page(page, board, "/", PAGES["/"])
    card = page.locator("#cockpit-cards .card-red").first
    code = card.get_attribute("id").removeprefix("card-")
    card.click()
    page.wait_for_url(f"**/indicator/{code}?*")
    for graph in ("detail-growth", "detail-completion", "detail-forecast", "detail-flows"):
        page.wait_for_selector(f"#{graph} .main-svg .cartesianlayer", state="attached")
    assert page.locator("#detail-growth .scatterlayer .trace").count() >= 2  # this year and last year
    assert page.locator("#detail-forecast .scatterlayer .trace").count() >= 3  # actual, fan, forecast
    assert page.locator("#detail-flows .barlayer .trace").count() == 2
    assert page.locator("#detail-figures table tbody tr").count() > 0
    assert "红灯" in page.inner_text("#detail-content")
    assert page.console.take() == []


def test_indicator_list_exports_the_rows_shown_to_excel(page: Any, board: BoardServer) -> None:
    open_page(page, board, "/indicators", PAGES["/indicators"])
    assert "显示 30 / 30 项" in page.inner_text("#list-summary")
    with page.expect_download() as download:
        page.click("#list-export")
    data = download.value.path().read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[3]]
    assert {"指标", "1-6月累计", "同比±%", "完成全年目标(%)", "快/慢于序时(百分点)", "位次", "状态", "责任单位"} <= set(
        header
    )
    assert sheet.max_row == 3 + 30
    assert download.value.suggested_filename.endswith(".xlsx")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "phone-390"])
def test_layout_holds_without_horizontal_overflow(browser: Any, board: BoardServer, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    console = ConsoleLog(page)
    browser_sign_in(page, board.url, "admin")
    try:
        for path, ready in PAGES.items():
            open_page(page, board, path, ready)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{path} is {overflow}px wider than a {viewport['width']}px screen"
            nav = page.locator("#board-nav").bounding_box()
            assert nav is not None
            assert nav["x"] + nav["width"] <= viewport["width"] + 1
        assert console.take() == []
    finally:
        context.close()
