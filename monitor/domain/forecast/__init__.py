"""Year-end forecasts: the models, one series' task, and the frame of many series (how tasks run is the caller's).

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.forecast.frame import (
    FORECAST_COLUMNS,
    FORECAST_HISTORY_YEARS,
    TaskMap,
    forecast_fingerprints,
    forecast_frame,
)
from monitor.domain.forecast.models import PathForecast, forecast_path
from monitor.domain.forecast.seasonality import is_seasonal, seasonal_indices
from monitor.domain.forecast.series import MODEL_VERSION, Result, SeriesTask, run_task
from monitor.errors import ForecastFailed

__all__ = [
    "FORECAST_COLUMNS",
    "FORECAST_HISTORY_YEARS",
    "MODEL_VERSION",
    "ForecastFailed",
    "PathForecast",
    "Result",
    "SeriesTask",
    "TaskMap",
    "forecast_fingerprints",
    "forecast_frame",
    "forecast_path",
    "is_seasonal",
    "run_task",
    "seasonal_indices",
]
