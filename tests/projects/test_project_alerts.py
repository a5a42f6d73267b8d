"""The 重点项目 and 督办 alert rules: which rows breach, with which severity, departments and fingerprint. Pure."""

from __future__ import annotations

from datetime import date

import pandas as pd

from monitor.domain.alerts import BREACH_COLUMNS
from monitor.domain.periods import parse_period
from monitor.domain.projects.alerts import combine_breaches, project_breaches, subject_category, subject_name

JUNE = parse_period("2021-06")


def _pace() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ["P1", "华贸中心", "red", -12.0, 38.0, 50.0, False, None, "econ"],
            ["P2", "虎丘综改", "yellow", -2.0, 48.0, 50.0, False, None, "housing"],
            ["P3", "卫生中心", "green", 1.0, 51.0, 50.0, True, date(2021, 4, 15), "drc"],
        ],
        columns=[
            "project",
            "name",
            "status",
            "gap_pp",
            "completion",
            "elapsed",
            "start_late",
            "start_planned",
            "department",
        ],
    )


def _problems() -> pd.DataFrame:
    return pd.DataFrame(
        [
            [7, "P2", "虎丘综改", "资源要素", "用地指标", "land", date(2021, 6, 14), "overdue", 36],
            [8, "P1", "华贸中心", "金融支持", "贷款", "drc", date(2021, 8, 1), "submitted", 0],
        ],
        columns=[
            "id",
            "code",
            "project_name",
            "category",
            "description",
            "department",
            "due_on",
            "shown",
            "days_overdue",
        ],
    )


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ["2021-01", "新增就业岗位", "behind", 35.0, 50.0, ["hrss"]],
            ["2021-04", "新增社保参保", "missing", None, 50.0, ["hrss"]],
            ["2021-05", "区级重点项目建设", "on_pace", 60.0, 50.0, ["drc"]],
        ],
        columns=["code", "title", "status", "share", "elapsed", "departments"],
    )


def test_each_rule_and_its_severity() -> None:
    out = project_breaches(_pace(), _problems(), _tasks(), period=JUNE, region="gusu")
    assert list(out.columns) == BREACH_COLUMNS
    found = {(r.rule, r.indicator, r.severity) for r in out.itertuples()}
    assert found == {
        ("project_slow", "project:P1", "red"),
        ("project_slow", "project:P2", "yellow"),
        ("project_start_late", "project:P3", "red"),
        ("problem_overdue", "problem:7", "red"),
        ("task_behind", "task:2021-01", "yellow"),
        ("task_missing", "task:2021-04", "yellow"),
    }
    overdue = out[out["rule"] == "problem_overdue"].iloc[0]
    assert overdue["departments"] == ["land"]
    assert overdue["days_overdue"] == 36
    assert overdue["message"].startswith("虎丘综改：")
    assert len(set(out["fingerprint"])) == len(out)


def test_names_and_categories_for_the_board_and_digest() -> None:
    assert subject_name("task:2021-04", "新增社保参保：本月未报送进展", {}) == "新增社保参保"
    assert subject_name("gdp", "whatever", {"gdp": "地区生产总值"}) == "地区生产总值"
    assert (subject_category("problem:7"), subject_category("task:1"), subject_category("gdp")) == (
        "重点项目",
        "重点工作",
        None,
    )


def test_combining_keeps_the_indicator_breaches_first() -> None:
    ours = project_breaches(_pace(), _problems(), _tasks(), period=JUNE, region="gusu")
    assert combine_breaches(pd.DataFrame(columns=BREACH_COLUMNS), ours).equals(ours)
    both = combine_breaches(ours.iloc[:2], ours)
    assert len(both) == len(ours)
