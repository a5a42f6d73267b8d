"""Pace versus goal (序时进度): completion, gap, 红黄绿灯, 倒排 required growth, seasonal path, one vectorised pass.

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.pace.inputs import FORECAST_FIELDS, SEASONAL_YEARS
from monitor.domain.pace.lookup import seasonal_share
from monitor.domain.pace.report import PACE_COLUMNS, REASON_ZH, STATUS_ZH, evaluation_points, pace_frame

__all__ = [
    "FORECAST_FIELDS",
    "PACE_COLUMNS",
    "REASON_ZH",
    "SEASONAL_YEARS",
    "STATUS_ZH",
    "evaluation_points",
    "pace_frame",
    "seasonal_share",
]
