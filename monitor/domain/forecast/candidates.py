"""The candidate models: each turns one series (on the model scale) into forecasts of the next h periods.

Every candidate sees z (log figures when all are positive, else the figures), the season length
m, the seasonal indices `idx` of the classical decomposition (zeros when the series is not
adjusted) and the horizon h, and returns h forecasts on z's scale:
- theta: the Theta method (θ = 2) on the adjusted series, as statsmodels' ThetaModel computes it;
- damped: additive damped-trend exponential smoothing (statsmodels) on the adjusted series;
- ses: simple exponential smoothing (statsmodels) on the adjusted series, for series with a level only;
- snaive: the last season repeated (the last figure when the series is not seasonal);
- snaive_drift: the same plus the mean season-on-season change (for flows that grow);
- airline: SARIMA(0,1,1)(0,1,1)m, Box and Jenkins' airline model (on log figures: the log-airline),
  fitted by conditional sum of squares (two MA parameters, scipy's bounded L-BFGS);
- holt_winters: damped additive Holt-Winters (statsmodels), whose seasonal pattern may drift.
`available` says which of them a series of a given length can carry. Pure: numpy, scipy, statsmodels.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import minimize
from scipy.signal import lfilter
from statsmodels.tsa.holtwinters import ExponentialSmoothing

__all__ = ["CANDIDATES", "Candidate", "available", "ses_fit", "theta_forecast"]

Candidate = Callable[[np.ndarray, int, np.ndarray, int], np.ndarray]
_MA_BOUND = 0.98  # keeps the airline model's MA part invertible
_AIRLINE_MIN_YEARS = 3  # seasons of figures before the airline model's two differences leave enough
_HW_MIN_YEARS = 3  # seasons before a drifting seasonal pattern can be told from noise


def _adjusted(z: np.ndarray, m: int, idx: np.ndarray) -> np.ndarray:
    return np.asarray(z - idx[np.arange(len(z)) % m], dtype=float)


def _reseason(path: np.ndarray, n: int, m: int, idx: np.ndarray) -> np.ndarray:
    return np.asarray(path + idx[np.arange(n, n + len(path)) % m], dtype=float)


def ses_fit(za: np.ndarray, h: int) -> tuple[np.ndarray, float, float]:
    """SES started at the first value (ThetaModel's setting): forecasts, α and the one-step SSE."""
    ses = ExponentialSmoothing(za, initial_level=float(za[0]), initialization_method="known").fit()
    return np.asarray(ses.forecast(h), dtype=float), float(ses.params["smoothing_level"]), float(ses.sse)


def theta_forecast(za: np.ndarray, h: int) -> tuple[np.ndarray, float, float]:
    """Theta (θ = 2) on an adjusted series: SES plus half the OLS drift; also SES's α and SSE.

    The SES is the holtwinters one started at the first value, which minimises the same squared
    one-step errors as ThetaModel's state-space SES at a fraction of its cost.
    """
    n = len(za)
    b0 = float(np.polyfit(np.arange(n, dtype=float), za, 1)[0])
    level, alpha, sse = ses_fit(za, h)
    steps = np.arange(h, dtype=float)
    if alpha > 0:
        steps += 1 / alpha - (1 - alpha) ** n / alpha
    return level + 0.5 * b0 * steps, alpha, sse


def _theta(z: np.ndarray, m: int, idx: np.ndarray, h: int) -> np.ndarray:
    return _reseason(theta_forecast(_adjusted(z, m, idx), h)[0], len(z), m, idx)


def _damped(z: np.ndarray, m: int, idx: np.ndarray, h: int) -> np.ndarray:
    za = _adjusted(z, m, idx)
    model = ExponentialSmoothing(za, trend="add", damped_trend=True, initialization_method="estimated")
    return _reseason(np.asarray(model.fit(use_brute=False).forecast(h), dtype=float), len(z), m, idx)


def _ses(z: np.ndarray, m: int, idx: np.ndarray, h: int) -> np.ndarray:
    model = ExponentialSmoothing(_adjusted(z, m, idx), initialization_method="estimated")
    return _reseason(np.asarray(model.fit(use_brute=False).forecast(h), dtype=float), len(z), m, idx)


def _snaive(z: np.ndarray, m: int, idx: np.ndarray, h: int) -> np.ndarray:
    if m <= 1 or not idx.any() or len(z) < m:
        return np.full(h, z[-1])
    return np.asarray(z[len(z) - m + np.arange(h) % m], dtype=float)


def _snaive_drift(z: np.ndarray, m: int, idx: np.ndarray, h: int) -> np.ndarray:
    """Seasonal naive plus the mean change over a season, once per season ahead (a growing flow keeps growing)."""
    if m <= 1 or not idx.any() or len(z) < 2 * m:
        return _snaive(z, m, idx, h)
    drift = float(np.mean(z[m:] - z[:-m]))
    return np.asarray(_snaive(z, m, idx, h) + drift * (1 + np.arange(h) // m), dtype=float)


def _airline_residuals(w: np.ndarray, m: int, theta: float, big_theta: float) -> np.ndarray:
    """One-step errors e of w_t = (1 − θB)(1 − ΘB^m)e_t, started at zero (conditional sum of squares)."""
    ma = np.zeros(m + 2)
    ma[0], ma[1], ma[m], ma[m + 1] = 1.0, -theta, -big_theta, theta * big_theta
    return np.asarray(lfilter([1.0], ma, w), dtype=float)


def _airline(z: np.ndarray, m: int, idx: np.ndarray, h: int) -> np.ndarray:
    n = len(z)
    full = np.r_[z, np.zeros(h)]
    w = (z[m + 1 :] - z[m:-1]) - (z[1:-m] - z[: -m - 1])  # (1 − B)(1 − B^m) z, from t = m + 1

    def css(p: np.ndarray) -> float:
        e = _airline_residuals(w, m, float(p[0]), float(p[1]))
        return float(e @ e)

    bounds = [(-_MA_BOUND, _MA_BOUND)] * 2
    p = minimize(css, np.array([0.4, 0.6]), method="L-BFGS-B", bounds=bounds).x
    theta, big_theta = float(p[0]), float(p[1])
    e = np.r_[np.zeros(m + 1), _airline_residuals(w, m, theta, big_theta), np.zeros(h)]
    for t in range(n, n + h):
        shock = -theta * e[t - 1] - big_theta * e[t - m] + theta * big_theta * e[t - m - 1]
        full[t] = full[t - 1] + full[t - m] - full[t - m - 1] + shock
    return np.asarray(full[n:], dtype=float)


def _holt_winters(z: np.ndarray, m: int, idx: np.ndarray, h: int) -> np.ndarray:
    model = ExponentialSmoothing(
        z, trend="add", damped_trend=True, seasonal="add", seasonal_periods=m, initialization_method="heuristic"
    )
    return np.asarray(model.fit(use_brute=False).forecast(h), dtype=float)


CANDIDATES: dict[str, Candidate] = {
    "theta": _theta,
    "damped": _damped,
    "ses": _ses,
    "snaive": _snaive,
    "snaive_drift": _snaive_drift,
    "airline": _airline,
    "holt_winters": _holt_winters,
}


def available(n: int, m: int, *, trend: bool, seasonal: bool, flow: bool = False) -> tuple[str, ...]:
    """The candidates a series of n figures can carry: trend models need a trend, seasonal ones a season.

    `flow` (a reported economic flow) takes seasonal naive with the season-on-season drift instead of the
    plain one: a growing flow repeated from last year lags by a year's growth.
    """
    names = ["theta", "damped"] if trend else ["ses"]
    if seasonal:
        names.append("snaive_drift" if flow else "snaive")
        if trend and n >= _AIRLINE_MIN_YEARS * m + 2:
            names.append("airline")
        if trend and n >= _HW_MIN_YEARS * m:
            names.append("holt_winters")
    return tuple(names)
