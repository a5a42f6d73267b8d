"""The 通报 row, column by column, by hand-computed cases: 比上期, 两年平均, the target as a level,
完成全年目标%, 快/慢于序时, 位次, and the wording a bulletin prints them in."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from monitor.domain.catalogue import Catalogue, parse_catalogue
from monitor.domain.pace import (
    bulletin_columns,
    change_words,
    completion_words,
    elapsed_words,
    growth_words,
    pace_frame,
    previous_period,
    rest_of_year,
    two_year_average,
)
from monitor.domain.pace.wording import multiplier_text
from monitor.domain.periods import parse_period
from tests.pace.helpers import DISTRICT, INDICATORS, STREET, catalogue, combine, figures

REVENUE = {  # 一般公共预算收入 of the 2021 half-year report: 63.8亿 in 2020, 增长5%以上, 39.5亿 +16.1% in 1-6月
    "2020-12": (63.8, 0.3),
    "2020-06": (34.02, -6.4),
    "2021-05": (33.0, 19.6),
    "2021-06": (39.5, 16.1),
}


def bulletin(
    obs: pd.DataFrame, cat: Catalogue, indicator: str, report_month: str = "2021-06", region: str = DISTRICT
) -> dict[str, Any]:
    """The pace row of one series with its 通报 columns, as a dict."""
    rows = pace_frame(obs, cat, parse_period(report_month), indicators=[indicator], regions=[region])
    out = pd.concat([rows, bulletin_columns(rows, obs, cat)], axis=1)
    assert len(out) == 1
    return out.iloc[0].to_dict()


def test_a_growth_target_with_a_level_base_is_completed_as_a_budget() -> None:
    """66.99 = 63.8 × 1.05; 39.5 / 66.99 = 58.96%, 8.96 百分点 ahead of 6/12; growth 16.1 − 19.6 = −3.5;
    two-year average √(1.161 × 0.936) − 1 = 4.2447%."""
    cat = catalogue({"indicator": "flow", "kind": "growth_min", "value": 5})
    row = bulletin(figures("flow", REVENUE), cat, "flow")
    assert row["target_base"] == pytest.approx(63.8)
    assert row["target_level"] == pytest.approx(66.99)
    assert row["completion_annual"] == pytest.approx(39.5 / 66.99)
    assert row["elapsed_gap_pp"] == pytest.approx(100 * (39.5 / 66.99 - 0.5))
    assert row["previous_period"] == "2021-05"
    assert row["growth_previous"] == pytest.approx(19.6)
    assert row["growth_change_pp"] == pytest.approx(-3.5)
    assert row["growth_last_year"] == pytest.approx(-6.4)
    assert row["growth_two_year"] == pytest.approx(100 * (math.sqrt(1.161 * 0.936) - 1))
    assert row["rest_of_year"] == "下半年"
    words = completion_words(
        row["completion_annual"],
        target_base=row["target_base"],
        target_growth=row["target_value"],
        target_level=row["target_level"],
        unit="亿元",
        budget=True,
    )
    assert words == "完成预算（上年×1.05=66.99亿）的59.0%"
    assert elapsed_words(row["elapsed_gap_pp"]) == "快于序时9.0个百分点"
    assert change_words(row["growth_change_pp"]) == "回落3.5个百分点"
    assert growth_words(row["growth_two_year"]) == "增长4.2%"


def test_a_level_target_that_falls_is_said_as_下降_and_slower_than_time_progress() -> None:
    """新增就业岗位 19,000 of 50,000 (−23.5%) at 1-6月: 38.0% done, 12.0 百分点 behind; 1-5月 −20.0% -> 回落3.5."""
    cat = catalogue({"indicator": "jobs", "kind": "level_min", "value": 50000})
    obs = figures("jobs", {"2021-05": (15000, -20.0), "2021-06": (19000, -23.5), "2020-06": (24837, 10.0)})
    row = bulletin(obs, cat, "jobs")
    assert row["target_level"] == 50000
    assert math.isnan(row["target_base"])
    assert row["completion_annual"] == pytest.approx(0.38)
    assert row["elapsed_gap_pp"] == pytest.approx(-12.0)
    assert row["growth_change_pp"] == pytest.approx(-3.5)
    assert row["growth_two_year"] == pytest.approx(100 * (math.sqrt(0.765 * 1.10) - 1))
    assert growth_words(row["growth"]) == "下降23.5%"
    assert elapsed_words(row["elapsed_gap_pp"]) == "慢于序时12.0个百分点"
    assert completion_words(row["completion_annual"], target_level=50000, unit="个") == "完成全年目标的38.0%"


def test_without_stored_growth_last_year_the_two_year_average_comes_from_the_levels_two_years_ago() -> None:
    """No yoy in 2020-06: 2020 growth is 90/100 − 1 = −10%; 2021 is 121/90 − 1; √(1.21) − 1 = 10%."""
    cat = catalogue()
    obs = figures("flow", {"2019-06": (100.0, None), "2020-06": (90.0, None), "2021-06": (121.0, None)})
    row = bulletin(obs, cat, "flow")
    assert row["growth_last_year"] == pytest.approx(-10.0)
    assert row["growth_two_year"] == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("kind", "measure_code", "reason"),
    [
        pytest.param("growth_min", "gdp_real", "a real growth target has no level at current prices", id="comparable"),
        pytest.param("growth_min", "deposits", "a balance is not completed over the year", id="stock"),
        pytest.param("growth_max", "flow", "a ceiling on growth is not a level to complete", id="growth-max"),
    ],
)
def test_growth_targets_a_bulletin_does_not_state_as_a_level(kind: str, measure_code: str, reason: str) -> None:
    cat = catalogue({"indicator": measure_code, "kind": kind, "value": 6})
    periods = {"2020-Q4": (800.0, 0.1), "2021-Q2": (408.5, 10.7)} if measure_code == "gdp_real" else REVENUE
    row = bulletin(figures(measure_code, periods), cat, measure_code)
    assert math.isnan(row["target_level"]), reason
    assert math.isnan(row["completion_annual"]), reason
    assert math.isnan(row["elapsed_gap_pp"]), reason


@pytest.mark.parametrize(
    ("period", "first_month", "expected"),
    [
        pytest.param("2021-06", 1, "2021-05", id="1-6月-after-1-5月"),
        pytest.param("2021-03", 2, "2021-02", id="1-3月-after-1-2月"),
        pytest.param("2021-02", 2, None, id="1-2月-is-the-first-figure"),
        pytest.param("2021-01", 1, None, id="january-has-none"),
        pytest.param("2021-Q2", 3, "2021-Q1", id="上半年-after-一季度"),
        pytest.param("2021-Q1", 3, None, id="一季度-has-none"),
        pytest.param("2021-W25", 1, "2021-W24", id="week"),
    ],
)
def test_previous_period(period: str, first_month: int, expected: str | None) -> None:
    found = previous_period(parse_period(period), first_month)
    assert (None if found is None else str(found)) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2021-06", "下半年"),
        ("2021-Q2", "下半年"),
        ("2021-Q1", "其余季度"),
        ("2021-Q3", "四季度"),
        ("2021-09", "四季度"),
        ("2021-05", "其余月份"),
        ("2021-11", "12月"),
        ("2021-12", None),
        ("2021-Q4", None),
    ],
)
def test_the_rest_of_the_year_is_named_as_the_period_allows(period: str, expected: str | None) -> None:
    assert rest_of_year(parse_period(period)) == expected


def test_two_year_average_by_hand() -> None:
    got = two_year_average(pd.Series([21.0, 44.0, 31.3, float("nan")]), pd.Series([0.0, 0.0, -5.0, 3.0]))
    assert got[0] == pytest.approx(100 * (math.sqrt(1.21) - 1))
    assert got[1] == pytest.approx(20.0)
    assert got[2] == pytest.approx(100 * (math.sqrt(1.313 * 0.95) - 1))
    assert math.isnan(got[3])


@pytest.mark.parametrize(
    ("value", "measure", "expected"),
    [
        (10.7, "cumulative", "增长10.7%"),
        (-3.2, "cumulative", "下降3.2%"),
        (0.04, "cumulative", "持平"),
        (0.6, "index", "上涨0.6%"),
        (-42.4, "price", "下降42.4%"),
        (float("nan"), "cumulative", "—"),
    ],
)
def test_growth_is_never_增长_minus(value: float, measure: str, expected: str) -> None:
    assert growth_words(value, measure) == expected


@pytest.mark.parametrize(
    ("pp", "change", "pace"),
    [
        (2.14, "提高2.1个百分点", "快于序时2.1个百分点"),
        (-1.26, "回落1.3个百分点", "慢于序时1.3个百分点"),
        (0.0, "持平", "与序时持平"),
        (-0.04, "持平", "与序时持平"),
        (None, "—", "—"),
    ],
)
def test_changes_and_pace_in_bulletin_words(pp: float | None, change: str, pace: str) -> None:
    assert change_words(pp) == change
    assert elapsed_words(pp) == pace


@pytest.mark.parametrize(("growth", "text"), [(5, "1.05"), (10, "1.10"), (6.5, "1.065"), (0, "1.00"), (-10, "0.90")])
def test_the_multiplier_has_two_decimals_at_least(growth: float, text: str) -> None:
    assert multiplier_text(growth) == text


def test_growth_target_completion_outside_budgets_says_全年目标() -> None:
    words = completion_words(0.45, target_base=237.0, target_growth=10, target_level=260.7, unit="亿元")
    assert words == "完成全年目标（上年×1.10=260.70亿）的45.0%"


PEERS = ("wuzhong", "xiangcheng", "kunshan")


def _with_peers() -> Catalogue:
    regions = [
        {"code": DISTRICT, "name": "姑苏区", "kind": "district"},
        {"code": STREET, "name": "平江街道", "kind": "street", "parent": DISTRICT},
        {"code": "gusu.canglang", "name": "沧浪街道", "kind": "street", "parent": DISTRICT},
        *({"code": p, "name": p, "kind": "peer"} for p in PEERS),
    ]
    return parse_catalogue(
        {
            "meta": {"default_region": DISTRICT},
            "indicator_defaults": {"growth_basis": "current", "lag_months": 0, "first_month": 1, "due_day": 18},
            "departments": [{"code": "stats", "name": "区统计局"}],
            "regions": regions,
            "indicators": INDICATORS,
            "sets": [{"code": "t", "name": "t", "categories": [{"code": "a", "name": "a", "indicators": ["flow"]}]}],
        }
    )


def test_位次_is_among_the_peers_with_ties_sharing_a_rank_and_a_street_among_the_streets() -> None:
    """Growth 12 (district), 15, 12, 9 among the peers: the district shares 2nd of 4; streets 3 and 5: 平江 2nd of 2."""
    cat = _with_peers()
    growths = {DISTRICT: 12.0, "wuzhong": 15.0, "xiangcheng": 12.0, "kunshan": 9.0, STREET: 3.0, "gusu.canglang": 5.0}
    obs = combine(*(figures("flow", {"2021-06": (100.0, g)}, region=r) for r, g in growths.items()))
    district = bulletin(obs, cat, "flow")
    assert (district["rank"], district["rank_count"], district["rank_scope"]) == (2, 4, "peers")
    street = bulletin(obs, cat, "flow", region=STREET)
    assert (street["rank"], street["rank_count"], street["rank_scope"]) == (2, 2, "streets")


def test_no_位次_without_a_second_region_to_compare_with() -> None:
    cat = _with_peers()
    row = bulletin(figures("flow", {"2021-06": (100.0, 12.0)}), cat, "flow")
    assert pd.isna(row["rank"])
    assert pd.isna(row["rank_count"])
    assert row["rank_scope"] is None
