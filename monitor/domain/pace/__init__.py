"""Pace versus goal (序时进度): completion, gap, 红黄绿灯, 倒排 required growth, seasonal path, one vectorised pass.

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.pace.bulletin import (
    BULLETIN_COLUMNS,
    bulletin_columns,
    previous_period,
    ranking_group_regions,
    rest_of_year,
    two_year_average,
)
from monitor.domain.pace.inputs import FORECAST_FIELDS, SEASONAL_YEARS
from monitor.domain.pace.lookup import seasonal_share
from monitor.domain.pace.report import PACE_COLUMNS, REASON_ZH, STATUS_ZH, evaluation_points, pace_frame
from monitor.domain.pace.wording import change_words, completion_words, elapsed_words, growth_words

__all__ = [
    "BULLETIN_COLUMNS",
    "FORECAST_FIELDS",
    "PACE_COLUMNS",
    "REASON_ZH",
    "SEASONAL_YEARS",
    "STATUS_ZH",
    "bulletin_columns",
    "change_words",
    "completion_words",
    "elapsed_words",
    "evaluation_points",
    "growth_words",
    "pace_frame",
    "previous_period",
    "ranking_group_regions",
    "rest_of_year",
    "seasonal_share",
    "two_year_average",
]
