"""重点工作任务督办: the seeded tasks file, traceable sources, status per month, reports with revisions."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from monitor.domain.access import Principal, Role
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period
from monitor.domain.tasks import department_codes, parse_tasks, task_status
from monitor.errors import PermissionDenied
from monitor.services.tasks import load_task_file, report_task, task_board
from monitor.settings import PROJECT_ROOT
from monitor.storage.db import transaction
from monitor.storage.tasks import task_reports

SEEDS = Path(__file__).parent / "data" / "seeds"
TASKS = PROJECT_ROOT / "tasks.toml"
NOW = datetime(2021, 7, 5, tzinfo=UTC)


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _file() -> list[dict]:
    return tomllib.loads(TASKS.read_text(encoding="utf-8"))["tasks"]


def test_every_seeded_goal_quotes_its_source_sentence_verbatim() -> None:
    docs = {p.name: _squash(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    for task in _file():
        assert _squash(task["source"]) in docs[task["source_doc"]], task["code"]
        assert _squash(task.get("goal_text", "")) in docs[task["source_doc"]], task["code"]


def test_the_33_measures_of_2020_and_the_2021_goals_named_in_the_issue() -> None:
    tasks = _file()
    assert [t["number"] for t in tasks if t["year"] == 2020] == [str(n) for n in range(1, 34)]
    texts = {t.get("goal_text", "") for t in tasks}
    for goal in (
        "年内家庭病床达到 900 张以上",
        "普惠幼儿园覆盖率达 75%以上",
        "全年新增社保参保不少于6万人",
        "确保到今年年底累计拆除违建不少于20万平方米",
        "确保今年实现清零项目不少于30个",
        "实现交地不少于1500亩",
    ):
        assert goal in texts
    item30 = next(t for t in tasks if t["code"] == "2020-30")
    assert (item30["title"], item30["lead"], item30["co"]) == ("深化重点项目服务机制", "区发改局", ["各街道"])


def test_department_names_map_to_catalogue_codes() -> None:
    departments = {"drc": "区发改局", "econ": "区经科局", "tax": "姑苏税务分局", "housing": "区住建委"}
    assert department_codes(["区经科局", "住建委", "姑苏税务分局", "各街道", "区民卫局"], departments) == [
        "econ",
        "housing",
        "tax",
    ]


def _tasks() -> pd.DataFrame:
    data = {
        "tasks": [
            {
                "code": "T1",
                "year": 2021,
                "number": "1",
                "title": "岗位",
                "lead": "区人社局",
                "goal_kind": "≥",
                "goal_value": 1200,
                "goal_unit": "个",
                "source": "s",
                "source_doc": "d",
            },
            {
                "code": "T2",
                "year": 2021,
                "number": "2",
                "title": "覆盖率",
                "lead": "区民卫局",
                "goal_kind": "达到",
                "goal_value": 75,
                "goal_unit": "%",
                "source": "s",
                "source_doc": "d",
            },
            {
                "code": "T3",
                "year": 2021,
                "number": "3",
                "title": "压降",
                "lead": "区财政局",
                "goal_kind": "≤",
                "goal_value": 100,
                "goal_unit": "万元",
                "source": "s",
                "source_doc": "d",
            },
            {
                "code": "T4",
                "year": 2021,
                "number": "4",
                "title": "规划",
                "lead": "区发改局",
                "goal_kind": "节点",
                "milestones": [{"date": "2021-03-31", "text": "a"}, {"date": "2021-09-30", "text": "b"}],
                "source": "s",
                "source_doc": "d",
            },
            {
                "code": "T5",
                "year": 2021,
                "number": "5",
                "title": "机制",
                "lead": "区发改局",
                "source": "s",
                "source_doc": "d",
            },
        ]
    }
    tasks, problems = parse_tasks(data, {"hrss": "区人社局"})
    assert problems == []
    return tasks


@pytest.mark.parametrize(
    ("month", "reports", "expected"),
    [
        pytest.param(
            "2021-06",
            {"T1": 600, "T2": 60, "T3": 90, "T4": 1, "T5": None},
            ["on_pace", "on_pace", "on_pace", "on_pace", "on_pace"],
            id="on-pace",
        ),
        pytest.param(
            "2021-06",
            {"T1": 480, "T3": 120, "T4": 0},
            ["behind", "missing", "behind", "behind", "missing"],
            id="behind-and-missing",
        ),
        pytest.param(
            "2021-12",
            {"T1": 1200, "T2": 70, "T3": 95, "T4": 2, "T5": None},
            ["done", "behind", "done", "done", "on_pace"],
            id="year-end",
        ),
    ],
)
def test_status_for_a_month(month: str, reports: dict[str, float | None], expected: list[str]) -> None:
    frame = pd.DataFrame(
        [[code, month, value, "", False] for code, value in reports.items()],
        columns=["task", "period", "value", "text", "completed"],
    )
    status = task_status(_tasks(), frame, parse_period(month))
    assert status["status"].tolist() == expected


def test_a_task_without_a_report_for_its_month_is_missing_even_with_earlier_reports() -> None:
    frame = pd.DataFrame(
        [["T1", "2021-05", 600.0, "", False]], columns=["task", "period", "value", "text", "completed"]
    )
    assert task_status(_tasks(), frame, parse_period("2021-06"))["status"].iloc[0] == "missing"


def test_bad_tasks_file_lists_every_problem() -> None:
    _, problems = parse_tasks(
        {
            "tasks": [
                {"code": "X"},
                {
                    "code": "Y",
                    "year": 2021,
                    "number": "1",
                    "title": "t",
                    "lead": "l",
                    "source": "s",
                    "source_doc": "d",
                    "goal_kind": "≥",
                },
            ]
        },
        {},
    )
    assert len(problems) == 2
    assert "缺少" in problems[0]
    assert "须填写数值" in problems[1]


def test_seeded_tasks_load_with_their_departments_and_reports_keep_revisions(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    with transaction(synced_engine) as session:
        counts = load_task_file(session, catalogue, TASKS)
    assert counts.inserted == len(_file())
    hrss = Principal("h", "人社局填报员", Role.REPORTER, "hrss")
    with transaction(synced_engine) as session:
        report_task(
            session,
            code="2021-04",
            month=parse_period("2021-06"),
            value=25000,
            text="",
            completed=False,
            principal=hrss,
            now=NOW,
        )
    with transaction(synced_engine) as session:
        outcome = report_task(
            session,
            code="2021-04",
            month=parse_period("2021-06"),
            value=31000,
            text="更正",
            completed=False,
            principal=hrss,
            now=NOW,
        )
        board = task_board(session, parse_period("2021-06"), department="hrss").set_index("code")
        history = task_reports(session, history=True, task="2021-04")
    assert outcome == "revised"
    assert board.loc["2021-04", "status"] == "on_pace"
    assert board.loc["2021-04", "lead"] == "区人社局"
    assert board.loc["2021-01", "status"] == "missing"
    assert history["value"].tolist() == [25000, 31000]
    with transaction(synced_engine) as session, pytest.raises(PermissionDenied):
        report_task(
            session,
            code="2021-16",
            month=parse_period("2021-06"),
            value=1,
            text="",
            completed=False,
            principal=hrss,
            now=NOW,
        )
