"""Reading the cells of a department's table: labels, numbers, formulas. Pure, vectorised over uniques.

Departments type full-width digits (１２３), thousands separators (1,234.5), percent signs (6.5%),
dashes for "no figure" (—, -) and stray spaces. Everything here works on whole pandas Series: the
fast path is one C-level conversion, and only cells that fail it are looked at one by one, so a
million-row file costs a fraction of a second.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "BLANKS",
    "FORMULA_PATTERN",
    "MAX_ABS_GROWTH",
    "MAX_ABS_VALUE",
    "Numbers",
    "is_formula",
    "label",
    "map_uniques",
    "parse_numbers",
    "text_column",
]

BLANKS = frozenset({"", "-", "--", "---", "—", "——", "–", "－", "/", "／", "…", "……", "...", "·"})
"""Cell contents that mean "no figure" in a number column."""

MAX_ABS_VALUE = 1e15
"""No figure of a district is this large in any unit (802 亿元 GDP is 8.02e10 元): a larger one is a typo."""

MAX_ABS_GROWTH = 10_000.0
"""Growth beyond ±10000% is a typo (a value typed into the growth column), not a figure."""

_SPACES = re.compile(r"\s+")
FORMULA_PATTERN = r"^\s*(?:[=@]|[+\-]\s*[A-Za-z_(])"
"""Text Excel would run as a formula when a cell is opened (=, @, +cmd, -cmd)."""
_FORMULA = re.compile(FORMULA_PATTERN)
_NOT_FINITE = frozenset({"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def label(text: object) -> str:
    """A name or code as compared with the catalogue: NFKC (full-width to half-width), no whitespace."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text)))


def is_formula(text: str) -> bool:
    """Text Excel would run as a formula when the cell is opened (=, @, +cmd, -cmd): never stored."""
    return bool(_FORMULA.match(text))


def text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Column `name` as plain text (blank for missing cells), whatever dtype the caller handed in."""
    if name not in frame:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    column = frame[name]
    if isinstance(column.dtype, pd.StringDtype) and not column.isna().any():
        return column
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) == "string":
        return column
    return column.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))


def map_uniques(column: pd.Series, func: Callable[[Any], Any]) -> np.ndarray:
    """Apply `func` once per distinct cell value and spread the results back to every row (object array)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [func(u) for u in uniques]
    return results[codes] if len(codes) else np.empty(0, dtype=object)


@dataclass(frozen=True)
class Numbers:
    """Parsed number cells: `values` (NaN where blank or bad), which were blank, bad (with why), or had a %."""

    values: np.ndarray
    blank: np.ndarray
    bad: np.ndarray
    percent: np.ndarray
    reasons: np.ndarray  # object array: Chinese reason for each bad cell, "" elsewhere


def _parse_one(text: Hashable) -> tuple[float, str, bool]:
    """(value, problem, had_percent) of one cell the fast path could not read; NaN value with "" = blank."""
    clean = label(text)
    if clean in BLANKS:
        return math.nan, "", False
    percent = clean.endswith("%")
    body = clean[:-1] if percent else clean
    body = body.replace(",", "")
    if body.lower() in _NOT_FINITE:
        return math.nan, "不是有限的数字", percent
    if body.startswith("="):
        return math.nan, "是公式而不是数值（公式没有计算结果）：请在 Excel 中重新计算并保存，或直接填写数值", percent
    try:
        number = float(body) if re.fullmatch(r"[+\-]?(\d+\.?\d*|\.\d+)(e[+\-]?\d+)?", body, re.I) else None
    except ValueError:
        number = None
    if number is None:
        return math.nan, "不是数字", percent
    if not math.isfinite(number):
        return math.nan, "超出可表示的范围", percent
    return number, "", percent


def _plain_floats(column: pd.Series) -> np.ndarray:
    """The cells as floats, NaN where pandas' to_numeric cannot read one (the slow path then looks).

    A column of plain ASCII numbers without "_" is converted by numpy in one C pass, several times
    faster than to_numeric; on those cells Python's float reads what to_numeric reads, except that
    it keeps the sign of a zero, so zeros are read again by to_numeric. Anything else (a blank, a
    comma, a %) makes the conversion fail and the whole column goes through to_numeric.
    """
    cells = column.to_numpy(dtype=object)
    if len(cells) and all(isinstance(c, str) for c in cells[:1]):
        try:
            joined = "".join(cells)
        except TypeError:
            joined = "_"
        if joined.isascii() and "_" not in joined:
            try:
                fast = cells.astype(float)
            except (TypeError, ValueError):
                pass
            else:
                zero = np.flatnonzero(fast == 0)
                if len(zero):
                    fast[zero] = _coerced(column.iloc[zero])
                return np.asarray(fast, dtype=float)
    return _coerced(column)


def _coerced(column: pd.Series) -> np.ndarray:
    return np.asarray(pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan), dtype=float)


def parse_numbers(column: pd.Series, limit: float = MAX_ABS_VALUE) -> Numbers:
    """Read a column of number cells as departments write them; never raises.

    Blank-like cells (BLANKS) are "no figure". NaN, inf, text and values beyond `limit` are bad,
    each with a reason in Chinese.
    """
    n = len(column)
    fast = _plain_floats(column)
    values = fast.copy()
    blank = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    percent = np.zeros(n, dtype=bool)
    reasons = np.full(n, "", dtype=object)
    slow = np.flatnonzero(~np.isfinite(fast))
    if len(slow):
        codes, uniques = pd.factorize(column.iloc[slow], use_na_sentinel=False)
        parsed = [_parse_one(u) for u in uniques]
        u_values = np.array([p[0] for p in parsed], dtype=float)
        u_problems = np.array([p[1] for p in parsed], dtype=object)
        u_percent = np.array([p[2] for p in parsed], dtype=bool)
        values[slow] = u_values[codes]
        problems = u_problems[codes]
        has_problem = problems != ""
        bad[slow] = has_problem
        reasons[slow] = problems
        percent[slow] = u_percent[codes]
        blank[slow] = ~has_problem & np.isnan(values[slow])
    too_big = np.abs(np.nan_to_num(values, nan=0.0)) > limit
    if too_big.any():
        bad |= too_big
        reasons[too_big] = f"超出合理范围（绝对值大于 {limit:,.0f}）"
        values[too_big] = np.nan
    values[bad] = np.nan
    return Numbers(values, blank, bad, percent, reasons)


def lookup_table(entries: Iterable[str], names: Mapping[str, str]) -> dict[str, str]:
    """Code and name -> code, keyed by the normalised, lower-cased label (codes win over names)."""
    table = {label(name).lower(): code for name, code in names.items()}
    table.update({label(code).lower(): code for code in entries})
    return table
