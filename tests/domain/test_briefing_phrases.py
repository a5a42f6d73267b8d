"""The briefing's wording rules, as case tables: 下降 never 增长−, 持平 under 0.05, 提高/回落, 收窄/扩大, 说明 split."""

from __future__ import annotations

import math

import pytest

from monitor.domain.briefing import (
    change_phrase,
    gap_change_phrase,
    growth_phrase,
    likelihood_words,
    pace_phrase,
    rest_of_year,
    split_note,
    versus_phrase,
)
from monitor.domain.briefing.build import numeral
from monitor.domain.briefing.phrases import amount, two_year_average
from monitor.domain.periods import parse_period


@pytest.mark.parametrize(
    ("growth", "expected"),
    [
        pytest.param(16.1, "增长16.1%", id="rise"),
        pytest.param(-23.5, "下降23.5%", id="fall-never-negative-growth"),
        pytest.param(-0.04, "与上年同期持平", id="rounds-to-zero-from-below"),
        pytest.param(0.04, "与上年同期持平", id="rounds-to-zero-from-above"),
        pytest.param(0.05, "增长0.1%", id="half-rounds-away"),
        pytest.param(9.25, "增长9.2%", id="one-decimal"),
    ],
)
def test_growth_is_worded_rise_or_fall(growth: float, expected: str) -> None:
    assert growth_phrase(growth) == expected


def test_prices_rise_as_上涨() -> None:
    assert growth_phrase(1.5, rise="上涨") == "上涨1.5%"
    assert growth_phrase(-42.4, rise="上涨") == "下降42.4%"


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        pytest.param(9.0, "快于序时进度9.0个百分点", id="ahead"),
        pytest.param(-12.0, "慢于序时进度12.0个百分点", id="behind"),
        pytest.param(0.049, "与序时进度持平", id="just-under-threshold"),
        pytest.param(-0.049, "与序时进度持平", id="just-under-threshold-behind"),
        pytest.param(0.05, "快于序时进度0.1个百分点", id="at-threshold"),
        pytest.param(-0.05, "慢于序时进度0.1个百分点", id="at-threshold-behind"),
    ],
)
def test_pace_is_快于_慢于_or_持平(gap: float, expected: str) -> None:
    assert pace_phrase(gap) == expected


def test_a_ceiling_ahead_of_time_is_低于序时() -> None:
    assert pace_phrase(3.0, reverse=True) == "低于序时进度3.0个百分点"
    assert pace_phrase(-3.0, reverse=True) == "高于序时进度3.0个百分点"


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [
        pytest.param(16.1, 19.6, "增速比1-5月回落3.5个百分点", id="slower"),
        pytest.param(4.3, 3.7, "增速比1-5月提高0.6个百分点", id="faster"),
        pytest.param(5.0, 5.02, "增速与1-5月持平", id="same"),
    ],
)
def test_the_change_from_last_period(now: float, before: float, expected: str) -> None:
    assert change_phrase(now, before, "1-5月") == expected


def test_a_gap_behind_time_narrows_or_widens() -> None:
    assert gap_change_phrase(-12.0, -12.8, "1-5月") == "差距比1-5月收窄0.8个百分点"
    assert gap_change_phrase(-12.0, -10.0, "1-5月") == "差距比1-5月扩大2.0个百分点"
    assert gap_change_phrase(-12.0, -12.01, "1-5月") == "差距与1-5月持平"


def test_versus_a_reference() -> None:
    assert versus_phrase(-1.5, "地区生产总值增速") == "低于地区生产总值增速1.5个百分点"
    assert versus_phrase(0.01, "全年目标") == "与全年目标持平"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        pytest.param(39.5, "亿元", "39.50亿元", id="yi-two-decimals"),
        pytest.param(19000.0, "个", "19000个", id="count-whole"),
        pytest.param(35962.0, "元", "35962元", id="yuan-whole"),
        pytest.param(100.6, "上年同期=100", "100.6", id="index-bare"),
        pytest.param(15.806, "元/500克", "15.81元/500克", id="price"),
    ],
)
def test_amounts(value: float, unit: str, expected: str) -> None:
    assert amount(value, unit) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        pytest.param(None, ("未说明", "未说明"), id="none"),
        pytest.param("  ", ("未说明", "未说明"), id="blank"),
        pytest.param("原因：招聘需求回落；措施：举办招聘会", ("招聘需求回落", "举办招聘会"), id="both"),
        pytest.param("企业用工减少", ("企业用工减少", "未说明"), id="reason-only"),
        pytest.param("项目延期。整改措施：加快审批", ("项目延期", "加快审批"), id="整改措施"),
    ],
)
def test_a_note_splits_into_reason_and_measure(note: str | None, expected: tuple[str, str]) -> None:
    assert split_note(note) == expected


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"), (23, "二十三")]
)
def test_sub_heading_numerals(n: int, text: str) -> None:
    assert numeral(n) == text


@pytest.mark.parametrize(
    ("probability", "words"),
    [
        (0.9, "完成全年目标把握较大"),
        (0.6, "有望完成全年目标"),
        (0.4, "完成全年目标存在一定压力"),
        (0.1, "完成全年目标难度较大"),
    ],
)
def test_the_forecast_is_said_in_words(probability: float, words: str) -> None:
    assert likelihood_words(probability) == words


@pytest.mark.parametrize(
    ("period", "rest"),
    [("2021-06", "下半年"), ("2021-05", "6-12月"), ("2021-11", "12月"), ("2021-12", ""), ("2021-Q3", "四季度")],
)
def test_the_rest_of_the_year(period: str, rest: str) -> None:
    assert rest_of_year(parse_period(period)) == rest


def test_the_two_year_average_is_the_geometric_mean() -> None:
    assert two_year_average(21.0, 0.0) == pytest.approx(10.0)
    assert two_year_average(10.7, -3.8) == pytest.approx(100 * (math.sqrt(1.107 * 0.962) - 1))
    assert math.isnan(two_year_average(-150.0, 10.0))
