"""Text columns as factors: one `pd.factorize` per column, then every check works on the distinct values. Pure.

A million-row file has a few dozen indicators, a few hundred regions and periods: each column is
factorized once, lookups, parsing and messages run once per distinct value, and the results are
spread back to the rows with one numpy take. Codes are in order of first appearance, exactly as
`pd.factorize` of the column's text would give them, whichever way the factor was built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitor.domain.validation.values import Numbers, parse_numbers, text_column

__all__ = ["Factor", "factor_column", "factor_numbers", "first_seen", "pick_cells", "spread"]


def spread(values: list[Any] | np.ndarray, codes: np.ndarray, dtype: Any = object) -> np.ndarray:
    """One result per distinct value spread to the rows (codes from pd.factorize)."""
    array = np.empty(len(values), dtype=dtype)
    array[:] = values
    return array[codes] if len(codes) else np.empty(0, dtype=dtype)


def first_seen(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer ids (-1 for none) renumbered in order of first appearance, -1 kept: (codes, distinct ids).

    The same codes `pd.factorize(..., use_na_sentinel=True)` gives for the values the ids stand for.
    """
    codes, uniques = pd.factorize(np.asarray(ids, dtype=np.int64))
    uniques = np.asarray(uniques)
    present = uniques >= 0
    renumber = np.where(present, np.cumsum(present) - 1, -1)
    return np.asarray(renumber[codes], dtype=np.int64), uniques[present]


def _compact(codes: np.ndarray) -> np.ndarray:
    """Factor codes as int32 (half the memory of a million intp codes; a column has far fewer than 2**31 values)."""
    return codes.astype(np.int32) if len(codes) < 2**31 else np.asarray(codes)


@dataclass(frozen=True)
class Factor:
    """A text column as `codes` (one per row) into `uniques` (its distinct cell texts, first appearance first)."""

    codes: np.ndarray
    uniques: np.ndarray

    @classmethod
    def of(cls, texts: Any) -> Factor:
        codes, uniques = pd.factorize(np.asarray(texts, dtype=object), use_na_sentinel=False)
        return cls(_compact(codes), np.asarray(uniques, dtype=object))

    def __len__(self) -> int:
        return len(self.codes)

    def spread(self, per_unique: list[Any] | np.ndarray, dtype: Any = object) -> np.ndarray:
        return spread(per_unique, self.codes, dtype)

    def at(self, pick: np.ndarray) -> np.ndarray:
        """The cell texts of the rows picked (positions)."""
        return np.asarray(self.uniques[self.codes[pick]], dtype=object)

    def cells(self) -> np.ndarray:
        """Every row's cell text (an object array)."""
        return self.at(np.arange(len(self.codes)))

    def subset(self, pick: np.ndarray) -> Factor:
        """The factor of the rows picked, its uniques renumbered as if those rows had been factorized alone."""
        codes, used = pd.factorize(self.codes[pick])
        return Factor(_compact(codes), np.asarray(self.uniques[np.asarray(used)], dtype=object))


def factor_column(frame: pd.DataFrame, name: str) -> Factor:
    """Column `name` as a factor of its text (`values.text_column`): blank for missing cells or no column."""
    if name not in frame:
        return Factor(np.zeros(len(frame), dtype=np.int8), np.array([""], dtype=object))
    column = frame[name]
    strings = isinstance(column.dtype, pd.StringDtype)  # str cells or missing ones (factorized as -1)
    if strings or (column.dtype == object and pd.api.types.infer_dtype(column, skipna=False) == "string"):
        codes, uniques = pd.factorize(column.to_numpy(dtype=object))
        if not len(codes) or codes.min() >= 0:
            return Factor(_compact(codes), np.asarray(uniques, dtype=object))
    return Factor.of(text_column(frame, name).to_numpy(dtype=object))


def factor_numbers(factor: Factor, **limit: float) -> Numbers:
    """`parse_numbers` of the column, parsing each distinct cell once (the result of a cell depends on it alone)."""
    parsed = parse_numbers(pd.Series(factor.uniques, dtype=object), **limit)
    codes = factor.codes
    return Numbers(
        parsed.values[codes], parsed.blank[codes], parsed.bad[codes], parsed.percent[codes], parsed.reasons[codes]
    )


def pick_cells(cells: Any) -> Callable[[np.ndarray], np.ndarray]:
    """A row-picker of cell texts: a Factor's `at`, a full array's positions, or a scalar repeated."""
    if isinstance(cells, Factor):
        return cells.at
    if callable(cells):
        return cells  # type: ignore[no-any-return]
    if isinstance(cells, np.ndarray):
        return lambda pick: np.asarray(cells[pick], dtype=object)
    return lambda pick: np.full(len(pick), cells, dtype=object)
