"""重点项目: the register, weekly progress (周报), each project's pace against its own 序时, and subtotals.

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.projects.cells import parse_day
from monitor.domain.projects.fields import CATEGORIES, LEVELS, NATURES, PROBLEM_CATEGORIES
from monitor.domain.projects.pace import (
    PACE_COLUMNS,
    ProjectThresholds,
    elapsed_share,
    project_pace,
    start_rate,
    subtotals,
)
from monitor.domain.projects.problems import STATE_ZH, ProblemState, next_state, shown_states
from monitor.domain.projects.register import PROJECT_COLUMNS, check_register
from monitor.domain.projects.table import ProjectTable
from monitor.domain.projects.weekly import PROBLEM_COLUMNS, PROGRESS_COLUMNS, WeeklyChecked, check_weekly

__all__ = [
    "CATEGORIES",
    "LEVELS",
    "NATURES",
    "PACE_COLUMNS",
    "PROBLEM_CATEGORIES",
    "PROBLEM_COLUMNS",
    "PROGRESS_COLUMNS",
    "PROJECT_COLUMNS",
    "STATE_ZH",
    "ProblemState",
    "ProjectTable",
    "ProjectThresholds",
    "WeeklyChecked",
    "check_register",
    "check_weekly",
    "elapsed_share",
    "next_state",
    "parse_day",
    "project_pace",
    "shown_states",
    "start_rate",
    "subtotals",
]
