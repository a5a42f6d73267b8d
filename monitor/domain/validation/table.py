"""Validation of a department's table: every problem at once, as (row, column, value, code, message, severity).

A file is all or nothing, so a department must be able to fix every problem in one pass: nothing
here stops at the first error. `check_table` turns the text cells a reader found into figures in
catalogue units and lists the hard errors; `figure_warnings.figure_warnings` compares the
figures with earlier ones. Pure and vectorised: each text column is factorized once
(`factors.Factor`) and lookups, number and period parsing run once per distinct cell value, so a
million-row file is checked in about half a second. Never raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, Indicator, Measure
from monitor.domain.validation.checks import (
    check_indicators,
    check_periods,
    check_regions,
    check_units,
    department_name,
    resolve,
    split_duplicates,
    take,
)
from monitor.domain.validation.factors import Factor, factor_column, factor_numbers, first_seen, pick_cells
from monitor.domain.validation.issues import (
    ISSUE_COLUMNS,
    Code,
    Issue,
    IssueCollector,
    IssueSeverity,
    file_issue,
    issue_list,
    sort_issues,
)
from monitor.domain.validation.values import (
    FORMULA_PATTERN,
    MAX_ABS_GROWTH,
    Numbers,
    text_column,
)

__all__ = [
    "FIELDS",
    "FIELD_ZH",
    "FIGURE_COLUMNS",
    "ISSUE_COLUMNS",
    "Checked",
    "Code",
    "Issue",
    "IssueSeverity",
    "RawTable",
    "check_table",
    "empty_figures",
    "file_issue",
    "issue_list",
]

FIGURE_COLUMNS = ["indicator", "region", "period", "year", "period_end", "value", "yoy", "note", "row"]
FIELDS = ("indicator", "indicator_name", "region", "region_name", "period", "value", "unit", "yoy", "note")
FIELD_ZH = {
    "indicator": "指标",
    "indicator_name": "指标名称",
    "region": "地区",
    "region_name": "地区名称",
    "period": "期别",
    "value": "数值",
    "unit": "单位",
    "yoy": "同比增长(%)",
    "note": "备注",
}


@dataclass(frozen=True)
class RawTable:
    """What a reader found in a file: text cells under canonical field names, not yet interpreted.

    `frame` has a `row` column (the row number a spreadsheet shows) and any of FIELDS as text.
    `headers` maps a field to its header as written in the file, for messages. In the wide layout
    (one column per period) `period` and `value` come from cells and `column` names each cell's header.
    `value_unit` is a unit written in the value header (数值(万元)).
    """

    frame: pd.DataFrame
    headers: Mapping[str, str] = field(default_factory=dict)
    layout: str = "long"
    value_unit: str | None = None
    notices: tuple[tuple[str, str], ...] = ()
    """Warnings about the file itself (code, message): a workbook with external links or macros."""


@dataclass(frozen=True)
class Checked:
    """Figures ready to store (catalogue units, canonical periods) and every issue found."""

    figures: pd.DataFrame
    issues: pd.DataFrame
    rows: int = 0
    skipped: int = 0

    @property
    def has_errors(self) -> bool:
        return bool((self.issues["severity"] == IssueSeverity.ERROR.value).any())


def empty_figures() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "yoy") else object) for c in FIGURE_COLUMNS})


def _row_numbers(frame: pd.DataFrame) -> np.ndarray:
    if "row" in frame:
        numbers = pd.to_numeric(frame["row"], errors="coerce")
        if not numbers.isna().any() and len(numbers) and numbers.abs().max() < 2**62:
            return np.asarray(numbers.to_numpy(dtype=np.int64))
    return np.arange(2, len(frame) + 2, dtype=np.int64)


def _missing_columns(raw: RawTable) -> pd.DataFrame | None:
    present = set(raw.frame.columns)
    missing = []
    if "indicator" not in present and "indicator_name" not in present:
        missing.append(("指标", "指标代码、指标名称、指标 或 indicator"))
    if "period" not in present:
        missing.append(("期别", "期别、时期、报告期 或 period（宽表则每列的表头是期别，如 2021年1-5月）"))
    if "value" not in present and "yoy" not in present:
        missing.append(("数值", "数值、累计值、本期值、期末余额、同比增长(%)、同比、增速 或 value、yoy"))
    if not missing:
        return None
    found = "、".join(str(h) for h in raw.headers.values()) or "（无）"
    parts = [
        file_issue(
            Code.MISSING_COLUMN, f"缺少“{name}”列：请在表头加上其中之一：{aliases}（文件中识别到的列：{found}）", name
        )
        for name, aliases in missing
    ]
    return pd.concat(parts, ignore_index=True)


def _subset(numbers: Numbers, pick: np.ndarray) -> Numbers:
    if len(pick) == len(numbers.values):  # every row has a number (pick is sorted and unique)
        return numbers
    return Numbers(
        numbers.values[pick], numbers.blank[pick], numbers.bad[pick], numbers.percent[pick], numbers.reasons[pick]
    )


def _number_messages(numbers: Numbers, shown: Factor, what: str) -> Callable[[np.ndarray], np.ndarray]:
    """Messages for bad number cells, built once per distinct (reason, text) among the rows picked."""

    def make(pick: np.ndarray) -> np.ndarray:
        pairs = zip(numbers.reasons[pick], shown.at(pick), strict=True)
        keys = pd.Series([f"{r}\x00{t}" for r, t in pairs], dtype=object)
        codes, uniques = pd.factorize(keys, use_na_sentinel=False)
        built = []
        for key in uniques:
            reason, _, text = str(key).partition("\x00")
            text = text if len(text) <= 40 else text[:40] + "…"
            built.append(
                f"{what}“{text}”{reason}：请只填写数字，如 1234.5、1,234.5 或 6.5%（不带单位或文字；没有数据请留空）"
            )
        return take(built, codes)

    return make


@dataclass
class _Cells:
    """The working state of one check: the rows with a number, their text cells and the issues found."""

    present: frozenset[Any]  # the frame's columns
    rows: np.ndarray
    found: IssueCollector
    texts: dict[str, Factor]
    col: dict[str, Any]
    value: Numbers
    yoy: Numbers

    @property
    def n(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class _PerIndicator:
    """Each row's indicator as a code into `indicators` (-1 where it is unknown), for per-indicator lookups."""

    codes: np.ndarray
    indicators: list[Indicator]

    @property
    def known(self) -> np.ndarray:
        return self.codes >= 0

    def get(self, attribute: Callable[[Indicator], Any], default: Any, dtype: Any = object) -> np.ndarray:
        values = [attribute(i) for i in self.indicators] + [default]
        return take(values, np.where(self.known, self.codes, len(self.indicators)), dtype)


def check_table(raw: RawTable, catalogue: Catalogue, *, today: date, department: str | None = None) -> Checked:
    """Interpret a table and list every hard error; figures come back for the rows without errors.

    `today` decides `future_period`; without `department`, responsibility is not checked. The stages:
    columns present -> rows with a number -> indicator and region -> period -> numbers and units ->
    notes -> 报送责任 -> figures and duplicates.
    """
    missing = _missing_columns(raw)
    if missing is not None:
        return Checked(empty_figures(), missing, rows=len(raw.frame))
    frame = raw.frame.reset_index(drop=True)
    cells = _cells_with_numbers(raw, frame)
    if cells is None:
        return _no_numbers(frame)
    skipped = len(frame) - cells.n
    ind_at, col_ind, shown_ind = check_indicators(cells.found, catalogue, cells.texts, cells.col, cells.present)
    region, r_ids = _check_region(cells, catalogue)
    i_codes, distinct = first_seen(ind_at)
    everyone = list(catalogue.indicators)
    codes = [everyone[d] for d in distinct]
    per = _PerIndicator(i_codes, [catalogue.indicators[c] for c in codes])
    periods = check_periods(cells.found, cells.texts["period"], cells.col["period"], per.codes, per.indicators, today)
    value, yoy = _check_numbers(cells, per, raw.value_unit)
    note = _check_notes(cells)
    if department is not None:
        _check_responsibility(cells, catalogue, per, department, col_ind, shown_ind)
    good: Any = ~cells.found.bad & per.known & (r_ids >= 0) & (periods.ids >= 0)
    good = slice(None) if good.all() else good  # every row: views, not copies
    figures = pd.DataFrame(
        {
            "indicator": take([*codes, None], np.where(per.known, per.codes, len(codes)))[good],
            "region": region[good],
            "period": periods.text[good],
            "year": periods.year[good],
            "period_end": periods.end[good],
            "value": value[good],
            "yoy": yoy[good],
            "note": note[good],
            "row": cells.rows[good],
        }
    )
    if isinstance(cells.col["value"], np.ndarray):
        figures["source_column"] = cells.col["value"][good]
    regions, span = int(r_ids.max(initial=0)) + 1, int(periods.ids.max(initial=0)) + 1
    keys = (per.codes[good].astype(np.int64) * regions + r_ids[good]) * span + periods.ids[good]
    column = col_ind if isinstance(col_ind, str) else FIELD_ZH["indicator"]
    figures, duplicates = split_duplicates(figures, keys, column, max(len(per.indicators), 1) * regions * span)
    issues = cells.found.frame()
    if len(duplicates):
        issues = sort_issues(pd.concat([issues, duplicates], ignore_index=True))
    return Checked(figures, issues, rows=len(frame), skipped=skipped)


def _cells_with_numbers(raw: RawTable, frame: pd.DataFrame) -> _Cells | None:
    """The rows with a value or a growth rate (the others are headings or blanks), or None when there is none."""
    texts = {name: factor_column(frame, name) for name in FIELDS}
    value_all = factor_numbers(texts["value"])
    yoy_all = factor_numbers(texts["yoy"], limit=MAX_ABS_GROWTH)
    pick = np.flatnonzero(~(value_all.blank & yoy_all.blank))
    if len(pick) == 0:
        return None
    if len(pick) < len(frame):
        texts = {name: factor.subset(pick) for name, factor in texts.items()}
    rows = _row_numbers(frame)[pick]
    col: dict[str, Any] = {name: raw.headers.get(name) or FIELD_ZH[name] for name in FIELDS}
    if raw.layout == "wide" and "column" in frame:
        col["period"] = col["value"] = text_column(frame, "column").to_numpy(dtype=object)[pick]
    present = frozenset(frame.columns)
    return _Cells(present, rows, IssueCollector(rows), texts, col, _subset(value_all, pick), _subset(yoy_all, pick))


def _no_numbers(frame: pd.DataFrame) -> Checked:
    message = (
        f"文件中没有任何数值（{len(frame)} 个数据行的数值和同比增长都为空）：请填写数值后再发送"
        if len(frame)
        else "文件只有表头、没有数据行：请在表头下方逐行填写指标、期别和数值"
    )
    return Checked(empty_figures(), file_issue(Code.EMPTY_FILE, message), rows=len(frame), skipped=len(frame))


def _check_region(cells: _Cells, catalogue: Catalogue) -> tuple[np.ndarray, np.ndarray]:
    """Region codes (and an integer per code); a row with only a region name (地区名称) is looked up by that name."""
    texts = cells.texts
    if "region_name" in cells.present:
        blank = texts["region"].spread(resolve(texts["region"], {})[1], bool)
        other_blank = texts["region_name"].spread(resolve(texts["region_name"], {})[1], bool)
        use_name = blank & ~other_blank
        if use_name.any():
            texts["region"] = Factor.of(np.where(use_name, texts["region_name"].cells(), texts["region"].cells()))
    return check_regions(cells.found, catalogue, texts["region"], cells.col["region"])


def _check_numbers(cells: _Cells, per: _PerIndicator, value_unit: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Values in catalogue units and growth rates, with a rate's and an index's conventions applied."""
    found, col, shown = cells.found, cells.col, cells.texts["value"].at
    value = check_units(
        found, cells.texts["unit"], value_unit, cells.value.values, per.codes, per.indicators, col["unit"]
    )
    yoy = cells.yoy.values.copy()
    found.add(
        Code.BAD_NUMBER,
        cells.value.bad,
        col["value"],
        shown,
        _number_messages(cells.value, cells.texts["value"], "数值"),
    )
    yoy_texts = cells.texts["yoy"]
    yoy_messages = _number_messages(cells.yoy, yoy_texts, "同比增长")
    found.add(Code.BAD_NUMBER, cells.yoy.bad, col["yoy"], yoy_texts.at, yoy_messages)
    not_percent = per.get(lambda i: i.unit != "%", False, bool)
    found.add(
        Code.BAD_NUMBER,
        cells.value.percent & ~cells.value.bad & not_percent,
        col["value"],
        shown,
        "数值带有百分号，但该指标不是百分比：请填写指标单位的数值，增速请填在“同比增长(%)”列",
    )
    # measures: a rate publishes growth only; an index is 上年同期=100, so yoy = index - 100
    is_rate = per.get(lambda i: i.measure.value == Measure.RATE.value, False, bool)
    is_index = per.get(lambda i: i.measure.value == Measure.INDEX.value, False, bool)
    if is_rate.any():  # (most files have no rate and no index: their figures stay as they are)
        with np.errstate(invalid="ignore"):
            both = is_rate & ~np.isnan(value) & ~np.isnan(yoy) & (np.abs(value - yoy) > 1e-9)
        found.add(
            Code.BAD_NUMBER,
            both,
            col["value"],
            shown,
            "该指标只公布增速：请把增速填在“同比增长(%)”列、数值列留空（两列填写的数不一致）",
        )
        yoy = np.where(is_rate & np.isnan(yoy), value, yoy)
        value = np.where(is_rate, np.nan, value)
    if is_index.any():
        yoy = np.where(is_index & np.isnan(yoy), value - 100.0, yoy)
        value = np.where(is_index & np.isnan(value), yoy + 100.0, value)
    found.add(
        Code.NEGATIVE_NOT_ALLOWED,
        per.known & ~is_rate & (np.nan_to_num(value, nan=0.0) < 0),
        col["value"],
        shown,
        "数值不能为负：累计值、余额、指数和价格都不小于 0；下降请以负的同比增长填在“同比增长(%)”列（如 -9.5）",
    )
    return value, yoy


def _check_notes(cells: _Cells) -> np.ndarray:
    """Notes as stored (stripped, None when blank); a note that Excel would run as a formula is an error."""
    notes = cells.texts["note"]
    stored = [(u.strip() or None) if u != "" else None for u in notes.uniques]
    formula = [u != "" and bool(re.match(FORMULA_PATTERN, u)) for u in notes.uniques]
    cells.found.add(
        Code.FORMULA_NOT_ALLOWED,
        notes.spread(formula, bool),
        cells.col["note"],
        notes.at,
        "备注以 =、@、+ 或 - 开头，在 Excel 中会被当作公式执行：请删去开头的符号，或在前面加上文字",
    )
    return notes.spread(stored)


def _check_responsibility(
    cells: _Cells, catalogue: Catalogue, per: _PerIndicator, department: str, col_ind: Any, shown_ind: Any
) -> None:
    """报送责任: a department may send only the indicators the catalogue gives it (as 责任单位 or 数据来源)."""
    allowed = per.get(lambda i: department in i.senders, True, bool)
    who = catalogue.departments[department].name if department in catalogue.departments else department
    leads = per.get(lambda i: "、".join(department_name(catalogue, d) for d in i.senders), "")
    cells.found.add(
        Code.NOT_RESPONSIBLE,
        ~allowed,
        col_ind,
        pick_cells(shown_ind),
        lambda p: np.array(
            [f"{who}不负责报送该指标（由{d}报送）：请确认发送单位，或删除这一行" for d in leads[p]], dtype=object
        ),
    )
