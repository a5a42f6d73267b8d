"""Specification of the period grammar and the reporting calendar."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.domain.periods import (
    Frequency,
    Period,
    align,
    due_date,
    evaluation_period,
    from_date,
    is_before_first,
    latest_due_period,
    month,
    parse_for,
    parse_period,
    report_month_for,
    report_month_with_data,
    year_periods,
)
from monitor.errors import PeriodError

M, Q, W, A = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.WEEKLY, Frequency.ANNUAL


def q(year: int, number: int) -> Period:
    return Period(year, Q, number)


def w(year: int, number: int) -> Period:
    return Period(year, W, number)


def a(year: int) -> Period:
    return Period(year, A, 1)


# ---------------------------------------------------------------- grammar
GRAMMAR = [
    # monthly
    ("2021-05", "2021-05"),
    ("2021-5", "2021-05"),
    ("2021/05", "2021-05"),
    ("2021.05", "2021-05"),
    ("202105", "2021-05"),
    ("2021年5月", "2021-05"),
    ("2021年05月", "2021-05"),
    ("2021年1-5月", "2021-05"),
    ("2021年1—5月", "2021-05"),
    ("2021年1–5月", "2021-05"),
    ("2021年1~5月", "2021-05"),
    ("2021年1～5月", "2021-05"),
    ("2021年1至5月", "2021-05"),
    ("2021年1月-5月", "2021-05"),
    ("2021年1-2月", "2021-02"),
    ("2021年1月", "2021-01"),
    ("2021-12", "2021-12"),
    ("２０２１年１－５月", "2021-05"),
    (" 2021 年 1-5 月 ", "2021-05"),
    # quarterly
    ("2021Q2", "2021-Q2"),
    ("2021-Q2", "2021-Q2"),
    ("2021q2", "2021-Q2"),
    ("2021 Q2", "2021-Q2"),
    ("２０２１Ｑ２", "2021-Q2"),
    ("2021年二季度", "2021-Q2"),
    ("2021年第二季度", "2021-Q2"),
    ("2021年2季度", "2021-Q2"),
    ("2021年第2季度", "2021-Q2"),
    ("2021年一季度", "2021-Q1"),
    ("2021年1季度", "2021-Q1"),
    ("2021年上半年", "2021-Q2"),
    ("2021年前三季度", "2021-Q3"),
    ("2021年1-3季度", "2021-Q3"),
    ("2021年四季度", "2021-Q4"),
    # weekly
    ("2021-W23", "2021-W23"),
    ("2021W23", "2021-W23"),
    ("2021-w3", "2021-W03"),
    ("2021年第23周", "2021-W23"),
    ("2021年23周", "2021-W23"),
    ("2020-W53", "2020-W53"),
    # annual
    ("2021", "2021"),
    ("2021年", "2021"),
    ("2021年全年", "2021"),
    ("2021年度", "2021"),
]


@pytest.mark.parametrize(("text", "canonical"), GRAMMAR, ids=[t for t, _ in GRAMMAR])
def test_grammar_reads_every_accepted_form(text: str, canonical: str) -> None:
    assert str(parse_period(text)) == canonical


CELLS = [
    (202105, "2021-05"),
    (2021, "2021"),
    (202105.0, "2021-05"),
    (2021.0, "2021"),
    (dt.date(2021, 5, 31), "2021-05"),
    (dt.datetime(2021, 5, 1, 8, 30), "2021-05"),
    (pd.Timestamp("2021-06-30"), "2021-06"),
]


@pytest.mark.parametrize(("cell", "canonical"), CELLS, ids=[repr(c) for c, _ in CELLS])
def test_spreadsheet_cells_read_as_periods(cell: object, canonical: str) -> None:
    assert str(parse_period(cell)) == canonical


ERRORS = [
    ("2021年13月", "月份须在1-12之间"),
    ("2021年3-5月", "累计期别须从1月开始"),
    ("2021-00", "月份须在1-12之间"),
    ("abc", "可写作"),
    ("", "期别为空"),
    (None, "期别为空"),
    (math.nan, "期别为空"),
    (pd.NA, "期别为空"),
    (pd.NaT, "期别为空"),
    ("2021-W54", "只有第1-52周"),
    ("2021-W53", "只有第1-52周"),
    ("1800", "年份须在1900-2100"),
    ("2021Q5", "季度须在1-4之间"),
    ("2021年2-3季度", "须从一季度开始"),
    ("2021年下半年", "可写作"),
    (2021.5, "须为整数"),
    (True, "可写作"),
    ("2021-05-01", "可写作"),
]


@pytest.mark.parametrize(("text", "fragment"), ERRORS, ids=[repr(t) for t, _ in ERRORS])
def test_bad_periods_raise_a_chinese_message_naming_the_text(text: object, fragment: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert caught.value.code == "bad_period"
    assert fragment in str(caught.value)
    if isinstance(text, str) and text:
        assert f"“{text}”" in str(caught.value)


@pytest.mark.parametrize(("year", "frequency", "number"), [(2021, M, 0), (2021, Q, 5), (2021, A, 2), (1899, A, 1)])
def test_constructor_rejects_impossible_periods(year: int, frequency: Frequency, number: int) -> None:
    with pytest.raises(PeriodError):
        Period(year, frequency, number)


def test_frequency_given_as_text_is_coerced() -> None:
    assert Period(2021, "monthly", 5) == month(2021, 5)  # type: ignore[arg-type]


# ---------------------------------------------------------------- calendar facts
def test_mixed_frequencies_sort_on_one_timeline() -> None:
    shuffled = [a(2021), q(2021, 3), month(2021, 6), month(2021, 5), w(2021, 1), month(2020, 12), q(2021, 2)]
    assert sorted(shuffled) == [
        month(2020, 12),
        w(2021, 1),
        month(2021, 5),
        month(2021, 6),
        q(2021, 2),
        q(2021, 3),
        a(2021),
    ]
    assert month(2021, 5) < month(2021, 6) < q(2021, 3)
    assert max(month(2021, 12), q(2021, 4), a(2021)) == a(2021)


ELAPSED = [
    ("2021年1-5月", 5 / 12),
    ("2021年1-2月", 2 / 12),
    ("2021年前三季度", 0.75),
    ("2021年上半年", 0.5),
    ("2021", 1.0),
    ("2021-W26", 26 / 52),
    ("2020-W53", 1.0),
]


@pytest.mark.parametrize(("text", "expected"), ELAPSED, ids=[t for t, _ in ELAPSED])
def test_elapsed_counts_periods_like_official_reports(text: str, expected: float) -> None:
    assert parse_period(text).elapsed == pytest.approx(expected)


LABELS = [
    (month(2021, 5), "2021年1-5月"),
    (month(2021, 2), "2021年1-2月"),
    (month(2021, 1), "2021年1月"),
    (q(2021, 1), "2021年一季度"),
    (q(2021, 2), "2021年上半年"),
    (q(2021, 3), "2021年前三季度"),
    (q(2021, 4), "2021年全年"),
    (w(2021, 23), "2021年第23周"),
    (a(2021), "2021年"),
]


@pytest.mark.parametrize(("period", "label"), LABELS, ids=[lbl for _, lbl in LABELS])
def test_label_zh_is_the_cumulative_official_label(period: Period, label: str) -> None:
    assert period.label_zh() == label


def test_label_of_first_figure_for_a_jan_feb_indicator() -> None:
    assert month(2021, 2).label_zh(first_month=2) == "2021年1-2月"


BOUNDS = [
    (month(2021, 2), dt.date(2021, 2, 1), dt.date(2021, 2, 28), 2),
    (month(2020, 2), dt.date(2020, 2, 1), dt.date(2020, 2, 29), 2),
    (q(2021, 3), dt.date(2021, 7, 1), dt.date(2021, 9, 30), 9),
    (w(2021, 1), dt.date(2021, 1, 4), dt.date(2021, 1, 10), 1),
    (w(2020, 53), dt.date(2020, 12, 28), dt.date(2021, 1, 3), 1),
    (a(2021), dt.date(2021, 1, 1), dt.date(2021, 12, 31), 12),
]


@pytest.mark.parametrize(("period", "start", "end", "end_month"), BOUNDS, ids=[str(b[0]) for b in BOUNDS])
def test_start_end_and_end_month(period: Period, start: dt.date, end: dt.date, end_month: int) -> None:
    assert (period.start_date(), period.end_date(), period.end_month) == (start, end, end_month)


SHIFTS = [
    (month(2021, 11), 2, month(2022, 1)),
    (month(2021, 1), -1, month(2020, 12)),
    (q(2021, 1), -1, q(2020, 4)),
    (w(2020, 53), 1, w(2021, 1)),
    (w(2021, 1), -1, w(2020, 53)),
    (a(2021), -3, a(2018)),
]


@pytest.mark.parametrize(("period", "n", "expected"), SHIFTS, ids=[f"{p}{n:+d}" for p, n, _ in SHIFTS])
def test_shift_crosses_years(period: Period, n: int, expected: Period) -> None:
    assert period.shift(n) == expected


def test_same_period_last_year_clamps_week_53() -> None:
    assert w(2020, 53).same_period_last_year() == w(2019, 52)
    assert month(2021, 5).same_period_last_year() == month(2020, 5)
    assert q(2021, 3).same_period_last_year() == q(2020, 3)


def test_periods_per_year() -> None:
    assert [month(2021, 1).periods_per_year, q(2021, 1).periods_per_year, a(2021).periods_per_year] == [
        12,
        4,
        1,
    ]
    assert (w(2020, 1).periods_per_year, w(2021, 1).periods_per_year) == (53, 52)


def test_year_periods() -> None:
    assert [str(p) for p in year_periods(2021, Q)] == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert len(year_periods(2021, M)) == 12
    assert len(year_periods(2020, W)) == 53
    assert year_periods(2021, A) == [a(2021)]


FROM_DATE = [
    (dt.date(2021, 5, 17), M, month(2021, 5)),
    (dt.date(2021, 5, 17), Q, q(2021, 2)),
    (dt.date(2021, 1, 2), W, w(2020, 53)),
    (dt.date(2021, 5, 17), A, a(2021)),
]


@pytest.mark.parametrize(("day", "frequency", "expected"), FROM_DATE, ids=[str(e) for _, _, e in FROM_DATE])
def test_from_date_finds_the_containing_period(day: dt.date, frequency: Frequency, expected: Period) -> None:
    assert from_date(day, frequency) == expected


# ---------------------------------------------------------------- align
ALIGN = [
    (month(2021, 6), Q, q(2021, 2)),
    (q(2021, 2), M, month(2021, 6)),
    (a(2021), M, month(2021, 12)),
    (a(2021), Q, q(2021, 4)),
    (a(2021), A, a(2021)),
    (month(2021, 12), A, a(2021)),
    (q(2021, 4), A, a(2021)),
    (w(2021, 5), W, w(2021, 5)),
    (month(2021, 5), M, month(2021, 5)),
]


@pytest.mark.parametrize(("period", "frequency", "expected"), ALIGN, ids=[f"{p}->{f}" for p, f, _ in ALIGN])
def test_align_expresses_a_period_in_the_indicator_frequency(
    period: Period, frequency: Frequency, expected: Period
) -> None:
    assert align(period, frequency) == expected


ALIGN_ERRORS = [
    (month(2021, 5), Q, "不是季末月份"),
    (month(2021, 11), A, "不是全年数据"),
    (q(2021, 3), A, "不是全年数据"),
    (w(2021, 5), M, "不能用于月度指标"),
    (month(2021, 5), W, "不能用于周度指标"),
    (a(2021), W, "周度"),
]


@pytest.mark.parametrize(
    ("period", "frequency", "fragment"), ALIGN_ERRORS, ids=[f"{p}->{f}" for p, f, _ in ALIGN_ERRORS]
)
def test_align_refuses_periods_without_a_match(period: Period, frequency: Frequency, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment) as caught:
        align(period, frequency)
    assert f"“{period}”" in str(caught.value)


def test_parse_for_reads_and_aligns() -> None:
    assert parse_for("2021年1-6月", Q) == q(2021, 2)
    assert parse_for("2021年上半年", M) == month(2021, 6)
    with pytest.raises(PeriodError):
        parse_for("2021年1-5月", Q)


# ---------------------------------------------------------------- reporting calendar
EVALUATION = [
    (month(2021, 6), M, 0, month(2021, 6)),
    (month(2021, 6), M, 1, month(2021, 5)),
    (month(2021, 1), M, 1, month(2020, 12)),
    (month(2021, 5), Q, 0, q(2021, 1)),
    (month(2021, 6), Q, 0, q(2021, 2)),
    (month(2021, 2), Q, 0, q(2020, 4)),
    (month(2021, 7), Q, 1, q(2021, 2)),
    (month(2021, 5), W, 0, w(2021, 21)),
    (month(2021, 5), W, 3, w(2021, 21)),
    (month(2021, 1), W, 0, w(2021, 4)),
    (month(2021, 12), A, 0, a(2021)),
    (month(2021, 11), A, 0, a(2020)),
    (month(2022, 1), A, 1, a(2021)),
]


@pytest.mark.parametrize(
    ("report", "frequency", "lag", "expected"),
    EVALUATION,
    ids=[f"{r}-{f}-lag{n}" for r, f, n, _ in EVALUATION],
)
def test_evaluation_period_of_a_monthly_report(
    report: Period, frequency: Frequency, lag: int, expected: Period
) -> None:
    assert evaluation_period(report, frequency, lag) == expected


def test_evaluation_period_needs_a_monthly_report() -> None:
    with pytest.raises(PeriodError, match="须为月度期别"):
        evaluation_period(q(2021, 2), M)


DUE = [
    (month(2021, 5), 0, 18, dt.date(2021, 6, 18)),
    (month(2021, 5), 1, 18, dt.date(2021, 7, 18)),
    (month(2021, 12), 0, 18, dt.date(2022, 1, 18)),
    (month(2021, 12), 1, 18, dt.date(2022, 2, 18)),
    (month(2021, 1), 0, 31, dt.date(2021, 2, 28)),
    (month(2020, 1), 0, 31, dt.date(2020, 2, 29)),
    (q(2021, 2), 0, 18, dt.date(2021, 7, 18)),
    (a(2021), 0, 18, dt.date(2022, 1, 18)),
    (w(2021, 23), 0, 3, dt.date(2021, 6, 16)),
]


@pytest.mark.parametrize(("period", "lag", "day", "expected"), DUE, ids=[f"{p}-lag{n}-day{d}" for p, n, d, _ in DUE])
def test_due_date(period: Period, lag: int, day: int, expected: dt.date) -> None:
    assert due_date(period, lag, day) == expected


def test_due_date_rejects_negative_lag() -> None:
    with pytest.raises(PeriodError):
        due_date(month(2021, 5), -1, 18)


LATEST = [
    (dt.date(2021, 7, 20), M, 0, 18, month(2021, 6)),
    (dt.date(2021, 7, 20), M, 1, 18, month(2021, 5)),
    (dt.date(2021, 7, 17), M, 0, 18, month(2021, 5)),
    (dt.date(2021, 7, 18), M, 0, 18, month(2021, 6)),
    (dt.date(2021, 1, 20), M, 0, 18, month(2020, 12)),
    (dt.date(2021, 7, 20), Q, 0, 18, q(2021, 2)),
    (dt.date(2021, 7, 17), Q, 0, 18, q(2021, 1)),
    (dt.date(2021, 6, 16), W, 0, 3, w(2021, 23)),
    (dt.date(2021, 6, 15), W, 0, 3, w(2021, 22)),
    (dt.date(2022, 1, 18), A, 0, 18, a(2021)),
]


@pytest.mark.parametrize(
    ("as_of", "frequency", "lag", "day", "expected"),
    LATEST,
    ids=[f"{d}-{f}-lag{n}" for d, f, n, _, _ in LATEST],
)
def test_latest_due_period(as_of: dt.date, frequency: Frequency, lag: int, day: int, expected: Period) -> None:
    assert latest_due_period(as_of, frequency, lag, day) == expected


def test_latest_due_period_accepts_timestamps() -> None:
    assert latest_due_period(pd.Timestamp("2021-07-20 09:00"), M, 0, 18) == month(2021, 6)
    assert latest_due_period(dt.datetime(2021, 7, 18, 23, 59), M, 0, 18) == month(2021, 6)


def test_report_month_for() -> None:
    assert report_month_for(dt.date(2021, 7, 20)) == month(2021, 6)
    assert report_month_for(dt.date(2021, 1, 5)) == month(2020, 12)


def test_is_before_first() -> None:
    assert is_before_first(month(2021, 1), 2)
    assert not is_before_first(month(2021, 2), 2)
    assert not is_before_first(month(2021, 1), 1)
    assert not any(is_before_first(p, 3) for p in (q(2021, 1), a(2021), w(2021, 1)))


# ---------------------------------------------------------------- properties
years = st.integers(1950, 2050)  # room to shift 30 periods either way
periods = st.one_of(
    st.builds(month, years, st.integers(1, 12)),
    st.builds(q, years, st.integers(1, 4)),
    st.builds(lambda y, n: w(y, min(n, Period(y, W, 1).periods_per_year)), years, st.integers(1, 53)),
    st.builds(a, years),
)


@given(periods)
def test_str_round_trips(period: Period) -> None:
    assert parse_period(str(period)) == period


@given(periods, st.integers(-30, 30))
def test_shift_is_invertible_and_moves_forward(period: Period, n: int) -> None:
    assert period.shift(n).shift(-n) == period
    assert period.shift(1) > period


@given(periods, periods)
def test_ordering_follows_end_date(left: Period, right: Period) -> None:
    if left.end_date() < right.end_date():
        assert left < right
    assert (left == right) == (left <= right <= left)


@given(periods)
def test_elapsed_is_a_share_of_the_year(period: Period) -> None:
    assert 0 < period.elapsed <= 1


@given(st.text(max_size=20))
def test_arbitrary_text_raises_only_period_error(text: str) -> None:
    try:
        parse_period(text)
    except PeriodError as error:
        assert error.code == "bad_period"  # noqa: PT017 - any text: parsed, or refused with this code


@given(st.builds(month, years, st.integers(1, 12)))
def test_monthly_label_parses_back(period: Period) -> None:
    assert parse_period(period.label_zh()) == period


@given(periods)
def test_every_label_parses_back_in_its_frequency(period: Period) -> None:
    assert parse_for(period.label_zh(), period.frequency) == period


@given(years, st.sampled_from([3, 6, 9, 12]))
def test_quarter_end_months_align_both_ways(year: int, number: int) -> None:
    assert align(align(month(year, number), Q), M) == month(year, number)


@pytest.mark.parametrize(
    ("as_of", "newest_end", "expected"),
    [
        pytest.param(dt.date(2021, 7, 20), dt.date(2021, 6, 30), month(2021, 6), id="last-months-figures-are-in"),
        pytest.param(dt.date(2021, 8, 5), dt.date(2021, 6, 30), month(2021, 6), id="july-not-reported-yet"),
        pytest.param(dt.date(2026, 12, 2), dt.date(2021, 6, 30), month(2021, 6), id="only-old-figures"),
        pytest.param(dt.date(2021, 5, 20), dt.date(2021, 3, 31), month(2021, 3), id="a-quarter-ends-in-its-last-month"),
        pytest.param(dt.date(2021, 7, 20), None, month(2021, 6), id="no-figures-last-month"),
    ],
)
def test_views_open_at_the_newest_month_with_figures_at_most_last_month(
    as_of: dt.date, newest_end: dt.date | None, expected: Period
) -> None:
    assert report_month_with_data(as_of, newest_end) == expected
