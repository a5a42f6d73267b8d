"""parse_numbers reads a column of plain numbers (numpy's one-pass path) exactly as pandas' to_numeric would."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from monitor.domain.validation import parse_numbers


def _expected(cells: list[str]) -> np.ndarray:
    return np.asarray(pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce"), dtype=float)


@pytest.mark.parametrize(
    "cells",
    [
        ["12", " 12", "12 ", "1e5", "+5", ".5", "5.", "00012", "1.5e-3", "1234567.891"],
        ["0", "-0", "0.0", "-0.0", "3"],  # the sign of a zero as to_numeric reads it
    ],
)
def test_plain_number_columns_read_as_to_numeric_reads_them(cells: list[str]) -> None:
    numbers = parse_numbers(pd.Series(cells, dtype=object))
    expected = _expected(cells)
    assert numbers.values.tolist() == expected.tolist()
    assert [math.copysign(1.0, v) for v in numbers.values] == [math.copysign(1.0, v) for v in expected]
    assert not numbers.bad.any()
    assert not numbers.blank.any()


def test_underscores_and_full_width_digits_go_the_general_path_not_pythons_float() -> None:
    numbers = parse_numbers(pd.Series(["1_000", "１２", "5"], dtype=object))
    assert numbers.bad.tolist() == [True, False, False]  # 1_000 is no number; full-width 12 is normalised
    assert np.isnan(numbers.values[0])
    assert numbers.values[1:].tolist() == [12.0, 5.0]
    ascii_only = parse_numbers(pd.Series(["1_000", "5"], dtype=object))  # numpy alone would read 1000
    assert ascii_only.bad.tolist() == [True, False]
    assert np.isnan(ascii_only.values[0])


def test_a_column_with_blanks_commas_and_percents_takes_the_general_path() -> None:
    numbers = parse_numbers(pd.Series(["1,234.5", "", "6.5%", "abc", "inf", "7"], dtype=object))
    assert numbers.values[0] == 1234.5
    assert numbers.values[2] == 6.5
    assert numbers.values[5] == 7.0
    assert numbers.blank.tolist() == [False, True, False, False, False, False]
    assert numbers.bad.tolist() == [False, False, False, True, True, False]
    assert numbers.percent[2]
