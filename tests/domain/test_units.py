"""Specification of the unit table: strict, family-bound conversion."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from monitor.domain.units import KNOWN_UNITS, convert, factor, family, is_known, normalise_unit
from monitor.errors import UnitError

CONVERSIONS = [
    (12345, "万元", "亿元", 1.2345),
    (1.2345, "亿元", "万元", 12345.0),
    (3, "亿元", "元", 3e8),
    (250000, "元", "万元", 25.0),
    (5.2, "万个", "个", 52000.0),
    (12.5, "万人", "人", 125000.0),
    (30000, "平方米", "万平方米", 3.0),
    (1.5, "亿千瓦时", "万千瓦时", 15000.0),
    (2345, "万美元", "亿美元", 0.2345),
    (7, "万吨公里", "吨公里", 70000.0),
    (8, "万人公里", "人公里", 80000.0),
    (6.5, "%", "%", 6.5),
    (103.2, "上年同期=100", "上年同期=100", 103.2),
    (2.35, "元/500克", "元/500克", 2.35),
    (18, "家", "家", 18.0),
]


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"), CONVERSIONS, ids=[f"{s}->{t}" for _, s, t, _ in CONVERSIONS]
)
def test_convert_within_a_family_is_exact(value: float, source: str, target: str, expected: float) -> None:
    assert convert(value, source, target) == expected


FACTORS = [("万元", "亿元", 1e-4), ("亿元", "万元", 1e4), ("元", "元", 1.0), ("亿千瓦时", "千瓦时", 1e8)]


@pytest.mark.parametrize(("source", "target", "expected"), FACTORS, ids=[f"{s}->{t}" for s, t, _ in FACTORS])
def test_factor(source: str, target: str, expected: float) -> None:
    assert factor(source, target) == expected


MISMATCHES = [
    ("万美元", "亿元", "单位“万美元”不能换算为“亿元”"),
    ("万人", "万个", "单位“万人”不能换算为“万个”"),
    ("家", "个", "单位“家”不能换算为“个”"),
    ("%", "上年同期=100", "不能换算"),
    ("亿", "亿元", "无法识别的单位“亿”"),
    ("万元", "吨", "无法识别的单位“吨”"),
]


@pytest.mark.parametrize(("source", "target", "message"), MISMATCHES, ids=[f"{s}->{t}" for s, t, _ in MISMATCHES])
def test_incompatible_units_raise_a_chinese_message(source: str, target: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        convert(1.0, source, target)
    assert message in str(caught.value)
    assert caught.value.code == "unit_mismatch"
    with pytest.raises(UnitError):
        factor(source, target)


def test_series_and_arrays_keep_their_kind() -> None:
    series = pd.Series([12345.0, math.nan, 100.0], index=["a", "b", "c"], name="value")
    converted = convert(series, "万元", "亿元")
    assert isinstance(converted, pd.Series)
    assert list(converted.index) == ["a", "b", "c"]
    assert converted.name == "value"
    assert converted["a"] == 1.2345
    assert math.isnan(converted["b"])
    assert converted["c"] == 0.01
    array = convert(np.array([1.0, 2.5]), "亿元", "万元")
    assert isinstance(array, np.ndarray)
    assert array.tolist() == [10000.0, 25000.0]


def test_none_stays_none_but_units_are_still_checked() -> None:
    assert convert(None, "万元", "亿元") is None
    with pytest.raises(UnitError):
        convert(None, "万元", "万人")


NORMALISED = [
    (" 万元 ", "万元"),
    ("万 元", "万元"),
    ("％", "%"),
    ("上年同期＝100", "上年同期=100"),
    ("元／５００克", "元/500克"),
    ("亿", "亿"),
    ("", None),
    ("  ", None),
    (None, None),
    (math.nan, None),
    (pd.NA, None),
]


@pytest.mark.parametrize(("text", "expected"), NORMALISED, ids=[repr(t) for t, _ in NORMALISED])
def test_normalise_unit_only_removes_width_and_spacing(text: object, expected: str | None) -> None:
    assert normalise_unit(text) == expected


def test_known_units_and_families() -> None:
    assert {"元", "万元", "亿元", "万美元", "%", "上年同期=100", "元/500克"} <= KNOWN_UNITS
    assert is_known("万元")
    assert is_known(" ％ ")
    assert not is_known("亿")
    assert not is_known("")
    assert family("亿元") == "currency"
    assert family("万美元") == "usd"
    assert family("家") == "enterprises"
    assert family("万 元") == "currency"
    with pytest.raises(UnitError, match="单位为空"):
        family("  ")
