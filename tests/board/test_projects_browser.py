"""The 重点项目 and 重点工作 pages in Chromium on the sample data: pace table, filters, a project's page,
the 项目服务清单 with 超期 and a change kept, and the tasks by 责任单位."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import BoardServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
BAD_WEEKLY = Path(__file__).parents[1] / "projects" / "data" / "weekly_2021-W26_bad.csv"


def choose(page: Any, dropdown: str, option: str) -> None:
    page.click(f"#{dropdown}")
    page.locator(".VirtualizedSelectOption, [role=option]").filter(has_text=option).first.click()


def test_projects_page_shows_41_projects_with_the_half_year_total(page: Any, board: BoardServer) -> None:
    page.goto(f"{board.url}/projects?period=2021-06")
    page.wait_for_selector("#projects-grid")
    assert page.locator("#projects-grid tbody tr").count() == 41
    summary = page.inner_text("#projects-summary")
    assert "131.27 亿元" in summary
    assert "54.8%" in summary
    assert "示例数据" in page.inner_text("#sample-banner")
    assert "级别" in page.inner_text("#projects-subtotals")
    choose(page, "projects-level", "省级")
    expect(page.locator("#projects-grid tbody tr")).to_have_count(3)  # no string eval: the board's CSP forbids it
    assert page.console.take() == []


def test_a_projects_page_shows_its_weekly_history_and_problems(page: Any, board: BoardServer) -> None:
    page.goto(f"{board.url}/projects?period=2021-06")
    page.locator("#projects-grid a", has_text="虎丘综改").click()
    page.wait_for_selector("#project-history")
    assert page.inner_text("#project-title") == "虎丘综改"
    assert page.locator("#project-history tbody tr").count() == 28  # weeks 1-28 of the sample
    assert "二期地块土地指标尚未落实" in page.inner_text("main")
    assert "超期" in page.inner_text("main")
    assert page.console.take() == []


def test_overdue_problem_can_be_coordinated_and_the_change_is_kept(page: Any, board: BoardServer) -> None:
    page.goto(f"{board.url}/projects")
    page.wait_for_selector("#problems-grid")
    first = page.locator("#problems-grid tbody tr").first
    assert "超期" in first.inner_text()
    page.fill("#problem-id", "1")
    choose(page, "problem-state", "已会办")
    page.fill("#problem-note", "已召开会办会，7月底前落实指标")
    page.click("#problem-save")
    page.wait_for_selector("#problem-saved")
    assert "7月底前落实指标" in page.inner_text("#problems-grid")
    page.goto(f"{board.url}/project/GS2021-04?year=2021")
    page.wait_for_selector("#project-history")
    assert "测试管理员" in page.inner_text("main")  # the handler is the signed-in person, not a typed name
    assert page.console.take() == []


def test_tasks_page_lists_the_measures_by_department_with_status(page: Any, board: BoardServer) -> None:
    page.goto(f"{board.url}/tasks?period=2021-06")
    page.wait_for_selector("#tasks-grid")
    assert page.locator("#tasks-grid tbody tr").count() == 31
    text = page.inner_text("#tasks-grid")
    assert "全年新增社保参保不少于6万人" in text
    assert "区人社局" in text
    assert "未报" in page.inner_text("#tasks-summary")
    choose(page, "tasks-status", "滞后")
    expect(page.locator("#tasks-grid tbody tr").filter(has_not_text="滞后")).to_have_count(0)
    assert page.locator("#tasks-grid tbody tr").count() > 0
    assert page.console.take() == []


def test_a_bad_weekly_upload_is_rejected_whole_with_every_row(page: Any, board: BoardServer) -> None:
    from tests.board.files import count_rows

    before = count_rows(board.db_url, "project_progress")
    page.goto(f"{board.url}/projects")
    page.wait_for_selector("#projects-upload input[type=file]", state="attached")
    page.set_input_files("#projects-upload input[type=file]", str(BAD_WEEKLY))
    page.wait_for_selector("#import-status")
    assert "已拒绝" in page.inner_text("#import-status")
    errors = page.inner_text("#import-errors")
    assert page.locator("#import-errors tbody tr").count() == 4  # GS2021-01 is also below its W25 on the sample
    assert "unknown_project" in errors
    assert "negative_not_allowed" in errors
    assert "cumulative_below_previous" in errors
    assert count_rows(board.db_url, "project_progress") == before
    assert page.console.take() == []
