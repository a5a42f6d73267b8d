"""Checks of `validation.check_table` that need more than a lookup: periods, units, duplicates. Pure.

Each works once per distinct cell value (or per distinct pair with the indicator), then spreads
its results to the rows, so the cost depends on how varied a file is, not on how long it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, Indicator
from monitor.domain.periods import Period, align, is_before_first, parse_period
from monitor.domain.units import convert, normalise_unit
from monitor.domain.validation.factors import Factor, pick_cells, spread
from monitor.domain.validation.issues import Code, IssueCollector, IssueSeverity, empty_issues
from monitor.domain.validation.values import label, lookup_table
from monitor.errors import PeriodError, UnitError

__all__ = [
    "PeriodColumns",
    "check_indicators",
    "check_periods",
    "check_regions",
    "check_units",
    "department_name",
    "resolve",
    "split_duplicates",
    "take",
]

KEY = ["indicator", "region", "period"]


take = spread
"""Spread one result per distinct value to the rows (codes from pd.factorize)."""


def pair_codes(left: np.ndarray, right: np.ndarray, right_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the pairs of factor codes (right may be -1 for "none"), one per distinct pair present, and the
    distinct pairs as left * (right_size + 1) + right + 1. Callers work per pair, so the numbering is free:
    a small pair space is counted in a plain array (ascending), a large one factorized (first seen first)."""
    combined = left.astype(np.int64) * (right_size + 1) + (right.astype(np.int64) + 1)
    space = (int(left.max(initial=0)) + 1) * (right_size + 1)
    if space <= max(DENSE_PAIRS, len(combined)):
        present = np.flatnonzero(np.bincount(combined, minlength=space))
        number = np.zeros(space, dtype=np.int64)
        number[present] = np.arange(len(present))
        return number[combined], present
    codes, uniques = pd.factorize(combined)
    return codes, np.asarray(uniques)


DENSE_PAIRS = 1 << 20
"""Pair spaces up to this size (or the number of rows) are counted in a plain array instead of hashed."""


@dataclass(frozen=True)
class PeriodColumns:
    """Canonical period text (None when unusable), year and end date of each row."""

    text: np.ndarray
    year: np.ndarray
    end: np.ndarray
    ids: np.ndarray  # one integer per canonical period (-1 when unusable), for integer keys


def _first_month_rule(first_month: int, year: int) -> str:
    missing = "、".join("1月" if m == 1 else f"1-{m}月" for m in range(1, first_month))
    return (
        f"该指标每年的第一个数据是1-{first_month}月，没有{missing}数据："
        f"请把这个数并入 {year}年1-{first_month}月 填报，或删除这一行"
    )


def _period_results(
    p_uniques: np.ndarray, uniques: np.ndarray, profiles: list[tuple[Any, int]], today: date
) -> list[tuple[Any, int, Any, str, str, str]]:
    """(canonical text, year, end, bad, before-first, future message) per distinct (period text, profile)."""
    parsed: dict[int, Period | str] = {}
    results: list[tuple[Any, int, Any, str, str, str]] = []
    for key in uniques:
        p_index, prof = divmod(int(key), len(profiles) + 1)
        text = p_uniques[p_index]
        if p_index not in parsed:
            try:
                parsed[p_index] = parse_period(text)
            except PeriodError as exc:
                parsed[p_index] = date_serial_hint(str(text)) or f"{exc}；请按其中一种写法填写期别"
        base = parsed[p_index]
        if isinstance(base, str):
            results.append((None, 0, None, base, "", ""))
            continue
        if prof == 0:  # unknown indicator: the text is a period, nothing more can be said
            results.append((None, base.year, None, "", "", ""))
            continue
        frequency, first_month = profiles[prof - 1]
        try:
            period = align(base, frequency)
        except PeriodError as exc:
            results.append((None, 0, None, f"期别“{text}”不适用于该指标：{exc}", "", ""))
            continue
        before = _first_month_rule(first_month, period.year) if is_before_first(period, first_month) else ""
        future = ""
        if period.end_date() > today:
            future = (
                f"期别“{text}”（截至 {period.end_date().isoformat()}）晚于今天 {today.isoformat()}，"
                "还没有这一期的数据：请检查年份和月份"
            )
        results.append((str(period), period.year, period.end_date(), "", before, future))
    return results


def check_periods(
    found: IssueCollector,
    texts: Factor,
    column: Any,
    i_codes: np.ndarray,
    indicators: list[Indicator],
    today: date,
) -> PeriodColumns:
    """Parse each distinct period text once and align it per (frequency, first month) profile.

    Flags bad_period, before_first_period (a January figure of a 1-2月 indicator) and
    future_period (the period ends after `today`).
    """
    profiles = sorted({(i.frequency, i.first_month) for i in indicators})
    profile_of = np.array([profiles.index((i.frequency, i.first_month)) for i in indicators] or [0], dtype=np.int64)
    row_profile = np.where(i_codes >= 0, profile_of[np.maximum(i_codes, 0)], -1)
    codes, uniques = pair_codes(texts.codes, row_profile, len(profiles))
    results = _period_results(texts.uniques, uniques, profiles, today)
    for position, code in ((3, Code.BAD_PERIOD), (4, Code.BEFORE_FIRST_PERIOD), (5, Code.FUTURE_PERIOD)):
        messages = [r[position] for r in results]
        if any(messages):
            where = take([m != "" for m in messages], codes, bool)
            found.add(code, where, column, texts.at, lambda p, m=messages: take(m, codes[p]))
    canonical = {text: n for n, text in enumerate(sorted({r[0] for r in results if r[0] is not None}))}
    return PeriodColumns(
        take([r[0] for r in results], codes),
        take([r[1] for r in results], codes, np.int64),
        take([r[2] for r in results], codes),
        take([canonical.get(r[0], -1) for r in results], codes, np.int64),
    )


_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year; from March 1900 on this is exact)


def date_serial_hint(text: str) -> str | None:
    """A period cell that is an Excel date serial (44348 = 2021-06-01): say which date it stands for."""
    stripped = text.strip()
    if not stripped.replace(".0", "", 1).isdigit():
        return None
    try:
        serial = int(float(stripped))
    except ValueError:
        return None
    if not 36526 <= serial <= 73051:  # 2000-01-01 .. 2099-12-31
        return None
    day = _EXCEL_EPOCH + timedelta(days=serial)
    return (
        f"期别“{stripped}”像是 Excel 的日期序号（代表 {day.isoformat()}，即 {day.year}年{day.month}月）："
        f"请把期别列设为“文本”格式后填写 {day.year}-{day.month:02d} 或 {day.year}年{day.month}月"
    )


def check_units(
    found: IssueCollector,
    units: Factor,
    header_unit: str | None,
    value: np.ndarray,
    i_codes: np.ndarray,
    indicators: list[Indicator],
    column: str,
) -> np.ndarray:
    """Convert values to the catalogue unit (万元 -> 亿元); an incompatible or unknown unit is unit_mismatch.

    The unit column wins over a unit in the value header (数值(万元)); neither means the catalogue unit.
    """
    value = value.copy()
    given = [normalise_unit(u) or header_unit or "" for u in units.uniques]
    if not any(given):  # no unit anywhere: every value is in its indicator's unit
        return value
    codes, uniques = pair_codes(units.codes, i_codes, len(indicators))
    problem = np.full(len(value), "", dtype=object)
    for k, key in enumerate(uniques):
        u_index, i_index = divmod(int(key), len(indicators) + 1)
        unit = given[u_index]
        if not unit or i_index == 0 or unit == indicators[i_index - 1].unit:
            continue
        indicator, rows = indicators[i_index - 1], codes == k
        try:
            value[rows] = convert(value[rows], unit, indicator.unit)
        except UnitError as exc:
            problem[rows] = f"{exc}（“{indicator.name}”的单位是 {indicator.unit}）"
    shown_units = np.where(units.uniques == "", header_unit or "", units.uniques)
    found.add(Code.UNIT_MISMATCH, problem != "", column, lambda p: shown_units[units.codes[p]], problem)
    return value


def _pair(value: float, yoy: float) -> str:
    v = "空" if pd.isna(value) else f"{value:g}"
    g = "空" if pd.isna(yoy) else f"{yoy:g}%"
    return f"数值 {v}、同比 {g}"


def close(a: Any, b: Any) -> np.ndarray:
    """Equal to 1e-9 relative, two missing values being equal."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        near = np.abs(x - y) <= 1e-9 * np.maximum(1.0, np.abs(y))
    return np.asarray(near | (np.isnan(x) & np.isnan(y)))


def _no_repeats(keys: np.ndarray, space: int | None) -> bool:
    """True when no key repeats, told by counting keys in a plain array; False when the space is too large."""
    if space is None or space > max(4 * DENSE_PAIRS, 4 * len(keys)) or (len(keys) and keys.min() < 0):
        return False
    return bool(np.bincount(keys.astype(np.int64), minlength=space).max(initial=0) < 2)


def split_duplicates(
    figures: pd.DataFrame, keys: np.ndarray, column: str, space: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop exact repeats of a figure; a repeat with another value or growth is conflicting_duplicate.

    `keys` identifies each figure's (indicator, region, period) as one integer (a hash join, no strings);
    with `space` (0 <= key < space) a file without repeats is told by counting keys in a plain array.
    """
    if _no_repeats(keys, space):
        return figures, empty_issues()
    index = pd.Index(keys)
    repeated = index.duplicated(keep=False)
    if not repeated.any():
        return figures, empty_issues()
    group = figures[repeated].assign(_key=keys[repeated])
    first = group.groupby("_key", sort=False)[["value", "yoy", "row"]].transform("first")
    conflict = group[~(close(group["value"], first["value"]) & close(group["yoy"], first["yoy"]))]
    kept = figures[~index.duplicated(keep="first")].reset_index(drop=True)
    if conflict.empty:
        return kept, empty_issues()
    base = first.loc[conflict.index]
    issues = pd.DataFrame(
        {
            "row": conflict["row"].to_numpy(),
            "column": column,
            "value": [
                f"{i} {r} {p}"
                for i, r, p in zip(conflict["indicator"], conflict["region"], conflict["period"], strict=True)
            ],
            "code": Code.CONFLICTING_DUPLICATE.value,
            "message": [
                f"与第 {int(f)} 行是同一指标、地区和期别，但数不同（本行{_pair(v, y)}，"
                f"第 {int(f)} 行{_pair(fv, fy)}）：同一个数只能填一次，请删去错误的一行"
                for f, v, y, fv, fy in zip(
                    base["row"], conflict["value"], conflict["yoy"], base["value"], base["yoy"], strict=True
                )
            ],
            "severity": IssueSeverity.ERROR.value,
        }
    )
    issues["row"] = issues["row"].astype("Int64")
    return kept, issues


# ------------------------------------------------------------------ indicators and regions
def _suggest(text: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(text, choices, n=1, cutoff=0.6)
    return f"，是否为“{close[0]}”？" if close else ""


def resolve(texts: Factor, table: Mapping[str, str]) -> tuple[list[str | None], list[bool]]:
    """(code or None, whether the cell is blank) per distinct text, from one lookup each."""
    labels = [label(u) for u in texts.uniques]
    return [table.get(x.lower()) for x in labels], [x == "" for x in labels]


def _messages(texts: Any, build: Callable[[str], str]) -> Callable[[np.ndarray], Any]:
    """Messages built once per distinct text, only for the rows picked."""
    cells = pick_cells(texts)

    def make(pick: np.ndarray) -> np.ndarray:
        codes, uniques = pd.factorize(pd.Series(cells(pick), dtype=object), use_na_sentinel=False)
        return take([build(str(u)) for u in uniques], codes)

    return make


def department_name(catalogue: Catalogue, code: str) -> str:
    return catalogue.departments[code].name if code in catalogue.departments else code


def _indicator_ids(texts: Factor, table: Mapping[str, str], position: Mapping[str, int]) -> tuple[np.ndarray, ...]:
    """(catalogue position per row, -1 when unknown; whether the cell is blank) from one lookup per text."""
    codes, blank = resolve(texts, table)
    return texts.spread([-1 if c is None else position[c] for c in codes], np.int64), texts.spread(blank, bool)


def check_indicators(
    found: IssueCollector, catalogue: Catalogue, texts: Mapping[str, Factor], col: dict[str, Any], present: Any
) -> tuple[np.ndarray, Any, Any]:
    """Indicator per row as its position in the catalogue (-1 when unknown): a code or an exact name; a name
    column must agree. Also the column header and the cell texts to show in the indicator's issues."""
    table = lookup_table(catalogue.indicators, {i.name: i.code for i in catalogue.indicators.values()})
    keys, everyone = list(catalogue.indicators), list(catalogue.indicators.values())
    names = [i.name for i in everyone]
    position = {code: n for n, code in enumerate(keys)}
    primary = "indicator" if "indicator" in present else "indicator_name"
    ind, blank = _indicator_ids(texts[primary], table, position)
    shown_ind: Any = texts[primary]
    col_ind = col[primary]
    if primary == "indicator" and "indicator_name" in present:
        by_name, _ = _indicator_ids(texts["indicator_name"], table, position)
        disagree = ~blank & (ind >= 0) & (by_name >= 0) & (ind != by_name)
        found.add(
            Code.UNKNOWN_INDICATOR,
            disagree,
            col["indicator_name"],
            texts["indicator_name"].at,
            lambda p: np.array(
                [
                    f"指标代码“{keys[c]}”是“{everyone[c].name}”，但指标名称写的是“{t}”：请核对是哪项指标"
                    for c, t in zip(ind[p], texts["indicator_name"].at(p), strict=True)
                ],
                dtype=object,
            ),
        )
        if blank.any():
            ind = np.where(blank, by_name, ind)
            shown_ind = np.where(blank, texts["indicator_name"].cells(), texts[primary].cells())
            col_ind = np.where(blank, col["indicator_name"], col_ind)
    found.add(
        Code.UNKNOWN_INDICATOR,
        ind < 0,
        col_ind,
        pick_cells(shown_ind),
        _messages(
            shown_ind,
            lambda u: (
                "指标为空：请填写指标代码（如 revenue）或目录中的指标名称"
                if not label(u)
                else f"未知的指标“{u}”：请填写指标代码（如 revenue）或目录中的完整指标名称{_suggest(label(u), names)}"
                "（monitor catalog show 可列出全部指标）"
            ),
        ),
    )
    return ind, col_ind, shown_ind


def check_regions(
    found: IssueCollector, catalogue: Catalogue, texts: Factor, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """Region code per row (None when unknown) and an integer per distinct code (-1 when unknown); a blank
    cell or no region column means the default region."""
    table = lookup_table(catalogue.regions, {r.name: r.code for r in catalogue.regions.values()})
    codes, blank = resolve(texts, table)
    region = [catalogue.meta.default_region if b else c for c, b in zip(codes, blank, strict=True)]
    numbers = {c: n for n, c in enumerate(dict.fromkeys(c for c in region if pd.notna(c)))}
    ids = texts.spread([numbers.get(c, -1) if pd.notna(c) else -1 for c in region], np.int64)
    names = [r.name for r in catalogue.regions.values()]
    found.add(
        Code.UNKNOWN_REGION,
        ids < 0,
        column,
        texts.at,
        _messages(
            texts,
            lambda u: f"未知的地区“{u}”：请填写地区代码（如 gusu）或地区名称（如 姑苏区）{_suggest(label(u), names)}",
        ),
    )
    return texts.spread(region), ids
