"""Issues of a department's file: stable codes, severities and a vectorised collector. Pure.

An issue is located as a spreadsheet shows it: (row, column header, cell value). Row is None for
a problem of the whole file (unreadable, too large, empty, a missing column).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ISSUE_COLUMNS",
    "Code",
    "Issue",
    "IssueCollector",
    "IssueSeverity",
    "empty_issues",
    "file_issue",
    "issue_list",
]


class Code(StrEnum):
    """Stable issue codes: tables, JSON and alerts key on them; messages may change, codes do not."""

    UNKNOWN_INDICATOR = "unknown_indicator"
    UNKNOWN_REGION = "unknown_region"
    BAD_PERIOD = "bad_period"
    FUTURE_PERIOD = "future_period"
    BEFORE_FIRST_PERIOD = "before_first_period"
    BAD_NUMBER = "bad_number"
    NEGATIVE_NOT_ALLOWED = "negative_not_allowed"
    UNIT_MISMATCH = "unit_mismatch"
    MISSING_COLUMN = "missing_column"
    AMBIGUOUS_COLUMN = "ambiguous_column"
    CONFLICTING_DUPLICATE = "conflicting_duplicate"
    NOT_RESPONSIBLE = "not_responsible"
    FORMULA_NOT_ALLOWED = "formula_not_allowed"
    EMPTY_FILE = "empty_file"
    UNREADABLE_FILE = "unreadable_file"
    TOO_LARGE = "too_large"
    # warnings: recorded with the import, never reject a file
    CUMULATIVE_DECREASE = "cumulative_decrease"
    GROWTH_JUMP = "growth_jump"
    VALUE_GROWTH_MISMATCH = "value_growth_mismatch"
    CUMULATIVE_ABOVE_NEXT = "cumulative_above_next"
    EXTERNAL_LINKS = "external_links"
    MACROS = "macros"


WARNING_CODES = frozenset(
    {
        Code.CUMULATIVE_DECREASE,
        Code.GROWTH_JUMP,
        Code.VALUE_GROWTH_MISMATCH,
        Code.CUMULATIVE_ABOVE_NEXT,
        Code.EXTERNAL_LINKS,
        Code.MACROS,
    }
)


class IssueSeverity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


ISSUE_COLUMNS = ["row", "column", "value", "code", "message", "severity"]


@dataclass(frozen=True)
class Issue:
    """One problem of a file, located as a spreadsheet shows it (row None: the whole file)."""

    row: int | None
    column: str
    value: str
    code: str
    message: str
    severity: IssueSeverity = IssueSeverity.ERROR

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of an issue: row, column, value, code, message."""
        return {"row": self.row, "column": self.column, "value": self.value, "code": self.code, "message": self.message}


def empty_issues() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else object) for c in ISSUE_COLUMNS})


def file_issue(
    code: Code | str,
    message: str,
    column: str = "",
    value: str = "",
    severity: IssueSeverity = IssueSeverity.ERROR,
) -> pd.DataFrame:
    """An issue about the whole file (unreadable, too large, empty): no row number."""
    frame = pd.DataFrame([[None, column, value, str(code), message, severity.value]], columns=ISSUE_COLUMNS)
    return frame.astype({"row": "Int64"})


def issue_list(issues: pd.DataFrame, limit: int | None = None) -> list[Issue]:
    """Issues as objects, in file order, for output (at most `limit`)."""
    head = issues if limit is None else issues.head(limit)
    return [
        Issue(
            None if pd.isna(r.row) else int(r.row),
            "" if pd.isna(r.column) else str(r.column),
            "" if pd.isna(r.value) else str(r.value),
            str(r.code),
            str(r.message),
            IssueSeverity(r.severity),
        )
        for r in head.itertuples(index=False)
    ]


def sort_issues(issues: pd.DataFrame) -> pd.DataFrame:
    """File-level issues first, then by row, keeping the order checks found them in within a row."""
    return issues.sort_values("row", kind="stable", na_position="first").reset_index(drop=True)


class IssueCollector:
    """Collects issue columns from vectorised checks over n rows; one concat at the end.

    `bad` marks the rows that have at least one hard error, so figures are only built from the rest.
    """

    def __init__(self, rows: np.ndarray):
        self.rows = rows
        self.bad = np.zeros(len(rows), dtype=bool)
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        code: Code,
        where: np.ndarray,
        column: Any,
        value: Any,
        message: Any,
        severity: IssueSeverity = IssueSeverity.ERROR,
    ) -> None:
        """`where` is a boolean mask; column, value and message are scalars, full-length arrays, or a
        callable taking the picked positions (so messages are only built for the rows that need one)."""
        if not where.any():
            return
        pick = np.flatnonzero(where)
        if severity is IssueSeverity.ERROR:
            self.bad |= where

        def cut(x: Any) -> Any:
            if callable(x):
                return x(pick)
            if isinstance(x, np.ndarray | pd.Series | list):
                return np.asarray(x, dtype=object)[pick]
            return x

        self.parts.append(
            pd.DataFrame(
                {
                    "row": self.rows[pick],
                    "column": cut(column),
                    "value": cut(value),
                    "code": code.value,
                    "message": cut(message),
                    "severity": severity.value,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return empty_issues()
        out = pd.concat(self.parts, ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        return sort_issues(out)
