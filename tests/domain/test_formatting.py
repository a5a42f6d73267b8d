"""Numbers and tables as a person reads them."""

from __future__ import annotations

import math

import pytest

from monitor.formatting import display_width, format_growth, format_pp, format_value, text_table


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        pytest.param(802.0, "亿元", "802.00", id="yi-yuan-two-decimals"),
        pytest.param(3255.6199, "亿元", "3,255.62", id="thousands-separator"),
        pytest.param(58000.0, "个", "58,000", id="count-whole-number"),
        pytest.param(3.0, "家", "3", id="enterprises-whole-number"),
        pytest.param(169524.06, "万元", "169,524.1", id="wan-yuan-one-decimal"),
        pytest.param(15.5, "%", "15.5", id="percent"),
        pytest.param(100.63, "上年同期=100", "100.6", id="index"),
        pytest.param(15.813, "元/500克", "15.81", id="price"),
        pytest.param(35962.0, "元", "35,962", id="per-capita-income-in-whole-yuan"),
        pytest.param(None, "亿元", "—", id="none-is-a-dash"),
        pytest.param(math.nan, "亿元", "—", id="nan-is-a-dash"),
    ],
)
def test_format_value(value: float | None, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_growth_and_gap_formats() -> None:
    assert format_growth(10.66) == "10.7%"
    assert format_growth(-3.21) == "-3.2%"
    assert format_growth(None) == "—"
    assert format_pp(-4.545) == "-4.5"
    assert format_pp(0.04) == "+0.0"


def test_table_aligns_chinese_text_by_display_width() -> None:
    table = text_table(["指标", "数值"], [["地区生产总值", "802.00"], ["GDP", "1.00"]], [False, True])
    lines = table.splitlines()
    assert len({display_width(line) for line in lines[2:]}) == 1  # right-aligned numbers end together
    assert lines[2].endswith("802.00")
    assert lines[3].endswith("  1.00")


def test_table_accepts_fewer_numeric_flags_than_columns() -> None:
    assert "x" in text_table(["a", "b", "c"], [["x", "1", "2"]], [True])
