"""Reporting periods: the grammar departments write ("2021年1-5月", "2021Q2", ...), ordering and calendar.

Monthly and quarterly periods of a cumulative measure mean the year-to-date window ending with
that period ("1-5月", "前三季度"), so ``elapsed`` counts periods, as official reports do. Weekly
periods are ISO weeks (``year`` is the ISO year). Pure: no clock, dates are passed in.
"""

from __future__ import annotations

import calendar
import numbers
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import total_ordering

from monitor.errors import PeriodError

__all__ = [
    "Frequency",
    "Period",
    "PeriodError",
    "align",
    "due_date",
    "evaluation_period",
    "from_date",
    "is_before_first",
    "latest_due_period",
    "month",
    "parse_for",
    "parse_period",
    "report_month_for",
    "report_month_with_data",
    "year_periods",
]

MIN_YEAR, MAX_YEAR = 1900, 2100
ACCEPTED = "可写作 2021-05、2021年1-5月、2021Q2、2021年上半年、2021-W23 或 2021"


class Frequency(StrEnum):
    """How often an indicator is reported."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    WEEKLY = "weekly"
    ANNUAL = "annual"


_RANK = {Frequency.WEEKLY: 0, Frequency.MONTHLY: 1, Frequency.QUARTERLY: 2, Frequency.ANNUAL: 3}
_ZH = dict(zip(Frequency, ("月度", "季度", "周度", "年度"), strict=True))
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_QUARTER_LABELS = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}
_LIMITS = {
    Frequency.MONTHLY: (12, "月份须在1-12之间"),
    Frequency.QUARTERLY: (4, "季度须在1-4之间"),
    Frequency.ANNUAL: (1, "年度期别的序号须为1"),
}


def _iso_weeks(year: int) -> int:
    """Number of ISO weeks (52 or 53) of an ISO year: 28 December always lies in its last week."""
    return date(year, 12, 28).isocalendar().week


def _problem(year: int, frequency: Frequency, number: int) -> str | None:
    """Why (year, frequency, number) is not a period, in Chinese, or None when it is one."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"年份须在{MIN_YEAR}-{MAX_YEAR}之间（收到{year}）"
    if frequency is Frequency.WEEKLY:
        weeks = _iso_weeks(year)
        return None if 1 <= number <= weeks else f"{year}年只有第1-{weeks}周（收到第{number}周）"
    limit, rule = _LIMITS[frequency]
    return None if 1 <= number <= limit else f"{rule}（收到{number}）"


@total_ordering
@dataclass(frozen=True)
class Period:
    """One reporting period; ordered by (end date, frequency) so mixed frequencies sort on a timeline."""

    year: int
    frequency: Frequency
    number: int

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "frequency", Frequency(self.frequency))
        except ValueError:
            raise PeriodError(f"未知的频率“{self.frequency}”：须为 monthly、quarterly、weekly 或 annual") from None
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (self.year, self.number)):
            raise PeriodError(f"期别的年份和序号须为整数（收到{self.year!r}、{self.number!r}）")
        problem = _problem(self.year, self.frequency, self.number)
        if problem:
            raise PeriodError(f"{_ZH[self.frequency]}期别无效：{problem}")

    def __str__(self) -> str:
        return {
            Frequency.MONTHLY: f"{self.year}-{self.number:02d}",
            Frequency.QUARTERLY: f"{self.year}-Q{self.number}",
            Frequency.WEEKLY: f"{self.year}-W{self.number:02d}",
            Frequency.ANNUAL: f"{self.year}",
        }[self.frequency]

    def _key(self) -> tuple[date, int]:
        return self.end_date(), _RANK[self.frequency]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    @property
    def periods_per_year(self) -> int:
        """Periods in this period's year (K in the pace maths)."""
        if self.frequency is Frequency.WEEKLY:
            return _iso_weeks(self.year)
        return {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 1}[self.frequency]

    @property
    def elapsed(self) -> float:
        """Share of the year a cumulative figure covers (1-5月 = 5/12): the official time progress."""
        return self.number / self.periods_per_year

    @property
    def end_month(self) -> int:
        """Calendar month in which the period ends; the due-date calendar counts from it."""
        if self.frequency is Frequency.WEEKLY:
            return self.end_date().month
        return {Frequency.MONTHLY: self.number, Frequency.QUARTERLY: 3 * self.number}.get(self.frequency, 12)

    def start_date(self) -> date:
        """First day of the period itself (not of the cumulative window)."""
        if self.frequency is Frequency.WEEKLY:
            return date.fromisocalendar(self.year, self.number, 1)
        months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}[self.frequency]
        return date(self.year, self.end_month - months + 1, 1)

    def end_date(self) -> date:
        """Last day of the period (month end, quarter end, ISO Sunday, 31 December)."""
        if self.frequency is Frequency.WEEKLY:
            return date.fromisocalendar(self.year, self.number, 7)
        return date(self.year, self.end_month, calendar.monthrange(self.year, self.end_month)[1])

    def shift(self, n: int) -> Period:
        """The period n steps later (earlier when negative), crossing year ends."""
        if self.frequency is Frequency.WEEKLY:
            return from_date(self.start_date() + timedelta(weeks=n), Frequency.WEEKLY)
        k = self.periods_per_year
        year, index = divmod(self.year * k + self.number - 1 + n, k)
        return Period(year, self.frequency, index + 1)

    def same_period_last_year(self) -> Period:
        """The comparison period for year-on-year growth; week 53 maps to last year's last week."""
        number = self.number
        if self.frequency is Frequency.WEEKLY:
            number = min(number, _iso_weeks(self.year - 1))
        return Period(self.year - 1, self.frequency, number)

    def label_zh(self, first_month: int = 1) -> str:
        """Cumulative Chinese label as printed in official reports ("2021年1-5月", "2021年前三季度").

        ``first_month`` is accepted for indicators whose first figure is 1-2月; the official label
        of a period does not depend on it (a 1-2月 figure is "1-2月" either way).
        """
        if not 1 <= first_month <= 12:
            raise PeriodError(f"首个月份须在1-12之间（收到{first_month}）")
        if self.frequency is Frequency.MONTHLY:
            return f"{self.year}年1月" if self.number == 1 else f"{self.year}年1-{self.number}月"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year}年{_QUARTER_LABELS[self.number]}"
        if self.frequency is Frequency.WEEKLY:
            return f"{self.year}年第{self.number}周"
        return f"{self.year}年"


# ---------------------------------------------------------------- parsing
_DASH = r"[-‐‑‒–—―−~〜至]"
_NUM = r"([0-9]{1,2}|[一二两三四])"
_Y = r"([0-9]{4})"
_PATTERNS: list[tuple[re.Pattern[str], Frequency]] = [
    (re.compile(rf"{_Y}(?:年(?:全年|度)?)?"), Frequency.ANNUAL),
    (re.compile(rf"{_Y}()[-/.]([0-9]{{1,2}})"), Frequency.MONTHLY),
    (re.compile(rf"{_Y}()([0-9]{{2}})"), Frequency.MONTHLY),
    (re.compile(rf"{_Y}年(?:([0-9]{{1,2}})月?{_DASH})?([0-9]{{1,2}})月份?"), Frequency.MONTHLY),
    (re.compile(rf"{_Y}-?Q()([0-9])"), Frequency.QUARTERLY),
    (re.compile(rf"{_Y}年(?:第?{_NUM}(?:季度)?{_DASH}|前)?第?{_NUM}季度"), Frequency.QUARTERLY),
    (re.compile(rf"{_Y}年上半年()()"), Frequency.QUARTERLY),
    (re.compile(rf"{_Y}-?W()([0-9]{{1,2}})"), Frequency.WEEKLY),
    (re.compile(rf"{_Y}年第?()([0-9]{{1,2}})周"), Frequency.WEEKLY),
]


def _is_missing(value: object) -> bool:
    """None, NaN, NaT and pd.NA, without importing pandas."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pd.NA refuses bool()
        return True
    except ValueError:  # arrays: not missing, just not a period
        return False


def _number(token: str) -> int:
    return _NUMERALS[token] if token in _NUMERALS else int(token)


def parse_period(text: object) -> Period:
    """Read a period as departments write it; raises PeriodError (code "bad_period") naming the text."""
    if _is_missing(text):
        raise PeriodError(f"期别为空：请填写期别，{ACCEPTED}")
    if isinstance(text, date):  # Excel cells often hold a date: the month it falls in
        return Period(text.year, Frequency.MONTHLY, text.month)
    if isinstance(text, bool):
        raise PeriodError(f"无法识别的期别“{text}”。{ACCEPTED}")
    if isinstance(text, numbers.Real) and not isinstance(text, numbers.Integral):
        if not float(text).is_integer():
            raise PeriodError(
                f"无法识别的期别“{text}”：数字须为整数，如 202105 或 2021（Excel 中请把期别列设为文本）。{ACCEPTED}"
            )
        text = int(float(text))
    try:
        raw = str(text)
    except ValueError:  # an int too long to print: certainly not a period
        raw = "（过长的数字）"
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    clean = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).upper()
    if not clean:
        raise PeriodError(f"期别为空：请填写期别，{ACCEPTED}")
    for pattern, frequency in _PATTERNS:
        found = pattern.fullmatch(clean)
        if not found:
            continue
        year, first, last = (*found.groups(), "", "")[:3]
        # no number: annual -> 1; the only quarterly form without one is 上半年 -> Q2
        number = _number(last) if last else (2 if frequency is Frequency.QUARTERLY else 1)
        if first and _number(first) != 1:
            monthly = frequency is Frequency.MONTHLY
            unit, example = ("1月", "2021年1-5月") if monthly else ("一季度", "2021年1-3季度")
            raise PeriodError(f"无法识别的期别“{shown}”：累计期别须从{unit}开始，如 {example}。{ACCEPTED}")
        problem = _problem(int(year), frequency, number)
        if problem:
            raise PeriodError(f"无法识别的期别“{shown}”：{problem}。{ACCEPTED}")
        return Period(int(year), frequency, number)
    raise PeriodError(f"无法识别的期别“{shown}”。{ACCEPTED}")


# ---------------------------------------------------------------- calendar
def month(year: int, number: int) -> Period:
    """Monthly period constructor, for readable code and tests."""
    return Period(year, Frequency.MONTHLY, number)


def from_date(d: date, frequency: Frequency) -> Period:
    """The period of the given frequency that contains day d."""
    frequency = Frequency(frequency)
    if frequency is Frequency.WEEKLY:
        iso = d.isocalendar()
        return Period(iso.year, frequency, iso.week)
    number = {Frequency.MONTHLY: d.month, Frequency.QUARTERLY: (d.month - 1) // 3 + 1}.get(frequency, 1)
    return Period(d.year, frequency, number)


def align(period: Period, frequency: Frequency) -> Period:
    """Express a period in an indicator's frequency (2021-06 -> 2021-Q2); PeriodError when it has no match."""
    frequency = Frequency(frequency)
    if period.frequency is frequency:
        return period
    if Frequency.WEEKLY not in (period.frequency, frequency):
        end = period.end_month
        if frequency is Frequency.MONTHLY:
            return month(period.year, end)
        if frequency is Frequency.QUARTERLY and end % 3 == 0:
            return Period(period.year, frequency, end // 3)
        if frequency is Frequency.ANNUAL and end == 12:
            return Period(period.year, frequency, 1)
        if frequency is Frequency.QUARTERLY:
            raise PeriodError(
                f"期别“{period}”不是季末月份，季度指标请填写3、6、9或12月（如 {period.year}-06）"
                f"或季度（如 {period.year}Q2）"
            )
        raise PeriodError(
            f"期别“{period}”不是全年数据，年度指标请填写 {period.year}、{period.year}-12 或 {period.year}Q4"
        )
    raise PeriodError(
        f"期别“{period}”是{_ZH[period.frequency]}期别，不能用于{_ZH[frequency]}指标；请按指标频率填写期别"
    )


def parse_for(text: object, frequency: Frequency) -> Period:
    """Parse a period and express it in the indicator's frequency."""
    return align(parse_period(text), frequency)


def year_periods(year: int, frequency: Frequency) -> list[Period]:
    """All periods of a year in order (ISO weeks for weekly)."""
    first = Period(year, Frequency(frequency), 1)
    return [Period(year, first.frequency, n) for n in range(1, first.periods_per_year + 1)]


def is_before_first(period: Period, first_month: int) -> bool:
    """True for a monthly figure before the indicator's first figure of the year (January, for 1-2月)."""
    return period.frequency is Frequency.MONTHLY and period.number < first_month


def evaluation_period(report_month: Period, frequency: Frequency, lag_months: int = 0) -> Period:
    """Which period of an indicator a report for month M shows, given the indicator's 错月 lag."""
    if report_month.frequency is not Frequency.MONTHLY:
        raise PeriodError(f"报告月份“{report_month}”须为月度期别，如 {report_month.year}-06")
    frequency = Frequency(frequency)
    if frequency is Frequency.WEEKLY:
        week = from_date(report_month.end_date(), frequency)
        return week if week.end_date() <= report_month.end_date() else week.shift(-1)
    shown = report_month.shift(-lag_months)
    if frequency is Frequency.MONTHLY:
        return shown
    if frequency is Frequency.QUARTERLY:
        quarter = shown.number // 3
        return Period(shown.year, frequency, quarter) if quarter else Period(shown.year - 1, frequency, 4)
    return Period(shown.year if shown.number == 12 else shown.year - 1, frequency, 1)


def due_date(period: Period, lag_months: int, due_day: int) -> date:
    """When a figure is due (for missing-report alerts): day ``due_day`` of month end_month + 1 + lag.

    Weekly figures are due ``due_day`` days after the week's Sunday.
    """
    if lag_months < 0 or due_day < 0 or (due_day == 0 and period.frequency is not Frequency.WEEKLY):
        raise PeriodError(f"报送期限无效（滞后{lag_months}个月、第{due_day}日）：滞后月数须≥0，报送日须≥1")
    if period.frequency is Frequency.WEEKLY:
        return period.end_date() + timedelta(days=due_day)
    year, index = divmod(period.year * 12 + period.end_month + lag_months, 12)
    return date(year, index + 1, min(due_day, calendar.monthrange(year, index + 1)[1]))


def latest_due_period(as_of: date, frequency: Frequency, lag_months: int, due_day: int) -> Period:
    """The latest period that should have been reported by ``as_of`` (its due date is on or before it)."""
    as_of = as_of.date() if isinstance(as_of, datetime) else as_of  # a datetime does not compare with a date
    period = from_date(as_of, frequency)
    while due_date(period, lag_months, due_day) > as_of:
        period = period.shift(-1)
    return period


def report_month_for(as_of: date) -> Period:
    """The month a report written on ``as_of`` covers: the previous calendar month."""
    return from_date(as_of, Frequency.MONTHLY).shift(-1)


def report_month_with_data(as_of: date, newest_end: date | None) -> Period:
    """The report month views open at: the previous month, or the month of the newest figure
    (`newest_end`, the end of its period) while last month's figures have not come in yet:
    departments report in the middle of the month, so early in December the latest 通报 is October's."""
    last = report_month_for(as_of)
    if newest_end is None:
        return last
    newest = from_date(newest_end, Frequency.MONTHLY)
    return newest if newest < last else last
