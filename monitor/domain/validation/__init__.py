"""Checking a department's table: cells to figures, every problem as an Issue row, warnings on plausible figures.

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.validation.figure_warnings import figure_warnings
from monitor.domain.validation.issues import (
    ISSUE_COLUMNS,
    WARNING_CODES,
    Code,
    Issue,
    IssueSeverity,
    file_issue,
    issue_list,
    sort_issues,
)
from monitor.domain.validation.table import FIELD_ZH, FIELDS, Checked, RawTable, check_table, empty_figures
from monitor.domain.validation.values import label, parse_numbers

__all__ = [
    "FIELDS",
    "FIELD_ZH",
    "ISSUE_COLUMNS",
    "WARNING_CODES",
    "Checked",
    "Code",
    "Issue",
    "IssueSeverity",
    "RawTable",
    "check_table",
    "empty_figures",
    "figure_warnings",
    "file_issue",
    "issue_list",
    "label",
    "parse_numbers",
    "sort_issues",
]
