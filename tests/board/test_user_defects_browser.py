"""Defects a user met on the board (issue 13), each checked in Chromium at 1366×768.

报送单位 chosen after the file was picked imports that file; 指标一览 shows 全年预测 and 责任单位
inside the screen; a bad ?period= is said, not ignored; titles carry Chinese names only; the GDP
detail page shows its forecast on the comparable-price basis of its target.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from monitor.domain.catalogue import Catalogue
from tests.board.files import bad_template_file, count_rows
from tests.browser import DESKTOP, BoardServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def choose(page: Any, dropdown_id: str, label: str) -> None:
    """Pick an option of a dcc.Dropdown by its label, as a person does: open it, type, click the option
    (waiting for the filtered option: Enter on a busy machine could take the previous first option)."""
    page.click(f"#{dropdown_id}")
    page.keyboard.type(label)
    page.locator(".VirtualizedSelectOption, [role=option]").filter(has_text=label).first.click()


def test_a_unit_chosen_after_the_file_applies_to_that_file(
    page: Any, board: BoardServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    file = bad_template_file(catalogue, tmp_path)
    imports_before = count_rows(board.db_url, "imports")
    page.goto(f"{board.url}/imports")
    page.wait_for_selector("#import-upload input[type=file]", state="attached")
    page.set_input_files("#import-upload input[type=file]", str(file))
    page.wait_for_selector("text=请先选择报送单位")
    assert count_rows(board.db_url, "imports") == imports_before
    choose(page, "import-department", "区人社局")
    page.wait_for_selector("#import-status")
    assert "已拒绝" in page.inner_text("#import-status")  # the file was read and judged for 区人社局
    assert page.locator("#import-errors tbody tr").count() == 2
    assert count_rows(board.db_url, "imports") == imports_before + 1
    with page.expect_response(lambda r: "_dash-update-component" in r.url):  # the callback the choice fires
        choose(page, "import-department", "区财政局")  # another unit afterwards imports nothing again
    assert count_rows(board.db_url, "imports") == imports_before + 1
    assert page.console.take() == []


def test_indicator_list_fits_a_1366_screen(page: Any, board: BoardServer) -> None:
    page.goto(f"{board.url}/indicators?period=2021-06")
    page.wait_for_selector("#list-grid .ag-center-cols-container .ag-row")
    for header in ("forecast", "departments", "prob"):  # 全年预测, 责任单位, 达标概率: the right-most columns
        cell = page.locator(f"#list-grid .ag-header-cell[col-id='{header}']")
        box = cell.bounding_box()
        assert box is not None, f"{header} header not rendered"
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= DESKTOP["width"], f"{header} ends at {box['x'] + box['width']:.0f} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert page.console.take() == []


@pytest.mark.parametrize(
    "path",
    [
        "/?period=2021-13",
        "/indicators?period=2021-13",
        "/indicator/gdp?period=2021-13",
        "/ranking?period=2021-13",
        "/projects?period=2021-13",
        "/tasks?period=2021-13",
    ],
)
def test_a_bad_period_in_the_address_is_said(page: Any, board: BoardServer, path: str) -> None:
    page.goto(board.url + path)
    notice = page.wait_for_selector("#period-notice")
    assert notice.inner_text().startswith("期间“2021-13”无法识别，已显示最近月份")
    page.goto(board.url + path.replace("2021-13", "2021-06"))
    page.wait_for_selector("h1")
    assert page.locator("#period-notice").count() == 0


def test_titles_and_the_gdp_detail_show_names_and_the_comparable_price_basis(
    page: Any, board: BoardServer, catalogue: Catalogue
) -> None:
    page.goto(f"{board.url}/indicator/gdp?period=2021-06")
    page.wait_for_selector("#detail-forecast .main-svg")
    assert page.inner_text("h1") == "地区生产总值"
    facts = page.inner_text(".facts")
    assert "增长6%以上（按可比价）" in facts
    assert re.search(r"全年预测增速（按可比价，80%区间）\s*-?\d+\.\d%", facts)
    assert "全年预测（按上年价格）" in facts
    chart = page.inner_text("#detail-forecast")
    assert "按可比价" in chart
    assert "目标 6.0%" in chart
    codes = set(catalogue.indicators)
    pages = {
        "/indicator/gdp?period=2021-06": "#detail-forecast .main-svg",
        "/?period=2021-06": "#card-gdp",
        "/indicators?period=2021-06": "#list-grid .ag-center-cols-container .ag-row",
        "/alerts": "#alerts-grid .ag-center-cols-container .ag-row",
    }
    for path, filled in pages.items():
        page.goto(board.url + path)
        page.wait_for_selector(filled)
        shown = set(re.findall(r"[（(]([a-z][a-z0-9_]+)[）)]", page.inner_text("body")))
        assert shown & codes == set(), path
    page.goto(f"{board.url}/ranking")
    page.click("#rank-indicator")
    options = page.inner_text("body")
    assert "社会消费品零售总额（retail_sales）" not in options
    assert page.console.take() == []
