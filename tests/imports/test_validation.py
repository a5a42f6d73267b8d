"""Validation lists every problem of a table at once and converts what is acceptable. Pure: no database."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitor.domain.catalogue import Catalogue
from monitor.domain.validation import Checked, RawTable, check_table, figure_warnings, parse_numbers

TODAY = date(2021, 7, 20)
FIELDS = ("indicator", "region", "period", "value", "unit", "yoy", "note")


def table(
    *rows: tuple,
    headers: dict[str, str] | None = None,
    fields: tuple[str, ...] = FIELDS,
    layout: str = "long",
    value_unit: str | None = None,
) -> RawTable:
    """Plain factory: rows of text in `fields` order, numbered from spreadsheet row 2."""
    frame = pd.DataFrame([dict(zip(fields, r, strict=True)) for r in rows], columns=list(fields)).fillna("")
    frame.insert(0, "row", range(2, len(rows) + 2))
    return RawTable(frame, headers or {}, layout, value_unit)


def check(catalogue: Catalogue, *rows: tuple, department: str | None = None, **kw: object) -> Checked:
    return check_table(table(*rows, **kw), catalogue, today=TODAY, department=department)  # type: ignore[arg-type]


def codes(checked: Checked) -> list[tuple[int | None, str]]:
    return [
        (None if pd.isna(r) else int(r), c) for r, c in zip(checked.issues["row"], checked.issues["code"], strict=True)
    ]


@pytest.mark.parametrize(
    ("row", "code"),
    [
        pytest.param(("revenu", "", "2021-05", "33", "", "", ""), "unknown_indicator", id="unknown-indicator"),
        pytest.param(("", "", "2021-05", "33", "", "", ""), "unknown_indicator", id="blank-indicator"),
        pytest.param(("revenue", "火星区", "2021-05", "33", "", "", ""), "unknown_region", id="unknown-region"),
        pytest.param(("revenue", "", "2021年13月", "33", "", "", ""), "bad_period", id="month-13"),
        pytest.param(("revenue", "", "上个月", "33", "", "", ""), "bad_period", id="period-text"),
        pytest.param(("revenue", "", "", "33", "", "", ""), "bad_period", id="blank-period"),
        pytest.param(("gdp", "", "2021-05", "33", "", "", ""), "bad_period", id="not-a-quarter-end"),
        pytest.param(("revenue", "", "2021-08", "33", "", "", ""), "future_period", id="future"),
        pytest.param(("fai", "", "2021-01", "9", "", "", ""), "before_first_period", id="january-of-1-2月"),
        pytest.param(("revenue", "", "2021-05", "abc", "", "", ""), "bad_number", id="text"),
        pytest.param(("revenue", "", "2021-05", "NaN", "", "", ""), "bad_number", id="nan"),
        pytest.param(("revenue", "", "2021-05", "inf", "", "", ""), "bad_number", id="inf"),
        pytest.param(("revenue", "", "2021-05", "1e308", "", "", ""), "bad_number", id="1e308"),
        pytest.param(("revenue", "", "2021-05", "33", "", "6.5%%", ""), "bad_number", id="double-percent"),
        pytest.param(("revenue", "", "2021-05", "33%", "", "", ""), "bad_number", id="percent-in-an-amount"),
        pytest.param(("revenue", "", "2021-05", "=SUM(A1:A3)", "", "", ""), "bad_number", id="uncalculated-formula"),
        pytest.param(("revenue", "", "2021-05", "-33", "", "", ""), "negative_not_allowed", id="negative-amount"),
        pytest.param(("revenue", "", "2021-05", "33", "万美元", "", ""), "unit_mismatch", id="other-currency"),
        pytest.param(("revenue", "", "2021-05", "33", "亿", "", ""), "unit_mismatch", id="unknown-unit"),
        pytest.param(
            ("revenue", "", "2021-05", "33", "", "", '=HYPERLINK("http://x","y")'),
            "formula_not_allowed",
            id="formula-note",
        ),
        pytest.param(("industrial_va", "", "2021-05", "12", "", "15", ""), "bad_number", id="rate-with-two-growths"),
    ],
)
def test_each_hard_error_has_its_code(catalogue: Catalogue, row: tuple, code: str) -> None:
    checked = check(catalogue, row)
    assert codes(checked) == [(2, code)]
    message = checked.issues["message"].iloc[0]
    assert "请" in message  # says what is wrong and what to do
    assert checked.figures.empty


def test_every_problem_is_listed_not_just_the_first(catalogue: Catalogue) -> None:
    checked = check(
        catalogue,
        ("revenue", "", "2021-05", "33.1", "", "14", ""),
        ("nonsense", "", "2021-05", "1", "", "", ""),
        ("revenue", "", "2021-99", "x", "美元", "", ""),
        ("gdp", "nowhere", "2022-Q1", "-5", "", "", ""),
    )
    assert codes(checked) == [
        (3, "unknown_indicator"),
        (4, "bad_period"),
        (4, "unit_mismatch"),
        (4, "bad_number"),
        (5, "unknown_region"),
        (5, "future_period"),
        (5, "negative_not_allowed"),
    ]
    assert checked.has_errors


def test_row_column_and_value_locate_the_cell(catalogue: Catalogue) -> None:
    checked = check(catalogue, ("revenue", "", "2021-05", "12,3x", "", "", ""), headers={"value": "本期值"})
    issue = checked.issues.iloc[0]
    assert (issue["row"], issue["column"], issue["value"]) == (2, "本期值", "12,3x")
    assert "12,3x" in issue["message"]


def test_department_may_only_send_its_own_indicators(catalogue: Catalogue) -> None:
    rows = [
        ("revenue", "", "2021-05", "33", "", "", ""),
        ("gdp", "", "2021-Q1", "180", "", "", ""),
        ("fai", "", "2021-05", "95", "", "", ""),
    ]
    assert codes(check(catalogue, *rows, department="finance")) == [(3, "not_responsible"), (4, "not_responsible")]
    assert codes(check(catalogue, *rows[2:], department="stats")) == []  # a co-department may send it
    assert codes(check(catalogue, *rows)) == []  # no department given: not checked
    message = check(catalogue, rows[1], department="finance").issues["message"].iloc[0]
    assert "区财政局" in message
    assert "区统计局" in message


@pytest.mark.parametrize(
    ("row", "value", "yoy"),
    [
        pytest.param(("revenue", "", "2021年1-5月", "335,600", "万元", "17.8%", ""), 33.56, 17.8, id="万元-to-亿元"),
        pytest.param(("revenue", "", "2021-05", "１２３４．５", "", "６．５", ""), 1234.5, 6.5, id="full-width-digits"),
        pytest.param(("revenue", "", "2021-05", " 33.1 ", "亿元", " -9.5% ", ""), 33.1, -9.5, id="spaces-and-a-cut"),
        pytest.param(("revenue", "", "2021-05", "33.1", "", "—", ""), 33.1, None, id="dash-is-no-growth"),
        pytest.param(("revenue", "", "2021-05", "-", "", "6.5", ""), None, 6.5, id="growth-only"),
        pytest.param(("catering_above", "", "2021-05", "1.412", "亿元", "", ""), 14120.0, None, id="亿元-to-万元"),
        pytest.param(("industrial_va", "", "2021-05", "", "%", "15.4", ""), None, 15.4, id="rate-growth-only"),
        pytest.param(("industrial_va", "", "2021-05", "15.4", "", "", ""), None, 15.4, id="rate-in-value-column"),
        pytest.param(("cpi", "", "2021-05", "101.2", "", "", ""), 101.2, 1.2, id="index-gives-growth"),
        pytest.param(("cpi", "", "2021-05", "", "", "1.2", ""), 101.2, 1.2, id="growth-gives-index"),
        pytest.param(("一般公共预算收入", "姑苏区", "2021年5月", "33", "", "", ""), 33.0, None, id="names"),
        pytest.param(("REVENUE", "GUSU", "202105", "33", "", "", ""), 33.0, None, id="codes-any-case"),
        pytest.param(
            ("规上房地产业营业收入（不含开发）", "", "2021-04", "9", "", "", ""),
            9.0,
            None,
            id="full-width-brackets-in-a-name",
        ),
    ],
)
def test_acceptable_cells_become_figures_in_catalogue_units(
    catalogue: Catalogue, row: tuple, value: float | None, yoy: float | None
) -> None:
    checked = check(catalogue, row)
    assert codes(checked) == []
    figure = checked.figures.iloc[0]
    assert figure["value"] == pytest.approx(value, abs=1e-12) if value is not None else pd.isna(figure["value"])
    assert figure["yoy"] == pytest.approx(yoy) if yoy is not None else pd.isna(figure["yoy"])


def test_conversion_divides_exactly(catalogue: Catalogue) -> None:
    figure = check(catalogue, ("revenue", "", "2021-05", "335600", "万元", "", "")).figures.iloc[0]
    assert figure["value"] == 33.56  # not 33.559999...


def test_unit_in_the_value_header_applies_when_the_row_has_none(catalogue: Catalogue) -> None:
    checked = check(
        catalogue,
        ("revenue", "", "2021-05", "335600", "", "", ""),
        ("fai", "", "2021-05", "9", "亿元", "", ""),
        value_unit="万元",
    )
    assert list(checked.figures["value"]) == [33.56, 9.0]


def test_periods_are_canonical_for_the_indicator_frequency(catalogue: Catalogue) -> None:
    checked = check(
        catalogue,
        ("gdp", "", "2021年上半年", "480", "", "", ""),
        ("gdp", "", "2021-03", "180", "", "", ""),
        ("pork_price", "", "2021年第23周", "25", "", "", ""),
        ("revenue", "", "2021年1—5月", "33", "", "", ""),
    )
    assert list(checked.figures["period"]) == ["2021-Q2", "2021-Q1", "2021-W23", "2021-05"]
    assert list(checked.figures["year"]) == [2021] * 4
    assert checked.figures["period_end"].iloc[0] == date(2021, 6, 30)


def test_rows_without_any_number_are_headings_not_figures(catalogue: Catalogue) -> None:
    checked = check(
        catalogue,
        ("一、财政", "", "", "", "", "", ""),
        ("revenue", "", "2021-05", "33", "", "", ""),
        ("注：本表为快报数", "", "", "", "", "", ""),
    )
    assert codes(checked) == []
    assert len(checked.figures) == 1
    assert checked.skipped == 2


def test_no_number_at_all_is_an_empty_file(catalogue: Catalogue) -> None:
    assert codes(check(catalogue, ("revenue", "", "2021-05", "", "", "—", ""))) == [(None, "empty_file")]


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        pytest.param(("region", "period", "value"), ["指标"], id="no-indicator"),
        pytest.param(("indicator", "value"), ["期别"], id="no-period"),
        pytest.param(("indicator", "period", "unit"), ["数值"], id="no-value-nor-growth"),
        pytest.param(("region", "unit"), ["指标", "期别", "数值"], id="all-three"),
    ],
)
def test_missing_columns(catalogue: Catalogue, fields: tuple[str, ...], missing: list[str]) -> None:
    checked = check(catalogue, tuple("x" for _ in fields), fields=fields)
    assert list(checked.issues["code"]) == ["missing_column"] * len(missing)
    assert list(checked.issues["column"]) == missing


def test_a_repeated_figure_is_kept_once_and_a_conflicting_one_is_an_error(catalogue: Catalogue) -> None:
    same = check(
        catalogue,
        ("revenue", "", "2021-05", "33.56", "", "17.8", ""),
        ("revenue", "姑苏区", "2021年1-5月", "335600", "万元", "17.8%", ""),
    )
    assert codes(same) == []
    assert len(same.figures) == 1
    conflict = check(
        catalogue,
        ("revenue", "", "2021-05", "33.56", "", "17.8", ""),
        ("revenue", "", "2021-05", "33.65", "", "17.8", ""),
    )
    assert codes(conflict) == [(3, "conflicting_duplicate")]
    assert "第 2 行" in conflict.issues["message"].iloc[0]


def test_a_code_and_name_that_disagree_are_an_error(catalogue: Catalogue) -> None:
    fields = ("indicator", "indicator_name", "period", "value")
    checked = check(
        catalogue, ("revenue", "税收收入", "2021-05", "33"), ("", "税收收入", "2021-05", "29"), fields=fields
    )
    assert codes(checked) == [(2, "unknown_indicator")]
    assert "revenue" in checked.issues["message"].iloc[0]
    assert "税收收入" in checked.issues["message"].iloc[0]


def test_wide_layout_names_the_period_column_in_issues(catalogue: Catalogue) -> None:
    raw = table(
        ("retail_sales", "2021年1-2月", "148.2", "2021年1-2月"),
        ("retail_sales", "2021年1-13月", "1", "2021年1-13月"),
        fields=("indicator", "period", "value", "column"),
        layout="wide",
    )
    checked = check_table(raw, catalogue, today=TODAY)
    assert list(checked.issues["column"]) == ["2021年1-13月"]


@pytest.mark.parametrize(
    ("text", "value", "blank", "bad"),
    [
        pytest.param("1,234.5", 1234.5, False, False, id="thousands"),
        pytest.param("１，２３４", 1234.0, False, False, id="full-width"),
        pytest.param("6.5%", 6.5, False, False, id="percent"),
        pytest.param("", None, True, False, id="blank"),
        pytest.param("——", None, True, False, id="long-dash"),
        pytest.param("…", None, True, False, id="ellipsis"),
        pytest.param("1e5", 100000.0, False, False, id="exponent"),
        pytest.param("1e16", None, False, True, id="too-large"),
        pytest.param("-inf", None, False, True, id="minus-inf"),
        pytest.param("1.2.3", None, False, True, id="two-points"),
        pytest.param("0x10", None, False, True, id="hex"),
        pytest.param("1_000", None, False, True, id="underscore"),
    ],
)
def test_number_cells(text: str, value: float | None, blank: bool, bad: bool) -> None:
    parsed = parse_numbers(pd.Series([text], dtype="str"))
    assert (bool(parsed.blank[0]), bool(parsed.bad[0])) == (blank, bad)
    if value is not None:
        assert parsed.values[0] == value


def known(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "region", "period", "value", "yoy"])


@pytest.mark.parametrize(
    ("rows", "stored", "expected"),
    [
        pytest.param(
            [("revenue", "2021-05", "30", "10")],
            [("revenue", "gusu", "2021-04", 31.0, 10.0)],
            ["cumulative_decrease"],
            id="below-the-previous-month",
        ),
        pytest.param(
            [("revenue", "2021-04", "31", "10"), ("revenue", "2021-05", "30", "10")],
            [],
            ["cumulative_above_next", "cumulative_decrease"],  # April above May, May below April
            id="within-the-file",
        ),
        pytest.param(
            [("revenue", "2021-01", "3", "10")], [("revenue", "gusu", "2020-12", 60.0, 10.0)], [], id="january-restarts"
        ),
        pytest.param(
            [("revenue", "2021-05", "33", "35")],
            [("revenue", "gusu", "2021-04", 27.0, 10.0)],
            ["growth_jump"],
            id="growth-jumps-25pp",
        ),
        pytest.param(
            [("revenue", "2021-05", "33", "29")],
            [("revenue", "gusu", "2021-04", 27.0, 10.0)],
            [],
            id="growth-moves-19pp",
        ),
        pytest.param(
            [("revenue", "2021-05", "33", "10")],
            [("revenue", "gusu", "2020-05", 15.0, 1.0)],
            ["value_growth_mismatch"],
            id="value-doubled-but-growth-10",
        ),
        pytest.param(
            [("revenue", "2021-05", "33", "12")],
            [("revenue", "gusu", "2020-05", 30.0, 1.0)],
            [],
            id="comparable-base-difference-is-fine",
        ),
        pytest.param(
            [("deposits", "2021-05", "900", "2")],
            [("deposits", "gusu", "2021-04", 950.0, 3.0)],
            [],
            id="a-balance-may-fall",
        ),
    ],
)
def test_warnings(catalogue: Catalogue, rows: list[tuple], stored: list[tuple], expected: list[str]) -> None:
    checked = check(catalogue, *((ind, "", period, value, "", yoy, "") for ind, period, value, yoy in rows))
    assert codes(checked) == []
    warnings = figure_warnings(checked.figures, known(*stored), catalogue)
    assert list(warnings["code"]) == expected
    assert set(warnings["severity"]) <= {"warning"}


def test_warning_messages_name_the_figures_compared(catalogue: Catalogue) -> None:
    checked = check(catalogue, ("revenue", "", "2021-05", "30", "", "10", ""))
    stored = known(("revenue", "gusu", "2021-04", 31.0, 40.0), ("revenue", "gusu", "2020-05", 10.0, 1.0))
    messages = dict(
        zip(*(figure_warnings(checked.figures, stored, catalogue)[c] for c in ("code", "message")), strict=True)
    )
    assert "2021-04" in messages["cumulative_decrease"]
    assert "31" in messages["cumulative_decrease"]
    assert "40.0%" in messages["growth_jump"]
    assert "30.0 个百分点" in messages["growth_jump"]
    assert "2020-05" in messages["value_growth_mismatch"]
    assert "200.0%" in messages["value_growth_mismatch"]
