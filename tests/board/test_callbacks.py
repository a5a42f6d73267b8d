"""The board's callbacks called as functions against a sample database (the browser tests cover the rest)."""

from __future__ import annotations

import base64
import importlib
import io
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from dash.development.base_component import Component
from sqlalchemy import event

from dash_app import board_state
from dash_app.app import create_app
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period
from monitor.services.alerts import evaluate_alerts
from monitor.services.demo import load_demo
from monitor.settings import PROJECT_ROOT, Settings
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, transaction
from tests.board.accounts import acting_as
from tests.board.files import bad_template_file, count_rows, good_template_file

PAGES = ("alerts", "cockpit", "imports", "indicator", "indicators", "ranking")
AS_OF = datetime(2021, 7, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def sample_board(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Iterator[SimpleNamespace]:
    """The board installed in this process on a sample database with evaluated alerts: its URL and page modules.

    The pages are imported after `create_app` (Dash registers pages only once an app exists).
    """
    directory = tmp_path_factory.mktemp("callbacks")
    url = f"sqlite:///{directory / 'monitor.db'}"
    engine = make_engine(url)
    migrate(engine)
    with transaction(engine) as session:
        sync_catalogue(session, catalogue)
    load_demo(engine, catalogue)
    evaluate_alerts(engine, catalogue, AS_OF)
    engine.dispose()
    app = create_app(Settings(database_url=url, config_path=PROJECT_ROOT / "indicators.toml", var_dir=directory))
    pages = {name: importlib.import_module(f"dash_app.pages.{name}") for name in PAGES}
    with acting_as(app.server, "admin"):  # callbacks run as a signed-in administrator
        yield SimpleNamespace(url=url, server=app.server, **pages)


def walk(node: Any) -> Iterator[Any]:
    if isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)
    elif isinstance(node, Component):
        yield node
        yield from walk(getattr(node, "children", None))


def find(node: Any, component_id: str) -> Any:
    return next(c for c in walk(node) if getattr(c, "id", None) == component_id)


def text(node: Any) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text(c) for c in node)
    if isinstance(node, Component):
        return text(getattr(node, "children", None))
    return ""


def upload_contents(path: Path) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode()


def test_cockpit_cards_and_counts(sample_board: Any) -> None:
    content = sample_board.cockpit.cockpit_content("2021-06", "ops30", "gusu")
    cards = find(content, "cockpit-cards").children
    assert [c.id for c in cards[:4]] == ["card-gdp", "card-revenue", "card-fai", "card-retail_sales"]
    statuses = [getattr(c, "data-status") for c in cards[4:]]
    assert statuses == sorted(statuses, key=sample_board.cockpit.STATUS_ORDER.get)  # worst first after the headlines
    assert "红灯3项" in text(find(content, "count-red")).replace(" ", "")
    assert "示例数据" in text(find(content, "sample-banner"))
    assert cards[0].href == "/indicator/gdp?region=gusu&period=2021-06"


def test_cockpit_falls_back_to_defaults_for_unknown_choices(sample_board: Any) -> None:
    content = sample_board.cockpit.cockpit_content("not-a-month", "no-such-set", "atlantis")
    assert "姑苏区 · 9大类30项经济运行监测指标 · 截至 2021年1-6月" in text(content)


def test_a_cached_cockpit_reads_a_handful_of_rows_never_one_query_per_indicator(sample_board: Any) -> None:
    engine = board_state.board().engine
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        sample_board.cockpit.cockpit_content("2021-05", "gdp34", "gusu")
        first = len(statements)
        statements.clear()
        sample_board.cockpit.cockpit_content("2021-05", "gdp34", "gusu")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert first <= 12  # the set has 34 indicators: a query per indicator would show here
    assert len(statements) <= 4  # the data version and today, then the cached report


@pytest.mark.parametrize(
    ("category", "department", "status", "expected"),
    [
        (None, None, None, 30),
        (None, None, "red", 3),
        (None, "hrss", None, 3),
        ("fiscal", None, None, 3),
    ],  # hrss: + urban_income
    ids=["all", "red", "department", "category"],
)
def test_indicator_list_filters(
    sample_board: Any, category: str | None, department: str | None, status: str | None, expected: int
) -> None:
    rows, summary, options = sample_board.indicators.update_grid(
        "2021-06", "ops30", "gusu", category, department, status, None
    )
    assert len(rows) == expected
    assert f"显示 {expected} / 30 项" in summary
    assert {"label": "财政收支", "value": "fiscal"} in options


def test_indicator_list_sorts_by_gap_and_exports_excel(sample_board: Any) -> None:
    rows, _, _ = sample_board.indicators.update_grid("2021-06", "ops30", "gusu", None, None, None, "gap")
    gaps = [r["差距(百分点)"] for r in rows if r["差距(百分点)"] is not None]
    assert gaps == sorted(gaps)
    assert rows[0]["code"] == "hq_enterprises"
    download = sample_board.indicators.export_excel(1, "2021-06", "ops30", "gusu", None, None, "red", "gap")
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    assert sheet.max_row == 3 + 3  # title, period and header rows, then the 3 red indicators
    assert sheet.freeze_panes == "B4"
    assert [c.value for c in sheet[3]][:4] == ["指标", "期别", "单位", "1-6月累计"]
    assert download["filename"].endswith(".xlsx")


def test_indicator_list_shows_the_通报_columns_in_bulletin_words(sample_board: Any) -> None:
    """Every grid column has its cell in each row; the 累计 header follows the report month."""
    rows, _, _ = sample_board.indicators.update_grid("2021-06", "ops30", "gusu", None, None, None, None)
    columns = sample_board.indicators.grid_columns(parse_period("2021-06"))
    assert [c["headerName"] for c in columns][:4] == ["指标", "单位", "1-6月累计", "同比±%"]
    assert all(c["field"] in row for c in columns for row in rows)
    assert sample_board.indicators.grid_columns(parse_period("2021-05"))[2]["headerName"] == "1-5月累计"
    revenue = next(r for r in rows if r["code"] == "revenue")
    assert revenue["completion"] == "完成预算（上年×1.05=66.99亿）的59.0%"
    assert revenue["pace"] == "快于序时9.0个百分点"
    assert revenue["rank"] == "2/10"
    jobs = next(r for r in rows if r["code"] == "new_jobs")
    assert (jobs["growth"], jobs["status_code"]) == ("下降23.5%", "red")
    catering = next(r for r in rows if r["code"] == "catering_above")
    assert (catering["unit"], catering["value"]) == ("亿元", "16.95")


def test_a_card_shows_money_reported_in_万元_in_亿元(sample_board: Any) -> None:
    snap = board_state.snapshot()
    rows = board_state.report(snap, parse_period("2021-06"), "ops30", "gusu").rows
    row = rows[rows["indicator"] == "catering_above"].iloc[0].to_dict()
    shown = text(sample_board.cockpit.card(row, board_state.board().catalogue, "2021-06"))
    assert "16.95亿元" in shown
    assert "万元" not in shown


def test_detail_names_the_rest_of_the_year_of_quarterly_gdp(sample_board: Any) -> None:
    content = sample_board.indicator.detail_content(board_state.snapshot(), "gdp", "gusu", "2021-06")
    assert "下半年所需增速" in text(content)
    assert "其余月份" not in text(content)


def test_detail_content_and_unknown_indicator(sample_board: Any) -> None:
    snap = board_state.snapshot()
    content = sample_board.indicator.detail_content(snap, "new_jobs", "gusu", "2021-06")
    for graph in ("detail-growth", "detail-completion", "detail-forecast", "detail-flows"):
        assert find(content, graph).figure["data"]
    assert "19,000个" in text(content)
    assert "区人社局" in text(content)
    assert "进度红灯" in text(find(content, "detail-alerts"))
    message = sample_board.indicator.update_detail("2021-06", "gusu", "nothing")
    assert "没有代码为“nothing”的指标" in text(message)


def test_ranking_by_street_and_among_peers(sample_board: Any) -> None:
    chart, streets, summary = sample_board.ranking.update_ranking("retail_sales", "2021-06", "streets")
    assert len(chart.data[0].y) == 8  # the streets only: the district is their reference line, not a bar
    assert "姑苏区" not in chart.data[0].y
    assert chart.layout.shapes[0].x0 == pytest.approx(31.3)
    assert "姑苏区 31.3%" in chart.layout.annotations[0].text
    assert summary.startswith("共 8 个街道，全区增长 31.3%")
    assert "快于全区" in text(streets)
    _, peers, summary = sample_board.ranking.update_ranking("retail_sales", "2021-06", "peers")
    assert "吴中区" in text(peers)
    assert "姑苏区位列第 5 位" in summary


def test_an_inflating_workbook_uploaded_on_the_board_is_refused_before_it_is_read(
    sample_board: Any, tmp_path: Path
) -> None:
    from tests.imports.hostile import inflating_workbook

    before = count_rows(sample_board.url, "observations")
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(inflating_workbook(300))
    result, _ = sample_board.imports.upload(upload_contents(bomb), "bomb.xlsx", "finance")
    assert "已拒绝" in text(result)
    assert "解压后有 300 MB" in text(result)
    assert count_rows(sample_board.url, "observations") == before


def test_rejected_upload_lists_errors_and_changes_nothing(
    sample_board: Any, catalogue: Catalogue, tmp_path: Path
) -> None:
    before = count_rows(sample_board.url, "observations")
    result, _ = sample_board.imports.upload(upload_contents(bad_template_file(catalogue, tmp_path)), "bad.csv", "hrss")
    assert "已拒绝" in text(result)
    assert len(find(result, "import-errors").children[1].children) == 2
    assert count_rows(sample_board.url, "observations") == before
    missing, _ = sample_board.imports.upload("data:;base64,@@@", "x.csv", "hrss")
    assert "无法读取" in text(missing)
    unchosen, _ = sample_board.imports.upload(upload_contents(bad_template_file(catalogue, tmp_path)), "bad.csv", None)
    assert "请先选择报送单位" in text(unchosen)


def test_template_download_is_the_departments_workbook(sample_board: Any) -> None:
    download = sample_board.imports.template(1, "hrss", "2021-06")
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    assert sheet["A3"].value == "new_jobs"
    assert download["filename"] == "报送模板_hrss_2021-06.xlsx"


def test_acknowledge_needs_a_selection_a_name_and_a_reason(sample_board: Any) -> None:
    rows = sample_board.alerts.alert_grid_rows("active", "red", None)
    assert rows
    assert all(r["级别"] == "红灯" for r in rows)
    assert "请先在表格中勾选" in text(sample_board.alerts.acknowledge(1, [], "原因", "active", None, None)[0])
    assert "请填写说明原因" in text(sample_board.alerts.acknowledge(1, rows[:1], " ", "active", None, None)[0])
    done, refreshed = sample_board.alerts.acknowledge(1, rows[:1], "项目延期", "active", None, None)
    assert "已确认" in text(done)
    mine = next(r for r in refreshed if r["id"] == rows[0]["id"])
    assert mine["状态"] == "已说明"
    assert mine["确认人"] == "测试管理员"  # the signed-in user, never a typed name
    assert mine["确认说明"] == "项目延期"


def test_accepted_upload_refreshes_what_the_cockpit_shows(
    sample_board: Any, catalogue: Catalogue, tmp_path: Path
) -> None:
    before = sample_board.cockpit.cockpit_content("2021-06", "ops30", "gusu")
    assert getattr(find(before, "card-new_jobs"), "data-status") == "red"
    result, log = sample_board.imports.upload(
        upload_contents(good_template_file(catalogue, tmp_path)), "good.csv", "hrss"
    )
    assert "已接收" in text(result)
    assert "good.csv" in text(log)
    after = sample_board.cockpit.cockpit_content("2021-06", "ops30", "gusu")
    assert getattr(find(after, "card-new_jobs"), "data-status") == "green"


def test_without_any_account_the_sign_in_page_tells_the_operator_what_to_run(sample_board: Any) -> None:
    answers: list[Any] = []

    def visit() -> None:  # a thread of its own: outside this module's signed-in request context
        client = sample_board.server.test_client()
        answers.extend([client.get("/").status_code, client.get("/login").get_data(as_text=True)])

    worker = threading.Thread(target=visit)
    worker.start()
    worker.join()
    status, page = answers
    assert status == 302
    assert "尚未创建任何账户" in page
    assert "monitor users add 用户名 --role admin" in page


def test_a_reporter_is_refused_on_the_server_for_another_department(
    sample_board: Any, catalogue: Catalogue, tmp_path: Path
) -> None:
    from monitor.errors import PermissionDenied

    rows = sample_board.alerts.alert_grid_rows("active", None, None)
    names = {ind.name: ind for ind in catalogue.indicators.values()}
    foreign = next(r for r in rows if r["指标"] in names and "finance" not in names[r["指标"]].departments)
    with acting_as(sample_board.server, "finance"):
        with pytest.raises(PermissionDenied, match="区财政局"):
            sample_board.imports.upload(upload_contents(good_template_file(catalogue, tmp_path)), "good.csv", "hrss")
        with pytest.raises(PermissionDenied, match="只能确认本单位"):
            sample_board.alerts.acknowledge(1, [foreign], "不是本单位", "active", None, None)
    with acting_as(sample_board.server, "viewer"), pytest.raises(PermissionDenied, match="只读"):
        sample_board.imports.upload(upload_contents(good_template_file(catalogue, tmp_path)), "good.csv", "finance")
