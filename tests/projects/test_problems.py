"""The 项目服务清单: the state table, 超期 from the due date, who may change a problem, every change kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine

from monitor.domain.access import Principal, Role
from monitor.domain.catalogue import Catalogue
from monitor.domain.projects import next_state, shown_states
from monitor.errors import InvalidTransition, PermissionDenied
from monitor.services.imports import ImportRequest
from monitor.services.project_imports import import_project_file
from monitor.services.project_problems import change_service_problem, service_list, service_problem_events
from monitor.storage.db import transaction
from tests.projects.test_project_imports import DATA

NOW = datetime(2021, 7, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "target", "note", "expected"),
    [
        pytest.param("submitted", "coordinated", "", "coordinated", id="coordinate"),
        pytest.param("coordinated", "solved", "已落实", "solved", id="solve"),
        pytest.param("submitted", "solved", "当场解决", "solved", id="solve-at-once"),
        pytest.param("solved", "submitted", "问题复现", "submitted", id="reopen"),
    ],
)
def test_allowed_steps(current: str, target: str, note: str, expected: str) -> None:
    assert next_state(current, target, note).value == expected


@pytest.mark.parametrize(
    ("current", "target", "note", "words"),
    [
        pytest.param("coordinated", "submitted", "", "不能改为", id="backwards"),
        pytest.param("submitted", "overdue", "", "自动判定", id="overdue-by-hand"),
        pytest.param("submitted", "solved", " ", "办理结果", id="solved-without-answer"),
    ],
)
def test_refused_steps(current: str, target: str, note: str, words: str) -> None:
    with pytest.raises(InvalidTransition, match=words):
        next_state(current, target, note)


def test_an_open_problem_past_its_time_limit_shows_as_overdue() -> None:
    problems = pd.DataFrame(
        {
            "state": ["submitted", "coordinated", "solved", "submitted"],
            "due_on": [date(2021, 7, 1), date(2021, 7, 10), date(2021, 6, 1), date(2021, 7, 5)],
        }
    )
    shown = shown_states(problems, date(2021, 7, 5))
    assert shown["shown"].tolist() == ["overdue", "coordinated", "solved", "submitted"]
    assert shown["days_overdue"].tolist() == [4, 0, 0, 0]


def _loaded(engine: Engine, catalogue: Catalogue) -> int:
    for name in ("register_2021.csv", "weekly_2021-W25.csv"):
        import_project_file(engine, catalogue, DATA / name, ImportRequest(today=date(2021, 7, 20)))
    with transaction(engine) as session:
        return int(service_list(session, date(2021, 7, 20)).iloc[0]["id"])


def test_the_assigned_department_handles_its_problem_and_every_change_is_kept(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    problem = _loaded(synced_engine, catalogue)
    land = Principal("lu", "陆科长", Role.REPORTER, "land")
    with transaction(synced_engine) as session:
        change_service_problem(session, problem, to_state="coordinated", principal=land, note="已会办", now=NOW)
    with transaction(synced_engine) as session:
        change_service_problem(session, problem, to_state="solved", principal=land, note="指标已落实", now=NOW)
    with transaction(synced_engine) as session:
        listed = service_list(session, date(2021, 7, 20)).iloc[0]
        events = service_problem_events(session, problem)
    assert (listed["shown"], listed["response"]) == ("solved", "指标已落实")
    assert events["to_state"].tolist() == ["submitted", "coordinated", "solved"]
    assert events["by"].tolist()[1:] == ["陆科长", "陆科长"]


def test_another_department_may_not_change_it(synced_engine: Engine, catalogue: Catalogue) -> None:
    problem = _loaded(synced_engine, catalogue)
    other = Principal("wang", "王科员", Role.REPORTER, "econ")
    with transaction(synced_engine) as session, pytest.raises(PermissionDenied):
        change_service_problem(session, problem, to_state="coordinated", principal=other, note="", now=NOW)


def test_overdue_in_the_list_after_the_time_limit(synced_engine: Engine, catalogue: Catalogue) -> None:
    _loaded(synced_engine, catalogue)  # due 2021-07-10
    with transaction(synced_engine) as session:
        before = service_list(session, date(2021, 7, 10)).iloc[0]
        after = service_list(session, date(2021, 7, 20), department="land").iloc[0]
    assert before["shown"] == "submitted"
    assert (after["shown"], after["days_overdue"]) == ("overdue", 10)
