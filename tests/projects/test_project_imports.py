"""Importing registers and weekly reports: all or nothing, row-by-row Chinese errors, revisions, duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from monitor.domain.catalogue import Catalogue
from monitor.services.imports import ImportRequest, ImportStatus
from monitor.services.project_imports import import_project_file
from monitor.storage.db import transaction
from monitor.storage.project_models import ProjectProgress
from monitor.storage.projects import current_progress, load_problems, load_projects, progress_history

DATA = Path(__file__).parent / "data"
TODAY = ImportRequest(today=date(2021, 7, 20))


def _load(engine: Engine, catalogue: Catalogue, *names: str) -> list[ImportStatus]:
    return [import_project_file(engine, catalogue, DATA / n, TODAY).status for n in names]


def test_register_in_gb18030_with_a_unit_line_lands_in_yi_yuan(synced_engine: Engine, catalogue: Catalogue) -> None:
    result = import_project_file(synced_engine, catalogue, DATA / "register_2021.csv", TODAY)
    assert result.status is ImportStatus.ACCEPTED, result.issues
    with transaction(synced_engine) as session:
        projects = load_projects(session, 2021).set_index("code")
    assert list(projects.index) == ["GS2021-01", "GS2021-02", "GS2021-03"]
    assert projects.loc["GS2021-01", "annual_plan"] == pytest.approx(6.0)  # 60000 万元
    assert projects.loc["GS2021-01", "total_investment"] == pytest.approx(35.0)  # "350,000" 万元
    assert projects.loc["GS2021-01", "level"] == "市"
    assert projects.loc["GS2021-01", "street"] == "gusu.pingjiang"
    assert projects.loc["GS2021-01", "monthly_plan"] == pytest.approx([0.5] * 12)
    assert projects.loc["GS2021-02", "monthly_plan"] is None
    assert projects.loc["GS2021-02", "start_planned"] == date(2018, 3, 31)  # a month alone: its last day
    assert projects.loc["GS2021-03", "department"] == "drc"


def test_bad_weekly_file_is_rejected_whole_with_every_row_and_changes_nothing(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    assert _load(synced_engine, catalogue, "register_2021.csv", "weekly_2021-W25.csv") == [ImportStatus.ACCEPTED] * 2
    with transaction(synced_engine) as session:
        before = session.execute(select(func.count()).select_from(ProjectProgress)).scalar_one()
    result = import_project_file(synced_engine, catalogue, DATA / "weekly_2021-W26_bad.csv", TODAY)
    assert result.status is ImportStatus.REJECTED
    found = [(i.row, i.code) for i in result.errors()]
    assert found == [(2, "unknown_project"), (3, "negative_not_allowed"), (4, "cumulative_below_previous")]
    assert "GS2021-99" in result.errors()[0].message
    assert "项目库" in result.errors()[0].message
    assert "低于第 25 周" in result.errors()[2].message
    with transaction(synced_engine) as session:
        after = session.execute(select(func.count()).select_from(ProjectProgress)).scalar_one()
    assert after == before


def test_good_weekly_file_keeps_the_earlier_figure_as_a_revision(synced_engine: Engine, catalogue: Catalogue) -> None:
    from monitor.domain.periods import parse_period
    from monitor.services.project_pace import project_pace_report

    _load(synced_engine, catalogue, "register_2021.csv", "weekly_2021-W25.csv")
    week = parse_period("2021-W26")
    with transaction(synced_engine) as session:
        before = project_pace_report(session, catalogue, week).rows.set_index("project")
    result = import_project_file(synced_engine, catalogue, DATA / "weekly_2021-W26.csv", TODAY)
    assert result.status is ImportStatus.ACCEPTED
    assert (result.counts.inserted, result.counts.revised) == (3, 1)
    with transaction(synced_engine) as session:
        history = progress_history(session, "GS2021-02", 2021)
        current = current_progress(session, [2021]).set_index(["code", "week"])
    week25 = history[history["week"] == 25]
    assert list(week25["cumulative"]) == pytest.approx([0.8, 0.82])
    assert week25["known_to"].notna().tolist() == [True, False]
    assert current.loc[("GS2021-02", 25), "cumulative"] == pytest.approx(0.82)
    assert current.loc[("GS2021-03", 26), "start_actual"] == date(2021, 6, 28)
    with transaction(synced_engine) as session:
        after = project_pace_report(session, catalogue, week).rows.set_index("project")
    assert before.loc["GS2021-02", "cumulative"] == pytest.approx(0.8)  # W25 stood for W26 before
    assert after.loc["GS2021-02", "cumulative"] == pytest.approx(0.86)
    assert after.loc["GS2021-02", "completion"] == pytest.approx(43.0)


def test_the_same_bytes_again_are_a_duplicate(synced_engine: Engine, catalogue: Catalogue) -> None:
    assert _load(synced_engine, catalogue, "register_2021.csv", "register_2021.csv") == [
        ImportStatus.ACCEPTED,
        ImportStatus.DUPLICATE,
    ]


def test_a_weekly_problem_enters_the_service_list_with_its_department_and_due_date(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    _load(synced_engine, catalogue, "register_2021.csv", "weekly_2021-W25.csv")
    with transaction(synced_engine) as session:
        problems = load_problems(session, 2021)
    assert len(problems) == 1
    problem = problems.iloc[0]
    assert (problem.code, problem.category, problem.department, problem.state) == (
        "GS2021-02",
        "资源要素",
        "land",
        "submitted",
    )
    assert problem.raised_on == date(2021, 6, 27)
    assert problem.due_on == date(2021, 7, 10)


def test_weekly_file_before_its_register_names_the_fix(synced_engine: Engine, catalogue: Catalogue) -> None:
    result = import_project_file(synced_engine, catalogue, DATA / "weekly_2021-W25.csv", TODAY)
    assert result.status is ImportStatus.REJECTED
    assert {i.code for i in result.errors()} == {"unknown_project"}
    assert "先导入项目库" in result.errors()[0].message


def test_the_inbox_projects_folder_imports_registers_and_weekly_reports(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path
) -> None:
    import shutil

    from monitor.services.inbox import PROJECTS_FOLDER, scan_inbox

    folder = tmp_path / "inbox" / PROJECTS_FOLDER
    folder.mkdir(parents=True)
    shutil.copyfile(DATA / "register_2021.csv", folder / "register_2021.csv")
    report = scan_inbox(synced_engine, catalogue, tmp_path / "inbox", today=date(2021, 7, 20), settle_seconds=0)
    assert [i.result.status for i in report.items] == [ImportStatus.ACCEPTED]
    shutil.copyfile(DATA / "weekly_2021-W26_bad.csv", folder / "weekly_bad.csv")
    report = scan_inbox(synced_engine, catalogue, tmp_path / "inbox", today=date(2021, 7, 20), settle_seconds=0)
    item = report.items[0]
    assert item.result.status is ImportStatus.REJECTED
    assert item.report is not None
    assert "unknown_project" in item.report.read_text(encoding="utf-8-sig")
    with transaction(synced_engine) as session:
        assert len(load_projects(session, 2021)) == 3
