"""The forecaster's statistical core: one series in, a forecast path with its error covariance out.

The forecast is a weighted combination of candidate models (`candidates`: Theta, damped trend,
seasonal naive, the airline SARIMA, damped Holt-Winters; simple exponential smoothing for series
without a trend), fitted on the log scale when every figure is positive. The weights come from
each candidate's error on a holdout of the series' own latest figures (`selection`), so the
method adapts to the kind of series instead of to one competition: a series whose season simply
repeats is shrunk toward seasonal naive, a trending one toward the trend models. How it does is
measured by bench/forecast_m3.py (M3 monthly) and bench/forecast_tourism.py (Tourism monthly),
not stated here.

Seasonality follows the M3/M4 convention (`seasonality`): the 90% autocorrelation test at lag m
decides whether the series is adjusted and whether the seasonal candidates take part. Reported
economic flows skip the test and are always adjusted (see `forecast_path`).

Errors follow the SES structure that Theta is (ARIMA(0,1,1): the h-step error is
e_{n+h} + α·Σ_{j<h} e_{n+j}), with σ² the one-step residual variance of the SES on the adjusted
series divided by the degrees of freedom left after the trend model and the seasonal indices,
mapped to the data's scale with the delta method; a sum of forecasts (the rest of a year) has
variance wᵀΣw. This is checked by tests/forecast/test_calibration.py and by the rolling-origin
coverage the benches print. Series with zeros or negatives are modelled on their own scale; when
no figure is negative, no forecast is either. Pure: numpy, scipy and statsmodels only.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from monitor.domain.forecast.candidates import available, ses_fit
from monitor.domain.forecast.seasonality import is_seasonal, seasonal_indices
from monitor.domain.forecast.selection import HOLDOUT_ORIGINS, Holdout, fit_candidates, holdout_weights, run_holdout
from monitor.errors import ForecastFailed

__all__ = ["ForecastFailed", "PathForecast", "forecast_path", "is_seasonal", "seasonal_indices"]

_TREND_PARAMS = 5  # α, β, φ, initial level and trend of the damped model
_LEVEL_PARAMS = 2  # α and initial level of simple exponential smoothing
_MIN_DOF = 4  # figures beyond the parameters needed before a fit is trusted
SPREAD_PRIOR = 32.0  # pseudo-errors at the SES variance toward which the holdout's variance factor is shrunk
SPREAD_LIMITS = (0.25, 4.0)  # the holdout may narrow or widen the variance by at most these factors
_NORMAL_MEDIAN_ABS = 0.6744897501960817  # median of |Z| for a standard normal Z


@dataclass(frozen=True)
class PathForecast:
    """Forecasts of the next h periods on the data's scale and the covariance of their errors.

    `weights` says how much each candidate model contributed to `mean` (they sum to one).
    """

    mean: np.ndarray
    cov: np.ndarray
    log_scale: bool
    seasonal: bool
    weights: Mapping[str, float] = field(default_factory=dict)

    def sum_moments(self, weights: np.ndarray) -> tuple[float, float]:
        """Mean and standard deviation of Σ wᵢ·yᵢ over the path (e.g. the rest of a year's flows)."""
        w = np.asarray(weights, dtype=float)
        return float(w @ self.mean), math.sqrt(max(float(w @ self.cov @ w), 0.0))


def _ses_error_weights(h: int, alpha: float) -> np.ndarray:
    """Lower-triangular A with the h forecast errors = A·(future innovations): 1 on the diagonal, α below."""
    return np.eye(h) + alpha * np.tril(np.ones((h, h)), -1)


def _combined(
    z: np.ndarray, m: int, idx: np.ndarray, h: int, names: tuple[str, ...], adjust: bool, origins: int
) -> tuple[np.ndarray, dict[str, float], Holdout]:
    """The holdout-weighted combination of the candidates on the model scale, its weights and the holdout."""
    paths = fit_candidates(z, m, idx, h, names)
    if not paths:
        raise ForecastFailed("no candidate model could be fitted")
    several = len(paths) > 1
    holdout = run_holdout(z, m, h, tuple(paths), adjust=adjust, origins=origins) if several else Holdout(0)
    weights = holdout_weights(holdout.errors(z, tuple(paths)), tuple(paths))
    mean = np.sum([w * paths[name] for name, w in weights.items()], axis=0)
    return np.asarray(mean, dtype=float), weights, holdout


def _error_scale(za: np.ndarray) -> tuple[float, float]:
    """α and one-step SSE of the SES on the adjusted series: the error structure of the path."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            _, alpha, sse = ses_fit(za, 1)
        except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as exc:
            raise ForecastFailed(f"fit failed: {exc}") from exc
    return alpha, sse


def _spread_ratio(
    z: np.ndarray, m: int, holdout: Holdout, weights: dict[str, float], params: int, adjust: bool
) -> float:
    """Variance factor from the holdout: (median |error / sd| ÷ its normal value)² of the combination's errors
    against the sd the SES structure gave them from each origin, shrunk in logs toward 1 by SPREAD_PRIOR
    pseudo-errors and kept within SPREAD_LIMITS. A median, not a mean square: economic and tourism errors
    are heavy-tailed, and the band is a quantile."""
    scaled: list[float] = []
    for origin, path in zip(holdout.origins, holdout.combined(weights), strict=True):
        if path is None or origin - params <= 0:
            continue
        past = z[:origin]
        idx = seasonal_indices(past, m) if adjust else np.zeros(m)
        alpha, sse = _error_scale(past - idx[np.arange(origin) % m])
        var = sse / (origin - params) * (1 + alpha**2 * np.arange(holdout.span))
        if (var > 0).all():
            scaled.extend(np.abs(z[origin : origin + holdout.span] - path) / np.sqrt(var))
    if not scaled:
        return 1.0
    median = float(np.median(scaled))
    if median <= 0.0:
        return SPREAD_LIMITS[0]
    log_factor = 2 * math.log(median / _NORMAL_MEDIAN_ABS) * len(scaled) / (len(scaled) + SPREAD_PRIOR)
    return float(np.clip(math.exp(log_factor), *SPREAD_LIMITS))


def forecast_path(
    y: np.ndarray,
    m: int,
    h: int,
    *,
    trend: bool = True,
    seasonal: bool | None = None,
    origins: int = HOLDOUT_ORIGINS,
) -> PathForecast:
    """Forecast the next h values of y (season length m) with the holdout-weighted combination.

    `trend=False` combines level models only (growth rates have a level, not a trend).
    `seasonal=None` adjusts when the M3 test finds seasonality (series of unknown kind); True
    always adjusts, given two seasons (reported economic flows: the Spring Festival alone makes
    them seasonal, and a missed adjustment biases a year's remainder by its months' seasonal
    factors); False never does. `origins` is the number of holdout origins. Raises
    ForecastFailed when the series is too short for the parameters or every fit breaks down.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    if h < 1:
        raise ForecastFailed("horizon must be at least one period")
    if not np.isfinite(y).all():
        raise ForecastFailed("series has missing values")
    log_scale = bool((y > 0).all())
    z = np.log(y) if log_scale else y.copy()
    m = max(m, 1)
    adjust = m > 1 and n >= 2 * m and (is_seasonal(z, m) if seasonal is None else seasonal)
    params = (_TREND_PARAMS if trend else _LEVEL_PARAMS) + (m - 1 if adjust else 0)
    if n - params < _MIN_DOF:
        raise ForecastFailed(f"{n} figures are too few for {params} parameters")
    idx = seasonal_indices(z, m) if adjust else np.zeros(m)
    za = z - idx[np.arange(n) % m]
    if np.ptp(za) == 0.0:  # a constant series: the forecast is that constant, with no error to measure
        mean_z, weights, alpha, sse = za[-1] + idx[np.arange(n, n + h) % m], {"constant": 1.0}, 0.0, 0.0
    else:
        names = available(n, m, trend=trend, seasonal=adjust, flow=seasonal is True)
        mean_z, weights, holdout = _combined(z, m, idx, h, names, adjust, origins)
        alpha, sse = _error_scale(za)
        sse *= _spread_ratio(z, m, holdout, weights, params, adjust)
    a = _ses_error_weights(h, alpha)
    cov_z = sse / (n - params) * (a @ a.T)
    if not (np.isfinite(mean_z).all() and np.isfinite(cov_z).all()):
        raise ForecastFailed("fit gave non-finite forecasts")
    if not log_scale:
        if (y >= 0).all():
            mean_z = np.maximum(mean_z, 0.0)
        return PathForecast(mean_z, cov_z, log_scale, adjust, weights)
    mean = np.exp(mean_z)
    return PathForecast(mean, cov_z * np.outer(mean, mean), log_scale, adjust, weights)  # delta method
