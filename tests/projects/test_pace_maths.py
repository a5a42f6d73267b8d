"""Project pace maths: 序时 by monthly plan or linear, 快/慢 in 百分点, lights, slips, 开工率, subtotals. Pure."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitor.domain.catalogue import ProjectThresholds
from monitor.domain.periods import parse_period
from monitor.domain.projects import PROJECT_COLUMNS, elapsed_share, project_pace, start_rate, subtotals


@pytest.mark.parametrize(
    ("period", "plan", "annual", "expected"),
    [
        pytest.param("2021-06", None, 10.0, 0.5, id="linear-month"),
        pytest.param("2021-W26", None, 10.0, 26 / 52, id="linear-week"),
        pytest.param("2021-06", [1.0] * 6 + [0.0] * 6, 6.0, 1.0, id="plan-front-loaded"),
        pytest.param("2021-03", [0.0, 0.0, 3.0] + [1.0] * 9, 12.0, 0.25, id="plan-march"),
        pytest.param("2021-W02", [3.1] + [0.0] * 11, 3.1, 17 / 31, id="plan-week-interpolates-days"),
    ],
)
def test_elapsed_share(period: str, plan: list[float] | None, annual: float, expected: float) -> None:
    assert elapsed_share(parse_period(period), plan, annual) == pytest.approx(expected)


def _project(code: str, plan: float, **kw: object) -> dict[str, object]:
    base: dict[str, object] = dict.fromkeys(PROJECT_COLUMNS)
    base.update(
        code=code,
        year=2021,
        name=code,
        level="区",
        category="产业",
        nature="续建",
        street="gusu.pingjiang",
        annual_plan=plan,
        department="drc",
        monthly_plan=None,
    )
    base.update(kw)
    return base


def _week(code: str, week: int, cumulative: float, start: date | None = None) -> dict[str, object]:
    end = date.fromisocalendar(2021, week, 7)
    return {
        "code": code,
        "year": 2021,
        "week": week,
        "week_end": end,
        "weekly": 0.0,
        "cumulative": cumulative,
        "image": "",
        "start_actual": start,
        "finish_actual": None,
    }


PROJECTS = pd.DataFrame(
    [
        _project("A", 10.0),
        _project("B", 10.0, nature="新开工", start_planned=date(2021, 5, 31)),
        _project("C", 10.0, nature="新开工", start_planned=date(2021, 3, 1), level="市"),
        _project("D", 10.0),
        _project("E", 0.0),
    ],
    columns=PROJECT_COLUMNS,
)
PROGRESS = pd.DataFrame(
    [
        _week("A", 25, 5.5),
        _week("A", 26, 9.0),  # June: the W25 report (W26 ends in July)
        _week("B", 25, 4.7),
        _week("C", 24, 3.0, start=date(2021, 6, 1)),
        _week("D", 25, 4.0),
    ]
)


def test_each_project_against_its_own_time_progress_with_lights() -> None:
    pace = project_pace(PROJECTS, PROGRESS, parse_period("2021-06"), ProjectThresholds(yellow_pp=5.0)).set_index(
        "project"
    )
    assert pace.loc["A", "cumulative"] == pytest.approx(5.5)
    assert pace.loc["A", "gap_pp"] == pytest.approx(5.0)
    assert (pace.loc["A", "status"], pace.loc["A", "speed"]) == ("green", "快")
    assert (pace.loc["B", "status"], pace.loc["B", "speed"]) == ("yellow", "慢")
    assert pace.loc["C", "status"] == "red"
    assert pace.loc["D", "gap_pp"] == pytest.approx(-10.0)
    assert pace.loc["E", "status"] == "grey"  # no plan: no light


def test_planned_start_passed_without_a_start_is_a_slip() -> None:
    pace = project_pace(PROJECTS, PROGRESS, parse_period("2021-06"), ProjectThresholds()).set_index("project")
    assert pace["start_late"].to_dict() == {"A": False, "B": True, "C": False, "D": False, "E": False}
    early = project_pace(PROJECTS, PROGRESS, parse_period("2021-04"), ProjectThresholds()).set_index("project")
    assert bool(early.loc["B", "start_late"]) is False
    assert bool(early.loc["C", "start_late"]) is True


def test_start_rate_counts_new_projects_started_by_the_period_end() -> None:
    pace = project_pace(PROJECTS, PROGRESS, parse_period("2021-06"), ProjectThresholds())
    assert start_rate(pace, parse_period("2021-06")) == (1, 2, 50.0)


def test_subtotals_weight_the_time_progress_by_plan() -> None:
    pace = project_pace(PROJECTS, PROGRESS, parse_period("2021-06"), ProjectThresholds())
    total = subtotals(pace, None).iloc[0]
    assert total["projects"] == 5
    assert total["cumulative"] == pytest.approx(17.2)
    assert total["completion"] == pytest.approx(43.0)
    assert total["elapsed"] == pytest.approx(50.0)
    by_level = subtotals(pace, "level").set_index("group")
    assert by_level.loc["市", "projects"] == 1
    assert by_level.loc["区", "red"] == 1
