"""One sentence per indicator, chosen by target kind, from pace rows built by hand (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.domain.briefing import indicator_sentence
from monitor.domain.catalogue import Catalogue
from monitor.domain.pace import PACE_COLUMNS
from monitor.domain.periods import parse_period

JUNE = parse_period("2021-06")


def pace_row(catalogue: Catalogue, indicator: str, **values: Any) -> dict[str, Any]:
    """A pace row (PACE_COLUMNS) for one indicator of the catalogue, the rest None."""
    ind = catalogue.indicators[indicator]
    row: dict[str, Any] = dict.fromkeys(PACE_COLUMNS)
    row.update(indicator=indicator, name=ind.name, region="gusu", unit=ind.unit, departments=list(ind.departments))
    row.update(period="2021-06", status="grey", elapsed=0.5)
    row.update(values)
    return row


def test_a_growth_target_ahead(catalogue: Catalogue) -> None:
    row = pace_row(
        catalogue,
        "revenue",
        value=39.5,
        growth=16.1,
        target_kind="growth_min",
        target_value=5.0,
        gap_pp=11.1,
        status="green",
    )
    before = pace_row(catalogue, "revenue", period="2021-05", value=33.0, growth=19.6)
    assert indicator_sentence(row, catalogue, JUNE, previous=before) == (
        "全区一般公共预算收入39.50亿元，同比增长16.1%，增速比1-5月回落3.5个百分点，高于全年目标（增长5%以上）11.1个百分点。"
    )


def test_a_level_target_behind_is_a_slow_indicator(catalogue: Catalogue) -> None:
    row = pace_row(
        catalogue,
        "new_jobs",
        value=19000.0,
        growth=-23.5,
        target_kind="level_min",
        target_value=50000.0,
        completion=0.38,
        gap_pp=-12.0,
        status="red",
    )
    before = pace_row(catalogue, "new_jobs", period="2021-05", gap_pp=-12.8, growth=-20.0)
    assert indicator_sentence(row, catalogue, JUNE, previous=before) == (
        "全区新增就业岗位19000个，同比下降23.5%，完成全年目标的38.0%，慢于序时进度12.0个百分点，"
        "差距比1-5月收窄0.8个百分点，列为慢进指标（责任单位：区人社局）。"
    )


def test_income_against_gdp_opens_with_its_quarter(catalogue: Catalogue) -> None:
    row = pace_row(
        catalogue,
        "urban_income",
        period="2021-Q2",
        value=35962.0,
        growth=9.2,
        target_kind="growth_above",
        target_reference="gdp",
        gap_pp=-1.5,
        status="red",
    )
    assert indicator_sentence(row, catalogue, JUNE) == (
        "上半年，全区城镇居民人均可支配收入35962元，同比增长9.2%，低于地区生产总值增速1.5个百分点，"
        "列为慢进指标（责任单位：区人社局、区统计局）。"
    )


def test_a_lagged_indicator_is_marked_with_its_months(catalogue: Catalogue) -> None:
    lagged = next(c for c, i in catalogue.indicators.items() if i.lag_months == 1 and i.unit == "亿元")
    row = pace_row(catalogue, lagged, period="2021-05", value=240.88, growth=31.2)
    text = indicator_sentence(row, catalogue, JUNE)
    assert f"{catalogue.indicators[lagged].name}（1-5月数据）240.88亿元" in text


@pytest.mark.parametrize(
    ("gap", "phrase"), [(0.04, "与序时进度持平"), (-0.04, "与序时进度持平"), (0.06, "快于序时进度0.1个百分点")]
)
def test_on_time_within_five_hundredths(catalogue: Catalogue, gap: float, phrase: str) -> None:
    row = pace_row(
        catalogue,
        "new_jobs",
        value=25000.0,
        growth=1.0,
        target_kind="level_min",
        target_value=50000.0,
        completion=0.5,
        gap_pp=gap,
    )
    assert phrase in indicator_sentence(row, catalogue, JUNE)


def test_no_negative_growth_is_ever_written(catalogue: Catalogue) -> None:
    row = pace_row(catalogue, "retail_sales", value=100.0, growth=-3.2)
    text = indicator_sentence(row, catalogue, JUNE)
    assert "下降3.2%" in text
    assert "-" not in text
    assert "−" not in text


def test_an_indicator_without_a_figure_says_so(catalogue: Catalogue) -> None:
    code = next(c for c, i in catalogue.indicators.items() if i.name == "土地出让成交金额")
    assert indicator_sentence(pace_row(catalogue, code), catalogue, JUNE) == (
        "土地出让成交金额本期未报送数据（责任单位：自然资源和规划局姑苏分局）。"
    )
