"""Periods as small integers, the way observations are stored: ``year * 1000 + kind * 100 + number``.

The kinds are monthly 0 (2021-06 → 2021006), quarterly 1 (2021-Q2 → 2021102), weekly 2
(2021-W05 → 2021205) and annual 3 (2021 → 2021301). A key's year is ``key // 1000``, so a year's
periods are one key range; within one frequency keys sort as the periods do. Keys of different
frequencies do not sort on a timeline (an indicator has one frequency; ``Period`` orders mixed ones).
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.domain.periods import Frequency, Period, PeriodError

__all__ = ["KIND_OF", "key_of", "key_range", "period_of_key", "year_ranges"]

KIND_OF = {Frequency.MONTHLY: 0, Frequency.QUARTERLY: 1, Frequency.WEEKLY: 2, Frequency.ANNUAL: 3}
_FREQUENCY_OF = {kind: frequency for frequency, kind in KIND_OF.items()}


def key_of(period: Period) -> int:
    """The stored key of a period."""
    return period.year * 1000 + KIND_OF[period.frequency] * 100 + period.number


def period_of_key(key: int) -> Period:
    """The period a stored key stands for; PeriodError for a number that is no key."""
    year, rest = divmod(int(key), 1000)
    kind, number = divmod(rest, 100)
    if kind not in _FREQUENCY_OF:
        raise PeriodError(f"存储的期别编码 {key} 无效")
    return Period(year, _FREQUENCY_OF[kind], number)


def key_range(first_year: int, last_year: int) -> tuple[int, int]:
    """Keys of every period in the years first..last, as a half-open range [low, high)."""
    return first_year * 1000, (last_year + 1) * 1000


def year_ranges(years: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of consecutive years as key ranges: [2019, 2020, 2022] → two ranges (an index range scan each)."""
    runs: list[tuple[int, int]] = []
    for year in sorted({int(y) for y in years}):
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return [key_range(a, b) for a, b in runs]
