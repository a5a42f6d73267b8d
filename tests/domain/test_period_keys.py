"""Stored period keys: one integer per period, a year's periods in one key range, order kept per frequency."""

from __future__ import annotations

import pytest

from monitor.domain.period_keys import key_of, key_range, period_of_key, year_ranges
from monitor.domain.periods import Frequency, Period, PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "key"),
    [("2021-06", 2021006), ("2021-12", 2021012), ("2021-Q2", 2021102), ("2020-W53", 2020253), ("2021", 2021301)],
)
def test_each_frequency_has_its_own_key_and_comes_back(text: str, key: int) -> None:
    period = parse_period(text)
    assert key_of(period) == key
    assert period_of_key(key) == period
    assert str(period_of_key(key)) == text


def test_keys_sort_as_the_periods_do_within_a_frequency_and_a_year_is_one_range() -> None:
    for frequency, count in ((Frequency.MONTHLY, 12), (Frequency.QUARTERLY, 4), (Frequency.WEEKLY, 52)):
        periods = [Period(y, frequency, n) for y in (2020, 2021) for n in range(1, count + 1)]
        keys = [key_of(p) for p in periods]
        assert keys == sorted(keys)
        low, high = key_range(2021, 2021)
        assert [p for p, k in zip(periods, keys, strict=True) if low <= k < high] == periods[count:]


def test_consecutive_years_make_one_range_and_gaps_split_them() -> None:
    assert year_ranges([2021, 2019, 2020]) == [(2019000, 2022000)]
    assert year_ranges([2018, 2021, 2020]) == [(2018000, 2019000), (2020000, 2022000)]
    assert year_ranges([]) == []


def test_a_number_that_is_no_key_is_refused_in_chinese() -> None:
    with pytest.raises(PeriodError, match="期别编码"):
        period_of_key(2021501)
    with pytest.raises(PeriodError):
        period_of_key(2021013)  # month 13
